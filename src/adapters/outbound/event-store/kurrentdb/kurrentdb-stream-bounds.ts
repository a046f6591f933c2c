/**
 * Bookkeeping streams grow by one event per use and only their tail matters, so on KurrentDB they carry
 * `$maxCount` stream metadata: older events disappear from reads at once and from disk at the next scavenge.
 * Chosen in the adapter by stream-name prefix (no port change; the SQLite adapter keeps every event).
 *
 * Each store instance makes sure of a stream's metadata once, after its first successful append to it: read the
 * metadata, and write it (keeping whatever else it holds) only when `maxCount` differs. A failure is logged and
 * tried again on the next append; it never fails the append itself.
 */
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { withDeadline } from './deadline';

/**
 * Prefix → `$maxCount`. Each bound is above the deepest tail its readers take: the licence coordinator reads
 * up to 4096 heartbeats (licence-coordinator MAX_READ); the others read their last event only.
 */
export const BOUNDED_STREAMS: Readonly<Record<string, number>> = Object.freeze({
  'checkpoint-': 16,
  'poll-lease-': 64,
  'poll-watermark-': 16,
  'acumatica-licence-': 4096,
});

export function maxCountFor(stream: string, table: Readonly<Record<string, number>>): number | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(table))
    if (stream.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  return best === undefined ? undefined : table[best];
}

export class StreamBounds {
  private readonly settled = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly table: Readonly<Record<string, number>>,
    private readonly deadlineMs: number,
  ) {}

  async ensure(stream: string): Promise<void> {
    const maxCount = maxCountFor(stream, this.table);
    if (maxCount === undefined || this.settled.has(stream)) return;
    const running = this.pending.get(stream);
    if (running) return running;
    const work = this.apply(stream, maxCount).finally(() => this.pending.delete(stream));
    this.pending.set(stream, work);
    return work;
  }

  private async apply(stream: string, maxCount: number): Promise<void> {
    try {
      const current = await withDeadline(
        this.client.getStreamMetadata(stream, { deadline: this.deadlineMs }),
        this.deadlineMs,
      );
      if (current.metadata?.maxCount !== maxCount) {
        await withDeadline(
          this.client.setStreamMetadata(
            stream,
            { ...(current.metadata ?? {}), maxCount },
            { deadline: this.deadlineMs },
          ),
          this.deadlineMs,
        );
      }
      this.settled.add(stream);
    } catch (error) {
      console.warn(
        `event store: could not set $maxCount=${maxCount} on ${stream} (tried again on the next append): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
