import fs from 'node:fs';
import { cliViewer } from '../auth/viewer';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { createAnalysisCache } from '../analysis/cache';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { createServices } from '../server/context';
import { collectSources, importSources } from './import-files';
import { anyFailed, summarize } from './import-results';
import { formatImportSummary, formatImportTable } from './import-table';
import { ParsePool } from './parse-pool';
import { DocumentError } from './documents';
import { parseDocument } from './documents/reading';
import { formatDocumentError, formatParseOutput } from './parse-command';

export function registerIngestCommands(program: Command): void {
  program
    .command('parse')
    .description('parse one published report (text, .html, PDF, Word .docx/.doc/.wps, scan or picture) and print what was read and by which reader')
    .argument('<file>', 'the report: page text, saved HTML page, PDF, Word document or picture')
    .option('--json', 'print JSON: reader, office, year, templateFormat, metrics, channels, findings, warnings')
    .action(async (file: string, options: { json?: boolean }) => {
      let parsed;
      try {
        parsed = await parseDocument({ bytes: fs.readFileSync(file), filename: path.basename(file), directory: path.dirname(path.resolve(file)) });
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        const { text, exitCode } = formatDocumentError(error, { json: options.json === true });
        process.stdout.write(`${text}\n`);
        process.exitCode = exitCode;
        return;
      }
      const { text, exitCode } = formatParseOutput(parsed.result, { json: options.json === true, reading: parsed.reading });
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      process.exitCode = exitCode;
    });

  program
    .command('import')
    .description('store published reports from files and folders (recursively) in the database named by DATABASE_URL; ends with a table per file')
    .argument('<paths...>', 'report files (text, HTML; PDF, Word and scans where a reader is installed) or folders of them')
    .option('--office <code>', 'the office, for reports whose title does not name a known one')
    .option('--create-offices', 'create the office a report\'s title names when no stored office matches it (needs --under)')
    .option('--under <code>', 'the parent office that --create-offices creates offices under (e.g. your district)')
    .option('--force', 'store even readings that would make a stored report worse (unreadable tables, no values, fewer than the current version)')
    .option('--batch <n>', 'reports per commit (each in its own savepoint: a bad one fails alone)', (v) => Math.max(1, Math.min(500, Number.parseInt(v, 10) || 1)), 50)
    .option('--json', 'print JSON for scripts ({ files: [...], summary }); nothing else goes to stdout')
    .action(async (paths: string[], options: { office?: string; batch: number; json?: boolean; force?: boolean; createOffices?: boolean; under?: string }) => {
      if (options.createOffices && !options.under) {
        console.error('--create-offices needs --under CODE: the office (e.g. your district) to create new offices under');
        process.exitCode = 2;
        return;
      }
      const sources = collectSources(paths);
      const config = loadConfig();
      const dataSource = await createDataSource(config.database);
      let close = async () => {};
      try {
        await migrate(dataSource);
        // The cache the servers share (Redis with REDIS_URL): what this import stores must drop their stale comparisons.
        const cache = await createAnalysisCache(config.redisUrl, config.cachePrefix, config.analysisCache !== false);
        const services = createServices(dataSource, cache, undefined, { parsePool: new ParsePool(config.parse) });
        close = async () => {
          await services.parsePool.close();
          await cache.close();
        };
        if (options.createOffices && !(await services.offices.byCode(options.under!))) {
          console.error(`--under: no office with code "${options.under}" (see \`disclosure-graph offices list\`; \`offices add\` creates it)`);
          process.exitCode = 2;
          return;
        }
        const bar = new SingleBar({ format: '导入 import [{bar}] {value}/{total} {file}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
        bar.start(sources.length, 0, { file: '' });
        const results = await importSources(services.imports, sources, {
          viewer: cliViewer(),
          officeCode: options.office,
          force: options.force === true,
          createOfficesUnder: options.createOffices ? options.under : null,
          batch: options.batch,
          onProgress: (done, file) => bar.update(done, { file: path.basename(file) }),
        });
        bar.stop();
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ files: results, summary: summarize(results) }, null, 2)}\n`);
        } else {
          process.stdout.write(`${formatImportTable(results)}\n${formatImportSummary(results)}\n`);
        }
        process.exitCode = anyFailed(results) ? 1 : 0;
      } finally {
        await close();
        await dataSource.destroy();
      }
    });
}
