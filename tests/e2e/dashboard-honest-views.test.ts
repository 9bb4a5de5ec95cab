/**
 * What a district's analyst sees on the first day: the district's own latest year (not the
 * database's), offices that filed nothing shown as 未报送/—, never 0, a trend that compares like
 * with like when the number of filers changes, and items and queries on axes of their own.
 */
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

async function readyPanel(page: Page, id: string): Promise<void> {
  await page.locator(`#${id}:not([data-state="loading"]):not([data-state="idle"])`).waitFor({ timeout: 20000 });
}

describeWithBrowser('the dashboard tells blanks, filers and measures apart', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    ensureDashboardBuilt();
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db);
    await createOffice(app, 'demo-p', '示例省', null, 'GOVERNMENT');
    await createOffice(app, 'demo-d', '示例区', 'demo-p', 'GOVERNMENT');
    await createOffice(app, 'demo-d-a', '示例甲街道', 'demo-d');
    await createOffice(app, 'demo-d-b', '示例乙街道', 'demo-d');
    await createOffice(app, 'demo-d-c', '示例丙街道', 'demo-d');
    await createOffice(app, 'demo-o', '别的区', 'demo-p', 'GOVERNMENT');
    await createOffice(app, 'demo-o-a', '别的街道', 'demo-o');
    const write = async (input: ReturnType<typeof consistentReport2021>) => {
      const res = await app.gql(UPSERT_REPORT, { input });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    };
    // 示例区: one filer in 2021 (100 items), two in 2022 (100 each): the total doubles, the mean does not move.
    await write(consistentReport2021('demo-d-a', 2021));
    await write(consistentReport2021('demo-d-a', 2022));
    const kiosk = consistentReport2021('demo-d-b', 2022);
    kiosk.channels = [...kiosk.channels, { kind: 'KIOSK', queries: 5000 } as never];
    await write(kiosk);
    // Another district has reports for a later year, which is then the database's latest.
    await write(consistentReport2021('demo-o-a', 2024));
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 300000);

  afterAll(async () => {
    await browser?.close();
    await app?.close().catch(() => undefined);
    await db?.drop();
  });

  it('opens a district on its own latest year with reports', async () => {
    await page.goto(`${app.url}/dashboard/#district=demo-d`);
    await readyPanel(page, 'overview');
    await expect(page.getByTestId('year-picker').inputValue()).resolves.toBe('2022');
    await expect(page.getByTestId('kpi-filed').innerText()).resolves.toContain('2');
  });

  it('shows an office that filed nothing as 未报送 and —, never as 0', async () => {
    await page.getByTestId('overview-toggle').click();
    const row = page.locator('#overview table tbody tr', { hasText: '示例丙街道' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toContain('未报送');
    expect(cells.slice(2)).not.toContain('0');
    expect(new Set(cells.slice(2))).toEqual(new Set(['—']));
    await page.getByTestId('overview-toggle').click();
  });

  it('says no report was filed, rather than that no applications came in, for a year nobody filed', async () => {
    await page.getByTestId('year-picker').selectOption('2024');
    await readyPanel(page, 'overview');
    const text = await page.locator('#overview').innerText();
    expect(text).toContain('尚无机关报送报告');
    expect(text).not.toContain('均未收到');
    await page.getByTestId('year-picker').selectOption('2022');
    await readyPanel(page, 'overview');
  });

  it('draws the district trend as the mean per filing office, with the filers counted and the change of filers said', async () => {
    await readyPanel(page, 'trends');
    const text = await page.locator('#trends').innerText();
    expect(text).toContain('按每个报送机关的平均值比较');
    expect((await page.locator('#trends [role="img"]').getAttribute('aria-label')) ?? '').toContain('报送机关数 / offices that filed');
    expect(text).toMatch(/2022年报送机关数 1 → 2/);
    await page.getByTestId('trends-toggle').click();
    const row = page.locator('#trends table tbody tr', { hasText: '2022年' });
    const cells = await row.locator('td').allInnerTexts();
    await page.getByTestId('trends-toggle').click();
    // 年度, 格式, 报告数, 合计, 平均, 较上年: two filers, 200 in all, 100 each, no change in the mean.
    expect(cells.slice(2, 6)).toEqual(['2', '200', '100', '0']);
  });

  it('puts channel items and kiosk queries on axes of their own', async () => {
    await readyPanel(page, 'channels');
    const label = (await page.locator('#channels [role="img"]').getAttribute('aria-label')) ?? '';
    const axes = label.split(' · ')[0]!;
    expect(axes).toContain('发布条数 / items');
    expect(axes).toContain('查询次数 / queries');
  });
});
