/**
 * compareOffices in SQL: one statement computes, for every office of the group that reported,
 * each metric's value, the previous year's, its dense rank, the group's sum, mean and median, and
 * returns one page of compact rows. A first, cheap statement measures the group (`groupSpanSql`).
 */
import { metricRangesSql, rowMetric, storedKeysOf, type ReadPlan, type SqlFragment } from './metric-sql';

/** Which SQL the database speaks where the dialects differ (MariaDB has MEDIAN() as a window function). */
export type SqlDialect = 'sqlite' | 'mysql' | 'mariadb';

export interface GroupSpan {
  /** The group's lowest and highest office id: how far apart its offices' ids are. */
  readonly lowestId: number;
  readonly highestId: number;
  readonly officeCount: number;
}

export interface CompareQuery {
  readonly scope: SqlFragment;
  /** How the group's stored values are read. */
  readonly read: ReadPlan;
  readonly year: number;
  readonly metrics: readonly string[];
  readonly orderBy: number;
  readonly descending: boolean;
  readonly limit: number;
  readonly offset: number;
  readonly dialect: SqlDialect;
}

const col = (prefix: string, i: number) => `${prefix}${i}`;

export function groupSpanSql(scope: SqlFragment): SqlFragment {
  return { sql: `SELECT MIN(o.id) AS lowestId, MAX(o.id) AS highestId, COUNT(*) AS officeCount FROM offices o WHERE ${scope.sql}`, params: scope.params };
}

/** Each office's stored values of the year and the year before, one column per key and year. */
function pivotSql(q: CompareQuery, stored: readonly string[]): SqlFragment {
  const slots = stored.flatMap((key, j) => [
    { key, years: [q.year], name: col('c', j) },
    { key, years: [q.year - 1], name: col('p', j) },
  ]);
  const ranges = metricRangesSql(slots, q.read);
  const pivot = slots.map((s, n) => `SUM(CASE WHEN x.slot = ${n} THEN x.value END) AS ${s.name}`);
  return {
    sql: `SELECT x.officeId AS officeId, ${pivot.join(', ')} FROM (${ranges.sql}) x GROUP BY x.officeId`,
    params: ranges.params,
  };
}

export function compareSql(q: CompareQuery): SqlFragment {
  const stored = [...new Set(q.metrics.flatMap(storedKeysOf))];
  const m = pivotSql(q, stored);
  const part = (prefix: 'c' | 'p') => (k: string) => `m.${prefix}${stored.indexOf(k)}`;
  const values = q.metrics.flatMap((key, i) => [`${rowMetric(key, part('c'))} AS ${col('c', i)}`, `${rowMetric(key, part('p'))} AS ${col('p', i)}`]);
  const v = `SELECT o.id AS officeId, o.code AS code, ${values.join(', ')}
    FROM offices o
    JOIN annual_reports r ON r.officeId = o.id AND r.year = ?
    LEFT JOIN m ON m.officeId = o.id
    WHERE ${q.scope.sql}`;
  const vParams = [q.year, ...q.scope.params];

  const x = (i: number) => `COALESCE(${col('c', i)}, 0)`;
  // One ordering per metric serves its rank and its median's row numbers (the middle rows are the
  // same counted from either end), so each metric costs one sort.
  const nativeMedian = q.dialect === 'mariadb';
  const windows = q.metrics.flatMap((_, i) => [
    `DENSE_RANK() OVER ${col('w', i)} AS ${col('rank', i)}`,
    nativeMedian ? `MEDIAN(${x(i)}) OVER () AS ${col('median', i)}` : `ROW_NUMBER() OVER ${col('w', i)} AS ${col('mrn', i)}`,
    `SUM(${x(i)}) OVER () AS ${col('sum', i)}`,
  ]);
  const named = q.metrics.map((_, i) => `${col('w', i)} AS (ORDER BY ${x(i)} DESC)`);
  const s = `SELECT v.*, COUNT(*) OVER () AS n, ${windows.join(', ')} FROM v WINDOW ${named.join(', ')}`;
  // Elsewhere the median is the middle row, or the mean of the middle two: one more window over s,
  // so that every CTE is read once (MariaDB re-runs a CTE per reference).
  const medians = q.metrics.map((_, i) => `AVG(CASE WHEN 2 * ${col('mrn', i)} BETWEEN n AND n + 2 THEN ${x(i)} END) OVER () AS ${col('median', i)}`);
  const last = nativeMedian ? 's' : 't';
  const t = nativeMedian ? '' : `, t AS (SELECT s.*, ${medians.join(', ')} FROM s)`;
  const means = q.metrics.map((_, i) => `${col('sum', i)} * 1.0 / n AS ${col('mean', i)}`);
  const order = `${x(q.orderBy)} ${q.descending ? 'DESC' : 'ASC'}, code ASC`;
  const sql = `WITH m AS (${m.sql}), v AS (${v}), s AS (${s})${t}
    SELECT ${last}.*, ${means.join(', ')} FROM ${last} ORDER BY ${order} LIMIT ${Number(q.limit)} OFFSET ${Number(q.offset)}`;
  return { sql, params: [...m.params, ...vParams] };
}

/** Offices of the group with no report for the year, in code order, capped. */
export function missingSql(scope: SqlFragment, year: number, limit: number): SqlFragment {
  return {
    sql: `SELECT o.id AS officeId FROM offices o WHERE ${scope.sql}
      AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.officeId = o.id AND r.year = ?)
      ORDER BY o.code LIMIT ${Number(limit)}`,
    params: [...scope.params, year],
  };
}
