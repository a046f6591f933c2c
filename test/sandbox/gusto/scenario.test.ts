import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { call, cents, connect, get } from './helpers';

const http = (sb: GustoSandbox, method: string, path: string, body?: unknown) =>
  call(`${sb.url}/sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('Gusto sandbox: scenario API', () => {
  let sb: GustoSandbox;
  afterEach(() => sb.close());

  it('the HTTP scenario routes do what the programmatic API does (same seed → same result)', async () => {
    const script = async (s: GustoSandbox, viaHttp: boolean) => {
      const run = async (method: string, path: string, body: unknown, direct: () => unknown) =>
        viaHttp ? (await http(s, method, path, body)).body : JSON.parse(JSON.stringify(direct()));
      const company = (await run('POST', '/companies', { name: 'Same', state: 'CA' }, () =>
        s.scenario.createCompany({ name: 'Same', state: 'CA' }),
      )) as { uuid: string };
      const emp = (await run(
        'POST',
        `/companies/${company.uuid}/employees`,
        { firstName: 'Ada', rate: '31.50', paymentUnit: 'Hour' },
        () => s.scenario.createEmployee(company.uuid, { firstName: 'Ada', rate: '31.50', paymentUnit: 'Hour' }),
      )) as { uuid: string };
      await run('PATCH', `/employees/${emp.uuid}`, { department: 'Ops' }, () =>
        s.scenario.updateEmployee(emp.uuid, { department: 'Ops' }),
      );
      const payroll = (await run(
        'POST',
        `/companies/${company.uuid}/payrolls`,
        { employees: 5, checkDate: '2026-11-20' },
        () => s.scenario.runPayroll(company.uuid, { employees: 5, checkDate: '2026-11-20' }),
      )) as { uuid: string };
      const reversal = await run('POST', `/payrolls/${payroll.uuid}/reverse`, {}, () =>
        s.scenario.reversePayroll(payroll.uuid),
      );
      const terminated = await run('POST', `/employees/${emp.uuid}/terminate`, { effectiveDate: '2026-12-31' }, () =>
        s.scenario.terminateEmployee(emp.uuid, { effectiveDate: '2026-12-31' }),
      );
      return { company, emp, payroll, reversal, terminated };
    };
    sb = await startGustoSandbox({ seed: 99 });
    const other = await startGustoSandbox({ seed: 99 });
    try {
      const viaApi = await script(sb, false);
      const viaHttp = await script(other, true);
      expect(viaHttp).toEqual(viaApi);
      expect((viaApi.payroll as unknown as { totals: { gross_pay: string } }).totals.gross_pay).toMatch(/^\d+\.\d{2}$/);
    } finally {
      await other.close();
    }
  });

  it('scenario errors: unknown ids → 404, bad input → 422 (HTTP and programmatic)', async () => {
    sb = await startGustoSandbox({ seed: 1 });
    expect((await http(sb, 'POST', '/companies/nope/payrolls', {})).status).toBe(404);
    const company = sb.scenario.createCompany({}).uuid;
    expect((await http(sb, 'POST', `/companies/${company}/payrolls`, {})).status).toBe(422); // nobody to pay
    expect((await http(sb, 'POST', `/companies/${company}/employees`, { rate: 'abc' })).status).toBe(422);
    expect(() => sb.scenario.runPayroll(company, { employees: 1, offCycle: true, offCycleReason: 'Vacation' })).toThrow(
      /off_cycle_reason/,
    );
    expect((await http(sb, 'POST', '/payrolls/none/cancel')).status).toBe(404);
    const e = sb.scenario.createEmployee(company, {}).uuid as string;
    expect((await http(sb, 'PATCH', `/employees/${e}`, { rate: '12,50' })).status).toBe(422);
    expect((await http(sb, 'PATCH', `/employees/${e}`, { paymentUnit: 'Month' })).status).toBe(422);
    expect((await http(sb, 'POST', `/employees/${e}/terminate`, { effectiveDate: 'soon' })).status).toBe(422);
    expect((await http(sb, 'POST', `/employees/${e}/rehire`, { effectiveDate: '2026-01-01' })).status).toBe(422); // not terminated
  });

  it('cancel: same uuid, processed → false, listed as unprocessed; a second cancel is refused', async () => {
    sb = await startGustoSandbox({ seed: 2 });
    const company = sb.scenario.createCompany({}).uuid;
    const p = sb.scenario.runPayroll(company, { employees: 2 });
    const token = (await connect(sb)).access_token;
    expect(sb.scenario.cancelPayroll(p.uuid)).toMatchObject({ uuid: p.uuid, processed: false });
    const shown = (await get(sb, `/v1/companies/${company}/payrolls/${p.uuid}`, token)).body;
    expect(shown).toMatchObject({ uuid: p.uuid, processed: false, processed_date: null });
    expect(() => sb.scenario.cancelPayroll(p.uuid)).toThrow(/not processed/);
  });

  it('reverse: an off-cycle Reversal payroll with negated amounts, listed in reversal_payroll_uuids; partial reversal', async () => {
    sb = await startGustoSandbox({ seed: 3 });
    const company = sb.scenario.createCompany({}).uuid;
    const p = sb.scenario.runPayroll(company, { employees: 4 });
    const token = (await connect(sb)).access_token;
    const r = sb.scenario.reversePayroll(p.uuid);
    expect(r).toMatchObject({ off_cycle: true, off_cycle_reason: 'Reversal', employee_count: 4 });
    for (const [k, v] of Object.entries(p.totals)) expect([k, cents(r.totals[k])]).toEqual([k, -cents(v)]);
    const original = (await get(sb, `/v1/companies/${company}/payrolls/${p.uuid}?include=reversals`, token)).body;
    expect(original.reversal_payroll_uuids).toEqual([r.uuid]);
    const rev = (await get(sb, `/v1/companies/${company}/payrolls/${r.uuid}?include=taxes`, token)).body;
    expect(cents(rev.employee_compensations[0].gross_pay)).toBeLessThan(0n);
    expect(rev.employee_compensations[0].hourly_compensations[0].hours).toMatch(/^-/);
    const listed = (
      await get(sb, `/v1/companies/${company}/payrolls?payroll_types=off_cycle&date_filter_by=check_date`, token)
    ).body;
    expect(listed.map((x: { uuid: string }) => x.uuid)).toEqual([r.uuid]);

    const q = sb.scenario.runPayroll(company, { employees: 4 });
    const someone = (await get(sb, `/v1/companies/${company}/payrolls/${q.uuid}`, token)).body.employee_compensations[0]
      .employee_uuid;
    const partial = sb.scenario.reversePayroll(q.uuid, { employeeUuids: [someone] });
    expect(partial.employee_count).toBe(1);
    expect(sb.events[sb.events.length - 1]).toMatchObject({
      event_type: 'payroll.partially_reversed',
      entity_uuid: q.uuid,
    });
    sb.knobs.reversalSign = 'positive';
    expect(cents(sb.scenario.reversePayroll(q.uuid).totals.gross_pay)).toBe(cents(q.totals.gross_pay));
  });

  it('payroll options: employee count hires the missing ones; a list selects; check date and pay period; next regular +14 days', async () => {
    sb = await startGustoSandbox({ seed: 4 });
    const company = sb.scenario.createCompany({}).uuid;
    const a = sb.scenario.createEmployee(company, {}).uuid as string;
    const first = sb.scenario.runPayroll(company, { employees: 3, checkDate: '2026-11-06' });
    expect(first.employee_count).toBe(3);
    const second = sb.scenario.runPayroll(company, {});
    expect(second).toMatchObject({ check_date: '2026-11-20', employee_count: 3 });
    const token = (await connect(sb)).access_token;
    const body = (await get(sb, `/v1/companies/${company}/payrolls/${second.uuid}`, token)).body;
    expect(body.pay_period).toMatchObject({ start_date: '2026-11-01', end_date: '2026-11-14' });
    expect(sb.scenario.runPayroll(company, { employees: [a] }).employee_count).toBe(1);
    const ext = (
      await get(
        sb,
        `/v1/companies/${company}/payrolls/${sb.scenario.runPayroll(company, { external: true }).uuid}`,
        token,
      )
    ).body;
    expect(ext.external).toBe(true);
    expect(ext.employee_compensations[0].payment_method).toBe('Historical');
  });

  it('salaried, hourly with overtime, PTO, bonus, 401(k), medical, imputed group-term life, post-tax deduction, child support, reimbursement, paper checks all occur', async () => {
    sb = await startGustoSandbox({ seed: 5 });
    const company = sb.scenario.createCompany({ state: 'CA' }).uuid;
    const p = sb.scenario.runPayroll(company, { employees: 60 });
    const token = (await connect(sb)).access_token;
    const comps = (await get(sb, `/v1/companies/${company}/payrolls/${p.uuid}?include=taxes,benefits&per=100`, token))
      .body.employee_compensations as Array<Record<string, any>>;
    const names = (key: string, field = 'name') =>
      new Set(comps.flatMap((c) => (c[key] as Array<Record<string, string>>).map((x) => x[field])));
    expect(names('hourly_compensations')).toEqual(new Set(['Regular Hours', 'Overtime']));
    expect(
      new Set(comps.flatMap((c) => c.hourly_compensations.map((h: { flsa_status: string }) => h.flsa_status))),
    ).toEqual(new Set(['Exempt', 'Nonexempt']));
    expect(names('fixed_compensations')).toEqual(new Set(['Bonus']));
    expect(names('benefits')).toEqual(new Set(['401(k)', 'Medical Insurance', 'Group Term Life']));
    const benefits = comps.flatMap((c) => c.benefits as Array<Record<string, any>>);
    expect(new Set(benefits.filter((b) => b.imputed === true).map((b) => b.name))).toEqual(
      new Set(['Group Term Life']),
    );
    expect(names('deductions').size).toBeGreaterThan(0);
    expect(names('deductions').has('Child Support')).toBe(true);
    expect(new Set(comps.map((c) => c.payment_method))).toEqual(new Set(['Direct Deposit', 'Check']));
    expect(names('reimbursements', 'description').size).toBeGreaterThan(0);
    expect(comps.some((c) => c.paid_time_off.some((t: { hours: string }) => t.hours !== '0.000'))).toBe(true);
    expect(names('taxes')).toEqual(
      new Set([
        'Federal Income Tax',
        'Social Security',
        'Medicare',
        'CA State Income Tax',
        'CA SDI',
        'FUTA',
        'CA SUI',
        'CA ETT',
      ]),
    );
    const bonus = (
      await get(
        sb,
        `/v1/companies/${company}/payrolls/${sb.scenario.runPayroll(company, { offCycle: true, employees: 2 }).uuid}`,
        token,
      )
    ).body;
    expect(bonus.employee_compensations[0].fixed_compensations.map((f: { name: string }) => f.name)).toEqual(['Bonus']);
  });

  it('clock, knobs and records over HTTP', async () => {
    // A frozen time source, so set + advance read back to the millisecond however slow the machine is.
    const frozen = new Date('2026-01-01T00:00:00Z');
    sb = await startGustoSandbox({ seed: 6, clock: { now: () => new Date(frozen) } });
    expect((await http(sb, 'POST', '/clock', { set: '2026-05-01T00:00:00Z', advanceMs: 1000 })).body).toEqual({
      now: '2026-05-01T00:00:01.000Z',
    });
    expect(sb.clock.today()).toBe('2026-05-01');
    await http(sb, 'PATCH', '/knobs', { latencyMs: 5, webhook: { duplicates: 1 } });
    expect(sb.knobs.latencyMs).toBe(5);
    expect(sb.knobs.webhook).toMatchObject({ duplicates: 1, maxRetries: 16 });
    expect((await http(sb, 'POST', '/fail-next', { pattern: '/v1/token_info', count: 1, status: 502 })).status).toBe(
      204,
    );
    expect((await call(`${sb.url}/v1/token_info`)).status).toBe(502);
    expect((await http(sb, 'GET', '/stats')).body).toEqual({
      refreshCalls: 0,
      invalidGrants: 0,
      codeExchanges: 0,
      rateLimited: 0,
      pkceVerified: 0,
    });
    expect((await http(sb, 'GET', '/requests')).body).toEqual([
      expect.objectContaining({ path: '/v1/token_info', status: 502 }),
    ]);
  });
});

describe('Gusto sandbox: injected clock', () => {
  it('follows the given clock source; advance/set move it; event timestamps are epoch seconds of it', async () => {
    const sb = await startGustoSandbox({ seed: 8, clock: { now: () => new Date('2026-01-21T17:45:03Z') } });
    try {
      expect(sb.clock.now().toISOString()).toBe('2026-01-21T17:45:03.000Z');
      const company = sb.scenario.createCompany({}).uuid;
      sb.scenario.runPayroll(company, { employees: 1, webhook: false });
      expect(sb.events[sb.events.length - 1]!.timestamp).toBe(1769017503);
      sb.clock.advance(86_400_000);
      expect(sb.clock.today()).toBe('2026-01-22');
      sb.clock.set('2026-02-01T00:00:00Z');
      expect(sb.clock.now().toISOString()).toBe('2026-02-01T00:00:00.000Z');
    } finally {
      await sb.close();
    }
  });
});
