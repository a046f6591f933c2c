/**
 * `npm run demo -- --serve`: after the demo, the service and both sandboxes keep running so a newcomer
 * can open the console and see the posted payroll in the browser. Stopped with Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const serveRequested = (argv: readonly string[] = process.argv): boolean => argv.includes('--serve');

/** The port to listen on: $PORT, else 3000 if free, else any free one (known before start: the OAuth redirect names it). */
export async function pickPort(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const wanted = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 3000;
  const tryListen = (port: number) =>
    new Promise<number | undefined>((done) => {
      const server = createServer();
      server.once('error', () => done(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: got } = server.address() as { port: number };
        server.close(() => done(got));
      });
    });
  return (await tryListen(wanted)) ?? (await tryListen(0))!;
}

export interface ServeInfo {
  service: string;
  gusto: string;
  acumatica: string;
  consoleDir: string;
  adminKey: string;
  connectionId: string;
  companyUuid: string;
  postingId: string;
}

/** Prints where to look and waits for Ctrl-C (SIGINT) or SIGTERM. */
export async function serveUntilStopped(say: (line: string) => void, info: ServeInfo): Promise<void> {
  say('\nServing (Ctrl-C to stop):');
  say(`  console     ${info.service}/console/`);
  say(`  sign in     ${info.adminKey}   (an admin API key created for this demo)`);
  say(`  the payroll ${info.service}/console/#/postings/${encodeURIComponent(info.postingId)}`);
  say(`  API docs    ${info.service}/docs`);
  say(`  Gusto sandbox ${info.gusto}   Acumatica sandbox ${info.acumatica}`);
  say(
    `  another payroll: curl -s -XPOST ${info.gusto}/sandbox/companies/${info.companyUuid}/payrolls -d '{"employees":3}'   (posted by its webhook)`,
  );
  say(
    `  another company to connect in the console: curl -s -XPOST ${info.gusto}/sandbox/companies -d '{"name":"Beta Co"}' (the sandbox's consent picks the newest company)`,
  );
  if (!existsSync(join(info.consoleDir, 'index.html')))
    say(`  (the console is not built in ${info.consoleDir}: /console answers 404 until npm run build has built it)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', () => stop());
    process.once('SIGTERM', () => stop());
  });
  say('stopping');
}
