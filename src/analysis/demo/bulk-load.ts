/**
 * The demo province at national size, written in bulk: the same offices, reports, metric values
 * and findings as generateDemoData (same seed, same layout, same numbers), with ids assigned here
 * instead of one write-path call per report. What it leaves out, because no analysis reads it:
 * revisions (the stored content and text), channel rows (the channel-derived metric values are
 * written) and review state. Only for an empty database (ids start after the highest existing
 * ones, but codes must be new).
 *
 * Two ways to write the reports, the same rows either way:
 *
 * - `infile` (the default on MySQL/MariaDB): reports, metric values and findings generated in this
 *   process and streamed with `LOAD DATA LOCAL INFILE` (mysql2's `infileStreamFactory`; the server
 *   needs `local_infile` on), in primary-key order, chunk after chunk, the next chunk generated
 *   while the database loads the last. The metric table's secondary indexes are dropped before and
 *   added back after the load (one sorted index build instead of 200 inserts per report into a
 *   B-tree), and the loader checks that every table it touched reads back exactly as
 *   `SHOW CREATE TABLE` showed it before. Foreign-key and unique checks are off for its session
 *   (the rows are consistent by construction: ids assigned here, parents first).
 * - `insert` (SQLite; and MySQL/MariaDB on request): multi-row INSERTs, many reports per
 *   transaction, on MySQL/MariaDB on one session with the same checks off.
 */
import { Readable } from 'node:stream';
import { createConnection, type Connection, type ResultSetHeader } from 'mysql2/promise';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { channelMetrics } from '../../channels/channel-metrics';
import { withTransaction } from '../../db/transaction';
import { checkConsistency } from '../../metrics/consistency';
import { ensureReportingYear } from '../../years/reporting-year.service';
import { demoCreationOrder, demoFormat, demoReport, demoTree, prng, type GenerateOptions } from './generator';

/** Reports per transaction of the INSERT path: ~200 metric rows each. */
const REPORTS_PER_COMMIT = 200;
/** Reports per LOAD DATA chunk: ~200,000 metric rows, ~12 MB of text. */
const REPORTS_PER_CHUNK = 1000;

export type BulkLoadMethod = 'infile' | 'insert';

export interface BulkLoadOptions extends GenerateOptions {
  /** Default: `infile` on MySQL/MariaDB, `insert` on SQLite (which has no LOAD DATA). */
  readonly method?: BulkLoadMethod;
  /** `infile`: drop the metric table's secondary indexes before the load and build them after it (default true). */
  readonly indexesAfterLoad?: boolean;
}

export interface BulkLoadResult {
  readonly offices: number;
  readonly reports: number;
  readonly metricValues: number;
  readonly seconds: number;
  readonly method: BulkLoadMethod;
  /** `infile` only: the rows' load, and the secondary indexes' build after it. */
  readonly phases?: { readonly rowsSeconds: number; readonly indexSeconds: number };
}

const REPORT_COLUMNS = ['id', 'officeId', 'year', 'templateFormat', 'title', 'publishedAt', 'overview', 'problems', 'improvements', 'otherMatters'] as const;
const VALUE_COLUMNS = ['reportId', 'metricKey', 'officeId', 'year', 'value', 'approximate'] as const;
const FINDING_COLUMNS = ['reportId', 'code', 'scope', 'leftKeys', 'rightKeys', 'left_value', 'right_value', 'difference', 'message'] as const;
const OFFICE_COLUMNS = ['id', 'code', 'name', 'kind', 'parentId', 'region', 'path', 'depth'] as const;
/** The tables the infile path writes with LOAD DATA; their indexes are what it must leave as it found them. */
const LOADED_TABLES = ['annual_reports', 'metric_values', 'report_findings'] as const;
/** Tables whose secondary indexes are built after the load (the others are small, or their indexes back foreign keys). */
const INDEX_AFTER_LOAD = ['metric_values'] as const;

type Row = unknown[];

interface ReportRows {
  readonly report: Row;
  readonly values: Row[];
  readonly findings: Row[];
}

/** One report's rows: the same draws, in the same order, as generateDemoData, so the same numbers for a seed. */
function reportRows(rand: () => number, id: number, officeId: number, year: number): ReportRows {
  const content = demoReport(rand, year, demoFormat(officeId, year), rand() < 0.03);
  const s = content.sections;
  const stated = new Map<string, { value: number; approximate: boolean }>(content.metrics.map((m) => [m.key, { value: m.value, approximate: m.approximate }]));
  for (const [key, derived] of channelMetrics(content.channels)) stated.set(key, derived);
  const found = checkConsistency(new Map([...stated].map(([k, v]) => [k, v.value])), content.templateFormat);
  return {
    report: [id, officeId, year, content.templateFormat, content.title, content.publishedAt, s.overview, s.problems, s.improvements, s.otherMatters],
    values: [...stated].map(([key, v]) => [id, key, officeId, year, v.value, v.approximate ? 1 : 0]),
    findings: found.map((f) => [id, f.code, f.scope, JSON.stringify(f.leftKeys), JSON.stringify(f.rightKeys), f.left, f.right, f.difference, f.message]),
  };
}

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

type Write = (work: (manager: EntityManager) => Promise<void>) => Promise<void>;

/** Runs each batch in a transaction: on MySQL/MariaDB all on one session with checks off. */
async function batchWriter(dataSource: DataSource): Promise<{ write: Write; close: () => Promise<void> }> {
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

const isMysql = (dataSource: DataSource) => dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';

export async function bulkLoadDemoData(dataSource: DataSource, options: BulkLoadOptions): Promise<BulkLoadResult> {
  const method = options.method ?? (isMysql(dataSource) ? 'infile' : 'insert');
  if (method === 'infile' && !isMysql(dataSource)) throw new Error('bulk load: LOAD DATA is for MySQL/MariaDB; use method "insert" on SQLite');
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
  const offices = placed.map((p) => ({ id: byCode.get(p.office.code)!.id, fromYear: p.fromYear }));
  const writer = await batchWriter(dataSource);
  try {
    for (let i = 0; i < officeRows.length; i += 5000) {
      await writer.write((manager) => insertRows(manager, 'offices', OFFICE_COLUMNS, officeRows.slice(i, i + 5000)));
    }
    await writer.write(async (manager) => {
      for (const year of options.years) await ensureReportingYear(manager, year);
    });
    if (method === 'insert') return { ...(await insertReports(dataSource, writer.write, offices, options, rand)), seconds: secondsSince(started), method };
  } finally {
    await writer.close();
  }
  const loaded = await infileReports(dataSource, offices, options, rand);
  return { ...loaded, seconds: secondsSince(started), method };
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/** Reports in the generator's order: year by year, offices in creation order, each from its first year. */
function* reportsInOrder(offices: readonly { id: number; fromYear: number }[], years: readonly number[]): Generator<{ officeId: number; year: number }> {
  for (const year of years) {
    for (const office of offices) if (year >= office.fromYear) yield { officeId: office.id, year };
  }
}

const reportTotal = (offices: readonly { fromYear: number }[], years: readonly number[]) => years.reduce((n, year) => n + offices.filter((o) => o.fromYear <= year).length, 0);

async function insertReports(dataSource: DataSource, write: Write, offices: readonly { id: number; fromYear: number }[], options: GenerateOptions, rand: () => number): Promise<{ offices: number; reports: number; metricValues: number }> {
  const total = reportTotal(offices, options.years);
  let reportId = await nextId(dataSource, 'annual_reports');
  let done = 0;
  let metricValues = 0;
  let reports: Row[] = [];
  let values: Row[] = [];
  let findings: Row[] = [];
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
      await insertRows(manager, 'annual_reports', REPORT_COLUMNS, batch.reports);
      await insertRows(manager, 'metric_values', VALUE_COLUMNS, batch.values);
      await insertRows(manager, 'report_findings', FINDING_COLUMNS, batch.findings);
    }).then(() => {
      done += count;
      options.onProgress?.(done, total);
    });
  };
  for (const { officeId, year } of reportsInOrder(offices, options.years)) {
    const rows = reportRows(rand, reportId++, officeId, year);
    reports.push(rows.report);
    values.push(...rows.values);
    findings.push(...rows.findings);
    metricValues += rows.values.length;
    if (reports.length >= REPORTS_PER_COMMIT) await flush();
    // Let the driver send the batch being written while this one is built.
    else if (reports.length % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (reports.length > 0) await flush();
  await writing;
  return { offices: offices.length, reports: total, metricValues };
}

/** One field of LOAD DATA's default text format: tab-separated, backslash escapes, `\N` for NULL. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value).replace(/[\\\t\n\r\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0'));
}

const line = (row: Row) => `${row.map(field).join('\t')}\n`;

/** The text in pieces well under the protocol's 16 MB packet. */
function* pieces(text: string): Generator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
}

/** LOAD DATA LOCAL of `rows` (one text line each) into `table`; fails on any warning, as LOCAL would otherwise skip bad rows silently. */
async function loadText(connection: Connection, table: string, columns: readonly string[], text: string, rows: number): Promise<void> {
  if (rows === 0) return;
  const sql = `LOAD DATA LOCAL INFILE 'bulk-${table}.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map((c) => `\`${c}\``).join(', ')})`;
  const [result] = (await connection.query({ sql, infileStreamFactory: () => Readable.from(pieces(text)) })) as unknown as [ResultSetHeader];
  if (result.affectedRows !== rows || result.warningStatus > 0) {
    const [warnings] = await connection.query('SHOW WARNINGS LIMIT 5');
    throw new Error(`bulk load: LOAD DATA into ${table} wrote ${result.affectedRows} of ${rows} rows with ${result.warningStatus} warnings: ${JSON.stringify(warnings)}`);
  }
}

function mysqlUrl(dataSource: DataSource): string {
  const options = dataSource.options as { url?: string; replication?: { master: { url?: string } } };
  const url = options.url ?? options.replication?.master.url;
  if (!url) throw new Error('bulk load: no MySQL/MariaDB URL in the data source options');
  return url;
}

/** `SHOW CREATE TABLE` without the AUTO_INCREMENT counter, which any insert moves. */
async function tableDefinition(connection: Connection, table: string): Promise<string> {
  const [[row]] = (await connection.query(`SHOW CREATE TABLE \`${table}\``)) as unknown as [Record<string, string>[]];
  return row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, '');
}

interface IndexColumn {
  INDEX_NAME: string;
  NON_UNIQUE: number | string;
  SEQ_IN_INDEX: number;
  COLUMN_NAME: string;
  SUB_PART: number | null;
  COLLATION: string | null;
  INDEX_TYPE: string;
}

/** The table's secondary indexes as the `ADD INDEX` clauses that recreate them. */
async function secondaryIndexes(connection: Connection, table: string): Promise<{ name: string; add: string }[]> {
  const [rows] = (await connection.query(
    `SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  )) as unknown as [IndexColumn[]];
  const byName = new Map<string, IndexColumn[]>();
  for (const r of rows) byName.set(r.INDEX_NAME, [...(byName.get(r.INDEX_NAME) ?? []), r]);
  return [...byName].map(([name, cols]) => {
    if (cols[0]!.INDEX_TYPE !== 'BTREE') throw new Error(`bulk load: ${table}.${name} is a ${cols[0]!.INDEX_TYPE} index, which this loader does not rebuild`);
    const parts = cols.map((c) => `\`${c.COLUMN_NAME}\`${c.SUB_PART ? `(${c.SUB_PART})` : ''}${c.COLLATION === 'D' ? ' DESC' : ''}`);
    return { name, add: `ADD ${Number(cols[0]!.NON_UNIQUE) === 0 ? 'UNIQUE ' : ''}INDEX \`${name}\` (${parts.join(', ')})` };
  });
}

async function infileReports(dataSource: DataSource, offices: readonly { id: number; fromYear: number }[], options: BulkLoadOptions, rand: () => number): Promise<Omit<BulkLoadResult, 'seconds' | 'method'>> {
  const total = reportTotal(offices, options.years);
  let reportId = await nextId(dataSource, 'annual_reports');
  const connection = await createConnection({ uri: mysqlUrl(dataSource), charset: 'utf8mb4_unicode_ci', decimalNumbers: true });
  const rowsStarted = process.hrtime.bigint();
  let indexStarted = rowsStarted;
  let metricValues = 0;
  const before = new Map<string, string>();
  const dropped: { table: string; add: string[] }[] = [];
  try {
    try {
      const [[flag]] = (await connection.query('SELECT @@GLOBAL.local_infile AS on_')) as unknown as [{ on_: number }[]];
      if (Number(flag?.on_) !== 1) throw new Error('bulk load: the server has local_infile off (SET GLOBAL local_infile = 1 as an administrator, or use method "insert")');
      for (const table of LOADED_TABLES) before.set(table, await tableDefinition(connection, table));
      await connection.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
      for (const table of options.indexesAfterLoad === false ? [] : INDEX_AFTER_LOAD) {
        const indexes = await secondaryIndexes(connection, table);
        if (indexes.length === 0) continue;
        await connection.query(`ALTER TABLE \`${table}\` ${indexes.map((i) => `DROP INDEX \`${i.name}\``).join(', ')}`);
        dropped.push({ table, add: indexes.map((i) => i.add) });
      }

      let done = 0;
      let chunk = { reports: [] as string[], values: [] as string[], findings: [] as string[], valueRows: 0, findingRows: 0 };
      const fresh = () => ({ reports: [] as string[], values: [] as string[], findings: [] as string[], valueRows: 0, findingRows: 0 });
      // The chunk the database is loading while the next one is generated.
      let loading: Promise<void> = Promise.resolve();
      const flush = async () => {
        const c = chunk;
        chunk = fresh();
        await loading;
        loading = (async () => {
          await loadText(connection, 'annual_reports', REPORT_COLUMNS, c.reports.join(''), c.reports.length);
          await loadText(connection, 'metric_values', VALUE_COLUMNS, c.values.join(''), c.valueRows);
          await loadText(connection, 'report_findings', FINDING_COLUMNS, c.findings.join(''), c.findingRows);
          done += c.reports.length;
          options.onProgress?.(done, total);
        })();
        // A failure surfaces at the next await of `loading`; mark it handled until then.
        loading.catch(() => undefined);
      };
      for (const { officeId, year } of reportsInOrder(offices, options.years)) {
        const rows = reportRows(rand, reportId++, officeId, year);
        chunk.reports.push(line(rows.report));
        // Near primary-key order within the report, (reportId, metricKey): byte order, which differs
        // from the collation's only in where `.` and `_` sort, inside one report's page or two.
        const values = rows.values.sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1));
        chunk.values.push(values.map(line).join(''));
        chunk.valueRows += values.length;
        chunk.findings.push(rows.findings.map(line).join(''));
        chunk.findingRows += rows.findings.length;
        metricValues += values.length;
        if (chunk.reports.length >= REPORTS_PER_CHUNK) await flush();
        // Let the driver stream the chunk being loaded while this one is generated.
        else if (chunk.reports.length % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      if (chunk.reports.length > 0) await flush();
      await loading;
      indexStarted = process.hrtime.bigint();
    } finally {
      // Put back what was dropped, whether the load finished or not.
      for (const { table, add } of dropped) await connection.query(`ALTER TABLE \`${table}\` ${add.join(', ')}`);
      await connection.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
    }
    for (const [table, definition] of before) {
      const after = await tableDefinition(connection, table);
      if (after !== definition) throw new Error(`bulk load: ${table} does not read back as before the load:\n${definition}\n---\n${after}`);
    }
  } finally {
    await connection.end();
  }
  const ended = process.hrtime.bigint();
  return {
    offices: offices.length,
    reports: total,
    metricValues,
    phases: { rowsSeconds: Number(indexStarted - rowsStarted) / 1e9, indexSeconds: Number(ended - indexStarted) / 1e9 },
  };
}
