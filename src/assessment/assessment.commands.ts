import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { Office } from '../offices/office.entity';
import { AssessmentService } from './assessment.service';
import { loadRubric } from './rubric';
import { SHEETS, sheetByKey } from './sheets';
import { writeCsv, writeJson, writeXlsx } from './writers';

export function registerAssessmentCommands(program: Command): void {
  program
    .command('export')
    .description('export the year-end assessment of a district (政务公开考核) as XLSX, CSV or JSON')
    .requiredOption('--year <year>', 'the year reported on', (v) => Number(v))
    .requiredOption('--under <code>', 'the district (or any office) whose subtree is assessed')
    .option('--format <format>', 'xlsx | csv | json', 'xlsx')
    .requiredOption('--out <path>', 'the file to write (for csv without --sheet: a directory, one file per sheet)')
    .option('--sheet <sheet>', 'csv: only this sheet (summary, proactive, applications, reviews, channels, findings, missing)')
    .option('--rubric <file>', 'a scoring rubric JSON replacing the default')
    .action(async (options: { year: number; under: string; format: string; out: string; sheet?: string; rubric?: string }) => {
      if (!Number.isInteger(options.year) || options.year < 2008) throw new Error(`--year: not a year: ${options.year}`);
      if (!['xlsx', 'csv', 'json'].includes(options.format)) throw new Error(`--format: use xlsx, csv or json, not ${options.format}`);
      const config = loadConfig();
      const dataSource = await createDataSource(config.database);
      const service = new AssessmentService(dataSource, loadRubric(options.rubric ?? config.rubricFile));
      try {
        await migrate(dataSource);
        const root = await dataSource.getRepository(Office).findOneBy({ code: options.under });
        if (!root) throw new Error(`--under: no office with code "${options.under}"`);
        const toFile = async (file: string, write: (out: fs.WriteStream) => Promise<void>) => {
          fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
          const out = fs.createWriteStream(file);
          await write(out);
          if (!out.writableEnded) out.end();
          await finished(out);
          console.log(`wrote ${file}`);
        };
        if (options.format === 'xlsx') await toFile(options.out, (out) => writeXlsx(out, service, root, options.year));
        else if (options.format === 'json') await toFile(options.out, (out) => writeJson(out, service, root, options.year));
        else if (options.sheet) {
          const sheet = sheetByKey(options.sheet);
          if (!sheet) throw new Error(`--sheet: no sheet "${options.sheet}"`);
          await toFile(options.out, (out) => writeCsv(out, sheet, service, root, options.year));
        } else {
          for (const sheet of SHEETS) await toFile(path.join(options.out, `${sheet.key}.csv`), (out) => writeCsv(out, sheet, service, root, options.year));
        }
      } finally {
        await dataSource.destroy();
      }
    });
}
