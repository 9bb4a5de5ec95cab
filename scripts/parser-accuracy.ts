/**
 * Right / left out / wrong of the parser against the numbers a person read, per file and in total:
 * `npx ts-node scripts/parser-accuracy.ts [DIR…]` (default: the corpus and the corpus-runs fixtures).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseReport } from '../src/ingest/parser';

export interface Tally {
  right: number;
  leftOut: number;
  wrong: number;
  extra: number;
  details: string[];
}

export function tally(dir: string): Tally {
  const t: Tally = { right: 0, leftOut: 0, wrong: 0, extra: 0, details: [] };
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.expected.json')).sort()) {
    const name = f.replace(/\.expected\.json$/, '');
    const expected = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { office: string | null; year: number; templateFormat: string; metrics: Record<string, number> };
    const result = parseReport(fs.readFileSync(path.join(dir, `${name}.txt`), 'utf8'));
    const got = result.ok ? result.report.metrics : {};
    if (result.ok && (result.report.office !== expected.office || result.report.year !== expected.year || result.report.templateFormat !== expected.templateFormat)) {
      t.details.push(`${name}: meta ${result.report.office}/${result.report.year}/${result.report.templateFormat} expected ${expected.office}/${expected.year}/${expected.templateFormat}`);
    }
    for (const [key, value] of Object.entries(expected.metrics)) {
      if (!(key in got)) {
        t.leftOut++;
        t.details.push(`${name} ${key}: left out (expected ${value})`);
      } else if (got[key] === value) t.right++;
      else {
        t.wrong++;
        t.details.push(`${name} ${key}: WRONG ${got[key]} (expected ${value})`);
      }
    }
    for (const key of Object.keys(got)) {
      if (!(key in expected.metrics)) {
        t.extra++;
        t.details.push(`${name} ${key}: EXTRA ${got[key]}`);
      }
    }
  }
  return t;
}

if (require.main === module || process.argv[1]?.endsWith('parser-accuracy.ts')) {
  const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [path.resolve(__dirname, '../tests/fixtures/corpus'), path.resolve(__dirname, '../tests/fixtures/corpus-runs')];
  for (const dir of dirs) {
    const t = tally(dir);
    if (process.env.VERBOSE) console.log(t.details.join('\n'));
    console.log(`${path.basename(dir)}: right ${t.right}, left out ${t.leftOut}, wrong ${t.wrong}, extra ${t.extra}`);
  }
}
