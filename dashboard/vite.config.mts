import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// Served by the service at /dashboard from dashboard/dist; everything bundled, nothing from a CDN.
const here = import.meta.dirname;

/**
 * The chart engine (ECharts, most of the page's script) is a chunk of its own, imported
 * dynamically so that it does not hold back the first requests; this asks for it in the page's
 * head too, beside the page's script, rather than once that script runs — by then the service is
 * busy answering the first view's requests and the chunk arrives after their data.
 */
function preloadChartEngine(): Plugin {
  return {
    name: 'preload-chart-engine',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.path.endsWith('/index.html') || !ctx.bundle) return [];
        const engine = Object.values(ctx.bundle).find((file) => file.type === 'chunk' && file.name === 'chart-engine');
        return engine ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/dashboard/${engine.fileName}` }, injectTo: 'head' }] : [];
      },
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [preloadChartEngine()],
  base: '/dashboard/',
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    // GraphiQL (the API explorer page) is one large chunk, loaded only by that page.
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
    // Two pages: the dashboard, and the API explorer (GraphiQL) that GET /graphql serves to browsers.
    rollupOptions: {
      input: { main: path.join(here, 'index.html'), explorer: path.join(here, 'explorer.html') },
      // GraphiQL's React components carry "use client" for server-rendering frameworks; meaningless here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run dev:dashboard` against a service running on :4000.
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/exports': 'http://127.0.0.1:4000', '/imports': 'http://127.0.0.1:4000' },
  },
});
