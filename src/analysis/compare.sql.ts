/**
 * compareOffices in SQL: one statement computes, for every office in the group, each metric's
 * value, the previous year's, its dense rank, share of the group total, the group's sum, mean and
 * median and the differences from them, and returns one page of compact rows.
 */
import { metricAggregate, storedKeysOf, inList, type SqlFragment } from './metric-sql';

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
  const params: unknown[] = [];
  const current = { sql: 'r.year = ?', params: [q.year] };
  const previous = { sql: 'r.year = ?', params: [q.year - 1] };
  const values: string[] = [];
  q.metrics.forEach((key, i) => {
    const c = metricAggregate(key, current);
    const p = metricAggregate(key, previous);
    values.push(`${c.sql} AS ${col('c', i)}`, `${p.sql} AS ${col('p', i)}`);
    params.push(...c.params, ...p.params);
  });
  const keys = inList([...new Set(q.metrics.flatMap(storedKeysOf))]);
  const v = `SELECT o.id AS officeId, o.code AS code, MAX(CASE WHEN r.year = ? THEN 1 ELSE 0 END) AS reported, ${values.join(', ')}
    FROM offices o
    LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year IN (?, ?)
    LEFT JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey IN (${keys.sql})
    WHERE ${q.scope.sql}
    GROUP BY o.id, o.code`;
  const vParams = [q.year, ...params, q.year, q.year - 1, ...keys.params, ...q.scope.params];

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
  // The median: the middle row, or the mean of the middle two, among offices that reported.
  const medians = q.metrics.map(
    (_, i) => `(SELECT AVG(COALESCE(m.${col('c', i)}, 0)) FROM s m WHERE m.reported = 1 AND 2 * m.${col('mrn', i)} BETWEEN m.n AND m.n + 2) AS ${col('median', i)}`,
  );
  const order = `COALESCE(${col('c', q.orderBy)}, 0) ${q.descending ? 'DESC' : 'ASC'}, code ASC`;
  const sql = `WITH v AS (${v}), s AS (${s})
    SELECT s.*, ${medians.join(', ')}, (SELECT COUNT(*) FROM s m WHERE m.reported = 0) AS missingCount
    FROM s WHERE reported = 1 ORDER BY ${order} LIMIT ${Number(q.limit)} OFFSET ${Number(q.offset)}`;
  return { sql, params: vParams };
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
