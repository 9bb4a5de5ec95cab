/**
 * The 审核 / Review page in a real browser (Debian's Chromium) against the real service on a
 * temporary SQLite database: the Jingyuan 2020 corpus report, imported with a misprinted cell (its
 * table 三 then does not add up), is found in the queue, opened beside its source, the number
 * traced to its span and back, corrected so the finding disappears (and a second reviewer's
 * overtaking write shown as a conflict), confirmed; the assessment (API and panel) and
 * compareOffices then carry the corrected value. Every wait is on a state the page shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser, RESULTS_DIR, SCREENSHOT_DIR } from '../support/browser';
import { readCorpus } from '../support/corpus';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice } from '../support/fixtures';

const DISTRICT = 'weihai-huancui';
const OFFICE = 'weihai-huancui-jingyuan';
const YEAR = 2020;
const KEY = 'applications.received.natural_person';

/** The corpus text with one misprint: 3 new applications from natural persons, in no total. */
function misprinted(): string {
  const lines = readCorpus('2020_weihai-huancui-jingyuan.txt').split('\n');
  const at = lines.findIndex((l) => l.trim() === '一、本年新收政府信息公开申请数量');
  lines[at + 1] = '\t3';
  return lines.join('\n');
}

async function settled(page: Page, id: string): Promise<string> {
  await page.locator(`#${id}:not([data-state="loading"]):not([data-state="idle"])`).waitFor({ timeout: 20000 });
  return (await page.locator(`#${id}`).getAttribute('data-state'))!;
}

type Assessed = { assessment: { rows: { edges: { node: { office: { code: string }; score: number; findingCount: number } }[] } } };
const ASSESSMENT = `{ assessment(under: "${DISTRICT}", year: ${YEAR}, first: 100) { rows { edges { node { office { code } score findingCount } } } } }`;
const COMPARE = `{ compareOffices(under: "${DISTRICT}", year: ${YEAR}, metrics: ["${KEY}"]) { rows { edges { node { office { code } values { metric value } } } } } }`;

describeWithBrowser('the Review page in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let analyst: string;
  let before: { score: number; findingCount: number };
  let source: { line: number; start: number; end: number };
  const pageErrors: string[] = [];
  const assessed = async () => {
    const res = await app.gql<Assessed>(ASSESSMENT, {}, { authorization: `Bearer ${analyst}` });
    expect(res.errors).toBeUndefined();
    return res.data!.assessment.rows.edges.find((e) => e.node.office.code === OFFICE)!.node;
  };

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db);
    await createJingyuanOffices(app);
    await createOffice(app, 'weihai-huancui-zhudao', '竹岛街道办事处', DISTRICT);
    const imported = await app.gql<{ importReport: { status: string } }>(`mutation($text: String!) { importReport(text: $text, officeCode: "${OFFICE}") { status } }`, { text: misprinted() });
    expect(imported.data?.importReport.status).toBe('IMPORTED');
    analyst = await app.createToken('analyst');
    const read = await app.gql<{ report: { findings: unknown[]; metrics: { value: number; source: { line: number; start: number; end: number } }[] } }>(
      `{ report(officeCode: "${OFFICE}", year: ${YEAR}) { findings { code } metrics(keys: ["${KEY}"]) { value source { line start end } } } }`,
    );
    expect(read.data!.report.findings.length).toBeGreaterThan(0);
    expect(read.data!.report.metrics[0]!.value).toBe(3);
    source = read.data!.report.metrics[0]!.source;
    before = await assessed();
    expect(before.findingCount).toBeGreaterThan(0);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
  });

  it('is reached from the navigation, locked without a token, and lists the queue with an analyst token', async () => {
    await page.goto(`${app.url}/dashboard/`);
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-page').waitFor();
    expect(page.url()).toContain('#view=review');
    expect(await settled(page, 'review-queue')).toBe('locked');
    await expect(page.getByTestId('review-queue-locked').innerText()).resolves.toContain('需要分析员或编辑令牌');

    await page.getByTestId('review-token').fill(analyst);
    await page.getByTestId('review-token').press('Enter');
    await page.locator('#review-queue[data-state="ready"]').waitFor({ timeout: 20000 });
    await expect(page.getByTestId('district-picker').innerText()).resolves.toContain('环翠区');
    await expect(page.getByTestId('review-count-UNREVIEWED').getAttribute('data-count')).resolves.toBe('1');
    await expect(page.getByTestId('review-count-CONFIRMED').getAttribute('data-count')).resolves.toBe('0');
    await expect(page.getByTestId('review-missing').innerText()).resolves.toContain('竹岛街道办事处');
    const row = page.locator(`[data-testid="review-queue-table"] tbody tr[data-office="${OFFICE}"]`);
    await expect(row.locator('td[data-col="openFindings"]').innerText()).resolves.toBe(String(before.findingCount));
  });

  it('opens the report beside its source: findings on their cells, a number traced to its span and a line back to its numbers', async () => {
    await page.locator(`[data-testid="review-queue-table"] button[data-office="${OFFICE}"]`).click();
    await page.locator('#review-report[data-state="ready"]').waitFor({ timeout: 20000 });
    expect(page.url()).toContain(`report=${OFFICE}`);
    await expect(page.getByTestId('review-state').getAttribute('data-state')).resolves.toBe('UNREVIEWED');
    await expect(page.getByTestId('review-help').innerText()).resolves.toContain('f 下一个问题');
    const cellRow = page.locator(`[data-testid="review-tables"] tr[data-key="${KEY}"]`);
    await expect(cellRow.getByTestId('review-cell-finding').count()).resolves.toBe(1);
    await expect(page.getByTestId('review-findings').getAttribute('data-open')).resolves.toBe(String(before.findingCount));

    // Number → source: its span marked, on the line the API names, scrolled into the source pane.
    await cellRow.getByTestId('review-value').click();
    const mark = page.locator('[data-testid="review-source"] mark.src-value.active');
    await mark.waitFor();
    await expect(mark.innerText()).resolves.toBe('3');
    await expect(mark.evaluate((m) => m.closest('.src-line')!.getAttribute('data-line'))).resolves.toBe(String(source.line));
    const visible = await mark.evaluate((m) => {
      const pane = m.closest('.review-source')!.getBoundingClientRect();
      const box = m.getBoundingClientRect();
      return box.top >= pane.top && box.bottom <= pane.bottom;
    });
    expect(visible).toBe(true);
    await expect(page.getByTestId('review-correct-key').inputValue()).resolves.toBe(KEY);
    // The whole page: the queue above, the report beside its source below.
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-review.png'), fullPage: true });

    // a: the chosen value's table accepted as read, at this revision; the value stays chosen.
    await page.keyboard.press('a');
    await page.locator('[data-testid="review-accept-APPLICATIONS"]', { hasText: '已确认本表' }).waitFor();
    await expect(page.getByTestId('review-state').getAttribute('data-state')).resolves.toBe('IN_REVIEW');
    await expect(page.locator('[data-testid="review-source"] mark.src-value.active').innerText()).resolves.toBe('3');

    // Source → numbers: a click on the line marks the values read from it.
    await page.locator(`[data-testid="review-source"] .src-line[data-line="${source.line}"] .src-number`).click();
    await page.locator(`[data-testid="review-tables"] tr.from-line[data-key="${KEY}"]`).waitFor();

    // f: the next open finding, its cells marked.
    await page.locator('body').press('f');
    await page.locator('[data-testid="review-findings"] li.current').waitFor();
    await page.locator(`[data-testid="review-tables"] tr.finding-focus[data-key="${KEY}"]`).waitFor();
  });

  it('corrects the number so the finding disappears, shows a second reviewer’s overtaking write as a conflict, and confirms', async () => {
    await page.locator(`[data-testid="review-tables"] tr[data-key="${KEY}"] [data-testid="review-value"]`).click();
    await page.getByTestId('review-correct-value').fill('0');
    await page.getByTestId('review-correct-reason').fill('原文PDF该格为0，网页版误为3');
    await page.getByTestId('review-correct-submit').click();
    await page.locator('[data-testid="review-revision"][data-revision="2"]').waitFor({ timeout: 20000 });
    await page.getByTestId('review-no-findings').waitFor();
    await expect(page.getByTestId('review-cell-finding').count()).resolves.toBe(0);
    await expect(page.locator(`[data-testid="review-tables"] tr[data-key="${KEY}"] [data-testid="review-value"]`).innerText()).resolves.toBe('0');
    // The table accepted at revision 1 changed since: it asks for a new look.
    await expect(page.getByTestId('review-accept-APPLICATIONS').innerText()).resolves.toContain('Accept table');
    await expect(page.locator(`[data-testid="review-corrections"] li[data-key="${KEY}"]`).innerText()).resolves.toContain('原文PDF该格为0');

    // Another reviewer corrects the report meanwhile (revision 3): this page still shows 2.
    const other = await app.gql(`mutation { correctMetrics(input: { officeCode: "${OFFICE}", year: ${YEAR}, revision: 2, changes: [{ key: "proactive.licensing.decisions", value: 2, reason: "另一审核人" }] }) { revision } }`, {}, { authorization: `Bearer ${await app.createToken('analyst')}` });
    expect(other.errors).toBeUndefined();
    await page.locator('[data-testid="review-tables"] tr[data-key="proactive.rules.made"] [data-testid="review-value"]').click();
    await page.getByTestId('review-correct-value').fill('1');
    await page.getByTestId('review-correct-reason').fill('试图覆盖');
    await page.getByTestId('review-correct-submit').click();
    const conflict = page.getByTestId('review-conflict');
    await conflict.waitFor();
    await expect(conflict.innerText()).resolves.toMatch(/第2版[\s\S]*第3版/);
    await page.getByTestId('review-reload').click();
    await page.locator('[data-testid="review-revision"][data-revision="3"]').waitFor({ timeout: 20000 });
    await expect(page.locator('[data-testid="review-tables"] tr[data-key="proactive.rules.made"] [data-testid="review-value"]').innerText()).resolves.toBe('0');

    // c: confirm, and the queue counts it.
    await page.locator('body').press('c');
    await page.locator('[data-testid="review-state"][data-state="CONFIRMED"]').waitFor({ timeout: 20000 });
    await page.locator('[data-testid="review-count-CONFIRMED"][data-count="1"]').waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'review-confirmed.png') });
    expect(pageErrors).toEqual([]);
  });

  it('the assessment (API and panel) and compareOffices carry the corrected value', async () => {
    const after = await assessed();
    expect(after.findingCount).toBe(0);
    expect(after.score).toBeGreaterThan(before.score);
    const compared = await app.gql<{ compareOffices: { rows: { edges: { node: { office: { code: string }; values: { metric: string; value: number | null }[] } }[] } } }>(COMPARE, {}, { authorization: `Bearer ${analyst}` });
    expect(compared.errors).toBeUndefined();
    expect(compared.data!.compareOffices.rows.edges.find((e) => e.node.office.code === OFFICE)!.node.values).toEqual([{ metric: KEY, value: 0 }]);

    await page.goto(`${app.url}/dashboard/#district=${DISTRICT}&year=${YEAR}`);
    expect(await settled(page, 'assessment')).toBe('ready');
    const row = page.getByTestId('assessment-table').locator('tbody tr', { hasText: '鲸园街道' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe(String(after.score));
    expect(cells[5]).toBe('0');
    expect(pageErrors).toEqual([]);
  });
});
