/**
 * What the console reads beside the v1 API (issue 16), over real HTTP against the Gusto and Acumatica
 * sandboxes and the real SQLite store: the tenant's chart of accounts and subaccounts, the company's
 * recent Gusto payrolls with their postings, and the endpoint versions an Acumatica instance offers.
 */
import { ACUMATICA_CLIENT_ID, ACUMATICA_CLIENT_SECRET, createConnection } from '../../integration/connections/harness';
import { postingWithStatus, postingWorld, type PostingWorld } from '../postings/support';
import { newKey, signIn } from './support';

describe('console reads: chart of accounts, recent payrolls, endpoint versions', () => {
  let world: PostingWorld;
  let A: string;

  beforeAll(async () => {
    world = await postingWorld();
    A = world.connectionId;
  });
  afterAll(async () => world?.close());

  describe('GET /api/connections/:id/acumatica/accounts and …/subaccounts', () => {
    it("answer the tenant's chart by code with each row's active flag; ?active=true leaves the inactive out", async () => {
      const all = await world.api('GET', `/api/connections/${A}/acumatica/accounts`);
      expect(all.status).toBe(200);
      const codes = all.body.accounts.map((a: any) => a.accountCd);
      expect(codes).toEqual([...codes].sort());
      expect(all.body.accounts).toContainEqual({
        accountCd: '60000',
        description: expect.any(String),
        type: 'Expense',
        active: true,
      });
      expect(all.body.accounts.find((a: any) => a.accountCd === '69000')).toMatchObject({ active: false });
      const active = await world.api('GET', `/api/connections/${A}/acumatica/accounts?active=true`);
      expect(active.body.accounts.map((a: any) => a.accountCd)).not.toContain('69000');
      expect(active.body.accounts.length).toBe(
        all.body.accounts.length - all.body.accounts.filter((a: any) => !a.active).length,
      );

      const subs = await world.api('GET', `/api/connections/${A}/acumatica/subaccounts`);
      expect(subs.status).toBe(200);
      expect(subs.body.enabled).toBe(true);
      expect(subs.body.subaccounts).toContainEqual({
        subaccountCd: '000000',
        description: expect.any(String),
        active: true,
      });
      expect(subs.body.subaccounts.find((s: any) => s.subaccountCd === '900000')).toMatchObject({ active: false });
      const activeSubs = await world.api('GET', `/api/connections/${A}/acumatica/subaccounts?active=true`);
      expect(activeSubs.body.subaccounts.map((s: any) => s.subaccountCd)).not.toContain('900000');
      expect((await world.api('GET', `/api/connections/${A}/acumatica/accounts?active=yes`)).status).toBe(400);
    });

    it('an account deactivated in Acumatica a moment ago shows inactive at the next read', async () => {
      world.acumatica.deactivateAccount('64000');
      const after = await world.api('GET', `/api/connections/${A}/acumatica/accounts`);
      expect(after.body.accounts.find((a: any) => a.accountCd === '64000')).toMatchObject({ active: false });
      world.acumatica.activateAccount('64000');
      const back = await world.api('GET', `/api/connections/${A}/acumatica/accounts`);
      expect(back.body.accounts.find((a: any) => a.accountCd === '64000')).toMatchObject({ active: true });
    });

    it("Acumatica's refusals are named as ping names them: credentials, endpoint version; unknown connection → 404", async () => {
      const wrongPassword = await createConnection(
        world,
        {
          auth: {
            kind: 'oauth2',
            clientId: ACUMATICA_CLIENT_ID,
            clientSecret: ACUMATICA_CLIENT_SECRET,
            username: 'api.gusto',
            password: 'Not-The-Passw0rd!',
          },
        },
        'Wrong password Ltd',
      );
      const refused = await world.api('GET', `/api/connections/${wrongPassword}/acumatica/accounts`);
      expect(refused.status).toBe(502);
      expect(refused.body.error).toBe('acumatica_authentication_failed');
      expect(refused.body.message).toMatch(/^authentication failed/);
      expect(refused.body.message).not.toContain('Not-The-Passw0rd!');

      const oldVersion = await createConnection(world, { endpointVersion: '26.200.001' }, 'Future version Ltd');
      const version = await world.api('GET', `/api/connections/${oldVersion}/acumatica/subaccounts`);
      expect(version.status).toBe(502);
      expect(version.body.error).toBe('acumatica_endpoint_version_not_available');
      expect(version.body.details.availableVersions).toEqual(expect.arrayContaining(['24.200.001']));

      const missing = await world.api('GET', '/api/connections/no-such-connection/acumatica/accounts');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('connection_not_found');
    });

    it("an auditor reads the chart with the console's cookie; a key for another connection gets 404", async () => {
      const auditor = await signIn(world.service.url, (await newKey(world, 'A auditor', 'auditor', [A])).secret);
      expect((await auditor.call('GET', `/api/connections/${A}/acumatica/accounts`)).status).toBe(200);
      const other = await signIn(
        world.service.url,
        (await newKey(world, 'other auditor', 'auditor', ['someone-else'])).secret,
      );
      expect((await other.call('GET', `/api/connections/${A}/acumatica/accounts`)).status).toBe(404);
      expect((await other.call('GET', `/api/connections/${A}/gusto/payrolls`)).status).toBe(404);
    });
  });

  describe('GET /api/connections/:id/gusto/payrolls', () => {
    it("lists the company's payrolls newest first, each with its posting (null when never posted)", async () => {
      const posted = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 });
      await postingWithStatus(world, posted.uuid, 'posted');
      const quiet = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 1, webhook: false } as never);
      const res = await world.api('GET', `/api/connections/${A}/gusto/payrolls`);
      expect(res.status).toBe(200);
      const byUuid = new Map(res.body.payrolls.map((p: any) => [p.payrollUuid, p]));
      expect(byUuid.get(posted.uuid)).toEqual({
        payrollUuid: posted.uuid,
        checkDate: posted.check_date,
        payPeriod: { startDate: expect.any(String), endDate: expect.any(String) },
        processed: true,
        offCycle: false,
        posting: { id: `${A}:${posted.uuid}`, status: 'posted' },
      });
      expect(byUuid.get(quiet.uuid)).toMatchObject({ processed: true, posting: null });
      const dates = res.body.payrolls.map((p: any) => p.checkDate);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(world.gusto.nonGetDataRequests()).toEqual([]);
    });

    it('?limit= caps the list (1–100); a connection without Gusto answers 409 gusto_not_connected', async () => {
      const one = await world.api('GET', `/api/connections/${A}/gusto/payrolls?limit=1`);
      expect(one.status).toBe(200);
      expect(one.body.payrolls).toHaveLength(1);
      for (const bad of ['0', '101', 'ten'])
        expect((await world.api('GET', `/api/connections/${A}/gusto/payrolls?limit=${bad}`)).status).toBe(400);
      const unconnected = await createConnection(world, {}, 'Not yet with Gusto');
      const refused = await world.api('GET', `/api/connections/${unconnected}/gusto/payrolls`);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('gusto_not_connected');
    });
  });

  describe('POST /api/acumatica/endpoints', () => {
    it("answers the versions of the instance's Default endpoint", async () => {
      const res = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: world.acumatica.url });
      expect(res.status).toBe(200);
      expect(res.body.versions).toEqual(['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001']);
      const withSlash = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: `${world.acumatica.url}/` });
      expect(withSlash.body.versions).toEqual(res.body.versions);
    });

    it('refuses URLs the connector may not call with 400 naming the rule; unreachable or not Acumatica → 502', async () => {
      const inward = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: 'http://10.1.2.3' });
      expect(inward.status).toBe(400);
      expect(inward.body.error).toBe('acumatica_url_not_allowed');
      expect(inward.body.message).toMatch(/address_not_allowed/);
      expect(inward.body.details).toEqual(['baseUrl: address_not_allowed']);
      const scheme = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: 'file:///etc/passwd' });
      expect(scheme.status).toBe(400);
      expect(scheme.body.details).toEqual(['baseUrl: scheme_not_allowed']);
      expect((await world.api('POST', '/api/acumatica/endpoints', {})).status).toBe(400);
      const closed = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: 'http://127.0.0.1:9' });
      expect(closed.status).toBe(502);
      expect(closed.body.error).toBe('acumatica_unavailable');
      const notAcumatica = await world.api('POST', '/api/acumatica/endpoints', { baseUrl: world.service.url });
      expect(notAcumatica.status).toBe(502);
      expect(notAcumatica.body.message).toMatch(/Acumatica/);
    });

    it('is for admins with every connection: an operator, or an admin key for one connection, gets 403', async () => {
      const operator = await signIn(world.service.url, (await newKey(world, 'all operator', 'operator', '*')).secret);
      expect((await operator.call('POST', '/api/acumatica/endpoints', { baseUrl: world.acumatica.url })).status).toBe(
        403,
      );
      const tenantAdmin = await signIn(world.service.url, (await newKey(world, 'A admin', 'admin', [A])).secret);
      expect(
        (await tenantAdmin.call('POST', '/api/acumatica/endpoints', { baseUrl: world.acumatica.url })).status,
      ).toBe(403);
      const admin = await signIn(world.service.url, (await newKey(world, 'all admin', 'admin', '*')).secret);
      expect((await admin.call('POST', '/api/acumatica/endpoints', { baseUrl: world.acumatica.url })).status).toBe(200);
    });
  });
});
