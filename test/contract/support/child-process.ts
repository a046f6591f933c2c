/** Starts sqlite-child.ts as a separate OS process and talks to it one JSON line at a time. */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildCommand, ChildReply } from './sqlite-child';

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(__dirname, 'sqlite-child.ts');

export interface SqliteChild {
  readonly process: ChildProcessWithoutNullStreams;
  send(command: ChildCommand): Promise<ChildReply>;
  /** Sends without waiting for the reply; the reply is then returned by `next()`. */
  post(command: ChildCommand): void;
  next(): Promise<ChildReply>;
  stop(): Promise<void>;
}

export async function startSqliteChild(file: string, timeoutMs = 15_000): Promise<SqliteChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, file], { cwd: ROOT, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pending: ChildReply[] = [];
  const waiters: Array<(reply: ChildReply) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as ChildReply;
    const waiter = waiters.shift();
    if (waiter) waiter(reply);
    else pending.push(reply);
  });

  const next = (): Promise<ChildReply> =>
    new Promise((resolveReply, reject) => {
      const queued = pending.shift();
      if (queued) return resolveReply(queued);
      const timer = setTimeout(
        () => reject(new Error(`child ${child.pid} gave no answer in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      waiters.push((reply) => {
        clearTimeout(timer);
        resolveReply(reply);
      });
    });
  const post = (command: ChildCommand): void => void child.stdin.write(`${JSON.stringify(command)}\n`);

  const ready = await next();
  if (!('ready' in ready)) throw new Error(`child did not start: ${JSON.stringify(ready)}`);
  return {
    process: child,
    post,
    next,
    send: (command) => {
      post(command);
      return next();
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      post({ cmd: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
