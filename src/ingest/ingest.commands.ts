import fs from 'node:fs';
import { cliViewer } from '../auth/viewer';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { createServices } from '../server/context';
import { DocumentError } from './documents';
import { parseDocument } from './documents/reading';
import { formatDocumentError, formatParseOutput } from './parse-command';

function readReportFile(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

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
    .description('store published reports in the database named by DATABASE_URL (each report all or nothing; committed in batches)')
    .argument('<files...>', 'report texts or HTML pages')
    .option('--office <code>', 'the office, for reports whose title does not name a known one')
    .option('--batch <n>', 'reports per commit (each in its own savepoint: a bad one fails alone)', (v) => Math.max(1, Math.min(500, Number.parseInt(v, 10) || 1)), 50)
    .action(async (files: string[], options: { office?: string; batch: number }) => {
      const config = loadConfig();
      const dataSource = await createDataSource(config.database);
      await migrate(dataSource);
      const services = createServices(dataSource);
      const counts = { IMPORTED: 0, REVISED: 0, UNCHANGED: 0, FAILED: 0 };
      const failures: string[] = [];
      const bar = new SingleBar({ format: '导入 import [{bar}] {value}/{total} {file}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
      bar.start(files.length, 0, { file: '' });
      for (let start = 0; start < files.length; start += options.batch) {
        const batch: { file: string; text: string }[] = [];
        for (const file of files.slice(start, start + options.batch)) {
          try {
            batch.push({ file, text: readReportFile(file) });
          } catch (error) {
            counts.FAILED += 1;
            failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
            bar.increment(1);
          }
        }
        if (batch.length === 0) continue;
        bar.increment(0, { file: path.basename(batch[0]!.file) });
        try {
          const outcomes = await services.imports.importMany(
            batch.map((b) => ({ text: b.text, filename: path.basename(b.file) })),
            { officeCode: options.office, viewer: cliViewer() },
          );
          outcomes.forEach((outcome, i) => {
            counts[outcome.status] += 1;
            if (outcome.problem) failures.push(`${batch[i]!.file}: ${outcome.problem.message}${outcome.problem.line ? ` (line ${outcome.problem.line})` : ''}`);
          });
        } catch (error) {
          // The batch's commit itself failed (e.g. the database went away): none of it is stored.
          counts.FAILED += batch.length;
          for (const b of batch) failures.push(`${b.file}: ${error instanceof Error ? error.message : String(error)}`);
        }
        bar.increment(batch.length);
      }
      bar.stop();
      console.log(`imported ${counts.IMPORTED}, revised ${counts.REVISED}, unchanged ${counts.UNCHANGED}, failed ${counts.FAILED}`);
      for (const line of failures) console.log(`  failed: ${line}`);
      await dataSource.destroy();
      process.exitCode = counts.FAILED > 0 ? 1 : 0;
    });
}
