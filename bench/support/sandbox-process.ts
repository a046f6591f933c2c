/**
 * Both sandboxes in their own OS process (`node dist/src/sandbox/main.js`, ephemeral ports), so that a
 * benchmark's service process pays only for its own work. Driven over the sandboxes' HTTP scenario API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GUSTO_CLIENT_ID, GUSTO_CLIENT_SECRET, WEBHOOK_TOKEN } from './harness';

export interface SandboxProcess {
  gustoUrl: string;
  acumaticaUrl: string;
  child: ChildProcess;
  /** POST/GET one of the sandboxes' JSON routes; throws on a non-2xx answer. */
  call<T = any>(base: string, method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

function sandboxJs(): string {
  for (const candidate of [
    resolve(__dirname, '../../src/sandbox/main.js'),
    resolve(__dirname, '../../dist/src/sandbox/main.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('dist/src/sandbox/main.js not found (npm run build)');
}

export async function startSandboxProcess(): Promise<SandboxProcess> {
  const env = {
    ...process.env,
    GUSTO_SANDBOX_PORT: '0',
    ACUMATICA_SANDBOX_PORT: '0',
    GUSTO_CLIENT_ID,
    GUSTO_CLIENT_SECRET,
    GUSTO_WEBHOOK_VERIFICATION_TOKEN: WEBHOOK_TOKEN,
  };
  const child = spawn(process.execPath, [sandboxJs()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const urls = await new Promise<{ gusto: string; acumatica: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandboxes did not start: ${text.slice(0, 500)}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const g = /Gusto sandbox\s+(http:\/\/\S+)/.exec(text);
      const a = /Acumatica sandbox\s+(http:\/\/\S+)/.exec(text);
      if (g && a) {
        clearTimeout(timer);
        done({ gusto: g[1]!, acumatica: a[1]! });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`sandboxes exited (${code}): ${text.slice(0, 500)}`)));
  });
  child.stdout!.resume();
  const call = async <T>(base: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const answer = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${answer.slice(0, 300)}`);
    return (answer ? JSON.parse(answer) : null) as T;
  };
  return {
    gustoUrl: urls.gusto,
    acumaticaUrl: urls.acumatica,
    child,
    call,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
