/**
 * Runs the Gusto sandbox alone: `node dist/src/sandbox/gusto/main.js` (port GUSTO_SANDBOX_PORT, default 4010).
 * Uses the service's own GUSTO_CLIENT_ID / GUSTO_CLIENT_SECRET / GUSTO_WEBHOOK_VERIFICATION_TOKEN when set,
 * so a locally running connector and this sandbox agree without extra configuration.
 */
import { startGustoSandbox } from './index';

const main = async (): Promise<void> => {
  const env = process.env;
  const sandbox = await startGustoSandbox({
    port: Number(env.GUSTO_SANDBOX_PORT ?? 4010),
    host: env.GUSTO_SANDBOX_HOST ?? '127.0.0.1',
    seed: env.GUSTO_SANDBOX_SEED ? Number(env.GUSTO_SANDBOX_SEED) : undefined,
    clientId: env.GUSTO_CLIENT_ID,
    clientSecret: env.GUSTO_CLIENT_SECRET,
    verificationToken: env.GUSTO_WEBHOOK_VERIFICATION_TOKEN,
  });
  process.stdout.write(
    `${JSON.stringify({ gustoSandbox: sandbox.url, clientId: sandbox.config.clientId, verificationToken: sandbox.config.verificationToken })}\n`,
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`gusto sandbox failed to start: ${String(err)}\n`);
    process.exit(1);
  });
}
