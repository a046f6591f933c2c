/**
 * The README walk-through done entirely in the browser (issue 16, Acceptance): sign in, create a
 * connection, test it, connect Gusto through the sandbox's consent, map every role with the pickers (a
 * 422 shown next to the field it names), watch a webhook-posted payroll appear with its batch, open its
 * audit timeline, then fix an unmapped component and replay the blocked posting to `posted`.
 * Screenshots of every page at 1280×800 and 375 px wide go to test-artifacts/console/.
 */
import type { Browser, Page } from 'playwright-core';
import { startGustoSandbox } from '../../src/sandbox/gusto';
import {
  ACUMATICA_CLIENT_ID,
  ACUMATICA_CLIENT_SECRET,
  ACUMATICA_PASSWORD,
  GUSTO_CLIENT_ID,
  GUSTO_CLIENT_SECRET,
  startWorld,
  type World,
} from '../integration/connections/harness';
import { journalsOf, specMapping, WEBHOOK_TOKEN } from '../e2e/postings/support';
import { newKey } from '../e2e/console/support';
import { waitFor } from '../support/wait';
import {
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  screenshots,
  serviceOnlyContext,
  signInWith,
} from './support';

const V1_ROLES = [
  'earnings',
  'employerTaxExpense',
  'benefitExpense',
  'reimbursementExpense',
  'netPay',
  'employeeTaxLiability',
  'employerTaxLiability',
  'deductionLiability',
  'benefitLiability',
];

describeInBrowser('console walk-through in the browser: connect, map, post, fix and replay', () => {
  let world: World;
  let browser: Browser;
  let page: Page;
  let outside: string[];
  let pageErrors: string[];
  let companyUuid: string;
  let connectionId: string;
  const checkDates: string[] = [];
  let postedFirst: string;
  const mapping = specMapping();

  beforeAll(async () => {
    ensureConsoleBuilt();
    const gusto = await startGustoSandbox({
      clientId: GUSTO_CLIENT_ID,
      clientSecret: GUSTO_CLIENT_SECRET,
      verificationToken: WEBHOOK_TOKEN,
    });
    world = await startWorld({ gusto });
    const close = world.close.bind(world);
    world.close = async () => (await close(), await gusto.close());
    // Gusto's consent sends the browser back to the service: the callback must name the port it listens on,
    // known only once it listens (the OAuth client reads the config object at each authorization).
    world.service.config.gusto.redirectUri = `${world.service.url}/oauth/gusto/callback`;
    companyUuid = world.gusto.scenario.createCompany({ name: 'Lone Star Widgets' } as never).uuid;
    world.gusto.scenario.createSubscription({ url: `${world.service.url}/webhooks/gusto` });
    browser = await launchBrowser();
    // The Gusto sandbox is the one other host the walk-through visits: its consent page, as in real life.
    ({ page, outside, pageErrors } = await serviceOnlyContext(browser, world.service.url, [world.gusto.url]));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('signs in with an admin key, creates a connection, tests it and connects Gusto through the consent page', async () => {
    const key = await newKey(world, 'walk-through admin', 'admin', '*');
    await page.goto(`${world.service.url}/console/`);
    await page.getByTestId('sign-in-key').waitFor();
    await screenshots(page, 'sign-in');
    await signInWith(page, world.service.url, key.secret);
    await screenshots(page, 'connections-empty');

    await page.getByRole('link', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Lone Star Widgets');
    await page.getByLabel('Instance URL').fill(world.acumatica.url);
    await page.getByRole('button', { name: 'Find versions' }).click();
    const version = page.getByLabel('Endpoint version');
    await expectText(page, 'Offered by the instance: 20.200.001');
    await version.selectOption('24.200.001');
    await page.getByLabel('Tenant').fill('AcmeCorp');
    await page.getByLabel('Branch (optional)').fill('HQ');
    await page.getByLabel('Client ID').fill(ACUMATICA_CLIENT_ID);
    await page.getByLabel('Client secret').fill(ACUMATICA_CLIENT_SECRET);
    await page.getByLabel('User name', { exact: true }).fill('api.gusto');
    await page.getByLabel('Password', { exact: true }).fill(ACUMATICA_PASSWORD);
    await screenshots(page, 'new-connection');
    await page.getByRole('button', { name: 'Create connection' }).click();

    const row = page.getByTestId('connection-row').filter({ hasText: 'Lone Star Widgets' });
    await row.waitFor();
    connectionId = (await row.getAttribute('data-connection-id'))!;
    expect((await world.api('GET', `/api/connections/${connectionId}`)).body.acumatica).toMatchObject({
      baseUrl: world.acumatica.url,
      tenant: 'AcmeCorp',
      endpointVersion: '24.200.001',
    });
    expect(await row.getByTestId('gusto-status').textContent()).toBe('Not connected');

    // Test before Gusto is connected: Acumatica answers, and the Gusto side says in words what is missing.
    await row.getByRole('button', { name: 'Test' }).click();
    await row.getByText('Acumatica answers with endpoint version 24.200.001').waitFor();
    expect(await row.locator('.ping .bad').textContent()).toMatch(/^✗ Gusto: .+/);

    // Connect to Gusto: our authorize → the sandbox's consent (approves) → our callback → back in the console.
    world.gusto.scenario.authorizeNext(companyUuid);
    // The company is named at the start: the service binds only a code for that company.
    await row.getByLabel('Gusto company ID').fill(companyUuid);
    await row.getByRole('button', { name: 'Connect to Gusto' }).click();
    await page.getByText('Gusto is connected.').waitFor(); // back from the consent with ?gusto=connected
    expect(page.url()).toBe(`${world.service.url}/console/#/connections`); // the outcome is read once, then dropped
    await page
      .getByTestId('connection-row')
      .filter({ hasText: 'Lone Star Widgets' })
      .getByTestId('gusto-status')
      .filter({ hasText: /^Connected$/ })
      .waitFor();
    const connected = page.getByTestId('connection-row').filter({ hasText: 'Lone Star Widgets' });
    await connected.getByRole('button', { name: 'Test' }).click();
    await connected.getByText(/^✓ Gusto answers/).waitFor();
    expect(await connected.getByTestId('last-ping').textContent()).toMatch(/^both sides answer/);
    await screenshots(page, 'connections');
  });

  it('maps every role with the pickers; a 422 is shown next to the field it names, then the mapping is saved', async () => {
    await openPage(page, world.service.url, '/mapping', /^Mapping/);
    for (const role of V1_ROLES)
      await page.getByLabel(`Account for ${role}`, { exact: true }).selectOption(mapping.accounts[role].account);
    await page.getByLabel('Subaccount for earnings', { exact: true }).selectOption('000000');
    for (const key of ['earnings:Overtime', 'deductionLiability:401(k)']) {
      const [role, component] = key.split(':');
      await page.getByRole('group', { name: 'Add an override' }).getByLabel('Role').selectOption(role);
      await page.getByRole('group', { name: 'Add an override' }).getByLabel('Component').fill(component);
      await page.getByRole('button', { name: 'Add override' }).click();
      await page.getByLabel(`Account for ${key}`, { exact: true }).selectOption(mapping.accounts[key].account);
    }
    await page.getByLabel('Default Acumatica department').fill('ADMIN');

    // A malformed option: the 400 names the field, shown under it.
    const tolerance = page.getByLabel('Rounding tolerance (cents)');
    await tolerance.fill('20000');
    await page.getByTestId('mapping-save').click();
    await page.getByTestId('mapping-error').first().waitFor();
    expect(await page.getByTestId('mapping-error').allTextContents()).toEqual([
      'must be a whole number of cents from 0 to 10000',
    ]);
    expect(await tolerance.getAttribute('aria-invalid')).toBe('true');
    await tolerance.fill('0');

    // Someone deactivates an account in Acumatica while the page is open: the save is refused, by field.
    world.acumatica.deactivateAccount('62000');
    await page.getByTestId('mapping-save').click();
    const error = page.getByTestId('mapping-error');
    await error.first().waitFor();
    expect(await error.allTextContents()).toEqual(['Account: account 62000 is inactive in Acumatica']);
    expect(await page.locator('tr[data-mapping-key="benefitExpense"] [data-testid="mapping-error"]').count()).toBe(1);
    expect(await page.getByLabel('Account for benefitExpense', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await screenshots(page, 'mapping-422');

    world.acumatica.activateAccount('62000');
    await page.getByTestId('mapping-save').click();
    await page.getByText('Saved: mapping version 1.').waitFor();
    expect(await error.count()).toBe(0);
    const stored = (await world.api('GET', `/api/connections/${connectionId}`)).body.mapping;
    expect(stored.version).toBe(1);
    expect(stored.document.accounts).toEqual(mapping.accounts);
    expect(stored.document.journal).toEqual({ branch: 'HQ', ledger: 'ACTUAL', detail: 'summary', release: false });
    await screenshots(page, 'mapping');
  });

  it('a webhook-posted payroll appears with its batch; its audit timeline shows every event with time, actor and cause', async () => {
    const payroll = world.gusto.scenario.runPayroll(companyUuid, { employees: 3 });
    checkDates.push(payroll.check_date);
    postedFirst = payroll.uuid;
    await openPage(page, world.service.url, '/postings', 'Postings');
    const row = page.locator(`[data-testid="posting-row"][data-payroll-uuid="${payroll.uuid}"]`);
    await row.getByTestId('posting-status').filter({ hasText: 'Posted' }).waitFor({ timeout: 30_000 });
    const [journal] = journalsOf(world as never, payroll.uuid) as Array<{ BatchNbr: string }>;
    expect(journalsOf(world as never, payroll.uuid)).toHaveLength(1);
    expect(await row.textContent()).toContain(journal!.BatchNbr);
    await screenshots(page, 'postings');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Payroll ${payroll.uuid}` }).waitFor();
    expect(await page.getByTestId('posting-batch').textContent()).toBe(journal!.BatchNbr);
    expect(await page.getByTestId('posting-status').textContent()).toBe('Posted');
    expect(await page.getByTestId('replay-button').count()).toBe(0); // posted: nothing to replay
    const events = page.getByTestId('audit-event');
    await page.locator('[data-testid="audit-event"][data-event-type="PayrollPosted"]').waitFor();
    expect(await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type')))).toEqual([
      'PostingRequested',
      'PayrollFetched',
      'JournalBuilt',
      'JournalCreationStarted',
      'JournalCreated',
      'PayrollPosted',
    ]);
    const first = await events.first().textContent();
    expect(first).toContain('Posting requested (webhook)');
    expect(first).toContain('Actor: webhook');
    expect(first).toMatch(/Cause: Gusto event [0-9a-f-]{36}/);
    expect(await events.last().textContent()).toContain('Cause: JournalCreationStarted');
    expect(await events.first().locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await page.locator('table.journal tfoot').textContent()).toContain('Balanced');
    await screenshots(page, 'posting-detail');
  });

  it('an unmapped component blocks a payroll; the reason is shown first, the mapping is fixed and the replay posts it', async () => {
    // Take netPay out of the mapping (every payroll pays net pay), in the editor.
    await openPage(page, world.service.url, '/mapping', /^Mapping/);
    await page.getByLabel('Account for netPay', { exact: true }).selectOption('');
    await page.getByTestId('mapping-save').click();
    await page.getByText('Saved: mapping version 2.').waitFor();

    const payroll = world.gusto.scenario.runPayroll(companyUuid, { employees: 2 });
    checkDates.push(payroll.check_date);
    await openPage(page, world.service.url, '/postings', 'Postings');
    await page.getByLabel('Status').selectOption('needs_attention');
    const row = page.locator(`[data-testid="posting-row"][data-payroll-uuid="${payroll.uuid}"]`);
    await row.getByTestId('posting-status').filter({ hasText: 'Needs attention' }).waitFor({ timeout: 30_000 });
    await page
      .locator(`[data-testid="posting-row"][data-payroll-uuid="${postedFirst}"]`)
      .waitFor({ state: 'detached' }); // filtered out
    expect(await page.getByTestId('posting-row').count()).toBe(1);
    await row.getByRole('link').click();
    const reason = page.getByTestId('posting-reason');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('netPay');
    // The reason comes first: the replay button follows it in reading order.
    expect(await page.locator('[data-testid="posting-reason"] ~ [data-testid="replay-button"]').count()).toBe(1);
    expect(await page.getByTestId('posting-batch').textContent()).toBe('none yet');
    await screenshots(page, 'posting-needs-attention');

    // The preview of that payroll names the same reason; after the fix it shows the balanced journal.
    await openPage(page, world.service.url, '/mapping', /^Mapping/);
    const preview = async () => {
      await page.getByLabel('Payroll', { exact: true }).selectOption(payroll.uuid);
      await page.getByRole('button', { name: 'Preview journal' }).click();
    };
    await preview();
    await page.getByText('This payroll could not be posted with the saved mapping:').waitFor();
    expect(await page.locator('#preview-title ~ .notice.error').textContent()).toContain('netPay');
    await page.getByLabel('Account for netPay', { exact: true }).selectOption('10100');
    await page.getByTestId('mapping-save').click();
    await page.getByText('Saved: mapping version 3.').waitFor();
    await preview();
    await page.locator('table.journal').waitFor();
    expect(await page.locator('table.journal caption').textContent()).toContain(`[gusto:${payroll.uuid}]`);
    expect(await page.locator('table.journal tfoot').textContent()).toContain('Balanced');
    expect(await page.locator('table.journal tbody tr').filter({ hasText: 'netPay' }).count()).toBe(1);
    await screenshots(page, 'mapping-preview');

    await page.goto(`${world.service.url}/console/#/postings/${encodeURIComponent(`${connectionId}:${payroll.uuid}`)}`);
    await page.getByTestId('replay-button').click();
    await page
      .getByTestId('posting-status')
      .filter({ hasText: /^Posted$/ })
      .waitFor({ timeout: 30_000 });
    const journals = journalsOf(world as never, payroll.uuid) as Array<{ BatchNbr: string }>;
    expect(journals).toHaveLength(1);
    expect(await page.getByTestId('posting-batch').textContent()).toBe(journals[0]!.BatchNbr);
    await page.locator('[data-testid="audit-event"][data-event-type="PostingReplayed"]').waitFor();
    const replayed = await page.locator('[data-testid="audit-event"][data-event-type="PostingReplayed"]').textContent();
    expect(replayed).toMatch(/Actor: API key [\w-]+/);
    expect(await page.getByTestId('replay-button').count()).toBe(0);
  });

  it('employees, audit and tie-out pages show the same books; nothing outside the service and Gusto was asked for', async () => {
    // The check-date filter: from the second payroll's check date on, only it is listed.
    await openPage(page, world.service.url, '/postings', 'Postings');
    await page.locator(`[data-testid="posting-row"][data-payroll-uuid="${postedFirst}"]`).waitFor();
    await page.getByLabel('Check date from').fill(checkDates[1]!);
    await page
      .locator(`[data-testid="posting-row"][data-payroll-uuid="${postedFirst}"]`)
      .waitFor({ state: 'detached' });
    expect(await page.getByTestId('posting-row').count()).toBe(1);
    expect(await page.getByTestId('posting-status').allTextContents()).toEqual(['Posted']);

    await openPage(page, world.service.url, '/employees', 'Employees');
    await page.getByRole('button', { name: 'Sync with Gusto now' }).click();
    await page.getByText('Synced with Gusto.').waitFor({ timeout: 30_000 });
    const mirrored = (await world.api('GET', `/api/employees?connectionId=${connectionId}`)).body.items as Array<{
      name: string;
    }>;
    expect(mirrored.length).toBeGreaterThan(0);
    await page
      .getByTestId('employee-row')
      .nth(mirrored.length - 1)
      .waitFor();
    expect(await page.getByTestId('employee-row').count()).toBe(mirrored.length);
    expect(await page.getByTestId('employee-row').first().textContent()).toContain(mirrored[0]!.name);
    await screenshots(page, 'employees');
    await openPage(page, world.service.url, '/audit', 'Audit trail');
    await page.getByTestId('audit-event').first().waitFor();
    await page.getByLabel('Event type').fill('PayrollPosted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The earlier, unfiltered page stays on screen until the filtered one arrives: wait for the filtered rows.
    // (waitForFunction would evaluate a string inside the page, which the console's CSP forbids.)
    const types = () =>
      page.getByTestId('audit-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type')).join());
    await waitFor('the filtered audit rows', async () => (await types()) === 'PayrollPosted,PayrollPosted');
    expect(
      new Set(
        await page.getByTestId('audit-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type'))),
      ),
    ).toEqual(new Set(['PayrollPosted']));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await streamText(await download.createReadStream());
    expect(csv.split('\r\n')[0]).toBe('position,time,stream,type,actor,correlationId,causationId,what,data');
    expect(csv.split('\r\n').filter((l) => l.includes(',PayrollPosted,'))).toHaveLength(2);
    await screenshots(page, 'audit');

    await openPage(page, world.service.url, '/tie-out', 'Tie-out');
    const month = checkDates[0]!.slice(0, 7);
    await page.getByLabel('Month (by check date)').fill(month);
    const inMonth = checkDates.filter((d) => d.startsWith(month)).length;
    await page
      .getByTestId('tie-out-summary')
      .filter({ hasText: `${month}-01 to` })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tie-out-summary').textContent()).toContain(
      `${inMonth} payroll(s), ${inMonth} posted`,
    );
    expect(await page.getByTestId('tie-out-summary').textContent()).toContain('no difference.');
    const [tieOutCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const tieOutText = await streamText(await tieOutCsv.createReadStream());
    for (const uuid of checkDates.length ? [postedFirst] : []) expect(tieOutText).toContain(uuid);
    expect(tieOutCsv.suggestedFilename()).toBe(
      `tie-out-${month}-01-${month}-${String(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}.csv`,
    );
    await screenshots(page, 'tie-out');

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text).first().waitFor();
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
