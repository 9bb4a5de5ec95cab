/**
 * The demo province at national size, written in bulk: the same offices, reports, metric values
 * and findings as generateDemoData (same seed, same layout, same numbers), but as plain multi-row
 * INSERTs with ids assigned here, many reports per statement, instead of one write-path call per
 * report. What it leaves out, because no analysis reads it: revisions (the stored content and
 * text), channel rows (the channel-derived metric values are written) and review state. Only for an
 * empty database (ids start after the highest existing ones, but codes must be new).
 *
 * On MySQL/MariaDB it writes on one connection with foreign-key and unique checks off for the
 * session (the rows are consistent by construction: ids assigned here, parents first), and builds
 * the next batch while the database writes the last.
 */
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { channelMetrics } from '../../channels/channel-metrics';
import { withTransaction } from '../../db/transaction';
import { checkConsistency } from '../../metrics/consistency';
import { ensureReportingYear } from '../../years/reporting-year.service';
import { demoCreationOrder, demoFormat, demoReport, demoTree, prng, type GenerateOptions } from './generator';

/** Reports per transaction: ~200 metric rows each. */
const REPORTS_PER_COMMIT = 200;

async function insertRows(manager: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const quote = (name: string) => manager.connection.driver.escape(name);
  // Under SQLite's 32,766 bound parameters and MySQL's 65,535.
  const perStatement = Math.max(1, Math.floor(30000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement);
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    await manager.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${batch.map(() => placeholders).join(', ')}`, batch.flat());
  }
}

async function nextId(dataSource: DataSource, table: string): Promise<number> {
  const [row] = (await dataSource.query(`SELECT COALESCE(MAX(id), 0) AS id FROM ${table}`)) as { id: number | string }[];
  return Number(row?.id ?? 0) + 1;
}

/** Runs each batch in a transaction: on MySQL/MariaDB all on one session with checks off. */
async function batchWriter(dataSource: DataSource): Promise<{ write: (work: (manager: EntityManager) => Promise<void>) => Promise<void>; close: () => Promise<void> }> {
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return { write: (work) => withTransaction(dataSource, work), close: async () => undefined };
  const runner: QueryRunner = dataSource.createQueryRunner('master');
  await runner.connect();
  await runner.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  return {
    write: async (work) => {
      await runner.startTransaction();
      try {
        await work(runner.manager);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    },
    close: async () => {
      await runner.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
      await runner.release();
    },
  };
}

export async function bulkLoadDemoData(dataSource: DataSource, options: GenerateOptions): Promise<{ offices: number; reports: number; seconds: number }> {
  const seed = options.seed ?? 20261125;
  const rand = prng(seed);
  const placed = demoCreationOrder(demoTree(options.offices), options.layout ?? 'tight', options.years, seed);
  const started = process.hrtime.bigint();

  // Offices in creation order: ids ascending in that order, as an auto-increment would give them.
  let officeId = await nextId(dataSource, 'offices');
  const byCode = new Map<string, { id: number; path: string; depth: number }>();
  const officeRows = placed.map(({ office: o }) => {
    const parent = o.parentCode ? byCode.get(o.parentCode)! : null;
    const id = officeId++;
    const made = { id, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 };
    byCode.set(o.code, made);
    return [id, o.code, o.name, o.kind, parent?.id ?? null, '虚构省（演示）', made.path, made.depth];
  });
  const writer = await batchWriter(dataSource);
  try {
    for (let i = 0; i < officeRows.length; i += 5000) {
      await writer.write((manager) => insertRows(manager, 'offices', ['id', 'code', 'name', 'kind', 'parentId', 'region', 'path', 'depth'], officeRows.slice(i, i + 5000)));
    }
    await writer.write(async (manager) => {
      for (const year of options.years) await ensureReportingYear(manager, year);
    });
    return await loadReports(dataSource, writer.write, placed.map((p) => ({ id: byCode.get(p.office.code)!.id, fromYear: p.fromYear })), options, rand, started);
  } finally {
    await writer.close();
  }
}

async function loadReports(
  dataSource: DataSource,
  write: (work: (manager: EntityManager) => Promise<void>) => Promise<void>,
  offices: readonly { id: number; fromYear: number }[],
  options: GenerateOptions,
  rand: () => number,
  started: bigint,
): Promise<{ offices: number; reports: number; seconds: number }> {
  const total = options.years.reduce((n, year) => n + offices.filter((o) => o.fromYear <= year).length, 0);
  let reportId = await nextId(dataSource, 'annual_reports');
  let done = 0;
  let reports: unknown[][] = [];
  let values: unknown[][] = [];
  let findings: unknown[][] = [];
  // The batch being written while the next is built.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = { reports, values, findings };
    const count = reports.length;
    reports = [];
    values = [];
    findings = [];
    await writing;
    writing = write(async (manager) => {
      await insertRows(manager, 'annual_reports', ['id', 'officeId', 'year', 'templateFormat', 'title', 'publishedAt', 'overview', 'problems', 'improvements', 'otherMatters'], batch.reports);
      await insertRows(manager, 'metric_values', ['reportId', 'metricKey', 'officeId', 'year', 'value', 'approximate'], batch.values);
      await insertRows(manager, 'report_findings', ['reportId', 'code', 'scope', 'leftKeys', 'rightKeys', 'left_value', 'right_value', 'difference', 'message'], batch.findings);
    }).then(() => {
      done += count;
      options.onProgress?.(done, total);
    });
  };
  for (const year of options.years) {
    for (const office of offices) {
      if (year < office.fromYear) continue;
      // The same draws, in the same order, as generateDemoData: the same numbers for a seed.
      const content = demoReport(rand, year, demoFormat(office.id, year), rand() < 0.03);
      const id = reportId++;
      const s = content.sections;
      reports.push([id, office.id, year, content.templateFormat, content.title, content.publishedAt, s.overview, s.problems, s.improvements, s.otherMatters]);
      const stated = new Map<string, { value: number; approximate: boolean }>(content.metrics.map((m) => [m.key, { value: m.value, approximate: m.approximate }]));
      for (const [key, derived] of channelMetrics(content.channels)) stated.set(key, derived);
      for (const [key, v] of stated) values.push([id, key, office.id, year, v.value, v.approximate ? 1 : 0]);
      const found = checkConsistency(new Map([...stated].map(([k, v]) => [k, v.value])), content.templateFormat);
      for (const f of found) findings.push([id, f.code, f.scope, JSON.stringify(f.leftKeys), JSON.stringify(f.rightKeys), f.left, f.right, f.difference, f.message]);
      if (reports.length >= REPORTS_PER_COMMIT) await flush();
      // Let the driver send the batch being written while this one is built.
      else if (reports.length % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (reports.length > 0) await flush();
  await writing;
  return { offices: offices.length, reports: total, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
