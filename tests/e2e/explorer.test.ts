/** The API explorer in a real browser: it runs a query, and every request it makes stays on the service's own host. */
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { describeWithBrowser, ensureDashboardBuilt, launchBrowser } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';

describeWithBrowser('the API explorer in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const hosts = new Set<string>();

  beforeAll(async () => {
    ensureDashboardBuilt();
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db, { loadSample: true });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('opens offline, runs its example query and shows the sample report', async () => {
    await page.goto(`${app.url}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30000 });
    // GraphiQL may take the first click while it still loads the schema: click until a result shows.
    const result = page.locator('.result-window').getByText('鲸园街道办事处').first();
    for (let attempt = 1; ; attempt++) {
      await page.locator('.graphiql-execute-button').click();
      try {
        await result.waitFor({ timeout: 15000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    expect([...hosts]).toEqual([new URL(app.url).host]);
  });
});
