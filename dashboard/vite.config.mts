import path from 'node:path';
import { defineConfig } from 'vite';

// Served by the service at /dashboard from dashboard/dist; everything bundled, nothing from a CDN.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
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
