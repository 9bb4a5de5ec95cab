#!/usr/bin/env node
'use strict';
// Rewrites the dashboard's screenshots in docs/screenshots (the sample's views, and a 200-office
// district and a 2,000-office city of the demo province) by running their browser tests with
// SCREENSHOT_OUT set; `npm test` writes the same pictures under test-results/ only, so it never
// rewrites tracked files.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), '--runInBand', 'tests/e2e/dashboard.test.ts', 'tests/e2e/dashboard-scale.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOT_OUT: path.join(root, 'docs', 'screenshots'), REQUIRE_BROWSER: '1' },
});
process.exit(result.status ?? 1);
