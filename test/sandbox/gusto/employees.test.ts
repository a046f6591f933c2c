import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { connect, get, tokenCall, call, VERSION } from './helpers';

describe('Gusto sandbox: employees and API versions', () => {
  let sb: GustoSandbox;
  let company: string;
  let token: string;
  beforeEach(async () => {
    sb = await startGustoSandbox({ seed: 31 });
    company = sb.scenario.createCompany({ name: 'Acme' }).uuid;
    token = (await connect(sb)).access_token;
  });
  afterEach(() => sb.close());
  const employees = (q = '') => get(sb, `/v1/companies/${company}/employees?${q}`, token);

  it('employee fields: department, job with rate and payment unit, compensations', async () => {
    const e = sb.scenario.createEmployee(company, {
      firstName: 'Avery',
      lastName: 'Chen',
      email: 'avery@example.com',
      department: 'Engineering',
      jobTitle: 'Software Engineer',
      rate: '78000',
      paymentUnit: 'Year',
      hireDate: '2023-08-07',
    });
    const res = await get(sb, `/v1/employees/${e.uuid as string}`, token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      uuid: e.uuid,
      company_uuid: company,
      first_name: 'Avery',
      last_name: 'Chen',
      email: 'avery@example.com',
      department: 'Engineering',
      department_uuid: expect.any(String),
      terminated: false,
      terminations: [],
      jobs: [
        {
          title: 'Software Engineer',
          rate: '78000.00',
          payment_unit: 'Year',
          hire_date: '2023-08-07',
          primary: true,
          compensations: [{ flsa_status: 'Exempt', rate: '78000.00' }],
        },
      ],
    });
    const depts = (await get(sb, `/v1/companies/${company}/departments`, token)).body;
    expect(depts).toEqual([
      expect.objectContaining({ title: 'Engineering', uuid: res.body.department_uuid, employees: [{ uuid: e.uuid }] }),
    ]);
  });

  it('list: bare array, everything without page; paged with headers when asked', async () => {
    for (let i = 0; i < 30; i++) sb.scenario.createEmployee(company, {});
    const all = await employees();
    expect(all.body).toHaveLength(30);
    expect(all.headers.get('x-total-count')).toBeNull();
    const page2 = await employees('page=2&per=20');
    expect(page2.body).toHaveLength(10);
    expect(page2.headers.get('x-total-count')).toBe('30');
    expect(page2.headers.get('x-total-pages')).toBe('2');
    expect((await employees('per=1000')).headers.get('x-per-page')).toBe('100');
  });

  it('termination (future-dated allowed), the terminated filter and its knob, rehire', async () => {
    const a = sb.scenario.createEmployee(company, {}).uuid as string;
    const b = sb.scenario.createEmployee(company, {}).uuid as string;
    const c = sb.scenario.createEmployee(company, {}).uuid as string;
    const today = sb.clock.today();
    const future = new Date(Date.parse(`${today}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    sb.scenario.terminateEmployee(a, { effectiveDate: '2025-12-31' });
    sb.scenario.terminateEmployee(b, { effectiveDate: future });
    const ids = async (q: string) => ((await employees(q)).body as Array<{ uuid: string }>).map((e) => e.uuid).sort();
    expect(await ids('terminated=true')).toEqual([a, b].sort()); // "has been or is scheduled to be"
    expect(await ids('terminated=false')).toEqual([c]);
    expect(await ids('terminated_today=true')).toEqual([a]);
    const scheduled = (await get(sb, `/v1/employees/${b}`, token)).body;
    expect(scheduled.terminations).toEqual([
      expect.objectContaining({
        active: false,
        cancelable: true,
        effective_date: future,
        run_termination_payroll: false,
      }),
    ]);
    sb.knobs.terminatedFlag = 'on_effective';
    expect(await ids('terminated=true')).toEqual([a]);
    sb.clock.advance(11 * 86_400_000);
    token = (await connect(sb)).access_token; // the old access token expired meanwhile
    expect(await ids('terminated=true')).toEqual([a, b].sort());
    expect((await get(sb, `/v1/employees/${b}/terminations`, token)).body).toEqual([
      expect.objectContaining({ active: true, cancelable: false }),
    ]);

    expect((await get(sb, `/v1/employees/${a}/rehire`, token)).status).toBe(204);
    sb.scenario.rehireEmployee(a, { effectiveDate: sb.clock.today() });
    const rehired = (await get(sb, `/v1/employees/${a}`, token)).body;
    expect(rehired).toMatchObject({ terminated: false, terminations: [] });
    expect((await get(sb, `/v1/employees/${a}/rehire`, token)).body).toMatchObject({
      effective_date: sb.clock.today(),
      employee_uuid: a,
    });
    const history = (await get(sb, `/v1/employees/${a}/employment_history`, token)).body;
    expect(history).toHaveLength(2);
    expect(history[0].termination_date).toBe('2025-12-31');
  });

  it('update changes fields and the version', async () => {
    const e = sb.scenario.createEmployee(company, { department: 'Sales' });
    const updated = sb.scenario.updateEmployee(e.uuid as string, {
      department: 'Finance',
      rate: '99000.00',
      lastName: 'New',
    });
    expect(updated).toMatchObject({ department: 'Finance', last_name: 'New' });
    expect(updated.version).not.toBe(e.version);
    expect((await get(sb, `/v1/employees/${e.uuid as string}`, token)).body.jobs[0].rate).toBe('99000.00');
  });

  it('X-Gusto-API-Version: absent → the app default (echoed); bad, unknown, old or future → 406', async () => {
    const absent = await get(sb, '/v1/token_info', token, null);
    expect(absent.status).toBe(200);
    expect(absent.headers.get('x-gusto-api-version')).toBe('2025-11-15');
    for (const bad of ['2023', '2099-01-01', '2024-04-01', '2025-13-45', '2025-06-15']) {
      const res = await get(sb, '/v1/token_info', token, bad);
      expect([bad, res.status]).toEqual([bad, 406]);
      expect(res.body.errors[0].category).toBe('invalid_api_version');
    }
    for (const ok of ['2025-11-15', '2026-02-01', VERSION])
      expect((await get(sb, '/v1/token_info', token, ok)).status).toBe(200);
    sb.clock.set('2026-03-01T00:00:00Z');
    expect((await get(sb, '/v1/token_info', token, VERSION)).status).toBe(406); // not released yet on that date
    const tokenWithBadVersion = await call(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gusto-api-version': 'nope' },
      body: '{}',
    });
    expect(tokenWithBadVersion.status).toBe(406);
    sb.clock.set(new Date());
    expect((await tokenCall(sb, { grant_type: 'system_access' })).status).toBe(200);
  });
});
