import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';

interface CheckpointStored {
  /** Global position as a decimal string (JSON has no bigint). */
  position: string;
  at: string;
}

/**
 * A subscription's checkpoint kept as events in `checkpoint-<name>`: it lives with the data it points
 * into, so it survives restarts and moves with the store (SQLite file or KurrentDB alike).
 */
export class CheckpointStore {
  private lastSaved: bigint | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly stream: string,
    private readonly clock: Clock,
  ) {}

  /** Reads the last event only: the stream grows by one event per save. */
  async load(): Promise<bigint | undefined> {
    const last = await this.store.readLastEvent(this.stream);
    this.lastSaved = last ? BigInt((last.data as CheckpointStored).position) : undefined;
    return this.lastSaved;
  }

  /** Writes only when the position moved forward; a checkpoint never goes back. */
  async save(position: bigint): Promise<void> {
    if (this.lastSaved !== undefined && position <= this.lastSaved) return;
    const at = this.clock.now().toISOString();
    const data: CheckpointStored = { position: position.toString(), at };
    await this.store.append(
      this.stream,
      [{ type: 'CheckpointStored', data, metadata: { actor: 'system', at } }],
      'any',
    );
    this.lastSaved = position;
  }

  /**
   * Saves `position()` every `everyMs` (not once per event: the stream grows by one event per save) until
   * the returned `stop`, which saves once more. A failed save is told to `onError`; the next one retries.
   */
  saveEvery(
    everyMs: number,
    position: () => bigint | undefined,
    onError: (error: Error) => void = () => undefined,
  ): { stop: () => Promise<void> } {
    const saveNow = async (): Promise<void> => {
      const at = position();
      if (at === undefined) return;
      await this.save(at).catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
    };
    const timer = setInterval(() => void saveNow(), everyMs);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        return saveNow();
      },
    };
  }

  get saved(): bigint | undefined {
    return this.lastSaved;
  }
}
