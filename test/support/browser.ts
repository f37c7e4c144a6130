import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';

/** What the dashboard's browser tests share: the built app, Debian's chromium, and screenshots for the README. */

export const ROOT = resolve(__dirname, '../..');
export const DASHBOARD_DIR = join(ROOT, 'apps/dashboard');
export const DASHBOARD_DIST = join(DASHBOARD_DIR, 'dist');
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds apps/dashboard/dist when it is missing or older than the dashboard's sources. Vite is
 * ESM-only and jest compiles tests to CommonJS (import() becomes require()), so the build runs
 * as `vite build` in a child process: the same command as the npm script.
 */
export async function buildDashboard(): Promise<void> {
  const built = join(DASHBOARD_DIST, 'index.html');
  const newestSource = Math.max(
    ...[join(DASHBOARD_DIR, 'index.html'), join(DASHBOARD_DIR, 'vite.config.ts'), ...filesUnder(join(DASHBOARD_DIR, 'src'))].map(
      (file) => statSync(file).mtimeMs,
    ),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(DASHBOARD_DIR, 'vite.config.ts'), '--logLevel', 'warn'],
    { cwd: ROOT },
  );
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

/** Debian's chromium, never a downloaded one. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
export async function screenshotFor(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: process.env.UPDATE_SCREENSHOTS === '1' ? join(SCREENSHOTS, name) : undefined, fullPage: false });
}
