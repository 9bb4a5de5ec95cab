#!/usr/bin/env node
'use strict';
// Rewrites the dashboard's screenshots in docs/screenshots (the sample's views, a 200-office
// district and a 2,000-office city of the demo province, and the Review page) by running their
// browser tests with SCREENSHOT_OUT set; `npm test` writes the same pictures under test-results/
// only, so it never rewrites tracked files. Test files given as arguments run alone
// (`node scripts/screenshots.js tests/e2e/review-page.test.ts`): one picture without the others.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ALL = ['tests/e2e/dashboard.test.ts', 'tests/e2e/dashboard-scale.test.ts', 'tests/e2e/review-page.test.ts'];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((file) => !ALL.includes(file));
if (unknown.length) {
  console.error(`not a screenshot suite: ${unknown.join(', ')} (one of ${ALL.join(', ')})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), '--runInBand', ...(chosen.length ? chosen : ALL)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOT_OUT: path.join(root, 'docs', 'screenshots'), REQUIRE_BROWSER: '1' },
});
process.exit(result.status ?? 1);
