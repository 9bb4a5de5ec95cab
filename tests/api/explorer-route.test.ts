import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';

/** The API explorer a browser gets at GET /graphql: bundled, same-origin only, off in production unless enabled. */
describe('GET /graphql for a browser', () => {
  let db: TestDatabase;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    ensureDashboardBuilt();
    db = await createTestDatabase('sqlite');
  }, 300000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });
  const start = async (overrides: Parameters<typeof startTestApp>[1]) => {
    const app = await startTestApp(db, overrides);
    apps.push(app);
    return app;
  };

  it('serves the bundled explorer, whose page loads nothing from another host', async () => {
    const app = await start({});
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('API explorer');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^\/dashboard\/assets\//);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('still answers API clients on the same path (POST, and GET asking for JSON)', async () => {
    const app = await start({});
    const get = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(((await get.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
    expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('is off in production unless API_EXPLORER enables it', async () => {
    const off = await start({ production: true });
    const closed = await fetch(`${off.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await closed.text()).not.toContain('API explorer');
    const on = await start({ production: true, explorer: true });
    const open = await fetch(`${on.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await open.text()).toContain('API explorer');
  });
});
