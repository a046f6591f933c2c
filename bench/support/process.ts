import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { round2 } from './harness';

/** A TCP port free right now on 127.0.0.1 (for a service started as a child process). */
export const freePort = (): Promise<number> =>
  new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** A process's resident memory in MB (Linux /proc), or null when it cannot be read. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round2(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}
