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
    chunkSizeWarningLimit: 900,
    sourcemap: false,
  },
  server: {
    // `npm run dev:dashboard` against a service running on :4000.
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/exports': 'http://127.0.0.1:4000', '/imports': 'http://127.0.0.1:4000' },
  },
});
