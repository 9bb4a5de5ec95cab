/**
 * The dashboard at real sizes (issue 19): the demo province's generator builds one city of 2,000
 * offices in ten districts of about 200, once, into a temporary SQLite database; Chromium opens a
 * 200-office district and the 2,000-office city at 1440×900 and measures the page height, the
 * tallest chart, the charts actually drawn (canvas pixels, not just elements) and the time until
 * every view has its data. The figures are printed and written to test-results/dashboard-scale.json;
 * the times are recorded, not asserted (speed targets live in the benchmark): the first view (in
 * the page, from the start of the navigation, until every panel inside the 1440×900 viewport holds
 * its data), all five views (seen from the test), and where the time went (each GraphQL request's
 * span, the browser's script and task time, when each script had arrived).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser, RESULTS_DIR, SCREENSHOT_DIR } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';

const OFFICES = 2001;
const YEAR = 2024;
const CITY = 'demo-p-c01';
const DISTRICT = 'demo-p-c01-d01';
const VIEWS = ['overview', 'ranking', 'trends', 'channels', 'findings'] as const;

/** One GraphQL request of a visit, in ms from the start of the navigation. */
interface RequestSpan {
  readonly operation: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly kb: number;
}

interface Figures {
  readonly selection: string;
  readonly offices: number;
  readonly pageHeight: number;
  readonly tallestChart: number;
  readonly chartsDrawn: number;
  /** Test-observed: from before the navigation until all five views are ready (seen from the test process). */
  readonly readyMs: number;
  /**
   * In the page, from the start of the navigation: until every panel inside the 1440×900 viewport
   * holds its data (or says it has none) — what the reader sees first; and which panels those were.
   */
  readonly firstViewMs: number;
  readonly firstViewPanels: readonly string[];
  readonly panels: Record<string, string>;
  /** Where the time went: the GraphQL requests until ready, and the browser's main-thread time (Chromium's Performance metrics). */
  readonly requests: readonly RequestSpan[];
  readonly browser: { scriptMs: number; taskMs: number; layoutMs: number; scripts: Record<string, number> };
}

/**
 * Resolves, in the page, to performance.now() (ms from the start of the navigation) at the first
 * frame where every panel inside the viewport is done: its data shown, or empty, or an error. (A
 * string: the test project's types have no DOM.)
 */
const FIRST_VIEW = `(() => {
  const panels = [...document.querySelectorAll('section.panel')].filter((p) => !p.hidden);
  const seen = panels.filter((p) => { const r = p.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
  const done = seen.length > 0 && seen.every((p) => p.dataset.state && p.dataset.state !== 'loading' && p.dataset.state !== 'idle');
  return done ? { ms: Math.round(performance.now()), panels: seen.map((p) => p.id) } : false;
})()`;

async function waitForFirstView(page: Page): Promise<{ ms: number; panels: string[] }> {
  const handle = await page.waitForFunction(FIRST_VIEW, undefined, { polling: 'raf', timeout: 120000 });
  return (await handle.jsonValue()) as { ms: number; panels: string[] };
}

async function waitForViews(page: Page): Promise<void> {
  for (const id of VIEWS) await page.locator(`#${id}:not([data-state="loading"]):not([data-state="idle"])`).waitFor({ timeout: 120000 });
}

/**
 * Heights and drawn charts as the browser laid them out; a chart counts when its canvas holds ink.
 * (A string: the test project's types have no DOM.)
 */
const MEASURE = `(() => {
  const charts = [...document.querySelectorAll('.chart')];
  const drawn = charts.filter((chart) => {
    const canvas = chart.querySelector('canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4 * 16) if (pixels[i] > 0) ink += 1;
    return ink > 50;
  });
  return {
    pageHeight: document.scrollingElement.scrollHeight,
    tallestChart: Math.max(0, ...charts.map((c) => c.getBoundingClientRect().height)),
    chartsDrawn: drawn.length,
    panels: Object.fromEntries([...document.querySelectorAll('section.panel')].filter((p) => !p.hidden).map((p) => [p.id, p.dataset.state ?? ''])),
  };
})()`;

const SCRIPTS_LOADED = `Object.fromEntries(performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js')).map((e) => [e.name.split('/').pop().replace(/-[\\w-]{8}\\.js$/, ''), Math.round(e.responseEnd)]))`;

type Measured = Omit<Figures, 'selection' | 'offices' | 'readyMs' | 'firstViewMs' | 'firstViewPanels' | 'requests' | 'browser'>;

function measure(page: Page): Promise<Measured> {
  return page.evaluate(MEASURE) as Promise<Measured>;
}

/** The page's GraphQL requests from now on, each with its span (Playwright's resource timing). */
function recordRequests(page: Page, since: () => number): () => Promise<RequestSpan[]> {
  const spans: Promise<RequestSpan>[] = [];
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
    spans.push(
      (async () => {
        const timing = request.timing();
        const sizes = await request.sizes();
        const operation = (JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName ?? 'GraphQL';
        const start = timing.startTime - since();
        return { operation, startMs: Math.round(start), endMs: Math.round(start + timing.responseEnd), kb: Math.round(sizes.responseBodySize / 102.4) / 10 };
      })(),
    );
  });
  return async () => (await Promise.all(spans)).sort((a, b) => a.startMs - b.startMs);
}

describeWithBrowser('the dashboard at real sizes: a 200-office district and a 2,000-office city', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const figures: Figures[] = [];
  let generation: { offices: number; reports: number; seconds: number };

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    db = await createTestDatabase('sqlite');
    generation = await generateDemoData(db.dataSource, { offices: OFFICES, years: [YEAR] });
    app = await startTestApp(db);
    browser = await launchBrowser();
  }, 600000);

  afterAll(async () => {
    if (figures.length) {
      const out = { generated: generation, viewport: '1440x900', figures };
      fs.writeFileSync(path.join(RESULTS_DIR, 'dashboard-scale.json'), `${JSON.stringify(out, null, 2)}\n`);
      console.log(
        figures
          .map((f) =>
            [
              `${f.selection} (${f.offices} offices): page ${f.pageHeight} px, tallest chart ${f.tallestChart} px, ${f.chartsDrawn} charts drawn, first view (${f.firstViewPanels.join(', ')}) ready in ${f.firstViewMs} ms, all views in ${f.readyMs} ms (${f.requests.length} requests; browser: script ${f.browser.scriptMs} ms, tasks ${f.browser.taskMs} ms; scripts loaded ${JSON.stringify(f.browser.scripts)})`,
              ...f.requests.map((r) => `  ${r.operation.padEnd(20)} ${String(r.startMs).padStart(6)} → ${String(r.endMs).padStart(6)} ms  ${r.kb} KB`),
            ].join('\n'),
          )
          .join('\n'),
      );
    }
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
  });

  const officesUnder = async (code: string) => {
    const res = await app.gql<{ offices: { totalCount: number } }>('query ($u: String!) { offices(filter: { under: $u }, first: 1) { totalCount } }', { u: code });
    return res.data!.offices.totalCount;
  };

  async function open(selection: string, shot: string): Promise<{ page: Page; figures: Figures }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let started = 0;
    const requests = recordRequests(page, () => started);
    started = Date.now();
    await page.goto(`${app.url}/dashboard/#district=${selection}&year=${YEAR}`);
    const firstView = await waitForFirstView(page);
    await waitForViews(page);
    const readyMs = Date.now() - started;
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000);
    // When each script had arrived, from the start of the navigation.
    const scripts = (await page.evaluate(SCRIPTS_LOADED)) as Record<string, number>;
    const browserTime = { scriptMs: metric('ScriptDuration'), taskMs: metric('TaskDuration'), layoutMs: metric('LayoutDuration'), scripts };
    const spans = (await requests()).filter((r) => r.endMs <= readyMs);
    const measured = { selection, offices: await officesUnder(selection), readyMs, firstViewMs: firstView.ms, firstViewPanels: firstView.panels, ...(await measure(page)), requests: spans, browser: browserTime };
    figures.push(measured);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, shot), fullPage: true });
    expect(errors).toEqual([]);
    return { page, figures: measured };
  }

  const expectBounded = (f: Figures) => {
    expect(f.pageHeight).toBeLessThanOrEqual(6000);
    expect(f.tallestChart).toBeLessThanOrEqual(1200);
    expect(f.chartsDrawn).toBeGreaterThanOrEqual(3);
    for (const id of VIEWS) expect([id, f.panels[id]]).toEqual([id, 'ready']);
  };

  it('a 200-office district fits a few screens: distribution, top and bottom, a scrolling ranking and paged tables', async () => {
    const { page, figures: f } = await open(DISTRICT, 'dashboard-scale-district.png');
    expect(f.offices).toBeGreaterThanOrEqual(190);
    expectBounded(f);
    // The overview counts every office of the district, and its bands add up to the offices that stated a value.
    await expect(page.getByTestId('kpi-offices').innerText()).resolves.toContain(String(f.offices));
    const bandLabel = (await page.getByTestId('overview-chart').getAttribute('aria-label')) ?? '';
    expect(bandLabel).toContain('收到申请 / received');
    await expect(page.getByTestId('overview-top').locator('li').count()).resolves.toBe(5);
    await expect(page.getByTestId('overview-bottom').locator('li').count()).resolves.toBe(5);
    // The whole ranking is a paged, searchable, sortable table beside the (scrolling) chart.
    const position = page.getByTestId('ranking-list-position');
    await expect(position.innerText()).resolves.toMatch(/共 \d{3} 行/);
    await page.getByTestId('ranking-list-next').click();
    await expect(position.innerText()).resolves.toContain('第 2/');
    // Sorted by a heading: the value column ascending puts the smallest value (the last rank) first.
    const rows = page.locator('[data-testid="ranking-list"] tbody tr');
    const lastRank = Number((await position.innerText()).match(/共 (\d+) 行/)![1]);
    await page.locator('[data-testid="ranking-list"] th', { hasText: '数值 / Value' }).click();
    const firstAscending = Number(await rows.first().locator('td').first().innerText());
    expect(firstAscending).toBeGreaterThan(1);
    expect(firstAscending).toBeLessThanOrEqual(lastRank);
    await page.locator('[data-testid="ranking-list"] th', { hasText: '数值 / Value' }).click();
    await expect(rows.first().locator('td').first().innerText()).resolves.toBe('1');
    await page.getByTestId('ranking-list-search').fill('第17街道');
    await expect(page.locator('[data-testid="ranking-list"] tbody tr').count()).resolves.toBe(1);
    await page.close();
  }, 300000);

  it('a 2,000-office city reads as its districts, one click from each, with breadcrumbs back up', async () => {
    const { page, figures: f } = await open(CITY, 'dashboard-scale-city.png');
    expect(f.offices).toBeGreaterThanOrEqual(1900);
    expectBounded(f);
    await expect(page.getByTestId('kpi-districts').innerText()).resolves.toContain('10');
    // The city's office count is the service's: every office under it.
    const counted = Number((await page.getByTestId('kpi-offices').innerText()).replace(/[^\d]/g, ''));
    expect(counted).toBe(f.offices);
    await page.locator(`#ranking [data-drill="${DISTRICT}"]`).click();
    await waitForViews(page);
    await expect(page.getByTestId('breadcrumbs').innerText()).resolves.toContain('虚构第1市 › 虚构第1市第1区');
    await expect(page.getByTestId('overview-top').count()).resolves.toBe(1);
    await page.getByTestId('breadcrumbs').locator(`button[data-code="${CITY}"]`).click();
    await waitForViews(page);
    await expect(page.getByTestId('kpi-districts').count()).resolves.toBe(1);
    await page.close();
  }, 300000);

  it('opens on the district last chosen, else on the first district-level office with reports at its latest year', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/dashboard/`);
    await waitForViews(page);
    await page.evaluate('localStorage.clear()');
    await page.goto('about:blank');
    await page.goto(`${app.url}/dashboard/`);
    await waitForViews(page);
    expect(page.url()).toContain(`district=${DISTRICT}&year=${YEAR}`);
    // Chosen once, kept: a later visit without a link opens it again. (From a blank page: a change
    // of the hash alone is not a new visit.)
    await page.goto('about:blank');
    await page.goto(`${app.url}/dashboard/#district=demo-p-c01-d03&year=${YEAR}`);
    await waitForViews(page);
    expect(page.url()).toContain('district=demo-p-c01-d03');
    await page.goto('about:blank');
    await page.goto(`${app.url}/dashboard/`);
    await waitForViews(page);
    expect(page.url()).toContain('district=demo-p-c01-d03');
    await page.close();
  }, 300000);
});
