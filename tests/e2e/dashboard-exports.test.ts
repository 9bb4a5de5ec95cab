/**
 * The panels' download buttons in a real browser, on a service that refuses anonymous callers
 * (PUBLIC_ACCESS off): the file is fetched with the stored token, saved under the service's name,
 * and holds the numbers the GraphQL API gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser, RESULTS_DIR } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { readCsv, readSheet, readWorkbook } from '../exports/support';

const DISTRICT = 'weihai-huancui';
const OFFICE = 'weihai-huancui-jingyuan';
const YEAR = 2020;
const METRIC = 'proactive.items_total';

async function readyPanel(page: Page, id: string): Promise<void> {
  await page.locator(`#${id}:not([data-state="loading"]):not([data-state="idle"])`).waitFor({ timeout: 15000 });
  const state = await page.locator(`#${id}`).getAttribute('data-state');
  if (state !== 'ready') throw new Error(`panel ${id} is ${state}: ${await page.locator(`#${id}`).innerText()}`);
}

describeWithBrowser('downloads from the dashboard panels in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;
  const exportRequests: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db, { loadSample: true, security: { publicAccess: false } });
    token = await app.createToken('analyst');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    // The analyst's token is in the page's storage before it loads, as after entering it once.
    await page.addInitScript(`localStorage.setItem('disclosure-graph.token', ${JSON.stringify(token)})`);
    page.on('request', (request: Request) => {
      if (new URL(request.url()).pathname.startsWith('/exports/')) exportRequests.push({ url: request.url(), authorization: request.headers()['authorization'] });
    });
    await page.goto(`${app.url}/dashboard/#district=${DISTRICT}&year=${YEAR}&metric=${METRIC}&trend=${OFFICE}`);
    for (const id of ['overview', 'ranking', 'channels']) await readyPanel(page, id);
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
  });

  async function download(testId: string, name: string): Promise<{ file: string; suggested: string }> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.getByTestId(testId).click()]);
    const saved = path.join(RESULTS_DIR, name);
    await file.saveAs(saved);
    return { file: saved, suggested: file.suggestedFilename() };
  }

  it('the ranking panel downloads its comparison as .xlsx, with the token, the numbers GraphQL gives', async () => {
    const compared = await app.gql<any>(`{ compareOffices(under: "${DISTRICT}", year: ${YEAR}, metrics: ["${METRIC}"], first: 100) { rows { edges { node { office { code } values { value rank share } } } } } }`);
    expect(compared.errors).toBeUndefined();
    const { file, suggested } = await download('ranking-download-xlsx', 'dashboard-ranking.xlsx');
    expect(suggested).toBe(`多机关比较-环翠区-${YEAR}.xlsx`);
    const sheet = readSheet((await readWorkbook(fs.readFileSync(file))).getWorksheet('比较')!);
    expect(sheet.lines[0]).toContain(`compareOffices(year: ${YEAR}, metrics: ["${METRIC}"], under: "${DISTRICT}"`);
    expect(sheet.rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(compared.data.compareOffices.rows.edges.map((e: any) => [e.node.office.code, e.node.values[0].value, e.node.values[0].rank, e.node.values[0].share]));
    await page.getByTestId('ranking-download-status').filter({ hasText: '已下载' }).waitFor({ timeout: 15000 });
    const sent = exportRequests.filter((r) => r.url.includes('/exports/compare-offices.xlsx'));
    expect(sent.length).toBe(1);
    expect(sent[0]!.authorization).toBe(`Bearer ${token}`);
  });

  it('the channels panel downloads its table as .csv: the channels of every report of the district', async () => {
    const report = await app.gql<any>(`{ report(officeCode: "${OFFICE}", year: ${YEAR}) { channels { name items } } }`);
    const { file, suggested } = await download('channels-download-csv', 'dashboard-channels.csv');
    expect(suggested).toBe(`辖区年报-环翠区-${YEAR}-公开渠道.csv`);
    const csv = readCsv(fs.readFileSync(file));
    expect(csv.header.slice(0, 3)).toEqual(['机关编码 / Office code', '机关名称 / Office', '渠道类型 / Channel kind']);
    // The file lists channels by kind and name; the report in the order they were written.
    const byName = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    const mine = csv.rows.filter((r) => r[0] === OFFICE).map((r) => [r[3] || null, r[4] === '' ? null : Number(r[4])]);
    expect(mine.sort(byName)).toEqual(report.data.report.channels.map((c: any) => [c.name, c.items]).sort(byName));
    expect(exportRequests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
  });

  it('each panel builds its file\'s URL from the query it shows', async () => {
    const url = async (testId: string) => decodeURIComponent((await page.getByTestId(testId).getAttribute('data-url')) ?? '');
    await readyPanel(page, 'trends');
    await readyPanel(page, 'findings');
    await expect(url('ranking-download-csv')).resolves.toBe(`/exports/compare-offices.csv?under=${DISTRICT}&year=${YEAR}&metrics=${METRIC}&orderBy=${METRIC}&direction=DESC`);
    await expect(url('overview-download-reports')).resolves.toBe(`/exports/district-reports.xlsx?under=${DISTRICT}&year=${YEAR}`);
    await expect(url('overview-download-xlsx')).resolves.toMatch(new RegExp(`^/exports/compare-offices\\.xlsx\\?under=${DISTRICT}&year=${YEAR}&metrics=proactive\\.items_total,`));
    await expect(url('trends-download-csv')).resolves.toMatch(new RegExp(`^/exports/year-over-year\\.csv\\?officeCode=${OFFICE}&metrics=${METRIC}&fromYear=2019&toYear=\\d{4}$`));
    await expect(url('findings-download-xlsx')).resolves.toBe(`/exports/district-reports.xlsx?under=${DISTRICT}&year=${YEAR}&table=findings`);
    // The trend's file opens: the office's year-over-year, as the panel's table shows it.
    const { file } = await download('trends-download-xlsx', 'dashboard-trends.xlsx');
    const sheet = readSheet((await readWorkbook(fs.readFileSync(file))).worksheets[0]!);
    const row = sheet.rows.find((r) => r[2] === YEAR)!;
    const items = await app.gql<any>(`{ report(officeCode: "${OFFICE}", year: ${YEAR}) { metrics(keys: ["${METRIC}"]) { value } } }`);
    expect(row[5]).toBe(items.data.report.metrics[0].value);
  });

  it('without the token the download is refused and the panel says so', async () => {
    await page.evaluate(`localStorage.removeItem('disclosure-graph.token')`);
    await page.getByTestId('overview-download-csv').click();
    const status = page.getByTestId('overview-download-status');
    await status.filter({ hasText: '下载失败' }).waitFor({ timeout: 15000 });
    await expect(status.innerText()).resolves.toContain('HTTP 401');
    await expect(status.getAttribute('role')).resolves.toBe('alert');
  });
});
