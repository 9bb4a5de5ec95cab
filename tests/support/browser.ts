/**
 * A real browser for the end-to-end tests: Debian's Chromium driven by playwright-core (no
 * browser download). Without Chromium the suites skip locally, but fail under CI=true or
 * REQUIRE_BROWSER=1 so a CI machine can never pass them by accident.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/paths';
import { DASHBOARD_DIST } from '../../src/server/dashboard';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
/**
 * Where the end-to-end tests save their screenshots: under test-results/ (ignored by git), so a
 * test run never rewrites tracked files. `npm run screenshots` (scripts/screenshots.js) points it
 * at docs/screenshots (SCREENSHOT_OUT) to update the README's pictures on purpose.
 */
const screenshotOut = process.env.SCREENSHOT_OUT ?? process.env.DG_SCREENSHOT_DIR;
export const SCREENSHOT_DIR = screenshotOut ? path.resolve(PROJECT_ROOT, screenshotOut) : path.join(RESULTS_DIR, 'screenshots');
export const VIEWPORT = { width: 1440, height: 900 } as const;

const browserRequired = () => process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';

/** `describe` when Chromium is there; a clear skip (or, when required, a failure) when it is not. */
export function describeWithBrowser(title: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM_PATH)) {
    describe(title, body);
    return;
  }
  const message = `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH)`;
  if (browserRequired()) {
    describe(title, () => {
      it('needs Chromium (CI=true or REQUIRE_BROWSER=1)', () => {
        throw new Error(message);
      });
    });
    return;
  }
  // Deliberate: a developer machine without Chromium still runs every other suite; CI sets
  // REQUIRE_BROWSER=1 (above), where a missing browser fails instead of skipping.
  console.warn(`${message}; skipping "${title}" (set REQUIRE_BROWSER=1 to fail instead).`);
  describe.skip(title, body);
}

/** Chromium on a fresh, throwaway profile (user-data-dir), at the screenshot size. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: VIEWPORT,
    acceptDownloads: true,
    locale: 'zh-CN',
    // The machine may have no network and no GPU: nothing in the browser should try to reach out.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'generated' || entry.name === 'dist') continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the dashboard when dashboard/dist is missing or older than its sources or the schema.
 * Test files run in parallel workers, so the build holds a lock directory: one builds, others wait.
 */
export function ensureDashboardBuilt(): void {
  const index = path.join(DASHBOARD_DIST, 'index.html');
  const fresh = () => {
    const sources = Math.max(newestMtime(path.join(PROJECT_ROOT, 'dashboard')), fs.statSync(path.join(PROJECT_ROOT, 'schema', 'schema.graphql')).mtimeMs);
    return fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources;
  };
  if (fresh()) return;
  const lock = path.join(PROJECT_ROOT, 'dashboard', '.build.lock');
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180000) fs.rmSync(lock, { recursive: true, force: true });
      sleepSync(250);
    }
  }
  try {
    if (!fresh()) execFileSync('npm', ['run', '--silent', 'build:dashboard'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
