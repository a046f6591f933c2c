/**
 * `npm run sandbox`: the Gusto sandbox (default 127.0.0.1:4010) and the Acumatica sandbox (default
 * 127.0.0.1:4020), with nothing else, until SIGINT or SIGTERM. Never imported by the product.
 *
 * Environment: GUSTO_SANDBOX_PORT, ACUMATICA_SANDBOX_PORT, SANDBOX_HOST (default 127.0.0.1),
 * GUSTO_CLIENT_ID / GUSTO_CLIENT_SECRET / GUSTO_WEBHOOK_VERIFICATION_TOKEN (so a connector started with the
 * same values works against it), SANDBOX_SEED.
 */
import { startAcumaticaSandbox } from './acumatica';
import { startGustoSandbox } from './gusto';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`${name} must be a port number (0–65535), got "${raw}"\n`);
    process.exit(78);
  }
  return n;
}

async function main(): Promise<void> {
  const host = process.env.SANDBOX_HOST || '127.0.0.1';
  const seed = Number(process.env.SANDBOX_SEED || 1);
  const gusto = await startGustoSandbox({
    host,
    port: port('GUSTO_SANDBOX_PORT', 4010),
    seed: Number.isFinite(seed) ? seed : 1,
    ...(process.env.GUSTO_CLIENT_ID ? { clientId: process.env.GUSTO_CLIENT_ID } : {}),
    ...(process.env.GUSTO_CLIENT_SECRET ? { clientSecret: process.env.GUSTO_CLIENT_SECRET } : {}),
    ...(process.env.GUSTO_WEBHOOK_VERIFICATION_TOKEN
      ? { verificationToken: process.env.GUSTO_WEBHOOK_VERIFICATION_TOKEN }
      : {}),
  });
  const acumatica = await startAcumaticaSandbox({ host, port: port('ACUMATICA_SANDBOX_PORT', 4020) });
  const G = gusto.url;
  const A = acumatica.url;
  const client = gusto.config.clientId;
  process.stdout.write(`Gusto sandbox      ${G}
Acumatica sandbox  ${A}

Gusto OAuth client: ${client} (secret from GUSTO_CLIENT_SECRET, default gusto-sandbox-client-secret)
Webhook verification token (sandbox-only; give the connector the same GUSTO_WEBHOOK_VERIFICATION_TOKEN): ${gusto.config.verificationToken}
Start the connector with MLC_ACUMATICA_ALLOWED_HOSTS=127.0.0.1 (it refuses internal Acumatica URLs otherwise).
Acumatica: tenant AcmeCorp, user api.gusto, client 8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@AcmeCorp (password and secret: src/sandbox/acumatica/README.md)

Drive them with curl (see src/sandbox/*/README.md for every route and knob):
  G=${G}; A=${A}
  C=$(curl -s -XPOST $G/sandbox/companies -d '{"name":"Lone Star Widgets"}' | jq -r .uuid)
  curl -s -XPOST $G/sandbox/subscriptions -d '{"url":"http://127.0.0.1:3000/webhooks/gusto"}'
  curl -s -XPOST $G/sandbox/companies/$C/payrolls -d '{"employees":3}'        # processes a payroll, sends payroll.processed
  curl -s -XPATCH $G/sandbox/knobs -d '{"latencyMs":50,"webhook":{"duplicates":1}}'
  curl -s -XPOST $G/sandbox/fail-next -d '{"pattern":"/payrolls","count":2,"status":503}'
  curl -s $G/sandbox/requests | jq length
  curl -s $A/entity | jq .endpoints
  # a connector on :3000 started with GUSTO_API_BASE_URL=$G, then POST /api/connections with acumatica.baseUrl=$A

Stop with Ctrl-C.
`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the sandboxes\n`);
    const force = setTimeout(() => process.exit(0), 5_000);
    force.unref();
    void Promise.allSettled([gusto.close(), acumatica.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
