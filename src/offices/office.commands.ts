import fs from 'node:fs';
import type { Command } from 'commander';
import { cliViewer } from '../auth/viewer';
import { withDatabase } from '../cli/database';
import { Office } from './office.entity';
import { OFFICE_KINDS } from './office-kind';
import { officeKindOf, parentCodesOf, planOfficeRows, readOfficeCsv, type OfficeCsvProblem, type OfficeRow } from './office-csv';
import { OfficeBatchError, type OfficeWriteOutcome } from './office.service';

function printProblems(file: string, problems: readonly OfficeCsvProblem[]): void {
  console.error(`${file}: nothing was stored; ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
}

function counts(outcomes: readonly OfficeWriteOutcome[]): string {
  const n = (o: OfficeWriteOutcome) => outcomes.filter((x) => x === o).length;
  return `created ${n('created')}, updated ${n('updated')}, unchanged ${n('unchanged')}`;
}

export function registerOfficeCommands(program: Command): void {
  const offices = program.command('offices').description('机关：导入、新增、列出 / set up the offices reports are filed under');

  offices
    .command('import')
    .description('create or update offices from a UTF-8 CSV with the header code,name,parentCode,kind (optional: aliases separated by |, region); all rows or none')
    .argument('<file>', 'the CSV file')
    .option('--json', 'print the outcome of each row as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const read = readOfficeCsv(fs.readFileSync(file, 'utf8'));
      if (!read.ok) {
        if (options.json) console.log(JSON.stringify({ ok: false, problems: read.problems }, null, 2));
        else printProblems(file, read.problems);
        process.exitCode = 1;
        return;
      }
      await withDatabase(async (services) => {
        const stored = new Set((await services.offices.byCodes(parentCodesOf(read.rows))).map((o) => o.code));
        const plan = planOfficeRows(read.rows, read.columns, stored);
        if (!plan.ok) {
          if (options.json) console.log(JSON.stringify({ ok: false, problems: plan.problems }, null, 2));
          else printProblems(file, plan.problems);
          process.exitCode = 1;
          return;
        }
        try {
          const outcomes = await services.offices.upsertMany(plan.offices, cliViewer());
          if (options.json) {
            console.log(JSON.stringify({ ok: true, rows: plan.offices.map((o, i) => ({ line: o.line, code: o.code, outcome: outcomes[i] })) }, null, 2));
          } else {
            console.log(`${file}: ${plan.offices.length} offices: ${counts(outcomes)}`);
          }
        } catch (error) {
          if (!(error instanceof OfficeBatchError)) throw error;
          const row = plan.offices[error.index]!;
          const problems = [{ line: row.line, column: '', message: error.message }];
          if (options.json) console.log(JSON.stringify({ ok: false, problems }, null, 2));
          else printProblems(file, problems);
          process.exitCode = 1;
        }
      });
    });

  offices
    .command('add')
    .description('create or update one office')
    .requiredOption('--code <code>', 'stable code: letters, digits, . _ - (e.g. weihai-huancui)')
    .requiredOption('--name <name>', 'the name as reports print it (e.g. 环翠区人民政府)')
    .requiredOption('--kind <kind>', `one of ${OFFICE_KINDS.join(', ')}`)
    .option('--parent <code>', 'the parent office code (omit for a root)')
    .option('--alias <name...>', 'other names: old names, the long form titles print')
    .option('--region <region>', 'region label')
    .action(async (options: { code: string; name: string; kind: string; parent?: string; alias?: string[]; region?: string }) => {
      const kind = officeKindOf(options.kind);
      if (!kind) {
        console.error(`--kind: "${options.kind}" is not a kind: one of ${OFFICE_KINDS.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      await withDatabase(async (services) => {
        const row: OfficeRow = { line: 1, cells: { code: options.code, name: options.name, parentCode: options.parent ?? '', kind, region: options.region ?? '' } };
        const stored = new Set((await services.offices.byCodes(parentCodesOf([row]))).map((o) => o.code));
        const plan = planOfficeRows([row], ['code', 'name', 'parentCode', 'kind', 'region'], stored);
        if (!plan.ok) {
          for (const p of plan.problems) console.error(`--${p.column === 'parentCode' ? 'parent' : p.column}: ${p.message}`);
          process.exitCode = 1;
          return;
        }
        const input = { ...plan.offices[0]!, aliases: options.alias ?? null };
        const [outcome] = await services.offices.upsertMany([input], cliViewer()).catch((error: unknown) => {
          console.error(error instanceof Error ? error.message : String(error));
          process.exitCode = 1;
          return [];
        });
        if (outcome) console.log(`${options.code}: ${outcome}`);
      });
    });

  offices
    .command('list')
    .description('list offices as a tree (code, name, kind, aliases)')
    .option('--under <code>', 'only this office and its subtree')
    .option('--json', 'print JSON')
    .action(async (options: { under?: string; json?: boolean }) => {
      await withDatabase(async (services, dataSource) => {
        const qb = dataSource.getRepository(Office).createQueryBuilder('o').orderBy('o.path', 'ASC');
        if (options.under) {
          const root = await services.offices.byCode(options.under);
          if (!root) {
            console.error(`--under: no office with code "${options.under}" (see \`disclosure-graph offices list\`)`);
            process.exitCode = 1;
            return;
          }
          qb.where('o.path LIKE :prefix', { prefix: `${root.path}%` });
        }
        const rows = await qb.getMany();
        const aliases = await services.offices.aliasesOf(rows.map((o) => o.id));
        const aliasesOf = (id: number) => aliases.filter((a) => a.officeId === id).map((a) => a.alias);
        const codeOf = new Map(rows.map((o) => [o.id, o.code]));
        if (options.json) {
          console.log(JSON.stringify(rows.map((o) => ({ code: o.code, name: o.name, kind: o.kind, parentCode: o.parentId === null ? null : codeOf.get(o.parentId) ?? null, aliases: aliasesOf(o.id) })), null, 2));
          return;
        }
        if (rows.length === 0) console.log('no offices yet: `disclosure-graph offices import offices.csv` or `offices add` creates them');
        const minDepth = Math.min(...rows.map((o) => o.depth));
        for (const o of rows) {
          const extra = aliasesOf(o.id);
          console.log(`${'  '.repeat(o.depth - minDepth)}${o.code}  ${o.name}  (${o.kind})${extra.length ? `  aliases: ${extra.join(' | ')}` : ''}`);
        }
      });
    });
}
