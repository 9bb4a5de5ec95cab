/**
 * The analysts' dashboard: the Vite build in dashboard/dist, served at /dashboard. It talks to the
 * service only through /graphql and /exports, as any outside front end would.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { PROJECT_ROOT } from '../config/paths';

export const DASHBOARD_DIST = path.join(PROJECT_ROOT, 'dashboard', 'dist');

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>仪表盘未构建 / Dashboard not built</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;line-height:1.6">
<h1>仪表盘尚未构建 / The dashboard has not been built</h1>
<p>服务找不到 <code>dashboard/dist/index.html</code>。请运行 <code>npm run build</code>（<code>npm ci</code> 与 <code>npm start</code> 会自动运行）。</p>
<p>The service cannot find <code>dashboard/dist/index.html</code>. Run <code>npm run build</code> (which <code>npm ci</code> and <code>npm start</code> run for you).</p>
<p>GraphQL API: <a href="/graphql">/graphql</a></p>
</body></html>`;

/**
 * The API explorer (GraphiQL, built with the dashboard, no CDN) for a browser's GET /graphql;
 * everything else on /graphql (POSTs, GETs asking for JSON) goes on to the API.
 */
export function mountExplorer(app: express.Express, distDir: string = DASHBOARD_DIST): void {
  app.get('/graphql', (req, res, next) => {
    const wantsPage = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html' && req.query.query === undefined;
    if (!wantsPage) return next();
    const page = path.join(distDir, 'explorer.html');
    if (!fs.existsSync(page)) {
      res.status(503).type('html').send(MISSING_BUILD_PAGE);
      return;
    }
    res.sendFile(page, { headers: { 'Cache-Control': 'no-cache' } });
  });
}

export function mountDashboard(app: express.Express, distDir: string = DASHBOARD_DIST): void {
  app.get('/', (_req, res) => res.redirect(302, '/dashboard/'));
  // Hashed asset names change on every build, so they may be cached for long; index.html may not.
  app.use(
    '/dashboard',
    express.static(distDir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use('/dashboard', (req, res) => {
    const indexFile = path.join(distDir, 'index.html');
    if (!fs.existsSync(indexFile)) {
      res.status(503).type('html').send(MISSING_BUILD_PAGE);
      return;
    }
    if (req.path.startsWith('/assets/')) {
      res.status(404).type('text').send('not found');
      return;
    }
    res.sendFile(indexFile, { headers: { 'Cache-Control': 'no-cache' } });
  });
}
