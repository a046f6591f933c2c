/**
 * A second OS process on the same SQLite file, driven by the test over stdin/stdout (one JSON object per
 * line). Run with `node --import tsx test/contract/support/sqlite-child.ts <file>`.
 *
 * `at` (epoch ms) is a start barrier: the parent sends the same instant to several children, each sleeps
 * until just before it and spins the last few milliseconds, so their appends start together.
 */
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';

export type ChildCommand =
  | {
      cmd: 'append';
      stream: string;
      expected: 'no_stream' | 'stream_exists' | 'any' | number;
      ids: string[];
      at?: number;
    }
  | { cmd: 'exit' };

export type ChildReply =
  | { ready: true; pid: number }
  | { ok: true; nextExpectedRevision: string; position: string }
  | { ok: false; code: string; name: string; message: string };

const file = process.argv[2];
if (!file) throw new Error('usage: sqlite-child.ts <file>');
const store = new SqliteEventStore(file, { pollIntervalMs: 50 });
const reply = (message: ChildReply): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

async function until(at: number): Promise<void> {
  const sleep = at - Date.now() - 5;
  if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep));
  while (Date.now() < at) {
    // spin: setTimeout alone is only millisecond-ish accurate
  }
}

async function handle(command: ChildCommand): Promise<void> {
  if (command.cmd === 'exit') {
    await store.close();
    process.exit(0);
  }
  if (command.at !== undefined) await until(command.at);
  try {
    const events = command.ids.map((id) => ({ id, type: 'ChildAppended', data: { id, pid: process.pid } }));
    const result = await store.append(command.stream, events, command.expected);
    reply({ ok: true, nextExpectedRevision: String(result.nextExpectedRevision), position: String(result.position) });
  } catch (error) {
    const err = error as Error & { code?: string };
    reply({ ok: false, code: err.code ?? 'unknown', name: err.name, message: err.message });
  }
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(() => handle(JSON.parse(line) as ChildCommand));
});
lines.on('close', () => void store.close().then(() => process.exit(0)));
reply({ ready: true, pid: process.pid });
