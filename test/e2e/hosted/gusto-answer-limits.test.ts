/**
 * Gusto's answers are capped in size per kind of call (10 MiB for a payroll page with its compensations,
 * 1 MiB elsewhere), like Acumatica's. A fake Gusto (a proxy in front of the Gusto sandbox) streams a 300 MB
 * payroll or a 50 MB employee page: the read stops at the cap with a clear error, the socket is closed
 * (the fake sends far less than it meant to) and the service's memory stays flat.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import {
  connectedWorld,
  GUSTO_CLIENT_ID,
  GUSTO_CLIENT_SECRET,
  type World,
} from '../../integration/connections/harness';

const MiB = 1024 * 1024;

/** Forwards to the sandbox, except paths `huge` matches: 200 JSON streaming `bytes` until the reader hangs up. */
async function hugeAnswering(
  target: string,
): Promise<{ server: Server; url: string; huge: { pattern?: RegExp; bytes: number; sent: number } }> {
  const huge: { pattern?: RegExp; bytes: number; sent: number } = { bytes: 0, sent: 0 };
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const server = createServer((req, res) => {
    if (huge.pattern?.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"uuid":"');
      const pump = (): void => {
        while (huge.sent < huge.bytes && !res.destroyed) {
          huge.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"}');
      };
      return pump();
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, huge };
}

const memory = (): number => {
  (global as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

describe('Gusto answers: capped in size per call kind', () => {
  let gusto: GustoSandbox;
  let fake: Awaited<ReturnType<typeof hugeAnswering>>;
  let world: World & { connectionId: string; companyUuid: string };
  beforeAll(async () => {
    gusto = await startGustoSandbox({ clientId: GUSTO_CLIENT_ID, clientSecret: GUSTO_CLIENT_SECRET });
    fake = await hugeAnswering(gusto.url);
    world = await connectedWorld({ gusto, service: { env: { GUSTO_API_BASE_URL: fake.url } } });
  });
  afterAll(async () => {
    await world?.close();
    await new Promise((resolve) => fake?.server.close(resolve));
    await gusto?.close();
  });

  it('a 300 MB payroll answer: 502 saying the answer was over 10 MiB, the read stopped early, memory flat', async () => {
    const payroll = gusto.scenario.runPayroll(world.companyUuid, { employees: 2, webhook: false } as never) as {
      uuid: string;
    };
    fake.huge.pattern = new RegExp(`/payrolls/${payroll.uuid}`);
    fake.huge.bytes = 300 * MiB;
    fake.huge.sent = 0;
    const before = memory();
    const preview = await world.api('POST', `/api/connections/${world.connectionId}/payrolls/${payroll.uuid}/preview`);
    const grown = memory() - before;
    expect(preview.status).toBe(502);
    expect(preview.body.message).toMatch(/larger than 10 MiB; the read was stopped/);
    expect(fake.huge.sent).toBeLessThan(100 * MiB); // the connector hung up: the fake never got to send its 300 MB
    expect(grown).toBeLessThan(40 * MiB);
  });

  it('a 50 MB employee answer (1 MiB cap): a clear error, the read stopped at once', async () => {
    const uuid = '00000000-0000-4000-8000-000000000001'; // the fake answers this path whatever it names
    fake.huge.pattern = new RegExp(`/v1/employees/${uuid}`);
    fake.huge.bytes = 50 * MiB;
    fake.huge.sent = 0;
    const { GUSTO } = await import('../../../src/application/ports/gusto.port');
    const api = world.service.app.get(GUSTO) as { getEmployee(connectionId: string, uuid: string): Promise<unknown> };
    const error = (await api.getEmployee(world.connectionId, uuid).catch((e: unknown) => e)) as {
      kind?: string;
      message?: string;
    };
    expect(error.kind).toBe('too_large');
    expect(error.message).toMatch(/larger than 1 MiB/);
    expect(fake.huge.sent).toBeLessThan(20 * MiB);
  });
});
