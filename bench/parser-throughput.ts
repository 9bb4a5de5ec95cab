/**
 * The parser's throughput: reports per second over the corpus of real text reports (and the two
 * whole reports saved as one line), parsed one after another on the main thread — one core.
 * `node dist/bench/parser-throughput.js` prints it alone; `npm run bench` prints it first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/paths';
import { parseReport } from '../src/ingest/parser';

export interface ParserThroughput {
  readonly reports: number;
  readonly seconds: number;
  readonly reportsPerSecond: number;
  readonly corpusFiles: number;
}

function corpusTexts(): string[] {
  const dirs = ['corpus', 'corpus-runs'].map((d) => path.join(PROJECT_ROOT, 'tests', 'fixtures', d));
  return dirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')));
}

export function measureParserThroughput(minSeconds = 3): ParserThroughput {
  const texts = corpusTexts();
  for (const text of texts) parseReport(text); // warm up
  let reports = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    for (const text of texts) {
      const result = parseReport(text);
      if (!result.ok) throw new Error(`a corpus report did not parse: ${result.error.message}`);
      reports++;
    }
    elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  }
  return { reports, seconds: Math.round(elapsed * 100) / 100, reportsPerSecond: Math.round(reports / elapsed), corpusFiles: texts.length };
}

export function printParserThroughput(t: ParserThroughput): void {
  console.log(`parser throughput (reports/s over the corpus, one core): ${t.reportsPerSecond} (${t.reports} parses of ${t.corpusFiles} reports in ${t.seconds} s; target ≥ 200)`);
}

if (require.main === module) printParserThroughput(measureParserThroughput());
