/**
 * compareOffices in SQL: one statement computes, for every office in the group, each metric's
 * value, the previous year's, its dense rank, share of the group total, the group's sum, mean and
 * median and the differences from them, and returns one page of compact rows.
 */
import { groupMetric, inList, storedKeysOf, type SqlFragment } from './metric-sql';

export interface CompareQuery {
  readonly scope: SqlFragment;
  readonly year: number;
  readonly metrics: readonly string[];
  readonly orderBy: number;
  readonly descending: boolean;
  readonly limit: number;
  readonly offset: number;
}

const col = (prefix: string, i: number) => `${prefix}${i}`;

export function compareSql(q: CompareQuery): SqlFragment {
  // The metric values of the two years, summed per office from the covering (year, metricKey,
  // officeId, value) index; reports only tell who filed.
  const stored = [...new Set(q.metrics.flatMap(storedKeysOf))];
  const sums = stored.flatMap((_, j) => [
    `SUM(CASE WHEN mv.metricKey = ? AND mv.year = ${Number(q.year)} THEN mv.value END) AS c${j}`,
    `SUM(CASE WHEN mv.metricKey = ? AND mv.year = ${Number(q.year - 1)} THEN mv.value END) AS p${j}`,
  ]);
  const keys = inList(stored);
  const m = `SELECT mv.officeId AS officeId, ${sums.join(', ')}
    FROM metric_values mv
    WHERE mv.year IN (${Number(q.year)}, ${Number(q.year - 1)}) AND mv.metricKey IN (${keys.sql}) AND mv.officeId IN (SELECT o.id FROM offices o WHERE ${q.scope.sql})
    GROUP BY mv.officeId`;
  const mParams = [...stored.flatMap((k) => [k, k]), ...keys.params, ...q.scope.params];
  const part = (prefix: 'c' | 'p') => (k: string) => `m.${prefix}${stored.indexOf(k)}`;
  const values = q.metrics.flatMap((key, i) => [`${groupMetric(key, part('c'))} AS ${col('c', i)}`, `${groupMetric(key, part('p'))} AS ${col('p', i)}`]);
  const v = `SELECT o.id AS officeId, o.code AS code, MAX(CASE WHEN r.id IS NULL THEN 0 ELSE 1 END) AS reported, ${values.join(', ')}
    FROM offices o
    LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = ?
    LEFT JOIN m ON m.officeId = o.id
    WHERE ${q.scope.sql}
    GROUP BY o.id, o.code`;
  const vParams = [q.year, ...q.scope.params];

  const windows = q.metrics.flatMap((_, i) => {
    const x = `COALESCE(${col('c', i)}, 0)`;
    return [
      `DENSE_RANK() OVER (PARTITION BY reported ORDER BY ${x} DESC) AS ${col('rank', i)}`,
      `SUM(${x}) OVER (PARTITION BY reported) AS ${col('sum', i)}`,
      `AVG(${x}) OVER (PARTITION BY reported) AS ${col('mean', i)}`,
      `ROW_NUMBER() OVER (PARTITION BY reported ORDER BY ${x}) AS ${col('mrn', i)}`,
    ];
  });
  const s = `SELECT v.*, COUNT(*) OVER (PARTITION BY reported) AS n, COUNT(*) OVER () AS officeCount, ${windows.join(', ')} FROM v`;
  // The median: the middle row, or the mean of the middle two, among offices that reported — as
  // one more window over s, so that every CTE is read once (MariaDB re-runs a CTE per reference).
  const medians = q.metrics.map((_, i) => `AVG(CASE WHEN 2 * ${col('mrn', i)} BETWEEN n AND n + 2 THEN COALESCE(${col('c', i)}, 0) END) OVER (PARTITION BY reported) AS ${col('median', i)}`);
  const t = `SELECT s.*, ${medians.join(', ')}, SUM(CASE WHEN reported = 0 THEN 1 ELSE 0 END) OVER () AS missingCount FROM s`;
  const order = `COALESCE(${col('c', q.orderBy)}, 0) ${q.descending ? 'DESC' : 'ASC'}, code ASC`;
  const sql = `WITH m AS (${m}), v AS (${v}), s AS (${s}), t AS (${t})
    SELECT * FROM t WHERE reported = 1 ORDER BY ${order} LIMIT ${Number(q.limit)} OFFSET ${Number(q.offset)}`;
  return { sql, params: [...mParams, ...vParams] };
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
