import { ACUMATICA, AcumaticaApiError, type AcumaticaApi } from '../../../src/application/ports/acumatica.port';
import { createConnection, startWorld, type World } from './harness';
import { goodMapping, tinyJournal } from './fixtures';

const today = (world: World) => world.clock.now().toISOString().slice(0, 10);

describe('Acumatica: mapping validation, endpoint versions, journals, cookie sessions, back-off (Acumatica sandbox)', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('PUT mapping: 200 with version bumps when good; 422 listing every missing or inactive reference; 400 naming bad keys', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const ok = await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping());
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id, version: 1 });
    expect((await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping())).body.version).toBe(2);
    expect((await world.api('GET', `/api/connections/${id}`)).body.mapping).toMatchObject({
      version: 2,
      document: goodMapping(),
    });

    const bad: ReturnType<typeof goodMapping> & { subaccountsByDepartment: Record<string, string> } = goodMapping();
    bad.accounts.earnings = { account: '99999', subaccount: '000000' };
    bad.accounts.benefitExpense = { account: '69000' }; // seeded inactive
    bad.subaccountsByDepartment = { Engineering: '100000', Sales: 'ZZZ999' };
    world.acumatica.setSubaccountActive('200000', false);
    bad.subaccountsByDepartment.Operations = '200000';
    const refused = await world.api('PUT', `/api/connections/${id}/mapping`, bad);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('mapping_accounts_invalid');
    expect(refused.body.details).toEqual([
      'accounts.benefitExpense.account: account 69000 is inactive in Acumatica',
      'accounts.earnings.account: account 99999 does not exist in Acumatica',
      'subaccountsByDepartment.Operations: subaccount 200000 is inactive in Acumatica',
      'subaccountsByDepartment.Sales: subaccount ZZZ999 does not exist in Acumatica',
    ]);
    expect((await world.api('GET', `/api/connections/${id}`)).body.mapping.version).toBe(2);

    // An account deactivated after the chart was cached is seen through the LastModifiedDateTime poll.
    world.acumatica.deactivateAccount('60010');
    const stale = await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping());
    expect(stale.status).toBe(422);
    expect(stale.body.details).toEqual(['accounts.earnings:Overtime.account: account 60010 is inactive in Acumatica']);
    const accountReads = world.acumatica.requests.filter((r) => r.path.endsWith('/Account'));
    expect(accountReads.at(-1)!.query.$filter).toMatch(/^LastModifiedDateTime gt datetimeoffset'/);

    const malformed = await world.api('PUT', `/api/connections/${id}/mapping`, {
      journal: { detail: 'weekly' },
      accounts: { wages: { account: '' } },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_mapping');
    expect(malformed.body.details.join('\n')).toMatch(/journal\.detail/);
    expect(malformed.body.details.join('\n')).toMatch(/accounts\.wages/);
    expect((await world.api('PUT', '/api/connections/nope/mapping', goodMapping())).status).toBe(404);
  });

  it('a wrong endpoint version is stored, then ping names it and lists the versions offered', async () => {
    world = await startWorld();
    const id = await createConnection(world, { endpointVersion: '26.200.001' });
    const ping = await world.api('POST', `/api/connections/${id}/ping`);
    expect(ping.status).toBe(200);
    expect(ping.body.acumatica).toEqual({
      ok: false,
      endpointVersion: '26.200.001',
      availableVersions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001'],
      error:
        'endpoint version 26.200.001 is not available; this instance offers Default/20.200.001, Default/22.200.001, Default/23.200.001, Default/24.200.001, Default/25.200.001',
    });
    expect(ping.body.gusto).toMatchObject({ ok: false, companyUuid: null });
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    const error = (await api.findJournalByTag(id, 'gusto:x').catch((e) => e)) as AcumaticaApiError;
    expect(error).toBeInstanceOf(AcumaticaApiError);
    expect(error.kind).toBe('endpoint_version_not_available');
    expect(error.availableVersions).toContain('25.200.001');

    const good = await createConnection(world);
    expect((await world.api('POST', `/api/connections/${good}/ping`)).body.acumatica).toMatchObject({
      ok: true,
      endpointVersion: '24.200.001',
    });
  });

  it('a posting costs exactly 2 calls with a warm token (3 + polls with release) and amounts arrive exact', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    await api.listAccounts(id); // warm the token
    const before = world.acumatica.requests.length;
    const journal = tinyJournal(
      'p-1',
      [
        ['60000', '0.10', 'debit'],
        ['60010', '0.20', 'debit'],
        ['62000', '90071992547409.93', 'debit'],
        ['10100', '0.30', 'credit'],
        ['21000', '90071992547409.93', 'credit'],
      ],
      today(world),
    );
    expect(await api.findJournalByTag(id, journal.tag)).toBeNull();
    const created = await api.createJournal(id, journal);
    expect(
      world.acumatica.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/^.*\/24\.200\.001/, '')}`),
    ).toEqual(['GET /JournalTransaction', 'PUT /JournalTransaction']);
    expect(created).toMatchObject({ module: 'GL', status: 'Balanced' });
    const [stored] = world.acumatica.records.journalsTagged('gusto:p-1') as Array<{
      Details: Array<{ DebitAmount: string; CreditAmount: string }>;
      Hold: boolean;
      BranchID: string;
      LedgerID: string;
    }>;
    expect(stored.Details.map((d) => [d.DebitAmount, d.CreditAmount])).toEqual([
      ['0.10', '0.00'],
      ['0.20', '0.00'],
      ['90071992547409.93', '0.00'],
      ['0.00', '0.30'],
      ['0.00', '90071992547409.93'],
    ]);
    expect([stored.Hold, stored.BranchID, stored.LedgerID]).toEqual([false, 'HEADOFFICE', 'ACTUAL']);
    expect(await api.findJournalByTag(id, journal.tag)).toMatchObject({ batchNbr: created.batchNbr });

    // The release runs alone in the session; a lookup issued meanwhile waits instead of being refused.
    world.acumatica.knobs.releasePolls = 3;
    const duringRelease = world.acumatica.requests.length;
    const [released, lookup] = await Promise.all([
      api.releaseJournal(id, created.batchNbr),
      api.findJournalByTag(id, journal.tag),
    ]);
    expect(released.status).toBe('Posted');
    expect(lookup).toMatchObject({ batchNbr: created.batchNbr });
    const calls = world.acumatica.requests.slice(duringRelease);
    expect(calls.every((r) => r.status < 300)).toBe(true);
    expect(calls.filter((r) => r.status === 202).length).toBeGreaterThanOrEqual(2); // started, then polled while running
    expect(calls.at(-1)!.query.$filter).toContain("substringof('[gusto:p-1]',Description)"); // the lookup waited for the release

    // A create whose answer is lost is not resent by the client: the caller looks it up instead.
    world.acumatica.knobs.failNext('PUT', /JournalTransaction$/, 1, 'commit_then_drop');
    const lost = tinyJournal(
      'p-3',
      [
        ['60000', '2.00', 'debit'],
        ['10100', '2.00', 'credit'],
      ],
      today(world),
    );
    await expect(api.createJournal(id, lost)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    expect(world.acumatica.records.journalsTagged('gusto:p-3')).toHaveLength(1);
    expect(await api.findJournalByTag(id, lost.tag)).not.toBeNull();

    const unbalanced = tinyJournal(
      'p-2',
      [
        ['60000', '1.00', 'debit'],
        ['10100', '0.99', 'credit'],
      ],
      today(world),
    );
    const error = (await api.createJournal(id, unbalanced).catch((e) => e)) as AcumaticaApiError;
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(/out of balance/);
  });

  it('cookie auth end to end: one login reused, mapping and ping work, the session is logged out on shutdown', async () => {
    world = await startWorld();
    const id = await createConnection(world, {
      auth: { kind: 'cookie', username: 'api.gusto', password: 'Sandbox-Passw0rd!' },
    });
    expect((await world.api('GET', `/api/connections/${id}`)).body.acumatica.auth).toEqual({
      kind: 'cookie',
      username: 'api.gusto',
    });
    expect((await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping())).status).toBe(200);
    expect((await world.api('POST', `/api/connections/${id}/ping`)).body.acumatica.ok).toBe(true);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    await api.createJournal(
      id,
      tinyJournal(
        'c-1',
        [
          ['60000', '5.00', 'debit'],
          ['10100', '5.00', 'credit'],
        ],
        today(world),
      ),
    );
    expect(world.acumatica.stats.logins).toBe(1);
    expect(
      world.acumatica.requests.filter((r) => r.path.includes('/entity/Default/')).every((r) => r.auth === 'cookie'),
    ).toBe(true);
    expect(world.acumatica.liveSessions()).toBe(1);
    await world.service.app.close();
    expect(world.acumatica.stats.logouts).toBe(1);
    expect(world.acumatica.liveSessions()).toBe(0);
  });

  it('cookie auth with a wrong password: ping says so in Acumatica words', async () => {
    world = await startWorld();
    const wrong = await createConnection(world, { auth: { kind: 'cookie', username: 'api.gusto', password: 'nope' } });
    const ping = await world.api('POST', `/api/connections/${wrong}/ping`);
    expect(ping.body.acumatica.ok).toBe(false);
    expect(ping.body.acumatica.error).toMatch(/Invalid credentials/);
  });

  it('re-authenticates once on 401, backs off through 429s (honouring Retry-After) and 5xx, then gives up retryably', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    const api = world.service.app.get<AcumaticaApi>(ACUMATICA);
    await api.listAccounts(id);
    world.clock.advance(2 * 3600_000); // the sandbox now considers our token expired; we do not know yet
    expect((await api.listAccounts(id)).length).toBeGreaterThan(10);
    expect(world.acumatica.stats.refreshes).toBe(1);

    world.acumatica.knobs.failNext('GET', /\/Account$/, 2, 429);
    world.acumatica.knobs.failNext('GET', /\/Subaccount$/, 1, 429, 1);
    world.acumatica.knobs.failNext('GET', /\/Subaccount$/, 1, 500);
    const started = Date.now();
    expect((await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // waited out Retry-After: 1
    const statuses = world.acumatica.requests
      .filter((r) => /\/(Account|Subaccount)$/.test(r.path))
      .slice(-6)
      .map((r) => r.status);
    expect(statuses).toEqual([429, 429, 200, 429, 500, 200]);

    world.acumatica.knobs.failNext('GET', /\/Account$/, 20, 429);
    const error = (await api.listAccounts(id).catch((e) => e)) as AcumaticaApiError;
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429 });
    world.acumatica.knobs.clearFaults();
  });

  it('with the Subaccounts feature off, a mapping naming subaccounts is refused naming each', async () => {
    world = await startWorld();
    const id = await createConnection(world);
    world.acumatica.knobs.subaccountsFeature = false;
    const res = await world.api('PUT', `/api/connections/${id}/mapping`, goodMapping());
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([
      'accounts.earnings.subaccount: subaccount 000000 cannot be used: the Subaccounts feature is off in Acumatica',
      'subaccountsByDepartment.Engineering: subaccount 100000 cannot be used: the Subaccounts feature is off in Acumatica',
    ]);
    const mapping = goodMapping();
    const plain = {
      ...mapping,
      accounts: { ...mapping.accounts, earnings: { account: '60000' } },
      subaccountsByDepartment: {},
    };
    expect((await world.api('PUT', `/api/connections/${id}/mapping`, plain)).status).toBe(200);
  });
});
