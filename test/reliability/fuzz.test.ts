/**
 * Webhook fuzz against a spawned service: mutated bodies, signatures, headers, sizes, methods and framing.
 * The base of every mutation is a real `payroll.processed` event for a real, unposted payroll of a
 * connected company, so a request that slipped through would show up as a posting.
 * Every invalid request → 4xx (401 bad/missing signature, 400 signed but malformed, 413 over 1 MiB,
 * 404/405 wrong method); 0 postings, 0 journals, 0 Gusto reads of that payroll; the process stays alive;
 * RSS growth bounded. A control at the end (the authentic event) must be accepted and posted.
 * Full: 10,000 requests. RELIABILITY_SCALE=small: 1,000.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import {
  WEBHOOK_TOKEN,
  api,
  connectCompany,
  findSecrets,
  removeDir,
  seenResponses,
  startSandboxes,
  tempDir,
  waitUntil,
  type Company,
  type Sandboxes,
} from '../../bench/support/harness';
import {
  secretsOfRun,
  postingOf,
  recordingProxy,
  RestartableService,
  rssMbOf,
  SCALE,
  seeded,
  type RecordingProxy,
} from './support';

interface Shot {
  kind: string;
  method: string;
  body: Buffer;
  headers: Record<string, string | string[]>;
  chunked?: boolean;
  /** Expected status class: an exact status or '4xx'. */
  expect: number | '4xx';
}

const sign = (body: Buffer | string, key = WEBHOOK_TOKEN): string =>
  createHmac('sha256', key).update(body).digest('hex');

function send(url: string, shot: Shot): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(`${url}/webhooks/gusto`);
    const headers: Record<string, string | string[] | number> = { ...shot.headers };
    if (!shot.chunked) headers['content-length'] = shot.body.length;
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: shot.method, headers, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? -1));
      },
    );
    req.on('timeout', () => req.destroy());
    // A server may answer 413 and close before reading everything: that is an answer, not a failure.
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', () => {
      if (!answered) resolve(-1);
    });
    if (shot.chunked) {
      for (let i = 0; i < shot.body.length; i += 4096) req.write(shot.body.subarray(i, i + 4096));
      req.end();
    } else req.end(shot.body);
  });
}

describe(`fuzz: ${SCALE.fuzz} mutated webhook requests`, () => {
  let sb: Sandboxes;
  let proxy: RecordingProxy;
  let service: RestartableService;
  let dataDir: string;
  let company: Company;
  let payrollUuid: string;
  let baseEvent: Record<string, unknown>;

  beforeAll(async () => {
    sb = await startSandboxes({ gusto: { seed: 53 } });
    proxy = await recordingProxy(sb.gusto.url);
    dataDir = tempDir('mlc-fuzz-');
    // LOG_LEVEL stays info: spawnService waits for the "listening" line. A capped old space makes the
    // collector keep the heap tight (RSS then tracks what is retained), and a leak would end the process.
    service = await RestartableService.create(dataDir, proxy.url, { NODE_OPTIONS: '--max-old-space-size=160' });
    company = await connectCompany(service, sb, 'Fuzz Co');
    const payroll = sb.gusto.scenario.runPayroll(company.companyUuid, { employees: 2, webhook: false });
    payrollUuid = payroll.uuid;
    baseEvent = {
      uuid: '7b7a6f7c-0d52-4c5e-9a1e-1f4b7f1a2c3d',
      event_type: 'payroll.processed',
      resource_type: 'Company',
      resource_uuid: company.companyUuid,
      entity_type: 'Payroll',
      entity_uuid: payrollUuid,
      timestamp: Math.floor(Date.now() / 1000),
    };
  }, 120_000);

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await proxy?.close();
    await sb?.close();
    if (dataDir) removeDir(dataDir);
  });

  it(
    'every invalid request is a 4xx, none becomes a posting, the process stays up with flat memory',
    async () => {
      const rnd = seeded(7);
      const base = Buffer.from(JSON.stringify(baseEvent));
      const goodSig = sign(base);
      const json = { 'content-type': 'application/json' };
      const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rnd.int(0, 255)));
      const flip = (buf: Buffer): Buffer => {
        const out = Buffer.from(buf);
        const i = rnd.int(0, out.length - 1);
        out[i] = out[i]! ^ (1 << rnd.int(0, 7)) || 0x20;
        return out;
      };
      const flipHex = (sig: string): string => {
        const i = rnd.int(0, sig.length - 1);
        const c = sig[i] === '0' ? '1' : '0';
        return sig.slice(0, i) + c + sig.slice(i + 1);
      };
      const malformedBodies = (): Buffer => {
        const e = { ...baseEvent };
        switch (rnd.int(0, 16)) {
          case 0:
            return Buffer.alloc(0);
          case 1:
            return Buffer.from('not json at all');
          case 2:
            return Buffer.from(JSON.stringify([baseEvent]));
          case 3:
            return Buffer.from(JSON.stringify('payroll.processed'));
          case 4:
            return Buffer.from(JSON.stringify({ ...e, uuid: undefined }));
          case 5:
            return Buffer.from(JSON.stringify({ ...e, entity_uuid: '' }));
          case 6:
            return Buffer.from(JSON.stringify({ ...e, resource_uuid: 42 }));
          case 7:
            return Buffer.from(JSON.stringify({ ...e, uuid: '../../etc/passwd' }));
          case 8:
            return Buffer.from(JSON.stringify({ ...e, timestamp: 'yesterday' }));
          case 9:
            return base.subarray(0, rnd.int(1, base.length - 2));
          case 10:
            return Buffer.from(`${'['.repeat(5_000)}${']'.repeat(5_000)}`);
          case 11:
            return Buffer.concat([
              Buffer.from(JSON.stringify({ ...e, memo: 'x' })).subarray(0, -3),
              Buffer.from([0xc3, 0x28, 0x22, 0x7d]),
            ]); // invalid UTF-8
          case 12:
            return Buffer.from(JSON.stringify({ ...e, event_type: 12345 }));
          case 13:
            return Buffer.from(JSON.stringify({ ...e, entity_type: { nested: true } }));
          case 14:
            return Buffer.from(JSON.stringify({ ...e, timestamp: 1e20 }));
          case 15:
            return Buffer.from(JSON.stringify({ ...e, entity_uuid: '../../v1/companies' }));
          default:
            return Buffer.from(JSON.stringify({ ...e, event_type: null }));
        }
      };

      const shot = (): Shot => {
        const r = rnd.int(0, 99);
        if (r < 12) return { kind: 'no signature', method: 'POST', body: base, headers: json, expect: 401 };
        if (r < 24)
          return {
            kind: 'flipped signature',
            method: 'POST',
            body: base,
            headers: { ...json, 'x-gusto-signature': flipHex(goodSig) },
            expect: 401,
          };
        if (r < 32)
          return {
            kind: 'wrong key',
            method: 'POST',
            body: base,
            headers: { ...json, 'x-gusto-signature': sign(base, `k${rnd.int(0, 1e9)}`) },
            expect: 401,
          };
        if (r < 38) {
          const junk = rnd.pick([
            '',
            ' ',
            'sha256=',
            goodSig.slice(0, 32),
            `${goodSig}00`,
            Buffer.from(goodSig, 'hex').toString('base64'),
            'z'.repeat(64),
            'A'.repeat(8_000),
            '\u00ff\u00fe',
          ]);
          return {
            kind: 'junk signature',
            method: 'POST',
            body: base,
            headers: { ...json, 'x-gusto-signature': junk },
            expect: 401,
          };
        }
        if (r < 50)
          return {
            kind: 'body mutated, old signature',
            method: 'POST',
            body: flip(base),
            headers: { ...json, 'x-gusto-signature': goodSig },
            expect: 401,
          };
        if (r < 56) {
          const body = Buffer.concat([base, Buffer.from(rnd.pick([' ', '\n', '{}', ',"x":1', '\u0000']))]);
          return {
            kind: 'appended bytes, old signature',
            method: 'POST',
            body,
            headers: { ...json, 'x-gusto-signature': goodSig },
            expect: 401,
          };
        }
        if (r < 70) {
          const body = malformedBodies();
          return {
            kind: 'signed but malformed',
            method: 'POST',
            body,
            headers: { ...json, 'x-gusto-signature': sign(body) },
            expect: 400,
          };
        }
        if (r < 76) {
          const body = randomBytes(rnd.int(1, 2_048));
          const ct = rnd.pick([
            'application/octet-stream',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json',
          ]);
          const signed = rnd.next() < 0.5;
          return {
            kind: 'random bytes',
            method: 'POST',
            body,
            headers: { 'content-type': ct, ...(signed ? { 'x-gusto-signature': sign(body) } : {}) },
            expect: signed ? 400 : 401,
          };
        }
        if (r < 80)
          return {
            kind: 'duplicate signature headers',
            method: 'POST',
            body: base,
            headers: { ...json, 'x-gusto-signature': [flipHex(goodSig), flipHex(goodSig)] },
            expect: 401,
          };
        if (r < 84)
          return {
            kind: 'chunked, forged',
            method: 'POST',
            body: flip(base),
            headers: { ...json, 'x-gusto-signature': goodSig, 'transfer-encoding': 'chunked' },
            chunked: true,
            expect: 401,
          };
        if (r < 86) {
          // Over 1 MiB, signed or not, with a length or chunked: 413.
          const body = Buffer.concat([
            Buffer.from('{"pad":"'),
            Buffer.alloc(1024 * 1024 + rnd.int(1, 4096), 0x61),
            Buffer.from('"}'),
          ]);
          const chunked = rnd.next() < 0.5;
          return {
            kind: 'oversized',
            method: 'POST',
            body,
            headers: {
              ...json,
              'x-gusto-signature': sign(body),
              ...(chunked ? { 'transfer-encoding': 'chunked' } : {}),
            },
            chunked,
            expect: 413,
          };
        }
        if (r < 90)
          return {
            kind: 'wrong method',
            method: rnd.pick(['GET', 'PUT', 'DELETE', 'PATCH']),
            body: rnd.next() < 0.5 ? Buffer.alloc(0) : base,
            headers: { ...json, 'x-gusto-signature': goodSig },
            expect: '4xx',
          };
        if (r < 95) {
          const body = Buffer.from(
            JSON.stringify({ ...baseEvent, uuid: `${baseEvent.uuid as string}-${rnd.int(0, 1e6)}` }),
          );
          return {
            kind: 'replayed event, forged signature',
            method: 'POST',
            body,
            headers: { ...json, 'x-gusto-signature': goodSig },
            expect: 401,
          };
        }
        const header = rnd.pick([
          'x-gusto-signature-x',
          'x_gusto_signature',
          'gusto-signature',
          'x-gusto-sig',
          'signature',
        ]);
        return {
          kind: 'misspelt signature header',
          method: 'POST',
          body: base,
          headers: { ...json, [header]: goodSig },
          expect: 401,
        };
      };

      const shots: Shot[] = Array.from({ length: Number(process.env.RELIABILITY_FUZZ ?? SCALE.fuzz) }, shot);
      const wrong: Record<string, { count: number; example: string }> = {};
      const byKind: Record<string, number> = {};
      const rss: number[] = [];
      const slow: string[] = [];
      let sent = 0;
      const concurrency = 16;
      const warmup = Math.min(500, Math.floor(SCALE.fuzz / 10));
      let baseline: number | null = null;
      const worker = async (): Promise<void> => {
        for (;;) {
          const i = sent++;
          if (i >= shots.length) return;
          const s = shots[i]!;
          byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
          const t0 = Date.now();
          const status = await send(service.url, s);
          if (Date.now() - t0 > 5_000) slow.push(`${s.kind} ${s.method} ${Date.now() - t0} ms → ${status}`);
          if (process.env.RELIABILITY_DEBUG && i % 100 === 0) process.stderr.write(`fuzz ${i}\n`);
          const ok = s.expect === '4xx' ? status >= 400 && status < 500 : status === s.expect;
          if (!ok) {
            const key = `${s.kind}: expected ${s.expect}, got ${status}`;
            wrong[key] = { count: (wrong[key]?.count ?? 0) + 1, example: s.body.subarray(0, 120).toString('utf8') };
          }
          if (i === warmup) baseline = rssMbOf(service.pid());
          if (i % 1_000 === 0) rss.push(rssMbOf(service.pid()) ?? -1);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const final = rssMbOf(service.pid());
      process.stderr.write(
        `fuzz: ${shots.length} requests ${JSON.stringify(byKind)}; RSS MB baseline ${baseline} samples ${rss.join(',')} final ${final}\n`,
      );

      expect(wrong).toEqual({});
      expect(slow).toEqual([]);
      expect(service.alive()).toBe(true);
      expect((await api(service, 'GET', '/health', undefined, {})).status).toBe(200);
      // Nothing got through: no posting, no journal, nobody read the payroll from Gusto.
      const postings = await api<{ items: unknown[] }>(service, 'GET', '/api/postings');
      expect(postings.body.items).toEqual([]);
      expect(sb.acumatica.records.journalsTagged(`gusto:${payrollUuid}`)).toEqual([]);
      expect(sb.gusto.requests.filter((r) => r.path.includes(payrollUuid))).toEqual([]);
      // Memory flat: growth after the warm-up bounded (the process handled ~1 % oversized bodies too).
      expect(baseline).not.toBeNull();
      expect(final! - baseline!).toBeLessThan(48);
    },
    20 * 60_000,
  );

  it('control: the authentic event is still accepted and posted once', async () => {
    const body = Buffer.from(JSON.stringify(baseEvent));
    const status = await send(service.url, {
      kind: 'control',
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-gusto-signature': sign(body) },
      expect: 200,
    });
    expect(status).toBe(200);
    const posted = await waitUntil(
      async () => (await postingOf(service, company.connectionId, payrollUuid))?.status === 'posted',
      30_000,
      100,
    );
    expect(posted).toBe(true);
    expect(sb.acumatica.records.journalsTagged(`gusto:${payrollUuid}`)).toHaveLength(1);
  }, 60_000);

  it('no secret in any log line or admin API answer of the run', () => {
    const secrets = secretsOfRun(proxy);
    expect(proxy.tokens.size).toBeGreaterThan(0);
    expect(findSecrets([...service.lines(), ...seenResponses], secrets)).toEqual([]);
  });
});
