/** HTTP face of the scenario API and the controls (clock, knobs, faults, records), under /sandbox. */
import { patchKnobs } from './knobs';
import { notFound, parseBody, send, type Ctx } from './http-support';
import type {
  EmployeeInput,
  EmployeeUpdate,
  PayrollInput,
  RehireInput,
  ReverseInput,
  Scenario,
  SubscriptionInput,
  TerminationInput,
} from './scenario';
import { ScenarioError } from './world';
import type { SandboxClock } from './support';

export interface Controls {
  scenario: Scenario;
  clock: SandboxClock;
  nonGetDataRequests(): unknown[];
}

export const routeScenario = async (ctx: Ctx, controls: Controls): Promise<void> => {
  const { scenario, clock } = controls;
  const { world, method } = ctx;
  const body = parseBody(ctx, true); // JSON whatever the content-type (curl -d sends form)
  if (body === null) return send(ctx, 400, { error: 'bad_request', message: 'body must be a JSON object' });
  const parts = ctx.path
    .split('/')
    .filter((p) => p !== '')
    .slice(1); // drop "sandbox"
  const [a, b, c] = parts;
  const route = `${method} ${a ?? ''}${b === undefined ? '' : '/:id'}${c === undefined ? '' : `/${c}`}`;
  try {
    switch (route) {
      case 'POST companies':
        return send(ctx, 201, scenario.createCompany(body));
      case 'POST companies/:id/employees':
        return send(ctx, 201, scenario.createEmployee(b as string, body as EmployeeInput));
      case 'POST companies/:id/payrolls':
        return send(ctx, 201, scenario.runPayroll(b as string, body as PayrollInput));
      case 'PATCH employees/:id':
        return send(ctx, 200, scenario.updateEmployee(b as string, body as EmployeeUpdate));
      case 'POST employees/:id/terminate':
        return send(ctx, 200, scenario.terminateEmployee(b as string, body as unknown as TerminationInput));
      case 'POST employees/:id/rehire':
        return send(ctx, 200, scenario.rehireEmployee(b as string, body as unknown as RehireInput));
      case 'POST payrolls/:id/cancel':
        return send(ctx, 200, scenario.cancelPayroll(b as string));
      case 'POST payrolls/:id/process':
        return send(ctx, 200, scenario.processPayrollAgain(b as string, { webhook: body.webhook !== false }));
      case 'POST payrolls/:id/reverse':
        return send(ctx, 201, scenario.reversePayroll(b as string, body as ReverseInput));
      case 'POST authorize-next':
        scenario.authorizeNext(String(body.companyUuid));
        return send(ctx, 204, undefined);
      case 'POST subscriptions':
        return send(ctx, 201, scenario.createSubscription(body as unknown as SubscriptionInput));
      case 'GET clock':
        return send(ctx, 200, { now: clock.now().toISOString() });
      case 'POST clock': {
        if (typeof body.set === 'string') clock.set(body.set);
        if (typeof body.advanceMs === 'number') clock.advance(body.advanceMs);
        return send(ctx, 200, { now: clock.now().toISOString() });
      }
      case 'GET knobs':
        return send(ctx, 200, {
          ...world.knobs,
          failNext: undefined,
          pendingFaults: world.faults.map((f) => ({ ...f, pattern: String(f.pattern) })),
        });
      case 'PATCH knobs':
        patchKnobs(world.knobs, body);
        return send(ctx, 200, { ...world.knobs, failNext: undefined });
      case 'POST fail-next': {
        const status = body.status === 'timeout' ? 'timeout' : Number(body.status ?? 500);
        world.knobs.failNext(String(body.pattern ?? ''), Number(body.count ?? 1), status);
        return send(ctx, 204, undefined);
      }
      case 'GET requests':
        return send(ctx, 200, world.requests);
      case 'GET non-get-data-requests':
        return send(ctx, 200, controls.nonGetDataRequests());
      case 'GET stats':
        return send(ctx, 200, world.stats);
      case 'GET events':
        return send(ctx, 200, world.events);
      case 'GET deliveries':
        return send(ctx, 200, world.deliveries);
      case 'POST webhooks/:id':
        if (b !== 'idle') return notFound(ctx);
        await scenario.webhooksIdle();
        return send(ctx, 204, undefined);
      default:
        return notFound(ctx);
    }
  } catch (err) {
    if (err instanceof ScenarioError) return send(ctx, err.status, { error: 'scenario_error', message: err.message });
    throw err;
  }
};
