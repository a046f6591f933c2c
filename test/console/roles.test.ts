/**
 * What each key is offered in the console (issue 16, Acceptance): an auditor sees postings and the audit
 * trail and is offered no change; a tenant key sees only its connection; and every page works with the
 * network cut (every request outside the service aborted, and none attempted).
 */
import type { Browser, Page } from 'playwright-core';
import { createConnection } from '../integration/connections/harness';
import { postingIdOf, postingWithStatus, postingWorld, specMapping, type PostingWorld } from '../e2e/postings/support';
import { newKey } from '../e2e/console/support';
import { TEST_ADMIN_TOKEN } from '../support/service';
import {
  describeInBrowser,
  ensureConsoleBuilt,
  launchBrowser,
  openPage,
  screenshots,
  serviceOnlyContext,
  signInWith,
} from './support';

const PAGES: Array<[route: string, heading: string | RegExp]> = [
  ['/connections', 'Connections'],
  ['/mapping', /^Mapping/],
  ['/postings', 'Postings'],
  ['/employees', 'Employees'],
  ['/audit', 'Audit trail'],
  ['/tie-out', 'Tie-out'],
];

describeInBrowser('console roles and tenants in the browser; the page works with the network cut', () => {
  let world: PostingWorld;
  let browser: Browser;
  let otherConnection: string;
  let blockedPayroll: string;
  let postedPayroll: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    const mapping = specMapping();
    delete mapping.accounts.netPay; // every payroll pays net pay: it blocks, so a replay would be on offer
    world = await postingWorld({ mapping });
    blockedPayroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 }).uuid;
    await postingWithStatus(world, blockedPayroll, 'needs_attention');
    expect((await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, specMapping())).status).toBe(200);
    postedPayroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2 }).uuid;
    await postingWithStatus(world, postedPayroll, 'posted');
    otherConnection = await createConnection(world, {}, 'Other Tenant Ltd');
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('an auditor key sees the postings, the reason and the audit trail, and is offered no change anywhere', async () => {
    const key = await newKey(world, 'Acme auditor', 'auditor', [world.connectionId]);
    const { context, page, outside } = await serviceOnlyContext(browser, world.service.url);
    try {
      await signInWith(page, world.service.url, key.secret);
      expect(await page.getByTestId('principal').textContent()).toBe('Acme auditor · Auditor (read only)');
      await page.getByTestId('connection-row').first().waitFor();
      expect(await page.getByTestId('connection-row').count()).toBe(1);
      await expectNoChangeOffered(page);

      await openPage(page, world.service.url, '/postings', 'Postings');
      await page.locator(`[data-testid="posting-row"][data-payroll-uuid="${postedPayroll}"]`).waitFor();
      expect(await page.getByTestId('posting-row').count()).toBe(2);

      await page.goto(`${world.service.url}/console/#/postings/${postingIdOf(world, blockedPayroll)}`);
      await page.getByTestId('posting-reason').waitFor();
      expect(await page.getByTestId('posting-status').textContent()).toBe('Needs attention');
      expect(await page.getByTestId('posting-reason').textContent()).toContain('netPay');
      await page.locator('[data-testid="audit-event"][data-event-type="PostingBlocked"]').waitFor();
      await expectNoChangeOffered(page); // no replay for an auditor, even for a posting that needs it
      await screenshots(page, 'auditor-posting-detail');

      await openPage(page, world.service.url, '/mapping', /^Mapping/);
      await page.getByText('Read only: your key may look at the mapping but not change it.').waitFor();
      expect(await page.getByLabel('Account for earnings', { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByLabel('Account for earnings', { exact: true }).inputValue()).toBe('60000');
      await expectNoChangeOffered(page);
      await screenshots(page, 'auditor-mapping');

      await openPage(page, world.service.url, '/employees', 'Employees');
      await page.getByText(/employee\(s\) loaded/).waitFor();
      await expectNoChangeOffered(page);

      await openPage(page, world.service.url, '/audit', 'Audit trail');
      await page.getByTestId('audit-event').first().waitFor();
      expect(await page.getByTestId('audit-event').count()).toBeGreaterThan(5);
      await expectNoChangeOffered(page);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a tenant key sees only its connection: the other one is neither listed nor offered', async () => {
    const key = await newKey(world, 'Other tenant operator', 'operator', [otherConnection]);
    const { context, page } = await serviceOnlyContext(browser, world.service.url);
    try {
      await signInWith(page, world.service.url, key.secret);
      const rows = page.getByTestId('connection-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-connection-id')).toBe(otherConnection);
      expect(await page.getByRole('combobox', { name: 'Connection' }).locator('option').allTextContents()).toEqual([
        'Other Tenant Ltd',
      ]);
      // An operator: test and Gusto authorization are offered, creating connections is not (no key for every connection).
      expect(await rows.first().getByRole('button', { name: 'Test' }).count()).toBe(1);
      expect(await rows.first().getByRole('button', { name: 'Connect to Gusto' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'New connection' }).count()).toBe(0);

      await openPage(page, world.service.url, '/postings', 'Postings');
      await page.getByText('No posting matches.').waitFor();
      expect(await page.getByTestId('posting-row').count()).toBe(0);
      // A posting of the other tenant, asked for by its id, is not there.
      await page.goto(`${world.service.url}/console/#/postings/${postingIdOf(world, postedPayroll)}`);
      await page.getByText(/The posting could not be loaded/).waitFor();
      expect(await page.getByTestId('posting-batch').count()).toBe(0);

      // Signing out ends the session for good: a reload shows the sign-in page again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('sign-in-key').waitFor();
      await page.reload();
      await page.getByTestId('sign-in-key').waitFor();
      expect(await page.getByTestId('connection-row').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('a Gusto consent for a company not named comes back awaiting confirmation; the operator who started it confirms it', async () => {
    // Gusto's consent sends the browser back to the service: the callback must name the port it listens on.
    world.service.config.gusto.redirectUri = `${world.service.url}/oauth/gusto/callback`;
    const connectionId = await createConnection(world, {}, 'Gamma Works');
    const company = world.gusto.scenario.createCompany({ name: 'Gamma Payroll' } as never);
    const key = await newKey(world, 'Gamma operator', 'operator', [connectionId]);
    const { context, page, outside } = await serviceOnlyContext(browser, world.service.url, [world.gusto.url]);
    try {
      await signInWith(page, world.service.url, key.secret);
      const row = page.getByTestId('connection-row');
      await row.first().waitFor();
      world.gusto.scenario.authorizeNext(company.uuid);
      await row.getByRole('button', { name: 'Connect to Gusto' }).click(); // no company ID named
      const ask = page.getByTestId('gusto-confirm');
      await ask.waitFor();
      expect(await ask.textContent()).toContain(`“Gamma Payroll” (company ${company.uuid})`);
      expect((await world.api('GET', `/api/connections/${connectionId}`)).body.gusto.status).toBe('not_connected');
      await ask.getByRole('button', { name: 'Confirm this company' }).click();
      await page.getByText('Gusto is connected.').waitFor();
      await row
        .getByTestId('gusto-status')
        .filter({ hasText: /^Connected$/ })
        .waitFor();
      expect((await world.api('GET', `/api/connections/${connectionId}`)).body.gusto).toEqual({
        companyUuid: company.uuid,
        status: 'connected',
      });
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with the network cut every page still loads and works: no request leaves the service', async () => {
    const { context, page, outside, pageErrors } = await serviceOnlyContext(browser, world.service.url);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    try {
      // Signed in with the keyboard alone: the key field is the first stop, Enter submits.
      await page.goto(`${world.service.url}/console/`);
      await page.getByTestId('sign-in-key').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.type(TEST_ADMIN_TOKEN);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      for (const [route, heading] of PAGES) {
        await openPage(page, world.service.url, route, heading);
        await page.waitForLoadState('networkidle');
        // Every control has a name a screen reader can read out.
        expect(await page.evaluate(UNLABELLED_CONTROLS)).toEqual([]);
      }
      await page.goto(`${world.service.url}/console/#/postings/${postingIdOf(world, postedPayroll)}`);
      await page.getByTestId('posting-batch').filter({ hasText: /\S/ }).waitFor();
      await page.getByTestId('audit-event').first().waitFor();
      await page.reload();
      await page.getByTestId('posting-status').waitFor();
      expect(outside).toEqual([]);
      expect(pageErrors).toEqual([]);
      const origins = new Set(requested.map((u) => new URL(u).origin));
      expect([...origins]).toEqual([new URL(world.service.url).origin]);
      expect(requested.some((u) => /\/console\/assets\/.+\.js$/.test(u))).toBe(true);
      expect(requested.some((u) => /\/console\/assets\/.+\.css$/.test(u))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

/** Form controls and buttons without an accessible name (label, aria-label or text), described by tag and value. */
const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 120))`;

/** No control that changes anything: no save, replay, test, Gusto authorization, new connection or preview. */
async function expectNoChangeOffered(page: Page): Promise<void> {
  for (const testId of ['mapping-save', 'replay-button']) expect(await page.getByTestId(testId).count()).toBe(0);
  for (const name of [
    'Test',
    'Sync with Gusto now',
    'Preview journal',
    'Add override',
    'Add department subaccount',
    'Add employee department',
  ])
    expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
  for (const name of [/Connect to Gusto|Reconnect Gusto/, /^Confirm this company$/])
    expect(await page.getByRole('button', { name }).count()).toBe(0);
  expect(await page.getByRole('link', { name: /^New connection$/ }).count()).toBe(0);
}
