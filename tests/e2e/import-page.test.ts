/**
 * The dashboard's Import page in a real browser (Debian's Chromium) against the real service on a
 * temporary SQLite database: files picked, a folder picked and files dropped are uploaded one by
 * one to POST /imports, each row shows its result, and a row's link opens the stored report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser, RESULTS_DIR } from '../support/browser';
import { corpusFile } from '../support/corpus';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

// Bytes of no document kind the service reads (pictures are read now, through OCR).
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** The cells of the row of one file, once the service has answered for it. */
async function settledRow(page: Page, file: string): Promise<{ state: string | null; outcome: string | null; cells: string[] }> {
  const row = page.locator(`[data-testid="import-results"] tbody tr[data-file="${file}"]`);
  await row.and(page.locator('tr:not([data-state="queued"]):not([data-state="uploading"])')).waitFor({ timeout: 20000 });
  return { state: await row.getAttribute('data-state'), outcome: await row.getAttribute('data-outcome'), cells: await row.locator('td').allInnerTexts() };
}

describeWithBrowser('the Import page in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let editor: string;
  const pageErrors: string[] = [];
  const requests: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-import-page-'));

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db);
    await createJingyuanOffices(app);
    await createOffice(app, 'dawuli', '大五里镇', null, 'TOWN');
    editor = await app.createToken('editor', 'weihai-huancui');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is reached from the masthead and says an editor token is needed when the upload is refused', async () => {
    await page.goto(`${app.url}/dashboard/`);
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-drop').waitFor();
    expect(page.url()).toContain('#view=import');
    await page.getByTestId('import-files').setInputFiles([{ name: 'first.txt', mimeType: 'text/plain', buffer: fs.readFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt')) }]);
    const row = await settledRow(page, 'first.txt');
    expect(row.state).toBe('error');
    expect(row.cells[7]).toBe('上传失败 / upload failed');
    expect(row.cells[8]).toContain('HTTP 401 [UNAUTHENTICATED]');
    expect(row.cells[8]).toContain('需要编辑令牌');
    expect(await rowCount(app, 'annual_reports')).toBe(0);
  });

  it('uploads a corpus report and bad files, showing each file’s result with a link to the stored report', async () => {
    await page.getByTestId('import-token').fill(editor);
    await page.getByTestId('import-token').blur();
    await page.getByTestId('import-files').setInputFiles([
      { name: '鲸园街道2020年报.txt', mimeType: 'text/plain', buffer: fs.readFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt')) },
      { name: '购物清单.txt', mimeType: 'text/plain', buffer: Buffer.from('购物清单\n苹果 3 个\n') },
      { name: 'data.bin', mimeType: 'application/octet-stream', buffer: BINARY },
    ]);
    const good = await settledRow(page, '鲸园街道2020年报.txt');
    expect(good.outcome).toBe('IMPORTED');
    // What the service stored is what the row says.
    const stored = await app.gql<{ report: { metrics: { key: string }[] } }>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { metrics { key } } }`);
    expect(good.cells.slice(0, 8)).toEqual(['鲸园街道2020年报.txt', '鲸园街道办事处', '2020', '文本 / text', '已核对 / verified', String(stored.data!.report.metrics.length), '0', '已导入 / imported']);
    expect(good.cells[9]).toContain('查看报告 / View report');

    const junk = await settledRow(page, '购物清单.txt');
    expect(junk.outcome).toBe('FAILED');
    expect(junk.cells[7]).toBe('失败 / failed');
    expect(junk.cells[8]).toMatch(/第1行.*\[NO_REPORT\]/);
    const scan = await settledRow(page, 'data.bin');
    expect(scan.outcome).toBe('UNSUPPORTED');
    expect(scan.cells[7]).toBe('不支持 / unsupported');
    expect(scan.cells[8]).toContain('UNSUPPORTED_FORMAT');
    await expect(page.getByTestId('import-summary').innerText()).resolves.toBe('4 个文件 / files：上传失败 / upload failed 1 · 已导入 / imported 1 · 失败 / failed 1 · 不支持 / unsupported 1');

    // One request per file, each sending the editor's token.
    const uploads = requests.filter((url) => url.endsWith('/imports'));
    expect(uploads).toHaveLength(4);
    await page.locator('#import').screenshot({ path: path.join(RESULTS_DIR, 'dashboard-import.png') });
  });

  it('uploads a picked folder (hidden files left out) and dropped files; offices outside the editor’s subtree are refused per file', async () => {
    const folder = path.join(dir, '2020年报');
    fs.mkdirSync(path.join(folder, '乡镇'), { recursive: true });
    fs.copyFileSync(corpusFile('2020_dawuli-zhen.txt'), path.join(folder, '乡镇', 'dawuli.txt'));
    fs.copyFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt'), path.join(folder, 'jingyuan.txt'));
    fs.writeFileSync(path.join(folder, '.DS_Store'), Buffer.from([0, 0, 0, 1]));
    await page.getByTestId('import-folder').setInputFiles(folder);
    const dawuli = await settledRow(page, '2020年报/乡镇/dawuli.txt');
    expect(dawuli.outcome).toBe('FAILED');
    expect(dawuli.cells[8]).toContain('[FORBIDDEN]');
    const again = await settledRow(page, '2020年报/jingyuan.txt');
    expect(again.outcome).toBe('UNCHANGED');
    await expect(page.locator('[data-testid="import-results"] tbody tr[data-file$=".DS_Store"]').count()).resolves.toBe(0);

    // A drop, as the browser hands it over: a DataTransfer holding the file.
    const text = fs.readFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt'), 'utf8').replace('五、存在的主要问题', '五、存在的主要问题及改进情况（修订）');
    await page.evaluate(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(text)}], 'dropped.txt', { type: 'text/plain' }));
      const zone = document.querySelector('[data-testid="import-drop"]');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    })()`);
    const dropped = await settledRow(page, 'dropped.txt');
    expect(['REVISED', 'UNCHANGED']).toContain(dropped.outcome);
    expect(await rowCount(app, 'annual_reports')).toBe(1);
  });

  it('opens the stored report from its row: the report’s numbers, read from the service', async () => {
    const items = await app.gql<{ report: { metrics: { value: number }[] } }>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { metrics(keys: ["proactive.items_total"]) { value } } }`);
    await page.locator('[data-testid="import-results"] tbody tr[data-file="鲸园街道2020年报.txt"] [data-testid="import-report-link"]').click();
    await page.locator('#report[data-state="ready"]').waitFor({ timeout: 20000 });
    expect(page.url()).toContain('district=weihai-huancui');
    const row = page.getByTestId('report-table').locator('tbody tr', { hasText: 'proactive.items_total' });
    await expect(row.locator('td').nth(2).innerText()).resolves.toBe(String(items.data!.report.metrics[0]!.value));
    await expect(page.getByTestId('trend-picker').inputValue()).resolves.toBe('weihai-huancui-jingyuan');
    expect(requests.filter((url) => new URL(url).origin !== new URL(app.url).origin)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
