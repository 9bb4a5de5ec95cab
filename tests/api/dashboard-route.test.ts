/** The service serves the dashboard build at /dashboard, and says so plainly when it is missing. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { startTestApp, type TestApp } from '../support/app';
import { ensureDashboardBuilt } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { mountDashboard } from '../../src/server/dashboard';

describe('the dashboard route', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    ensureDashboardBuilt();
    db = await createTestDatabase('sqlite');
    app = await startTestApp(db);
  }, 120000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('redirects / to /dashboard/ and serves the built page with its bundled assets', async () => {
    const root = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/');

    const page = await fetch(`${app.url}/dashboard/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => !url.startsWith('/graphql'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      // Everything is bundled and served here: no CDN, no absolute URL to elsewhere.
      expect(asset.startsWith('/dashboard/assets/')).toBe(true);
      const res = await fetch(`${app.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('answers a deep link with the page and an unknown asset with 404', async () => {
    const deep = await fetch(`${app.url}/dashboard/some/view`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
    expect((await fetch(`${app.url}/dashboard/assets/nope.js`)).status).toBe(404);
  });

  it('answers 503 with instructions when the build is missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-no-dashboard-'));
    const bare = express();
    mountDashboard(bare, empty);
    const server = http.createServer(bare);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/dashboard/`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).toContain('npm run build');
      expect(text).toContain('仪表盘尚未构建');
    } finally {
      server.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
