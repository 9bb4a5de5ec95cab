/**
 * The dashboard in a real browser (Debian's Chromium) against the real service on an embedded
 * SQLite database holding the Jingyuan 2020 sample. Expected numbers are read from the API, the
 * way the page itself gets them.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser, RESULTS_DIR, SCREENSHOT_DIR } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';

const DISTRICT = 'weihai-huancui';
const OFFICE = 'weihai-huancui-jingyuan';
const YEAR = 2020;

async function readyPanel(page: Page, id: string): Promise<void> {
  await page.locator(`#${id}:not([data-state="loading"]):not([data-state="idle"])`).waitFor({ timeout: 15000 });
  const state = await page.locator(`#${id}`).getAttribute('data-state');
  if (state === 'error') throw new Error(`panel ${id} shows an error: ${await page.locator(`#${id}`).innerText()}`);
}

describeWithBrowser('the analysts’ dashboard in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  let metric: (key: string, office?: string) => Promise<number | null>;

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db, { loadSample: true });
    metric = async (key, office = OFFICE) => {
      const res = await app.gql<{ report: { metrics: { value: number | null }[] } }>(`query ($o: String!, $k: MetricKey!) { report(officeCode: $o, year: ${YEAR}) { metrics(keys: [$k]) { value } } }`, { o: office, k: key });
      return res.data!.report.metrics[0]!.value;
    };
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request: Request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
  });

  it('loads the first view, with every request staying on the service', async () => {
    const started = Date.now();
    await page.goto(`${app.url}/`);
    await page.waitForURL(/\/dashboard\//);
    for (const id of ['overview', 'ranking', 'trends', 'channels', 'findings', 'assessment']) await readyPanel(page, id);
    const wallClockMs = Date.now() - started;
    // Evaluated in the page (a string: the test's own tsconfig has no DOM types).
    const timing = await page.evaluate<{ domContentLoadedMs: number; loadMs: number; panelsReadyMs: number }>(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd), loadMs: Math.round(nav.loadEventEnd), panelsReadyMs: Math.round(performance.now()) };
    })()`);
    const figure = { measuredAt: new Date().toISOString(), wallClockMs, ...timing, requests: requests.length };
    fs.writeFileSync(path.join(RESULTS_DIR, 'dashboard-first-view.json'), `${JSON.stringify(figure, null, 2)}\n`);
    console.log(`dashboard first view: ${JSON.stringify(figure)}`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-overview.png') });

    const origin = new URL(app.url).origin;
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(requests.some((url) => url.endsWith('/graphql'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('shows 环翠区 in 2020: the overview counts and the ranking (compareOffices) with 鲸园街道 and its numbers', async () => {
    await page.getByTestId('district-picker').click();
    await page.getByTestId('district-search').fill('环翠');
    await page.locator(`[data-testid="district-options"] li[data-code="${DISTRICT}"]`).click();
    await page.getByTestId('year-picker').selectOption(String(YEAR));
    await readyPanel(page, 'overview');
    await readyPanel(page, 'ranking');
    expect(page.url()).toContain(`district=${DISTRICT}`);

    const items = await metric('proactive.items_total');
    expect(items).not.toBeNull();
    await expect(page.getByTestId('kpi-filed').innerText()).resolves.toContain('1');
    await expect(page.getByTestId('kpi-items').innerText()).resolves.toContain(String(items));

    const row = page.getByTestId('ranking-list').locator('tbody tr', { hasText: '鲸园街道' });
    await row.first().waitFor({ timeout: 15000 });
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    // The service's comparison, read the way the page reads it.
    const compared = await app.gql<{ compareOffices: { groups: { median: number | null }[]; missing: { name: string }[]; rows: { edges: { node: { office: { code: string }; values: { value: number | null; rank: number; differenceFromMedian: number }[] } }[] } } }>(
      `query ($d: String!, $k: MetricKey!) { compareOffices(under: $d, year: ${YEAR}, metrics: [$k], first: 100, missingFirst: 200) { groups { median } missing { name } rows { edges { node { office { code } values { value rank differenceFromMedian } } } } } }`,
      { d: DISTRICT, k: 'proactive.items_total' },
    );
    const mine = compared.data!.compareOffices.rows.edges.find((e) => e.node.office.code === OFFICE)!.node.values[0]!;
    expect(mine.value).toBe(items);
    expect(cells[0]).toBe(String(mine.rank));
    expect(cells[2]).toBe(String(items));
    expect(cells[3]).toBe('100%');
    expect(cells[4]).toBe(mine.differenceFromMedian > 0 ? `+${mine.differenceFromMedian}` : String(mine.differenceFromMedian));
    await expect(page.locator('#ranking caption').innerText()).resolves.toContain(`中位数 ${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(compared.data!.compareOffices.groups[0]!.median!)}`);
    // Offices without a report are listed apart, not ranked.
    const missing = compared.data!.compareOffices.missing.map((m) => m.name);
    if (missing.length > 0) {
      const listed = await page.getByTestId('ranking-missing').innerText();
      for (const name of missing) expect(listed).toContain(name);
      for (const name of missing) await expect(page.getByTestId('ranking-list').locator('tbody tr', { hasText: name }).count()).resolves.toBe(0);
    }
    await page.locator('#ranking').screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-ranking.png') });
  });

  it('re-ranks when the metric changes, and shows the numbers behind the chart in one click', async () => {
    const key = 'channels.wechat.items';
    const wechat = await metric(key);
    await page.getByTestId('metric-picker').selectOption(key);
    await readyPanel(page, 'ranking');
    await expect(page.locator('#ranking caption').innerText()).resolves.toContain('微信公众号');
    const row = page.getByTestId('ranking-list').locator('tbody tr', { hasText: '鲸园街道' });
    await expect(row.locator('td').nth(2).innerText()).resolves.toBe(String(wechat));

    await expect(page.getByTestId('channels-chart').count()).resolves.toBe(1);
    await page.locator('#channels').screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-channels.png') });
    await page.getByTestId('channels-toggle').click();
    const channelRow = page.getByTestId('channels-table').locator('tbody tr', { hasText: '和谐鲸园' });
    await expect(channelRow.locator('td').nth(3).innerText()).resolves.toBe(String(wechat));
  });

  it('opens an office’s trend from the ranking, 2019 to the latest year', async () => {
    await page.getByTestId('ranking-list').locator('button[data-trend]', { hasText: '鲸园街道' }).click();
    await readyPanel(page, 'trends');
    await expect(page.getByTestId('trend-picker').inputValue()).resolves.toBe(OFFICE);
    await page.getByTestId('trends-toggle').click();
    const yearRow = page.getByTestId('trends-table').locator('tbody tr', { hasText: `${YEAR}年` });
    await expect(yearRow.locator('td').nth(2).innerText()).resolves.toBe(String(await metric('channels.wechat.items')));
    const years = await page.getByTestId('trends-table').locator('tbody tr td:first-child').allInnerTexts();
    expect(years[0]).toBe('2019年');
    await page.getByTestId('trends-toggle').click();
  });

  it('marks the 2021 template change and shows a non-comparable measure as such', async () => {
    // A 2021 report (2021 format) for the same office, written through the public API.
    const written = await app.gql(
      `mutation ($input: ReportInput!) { upsertReport(input: $input) { id year templateFormat } }`,
      {
        input: {
          officeCode: OFFICE,
          year: 2021,
          metrics: [
            { key: 'proactive.items_total', value: 912 },
            { key: 'proactive.rules.issued', value: 3 },
          ],
          channels: [{ kind: 'WECHAT', name: '和谐鲸园', items: 600 }],
        },
      },
    );
    expect(written.errors).toBeUndefined();
    await page.getByTestId('metric-picker').selectOption('proactive.rules.made');
    await readyPanel(page, 'trends');
    const notes = await page.locator('#trends .notes').innerText();
    expect(notes).toContain('不可比');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-trends.png') });
    await page.getByTestId('trends-toggle').click();
    const rows = page.getByTestId('trends-table').locator('tbody tr');
    await expect(rows.locator('td:first-child').allInnerTexts()).resolves.toEqual(['2019年', '2020年', '2021年']);
    const row2021 = await rows.nth(2).locator('td').allInnerTexts();
    expect(row2021[1]).toBe('2021版');
    expect(row2021[3]).toContain('不可比');
    expect(row2021[4]).toBe('3');
    await page.getByTestId('trends-toggle').click();

    // A comparable measure continues across 2021, with the change from 2020.
    await page.getByTestId('metric-picker').selectOption('channels.wechat.items');
    await readyPanel(page, 'trends');
    await page.getByTestId('trends-toggle').click();
    const wechat2021 = await page.getByTestId('trends-table').locator('tbody tr', { hasText: '2021年' }).locator('td').allInnerTexts();
    const wechat2020 = (await metric('channels.wechat.items'))!;
    expect(wechat2021[2]).toBe('600');
    expect(wechat2021[3]).toBe(`+${600 - wechat2020}`);
  });

  it('says the assessment needs an analyst token when there is none', async () => {
    await readyPanel(page, 'assessment');
    await expect(page.locator('#assessment').getAttribute('data-state')).resolves.toBe('locked');
    await expect(page.getByTestId('assessment-locked').innerText()).resolves.toContain('需要分析员令牌');
    await expect(page.getByTestId('assessment-error').count()).resolves.toBe(0);
    await expect(page.getByTestId('assessment-download').count()).resolves.toBe(0);
  });

  it('shows an empty state for a district with no offices under it, and sends the analyst token', async () => {
    await page.getByTestId('district-picker').click();
    await page.getByTestId('district-search').fill('鲸园');
    // The assessment loads only once the other views have drawn (charts on a busy machine can take
    // longer than networkidle's 500 ms): its answer for this district is waited for explicitly.
    const assessed = page.waitForResponse((r) => {
      const body = r.request().postData() ?? '';
      return r.url().endsWith('/graphql') && body.includes('"operationName":"Assessment"') && body.includes(`"district":"${OFFICE}"`);
    });
    await page.locator(`[data-testid="district-options"] li[data-code="${OFFICE}"]`).click();
    await readyPanel(page, 'overview');
    await expect(page.getByTestId('overview-empty').innerText()).resolves.toContain('没有机关');

    // A real analyst token: the service refuses credentials that do not verify. Requests the page
    // started before the token was entered (the rest of the office tree loads after the first view,
    // the assessment after the other views) are let finish first, so that only requests made with
    // the token are looked at.
    await assessed;
    await page.waitForLoadState('networkidle');
    const token = await app.createToken('analyst');
    const sent: (string | undefined)[] = [];
    const listener = (request: Request) => {
      if (request.url().endsWith('/graphql')) sent.push(request.headers()['authorization']);
    };
    page.on('request', listener);
    await page.getByTestId('token').fill(token);
    await page.getByTestId('token').press('Enter');
    await page.getByTestId('token').blur();
    await readyPanel(page, 'overview');
    page.off('request', listener);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => h === `Bearer ${token}`)).toBe(true);
    await expect(page.evaluate<string | null>(`localStorage.getItem('disclosure-graph.token')`)).resolves.toBe(token);

    await page.getByTestId('district-picker').click();
    await page.getByTestId('district-search').fill('环翠');
    await page.locator(`[data-testid="district-options"] li[data-code="${DISTRICT}"]`).click();
    await readyPanel(page, 'overview');
  });

  it('shows the assessment with the analyst token, and downloads the workbook with it', async () => {
    // The token is stored by the test before; the district is 环翠区 again. The panel may still show
    // its locked state from before the token was entered, so wait for it to be ready, not just settled.
    await page.locator('#assessment[data-state="ready"]').waitFor({ timeout: 20000 });
    const expected = await app.gql<{ assessment: { under: { name: string }; rows: { edges: { node: { office: { code: string }; score: number } }[] } } }>(
      `query ($d: String!) { assessment(under: $d, year: ${YEAR}, first: 100) { under { name } rows { edges { node { office { code } score } } } } }`,
      { d: DISTRICT },
    );
    expect(expected.errors).toBeUndefined();
    const score = expected.data!.assessment.rows.edges.find((e) => e.node.office.code === OFFICE)!.node.score;
    const row = page.getByTestId('assessment-table').locator('tbody tr', { hasText: '鲸园街道' });
    await row.first().waitFor({ timeout: 15000 });
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe(String(score));
    await page.locator('#assessment').screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-assessment.png') });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.getByTestId('assessment-download').click()]);
    expect(download.suggestedFilename()).toBe(`政务公开考核-${expected.data!.assessment.under.name}-${YEAR}.xlsx`);
    const file = path.join(RESULTS_DIR, 'dashboard-assessment.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const summary = workbook.getWorksheet('汇总');
    expect(summary).toBeDefined();
    const rows: unknown[][] = [];
    summary!.eachRow((r) => rows.push(r.values as unknown[]));
    // Column 1 the rank, columns 2 and 3 the office's code and its full name (鲸园街道办事处).
    const jingyuan = rows.find((values) => values[2] === OFFICE);
    expect(jingyuan).toBeDefined();
    expect(String(jingyuan![3])).toContain('鲸园街道');
    await expect(page.getByTestId('assessment-download-status').innerText()).resolves.toContain('已下载');
  });

  it('lists the consistency findings and opens the report’s numbers', async () => {
    await readyPanel(page, 'findings');
    await page.locator('#findings button[data-report]', { hasText: '鲸园街道' }).click();
    await readyPanel(page, 'report');
    const received = page.getByTestId('report-table').locator('tbody tr', { hasText: 'applications.received.total' });
    await expect(received.locator('td').nth(2).innerText()).resolves.toBe(String(await metric('applications.received.total')));
  });

  it('lists offices whose report leaves the metric blank apart from the ranked ones', async () => {
    // Two more offices under 环翠区 for 2020: one states the metric, one leaves it blank.
    for (const [code, name, value] of [['weihai-huancui-e2e-stated', '测试甲街道', 7], ['weihai-huancui-e2e-blank', '测试乙街道', null]] as const) {
      const office = await app.gql(`mutation ($i: OfficeInput!) { upsertOffice(input: $i) { code } }`, { i: { code, name, kind: 'SUB_DISTRICT', parentCode: DISTRICT } });
      expect(office.errors).toBeUndefined();
      const report = await app.gql(`mutation ($input: ReportInput!) { upsertReport(input: $input) { id } }`, {
        input: { officeCode: code, year: YEAR, metrics: [{ key: 'proactive.items_total', value: 1 }, { key: 'proactive.rules.made', value }] },
      });
      expect(report.errors).toBeUndefined();
    }
    await page.getByTestId('metric-picker').selectOption('proactive.rules.made');
    await readyPanel(page, 'ranking');
    const ranked = await page.getByTestId('ranking-list').locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(ranked).toContain('测试甲街道');
    expect(ranked).not.toContain('测试乙街道');
    const unstated = await page.getByTestId('ranking-unstated').innerText();
    expect(unstated).toContain('测试乙街道');
    expect(unstated).toContain('不排名');
    // The first office by value carries the service's dense rank 1.
    const first = await page.getByTestId('ranking-list').locator('tbody tr').first().locator('td').allInnerTexts();
    expect(first[0]).toBe('1');
    expect(first[1]).toBe('测试甲街道');
  });

  it('says what failed when the API is down', async () => {
    await app.close();
    // A metric not shown yet, so nothing can come from the page's cache.
    await page.getByTestId('metric-picker').selectOption('channels.weibo.items');
    const error = page.getByTestId('ranking-error');
    await error.waitFor({ timeout: 15000 });
    const text = await error.innerText();
    expect(text).toContain('加载排名');
    expect(text).toContain('CompareOffices');
    expect(text).toContain('无法连接 API');
    await expect(page.getByTestId('trends-error').innerText()).resolves.toContain('DistrictTimeSeries');
    // The report's numbers opened above: bring the failed panels into view for the screenshot.
    await page.locator('#ranking').scrollIntoViewIfNeeded();
    await page.evaluate(`window.scrollBy(0, -80)`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-api-down.png') });
  });
});
