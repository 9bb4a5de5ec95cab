#!/usr/bin/env node
'use strict';
// The build (npm run build, run by `npm ci` through `prepare`) puts the CLI in dist/.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('disclosure-graph is not built yet: run `npm run build` (npm ci does it through `prepare`).');
  process.exit(2);
}
require(entry);
