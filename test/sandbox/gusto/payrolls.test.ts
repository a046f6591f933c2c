import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { connect, get, keyPaths } from './helpers';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/gusto-sandbox', name), 'utf8'));

describe('Gusto sandbox: payrolls', () => {
  let sb: GustoSandbox;
  let company: string;
  let token: string;
  beforeEach(async () => {
    sb = await startGustoSandbox({ seed: 21 });
    company = sb.scenario.createCompany({ name: 'Lone Star Widgets' }).uuid;
    token = (await connect(sb)).access_token;
  });
  afterEach(() => sb.close());
  const list = (query: string, version?: string | null) =>
    get(sb, `/v1/companies/${company}/payrolls?${query}`, token, version);
  const show = (uuid: string, query = '', version?: string | null) =>
    get(sb, `/v1/companies/${company}/payrolls/${uuid}?${query}`, token, version);

  it('list defaults to processed regular payrolls; off-cycle, external and cancelled only when asked', async () => {
    const today = sb.clock.today();
    const regular = sb.scenario.runPayroll(company, { employees: 3, checkDate: today });
    const bonus = sb.scenario.runPayroll(company, { offCycle: true, offCycleReason: 'Bonus', checkDate: today });
    const external = sb.scenario.runPayroll(company, { external: true, checkDate: today });
    const cancelled = sb.scenario.runPayroll(company, { checkDate: today });
    sb.scenario.cancelPayroll(cancelled.uuid);
    const uuids = async (q: string) => ((await list(q)).body as Array<{ uuid: string }>).map((p) => p.uuid).sort();
    expect(await uuids('')).toEqual([regular.uuid]);
    expect(await uuids('payroll_types=regular,off_cycle')).toEqual([regular.uuid, bonus.uuid].sort());
    expect(await uuids('payroll_types=external')).toEqual([external.uuid]);
    expect(await uuids('processing_statuses=unprocessed')).toEqual([cancelled.uuid]);
    expect(await uuids('processing_statuses=processed,unprocessed&payroll_types=regular')).toEqual(
      [regular.uuid, cancelled.uuid].sort(),
    );
    expect(await uuids('payroll_types=bogus')).toEqual([]); // unknown enums: silently empty, not a 4xx
  });

  it('list items are Payroll-Minimal: totals only with include=totals, never employee_compensations', async () => {
    const p = sb.scenario.runPayroll(company, { employees: 2 });
    const [plain] = (await list('')).body;
    expect(plain.uuid).toBe(p.uuid);
    expect(plain.totals).toBeUndefined();
    expect(plain.employee_compensations).toBeUndefined();
    const [withTotals] = (await list('include=totals,reversals')).body;
    expect(withTotals.totals).toEqual(p.totals);
    expect(withTotals.reversal_payroll_uuids).toEqual([]);
    expect(withTotals.off_cycle_reason).toBeUndefined();
  });

  it('list paginates by default under 2026-06-15 (25 per page, per ≤ 100) with X-Total-Count/Pages', async () => {
    for (let i = 0; i < 30; i++)
      sb.scenario.runPayroll(company, { employees: 1, offCycle: true, checkDate: sb.clock.today() });
    const first = await list('payroll_types=off_cycle');
    expect(first.body).toHaveLength(25);
    expect(first.headers.get('x-total-count')).toBe('30');
    expect(first.headers.get('x-total-pages')).toBe('2');
    expect(first.headers.get('x-page')).toBe('1');
    expect(first.headers.get('link')).toBeNull();
    expect((await list('payroll_types=off_cycle&page=2')).body).toHaveLength(5);
    const big = await list('payroll_types=off_cycle&per=500');
    expect(big.headers.get('x-per-page')).toBe('100');
    expect(big.body).toHaveLength(30);
    const older = await list('payroll_types=off_cycle', '2026-02-01'); // before 2026-06-15: all at once when page is omitted
    expect(older.body).toHaveLength(30);
    expect(older.headers.get('x-total-count')).toBeNull();
    expect((await list('per=0')).status).toBe(422);
  });

  it('date filters: pay period by default, check_date on request; documented 422s', async () => {
    const today = sb.clock.today();
    const plus = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const past = sb.scenario.runPayroll(company, { employees: 1, checkDate: plus(-40) });
    const future = sb.scenario.runPayroll(company, { employees: 1, checkDate: plus(5) }); // period ended yesterday
    const ids = (body: Array<{ uuid: string }>) => body.map((p) => p.uuid);
    expect(ids((await list('')).body)).toEqual([past.uuid, future.uuid]);
    expect(ids((await list('date_filter_by=check_date')).body)).toEqual([past.uuid]); // end_date defaults to today
    expect(ids((await list(`date_filter_by=check_date&end_date=${plus(10)}`)).body)).toEqual([past.uuid, future.uuid]);
    expect(ids((await list(`date_filter_by=check_date&start_date=${plus(-30)}&end_date=${plus(10)}`)).body)).toEqual([
      future.uuid,
    ]);
    expect(ids((await list('sort_order=desc')).body)).toEqual([future.uuid, past.uuid]);
    expect((await list('date_filter_by=check_date&processing_statuses=unprocessed')).status).toBe(422);
    expect((await list(`start_date=${plus(-400)}&end_date=${today}`)).status).toBe(422);
    const tooFar = await list(`start_date=${today}&end_date=${plus(120)}`);
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.errors[0]).toMatchObject({ category: 'invalid_attribute_value', error_key: 'end_date' });
  });

  it('show paginates employee_compensations (25 default, 100 max) and repeats totals on every page (knob)', async () => {
    const p = sb.scenario.runPayroll(company, { employees: 130 });
    const page1 = await show(p.uuid, 'include=totals');
    expect(page1.body.employee_compensations).toHaveLength(25);
    expect(page1.headers.get('x-total-count')).toBe('130');
    expect(page1.headers.get('x-total-pages')).toBe('6');
    const p2 = await show(p.uuid, 'include=totals&per=100&page=2');
    expect(p2.body.employee_compensations).toHaveLength(30);
    expect(p2.headers.get('x-per-page')).toBe('100');
    expect(p2.body.totals).toEqual(p.totals);
    const all = [...(await show(p.uuid, 'per=500')).body.employee_compensations, ...p2.body.employee_compensations];
    expect(new Set(all.map((c: { employee_uuid: string }) => c.employee_uuid)).size).toBe(130);
    sb.knobs.totalsOnEveryPage = false;
    expect((await show(p.uuid, 'include=totals&page=2')).body.totals).toBeUndefined();
    expect((await show(p.uuid, 'include=totals&page=1')).body.totals).toEqual(p.totals);
    expect((await show('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('include semantics: taxes/benefits only when asked; deductions by default on regular payrolls only', async () => {
    const regular = sb.scenario.runPayroll(company, { employees: 2 });
    const [c] = (await show(regular.uuid)).body.employee_compensations;
    expect(c.taxes).toBeUndefined();
    expect(c.benefits).toBeUndefined();
    expect(c.deductions).toEqual(expect.any(Array));
    const full = (await show(regular.uuid, 'include=taxes,benefits,bogus')).body;
    expect(full.employee_compensations[0].taxes.length).toBeGreaterThan(0);
    expect(full.employee_compensations[0].benefits).toEqual(expect.any(Array));
    expect(full.company_taxes).toEqual([]);
    const bonus = sb.scenario.runPayroll(company, { offCycle: true, offCycleReason: 'Bonus' });
    const off = (await show(bonus.uuid)).body;
    expect(off.employee_compensations[0].deductions).toBeUndefined();
    expect(off).toMatchObject({ off_cycle: true, off_cycle_reason: 'Bonus', final_termination_payroll: false });
    expect((await show(bonus.uuid, 'include=deductions')).body.employee_compensations[0].deductions).toEqual(
      expect.any(Array),
    );
  });

  it('money: strings on 2026-06-15, numbers on 2026-02-01 (totals stay strings); echo of the version', async () => {
    const p = sb.scenario.runPayroll(company, { employees: 3 });
    const q = 'include=taxes,benefits,deductions,totals';
    const now = await show(p.uuid, q);
    expect(now.headers.get('x-gusto-api-version')).toBe('2026-06-15');
    const c = now.body.employee_compensations[0];
    expect(typeof c.gross_pay).toBe('string');
    expect(typeof c.taxes[0].amount).toBe('string');
    const old = await show(p.uuid, q, '2026-02-01');
    const o = old.body.employee_compensations[0];
    expect(typeof o.gross_pay).toBe('number');
    expect(typeof o.net_pay).toBe('number');
    expect(typeof o.taxes[0].amount).toBe('number');
    expect(typeof o.hourly_compensations[0].amount).toBe('string');
    expect(typeof old.body.totals.gross_pay).toBe('string');
    expect(old.body.auto_payroll).toBe(false);
  });

  it('2025-06-15 shape: auto_pilot, reimbursements inside fixed_compensations', async () => {
    sb.clock.set('2026-03-01T12:00:00Z');
    sb.knobs.defaultApiVersion = '2025-06-15';
    const p = sb.scenario.runPayroll(company, { employees: 40 });
    const body = (await show(p.uuid, 'per=100', '2025-06-15')).body;
    expect(body.auto_pilot).toBe(false);
    expect(body.auto_payroll).toBeUndefined();
    const comps = body.employee_compensations as Array<Record<string, any>>;
    expect(comps.every((c) => c.reimbursements === undefined)).toBe(true);
    const reimbursed = comps.filter((c) =>
      c.fixed_compensations.some((f: { name: string }) => f.name === 'Reimbursement'),
    );
    expect(reimbursed.length).toBeGreaterThan(0);
  });

  it('shape equals the sample payroll (keys, recursively), and the employee list sample too', async () => {
    const p = sb.scenario.runPayroll(company, { employees: 40 });
    const body = (await show(p.uuid, 'include=taxes,benefits,deductions,totals&page=1&per=100')).body;
    const sample = keyPaths(
      JSON.parse(readFileSync(join(__dirname, '../../fixtures/gusto/payroll-processed-show.json'), 'utf8')) as unknown,
    );
    const ours = keyPaths(body);
    // the sample has no fixed compensation item; their keys are documented as {name, amount, job_uuid}
    const documented = [
      '.employee_compensations[].fixed_compensations[].name',
      '.employee_compensations[].fixed_compensations[].amount',
      '.employee_compensations[].fixed_compensations[].job_uuid',
    ];
    expect([...ours].filter((k) => !documented.includes(k)).sort()).toEqual([...sample].sort());

    const employees = sb.scenario.createEmployee(company, {});
    sb.scenario.terminateEmployee(employees.uuid as string, { effectiveDate: '2025-12-31' });
    const emps = (await get(sb, `/v1/companies/${company}/employees`, token)).body;
    expect([...keyPaths(emps)].sort()).toEqual([...keyPaths(fixture('employees-list-page.json'))].sort());
  });
});
