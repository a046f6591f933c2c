/** Company-token data endpoints: token_info, company, payrolls (list/show), employees, departments. */
import type { TokenRow } from './model';
import { renderEmployee, renderEmploymentHistory, renderRehire } from './employee-view';
import { csv, notFound, pageParams, paginate, send, sendError, type Ctx } from './http-support';
import { SCOPES } from './oauth';
import { renderPayrollListItem, renderPayrollShow, type RenderContext } from './payroll-view';
import { addMonths, isDate } from './support';

const PAYROLL_INCLUDES = new Set([
  'benefits',
  'deductions',
  'taxes',
  'payroll_status_meta',
  'totals',
  'risk_blockers',
  'reversals',
  'payroll_taxes',
]);

export const tokenInfo = (ctx: Ctx, row: TokenRow): void => {
  if (row.kind === 'system') {
    return send(ctx, 200, {
      scope: 'webhook_subscriptions:read webhook_subscriptions:write events:read',
      resource: { type: 'Oauth::Application', uuid: ctx.world.applicationUuid },
      resource_owner: null,
    });
  }
  const company = ctx.world.companies.get(row.companyUuid ?? '');
  send(ctx, 200, {
    scope: SCOPES,
    resource: { type: 'Company', uuid: row.companyUuid },
    resource_owner: { type: 'CompanyAdmin', uuid: company?.adminUuid ?? null },
  });
};

export const showCompany = (ctx: Ctx, companyUuid: string): void => {
  const c = ctx.world.companyOrThrow(companyUuid);
  send(ctx, 200, {
    uuid: c.uuid,
    name: c.name,
    trade_name: c.name,
    ein: '00-0000000',
    entity_type: 'LLC',
    tier: 'complete',
    is_suspended: false,
    company_status: 'Approved',
    is_partner_managed: false,
    pay_schedule_type: 'single',
    join_date: c.createdAt.slice(0, 10),
    funding_type: 'ach',
    locations: [{ uuid: c.locationUuid, state: c.state, active: true }],
    compensations: {
      hourly: [
        { name: 'Overtime', multiple: 1.5 },
        { name: 'Double overtime', multiple: 2 },
      ],
      fixed: [{ name: 'Bonus' }, { name: 'Reimbursement' }],
      paid_time_off: [{ name: 'Vacation Hours' }, { name: 'Sick Hours' }],
    },
  });
};

export const listDepartments = (ctx: Ctx, companyUuid: string): void => {
  const c = ctx.world.companyOrThrow(companyUuid);
  const employees = ctx.world.companyEmployees(companyUuid);
  send(
    ctx,
    200,
    [...c.departments.entries()].map(([title, uuid]) => ({
      uuid,
      version: uuid.slice(0, 8),
      company_uuid: c.uuid,
      title,
      employees: employees.filter((e) => e.departmentUuid === uuid).map((e) => ({ uuid: e.uuid })),
      contractors: [],
    })),
  );
};

const renderContext = (ctx: Ctx, version: string): RenderContext => ({
  version,
  include: new Set((csv(ctx.query.get('include')) ?? []).filter((i) => PAYROLL_INCLUDES.has(i))),
});

export const listPayrolls = (ctx: Ctx, companyUuid: string, version: string): void => {
  const { world, query } = ctx;
  const today = world.clock.today();
  // Unknown enum values are silently dropped; if nothing known is left the answer is empty (reference §4.1).
  const statuses = csv(query.get('processing_statuses'))?.filter((s) => s === 'processed' || s === 'unprocessed') ?? [
    'processed',
  ];
  const types = csv(query.get('payroll_types'))?.filter(
    (t) => t === 'regular' || t === 'off_cycle' || t === 'external',
  ) ?? ['regular'];
  const byCheckDate = query.get('date_filter_by') === 'check_date';
  if (byCheckDate && (statuses.length !== 1 || statuses[0] !== 'processed')) {
    return sendError(
      ctx,
      422,
      'invalid_parameter',
      'date_filter_by=check_date requires processing_statuses=processed',
      'date_filter_by',
    );
  }
  const endDate = query.get('end_date') ?? today;
  const startDate = query.get('start_date') ?? addMonths(today, -6);
  if (!isDate(endDate) || !isDate(startDate))
    return sendError(ctx, 422, 'invalid_attribute_value', 'start_date and end_date must be YYYY-MM-DD', 'start_date');
  if (endDate > addMonths(today, 3))
    return sendError(
      ctx,
      422,
      'invalid_attribute_value',
      'end_date cannot be more than 3 months in the future',
      'end_date',
    );
  if (startDate > endDate)
    return sendError(ctx, 422, 'invalid_attribute_value', 'start_date must be before end_date', 'start_date');
  if (endDate > addMonths(startDate, 12))
    return sendError(ctx, 422, 'invalid_attribute_value', 'The date range cannot exceed one year', 'start_date');
  const sortDesc = query.get('sort_order') === 'desc';
  const items = world
    .companyPayrolls(companyUuid)
    .filter((p) => statuses.includes(p.processed ? 'processed' : 'unprocessed'))
    .filter((p) => types.includes(p.external ? 'external' : p.offCycle ? 'off_cycle' : 'regular'))
    .filter((p) => {
      const date = byCheckDate ? p.checkDate : p.periodEnd;
      return date === null || (date >= startDate && date <= endDate);
    })
    .sort((a, b) => (sortDesc ? -1 : 1) * a.checkDate.localeCompare(b.checkDate));
  const { page, per } = pageParams(query);
  // From 2026-06-15 the list paginates even without page/per; before, only when asked.
  const paged = version >= '2026-06-15' || page !== null || per !== null;
  const pageItems = paged
    ? paginate(ctx, items, { page: page ?? 1, per: Math.min(per ?? world.knobs.payrollListDefaultPer, 100) })
    : items;
  const rc = renderContext(ctx, version);
  send(
    ctx,
    200,
    pageItems.map((p) => renderPayrollListItem(world, p, rc)),
  );
};

export const showPayroll = (ctx: Ctx, companyUuid: string, payrollUuid: string, version: string): void => {
  const p = ctx.world.payrolls.get(payrollUuid);
  if (!p || p.companyUuid !== companyUuid) return notFound(ctx, 'Payroll');
  const { page, per } = pageParams(ctx.query);
  const sortBy = ctx.query.get('sort_by');
  const comps = [...p.comps];
  if (sortBy === 'first_name') comps.sort((a, b) => a.firstName.localeCompare(b.firstName));
  if (sortBy === 'last_name') comps.sort((a, b) => a.lastName.localeCompare(b.lastName));
  const pageNumber = page ?? 1;
  const slice = paginate(ctx, comps, { page: pageNumber, per: Math.min(per ?? 25, 100) });
  send(ctx, 200, renderPayrollShow(ctx.world, p, renderContext(ctx, version), slice, pageNumber === 1));
};

export const listEmployees = (ctx: Ctx, companyUuid: string): void => {
  const { world, query } = ctx;
  const flag = (name: string): boolean | null =>
    query.get(name) === 'true' ? true : query.get(name) === 'false' ? false : null;
  const terminated = flag('terminated');
  const terminatedToday = flag('terminated_today');
  const uuids = csv(query.get('uuids'));
  const search = query.get('search_term')?.toLowerCase() ?? null;
  const items = world
    .companyEmployees(companyUuid)
    .filter((e) => terminated === null || world.terminatedFlag(e) === terminated)
    .filter((e) => terminatedToday === null || world.terminationActive(e) === terminatedToday)
    .filter((e) => uuids === null || uuids.includes(e.uuid))
    .filter((e) => search === null || `${e.firstName} ${e.lastName} ${e.email}`.toLowerCase().includes(search));
  const { page, per } = pageParams(query);
  const paged = page !== null || per !== null;
  const pageItems = paged
    ? paginate(ctx, items, { page: page ?? 1, per: Math.min(per ?? 25, world.knobs.employeesMaxPer) })
    : items;
  send(
    ctx,
    200,
    pageItems.map((e) => renderEmployee(world, e)),
  );
};

/** /v1/employees/:id[/terminations|/rehire|/employment_history]; the employee must be the token's company's. */
export const employeeRoutes = (ctx: Ctx, companyUuid: string, employeeUuid: string, sub: string | undefined): void => {
  const e = ctx.world.employees.get(employeeUuid);
  if (!e || e.companyUuid !== companyUuid) return notFound(ctx, 'Employee');
  switch (sub) {
    case undefined:
      return send(ctx, 200, renderEmployee(ctx.world, e));
    case 'terminations':
      return send(ctx, 200, renderEmployee(ctx.world, e).terminations as unknown[]);
    case 'rehire': {
      const rehire = renderRehire(e);
      return rehire ? send(ctx, 200, rehire) : send(ctx, 204, undefined);
    }
    case 'employment_history':
      return send(ctx, 200, renderEmploymentHistory(e));
    default:
      return notFound(ctx);
  }
};
