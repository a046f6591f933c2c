/**
 * A second (and third) OS process sharing the service's SQLite file: builds its own store, vault, Gusto
 * OAuth client and token service, waits for a common start instant, then asks for a token `CALLS` times
 * at once and uses it. Prints one JSON line. Run with tsx (no decorators needed on this path).
 */
import { SqliteEventStore } from '../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import { AesGcmVault } from '../../../src/adapters/outbound/vault/aes-gcm-vault';
import { createGustoAxios } from '../../../src/adapters/outbound/gusto/gusto-http';
import { GustoOAuthClient } from '../../../src/adapters/outbound/gusto/gusto-oauth.client';
import { GustoTokenService } from '../../../src/application/connections/gusto-token.service';
import { keyIdOf } from '../../../src/config/app-config';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const offset = Number(env.CLOCK_OFFSET_MS);
  const clock = { now: () => new Date(Date.now() + offset) };
  const store = new SqliteEventStore(env.DB_FILE);
  const key = Buffer.from(env.KEY, 'base64');
  const vault = new AesGcmVault({ id: keyIdOf(key), key });
  const options = { baseUrl: env.GUSTO_URL, apiVersion: '2026-06-15' };
  const http = createGustoAxios(options);
  const oauth = new GustoOAuthClient(
    http,
    { clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, redirectUri: 'http://127.0.0.1:9/cb' },
    options,
  );
  const lost: string[] = [];
  const tokens = new GustoTokenService(store, vault, oauth, clock, async (_c, _co, detail) => void lost.push(detail), {
    holder: `worker-${process.pid}`,
    pollMs: 20,
  });
  await new Promise((r) => setTimeout(r, Math.max(0, Number(env.START_AT) - Date.now())));
  const results = await Promise.allSettled(
    Array.from({ length: Number(env.CALLS) }, () => tokens.accessToken(env.COMPANY)),
  );
  const ok = results
    .filter((r): r is PromiseFulfilledResult<{ accessToken: string; generation: number }> => r.status === 'fulfilled')
    .map((r) => r.value);
  const used = ok.length
    ? await http.get('/v1/token_info', { headers: { Authorization: `Bearer ${ok[0].accessToken}` } })
    : undefined;
  process.stdout.write(
    JSON.stringify({
      fulfilled: ok.length,
      errors: results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
      distinctTokens: new Set(ok.map((t) => t.accessToken)).size,
      generations: [...new Set(ok.map((t) => t.generation))],
      tokenInfoStatus: used?.status,
      tokenFingerprint: ok[0]?.accessToken.slice(-6),
      lost,
    }) + '\n',
  );
  await store.close();
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ crashed: String(error) }) + '\n');
  process.exit(1);
});
