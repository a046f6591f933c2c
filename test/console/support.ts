/**
 * The console's browser tests: headless Chromium (Debian's `chromium`, or MLC_CHROMIUM) driven by
 * playwright-core against the service in-process, the Gusto and Acumatica sandboxes and the real SQLite
 * store. One browser per test file. Without a browser the file is skipped and says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.MLC_CHROMIUM || '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const CONSOLE_SRC = join(ROOT, 'console');
const CONSOLE_INDEX = join(ROOT, 'dist/console/index.html');
export const ARTIFACTS = join(ROOT, 'test-artifacts/console');

/**
 * `describe`, or `describe.skip` when there is no browser to drive: the reason is printed and is also the
 * name of a skipped test, so the list of skipped tests at the end of the run says why.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set MLC_CHROMIUM to a Chromium binary)`;
    console.warn(`${name}: SKIPPED — ${reason}`);
    describe.skip(name, () => {
      it(`SKIPPED: ${reason}`, () => undefined);
      body();
    });
    return;
  }
  describe(name, body);
}

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (max, e) => Math.max(max, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  );

/**
 * `npm run build` builds the console; a test run straight after editing console/ (or without a build)
 * builds it here, so the browser never tests a stale bundle.
 */
export function ensureConsoleBuilt(): void {
  const fresh = () => existsSync(CONSOLE_INDEX) && statSync(CONSOLE_INDEX).mtimeMs >= newest(CONSOLE_SRC);
  if (fresh()) return;
  // Two test files in two workers may both find it stale: one builds (mkdir is the lock), the other waits.
  const lock = join(ROOT, 'dist/.console-build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`${lock} held for 2 minutes: remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fresh()) return;
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'console/vite.config.mts',
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 800 };

/**
 * A fresh browser context (its own cookies) whose every request outside the service is aborted and
 * recorded: the console must work with the network cut.
 */
export async function serviceOnlyContext(
  browser: Browser,
  serviceUrl: string,
  allowed: string[] = [],
): Promise<{ context: BrowserContext; page: Page; outside: string[]; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const outside: string[] = [];
  const origins = new Set([new URL(serviceUrl).origin, ...allowed.map((u) => new URL(u).origin)]);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || origins.has(new URL(url).origin)) return route.continue();
    outside.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.setDefaultTimeout(15_000);
  return { context, page, outside, pageErrors };
}

/** The same page at 1280×800 and at 375 px wide, into test-artifacts/console/ (not committed). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ['1280', DESKTOP],
    ['375', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

export async function signInWith(page: Page, serviceUrl: string, key: string): Promise<void> {
  await page.goto(`${serviceUrl}/console/`);
  await page.getByTestId('sign-in-key').fill(key);
  await page.getByTestId('sign-in-submit').click();
  await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
}

/** Goes to a console page by its hash route and waits for its heading. */
export async function openPage(page: Page, serviceUrl: string, route: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${serviceUrl}/console/#${route}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}
