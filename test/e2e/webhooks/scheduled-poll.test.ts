import { SchedulerRegistry } from '@nestjs/schedule';
import { startGustoSandbox, type GustoSandbox } from '../../../src/sandbox/gusto';
import { startService, type TestService } from '../../support/service';
import { WEBHOOK_TOKEN, connectCompany, metricValue, streamOf, waitFor } from './support';

/** POLL_CRON drives the backfill poll: registered at start from the environment, not a hard-coded decorator. */
describe('scheduled backfill poll', () => {
  let gusto: GustoSandbox;
  let service: TestService;

  beforeAll(async () => {
    gusto = await startGustoSandbox({ verificationToken: WEBHOOK_TOKEN, seed: 21 });
    service = await startService({
      env: {
        GUSTO_API_BASE_URL: gusto.url,
        GUSTO_CLIENT_ID: gusto.config.clientId,
        GUSTO_CLIENT_SECRET: gusto.config.clientSecret,
        GUSTO_REDIRECT_URI: 'http://127.0.0.1:9/oauth/gusto/callback',
        POLL_CRON: '* * * * * *', // every second (the cron package's optional seconds field)
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await gusto?.close();
  });

  it('registers the job with the POLL_CRON value', () => {
    const job = service.app.get(SchedulerRegistry).getCronJob('backfill-poll');
    expect(job.cronTime.source).toBe('* * * * * *');
    expect(job.isActive).toBe(true);
  });

  it('picks up a payroll that sent no webhook on its own, for a connection made after start', async () => {
    const company = gusto.scenario.createCompany({ name: 'Cron Co' }).uuid;
    gusto.scenario.createEmployee(company, {}, true);
    const connectionId = await connectCompany(service, gusto.scenario, company, 'Cron Co');
    const payroll = gusto.scenario.runPayroll(company, { webhook: false });
    await waitFor(
      async () => (await streamOf(service, `payroll-posting-${connectionId}-${payroll.uuid}`)).length > 0,
      15_000,
      'scheduled poll',
    );
    const [requested] = await streamOf(service, `payroll-posting-${connectionId}-${payroll.uuid}`);
    expect(requested.metadata).toMatchObject({ actor: 'poll' });
    await waitFor(
      async () => (await metricValue(service, 'mlc_polls_total{result="ok",trigger="cron"}')) >= 1,
      5_000,
      'poll counted',
    );
  });
});
