import type { AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { call, entity, fixtureJson, sampleJournal, started } from './support';

let sb: AcumaticaSandbox;
let tok: string;
afterEach(() => sb.close());
const get = (path = '/Account?$top=1') => call(sb, 'GET', entity(path), { token: tok });
const putJournal = (body = sampleJournal()) => call(sb, 'PUT', entity('/JournalTransaction'), { token: tok, body });
const OPAQUE = fixtureJson<{ body: string }>('error-429.response.json').body;

describe('injected faults (failNext)', () => {
  beforeEach(async () => {
    ({ sb, tok } = await started());
  });
  it('429: next N matching requests, opaque text body, no Retry-After unless asked', async () => {
    sb.knobs.failNext('GET', '/Account', 2, 429);
    const a = await get();
    expect(a.status).toBe(429);
    expect(a.text).toBe(OPAQUE);
    expect(a.headers.get('retry-after')).toBeNull();
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(200);
    sb.knobs.failNext('GET', '/Account', 1, 429, 7);
    expect((await get()).headers.get('retry-after')).toBe('7');
    sb.knobs.retryAfterHeader = true;
    sb.knobs.retryAfterSec = 3;
    sb.knobs.failNext('GET', '/Account', 1, 429);
    expect((await get()).headers.get('retry-after')).toBe('3');
    expect(sb.stats.throttled429).toBe(4);
  });
  it('only the method and path that match: globs and RegExps', async () => {
    sb.knobs.failNext('PUT', '*/JournalTransaction', 1, 500);
    sb.knobs.failNext('GET', /\/Employee$/, 1, 429);
    expect((await get()).status).toBe(200);
    const r = await putJournal();
    expect(r.status).toBe(500);
    expect(r.json.message).toBe('An error has occurred.');
    expect(sb.records.journals()).toHaveLength(0);
    expect((await get('/Employee')).status).toBe(429);
    expect((await putJournal()).status).toBe(200);
  });
  it('timeout: the socket is held, then destroyed without an answer; recorded with status 0', async () => {
    sb.knobs.timeoutHoldMs = 50;
    sb.knobs.failNext('GET', '/Account', 1, 'timeout');
    await expect(get()).rejects.toThrow();
    expect(sb.requests.at(-1)).toMatchObject({ status: 0, fault: 'timeout', auth: 'bearer' });
  });
  it('commit_then_drop: the journal IS stored, the answer never comes', async () => {
    sb.knobs.failNext('PUT', '/JournalTransaction', 1, 'commit_then_drop');
    await expect(putJournal(sampleJournal('gusto:dropped'))).rejects.toThrow();
    expect(sb.records.journalsTagged('gusto:dropped')).toHaveLength(1);
    expect(sb.requests.at(-1)).toMatchObject({ status: 0, fault: 'commit_then_drop' });
    sb.knobs.clearFaults();
  });
  it('faults also apply to the token endpoint', async () => {
    sb.knobs.failNext('POST', '/identity/connect/token', 1, 500);
    const r = await call(sb, 'POST', '/identity/connect/token', {
      body: 'grant_type=password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(500);
  });
  it('every request is recorded: method, path, query, status, auth kind, sandbox time', async () => {
    await sb.close();
    ({ sb, tok } = await started({ clock: { now: () => new Date('2025-02-03T14:00:00.000Z') } }));
    sb.clock.advance(5000);
    await get('/JournalTransaction?$top=2');
    await call(sb, 'GET', entity('/Account'));
    expect(sb.requests).toEqual([
      {
        method: 'POST',
        path: '/identity/connect/token',
        query: {},
        status: 200,
        auth: 'none',
        time: '2025-02-03T14:00:00.000Z',
      },
      {
        method: 'GET',
        path: '/entity/Default/24.200.001/JournalTransaction',
        query: { $top: '2' },
        status: 200,
        auth: 'bearer',
        time: '2025-02-03T14:00:05.000Z',
      },
      {
        method: 'GET',
        path: '/entity/Default/24.200.001/Account',
        query: {},
        status: 401,
        auth: 'none',
        time: '2025-02-03T14:00:05.000Z',
      },
    ]);
  });
  it('latencyMs delays every answer', async () => {
    sb.knobs.latencyMs = 120;
    const t0 = Date.now();
    await get();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });
});

describe('licence limits', () => {
  it('reject mode: requests per minute over the limit → 429 until the minute passes', async () => {
    ({ sb, tok } = await started({ licence: { requestsPerMinute: 3 } }));
    sb.knobs.licence.mode = 'reject';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(sb.requests.at(-1)!.fault).toBe('throttled');
    sb.clock.advance(60_000);
    expect((await get()).status).toBe(200);
  });
  it('queue mode (documented): past 50% of the per-minute limit requests are delayed, not refused', async () => {
    ({ sb, tok } = await started({ licence: { requestsPerMinute: 4 } }));
    sb.knobs.licence.delayScale = 0.001;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sb.stats.delayed).toBe(4);
  });
  it('reject mode: concurrent requests over maxConcurrent → 429', async () => {
    ({ sb, tok } = await started({ licence: { maxConcurrent: 2 } }));
    sb.knobs.licence.mode = 'reject';
    sb.knobs.latencyMs = 150;
    const statuses = (await Promise.all([get(), get(), get(), get()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
  it('queue mode: extra concurrent requests wait for a core; more than maxQueue waiting → 429', async () => {
    ({ sb, tok } = await started({ licence: { maxConcurrent: 1 } }));
    sb.knobs.latencyMs = 60;
    expect((await Promise.all([get(), get(), get()])).map((r) => r.status)).toEqual([200, 200, 200]);
    sb.knobs.licence.maxQueue = 1;
    const statuses = (await Promise.all([get(), get(), get(), get()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
