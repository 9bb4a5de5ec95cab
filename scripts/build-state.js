#!/usr/bin/env node
'use strict';
/**
 * `npm start` builds only when something the build reads changed since the last build, so that
 * `npm ci && npm start` builds once (in `prepare`) and a second `npm start` starts at once.
 *   node scripts/build-state.js stamp    after a build: record it
 *   node scripts/build-state.js ensure   before start: build if any source is newer than the record
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'migrations', 'bench', 'scripts', 'bin', 'dashboard', 'schema', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIP = new Set(['dist', 'generated', 'node_modules']);

function newest(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(file)) {
    if (!SKIP.has(entry)) max = Math.max(max, newest(path.join(file, entry)));
  }
  return max;
}

const command = process.argv[2];
if (command === 'stamp') {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
} else if (command === 'ensure') {
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  const changed = Math.max(...INPUTS.map((p) => newest(path.join(ROOT, p))));
  if (built === 0 || changed > built) {
    console.error(built === 0 ? 'not built yet: building' : 'sources changed since the last build: building');
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
} else {
  console.error('usage: build-state.js stamp|ensure');
  process.exit(2);
}
