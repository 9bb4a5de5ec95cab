/**
 * A group read as its children (a city as its districts, a province as its cities): for each
 * direct child, the figures `compareOffices(under: <child>)` gives — offices under it, how many
 * filed, and the sum, mean and median of each metric over the offices that stated it (a blank is
 * not 0, as in compareOffices), with the stated and blank counts — from one statement over the whole group. The dashboard asked for them one request
 * per child (a city: ten requests per view, two in flight at a time); this is one.
 *
 * The statement returns one compact row per office of the group (its values on the year, no
 * ranks); the grouping by child and the medians are a few thousand numbers, summed here.
 */
import { metricRangesSql, rowMetric, storedKeysOf, type ReadPlan, type SqlFragment } from './metric-sql';

export interface ChildSummaryData {
  readonly childId: number;
  readonly officeCount: number;
  readonly reportedCount: number;
  readonly stats: { metric: string; sum: number; mean: number | null; median: number | null; statedCount: number; blankCount: number }[];
}

/**
 * Every office strictly under the group's root: its parent and path (which child it falls under),
 * whether it filed a report on the year, and each metric's value then (null when blank or not filed).
 */
export function officeValuesSql(scope: SqlFragment, read: ReadPlan, year: number, metrics: readonly string[]): SqlFragment {
  const stored = [...new Set(metrics.flatMap(storedKeysOf))];
  const ranges = metricRangesSql(stored.map((key) => ({ key, years: [year] })), read);
  const pivot = stored.map((_, n) => `SUM(CASE WHEN x.slot = ${n} THEN x.value END) AS s${n}`);
  const part = (key: string) => `m.s${stored.indexOf(key)}`;
  const values = metrics.map((key, i) => `${rowMetric(key, part)} AS c${i}`);
  return {
    sql: `WITH m AS (SELECT x.officeId AS officeId, ${pivot.join(', ')} FROM (${ranges.sql}) x GROUP BY x.officeId)
      SELECT o.id AS officeId, o.parentId AS parentId, o.code AS code, o.path AS path, r.id AS reportId, ${values.join(', ')}
      FROM offices o
      LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = ?
      LEFT JOIN m ON m.officeId = o.id AND r.id IS NOT NULL
      WHERE ${scope.sql}`,
    params: [...ranges.params, year, ...scope.params],
  };
}

/** The middle value, or the mean of the middle two, as compareOffices computes its median. */
function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/**
 * Rows of `officeValuesSql` grouped by the direct child of `rootId` they fall under (the child
 * itself left out: compareOffices(under) is strictly under); every child is listed, by code, also
 * with no office under it or none that filed.
 */
export function summarizeByChild(rootId: number, rows: readonly Record<string, unknown>[], metrics: readonly string[]): ChildSummaryData[] {
  const children = rows
    .filter((r) => Number(r.parentId) === rootId)
    .map((r) => ({ id: Number(r.officeId), code: String(r.code) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  // Per metric, the values stated by the offices that filed: a blank is not 0 (METRICS.md), it is left out.
  const byId = new Map(children.map((c) => [c.id, { officeCount: 0, reportedCount: 0, values: metrics.map(() => [] as number[]) }]));
  for (const row of rows) {
    const path = String(row.path);
    // `/1/5/23/` under root 1: the child is the id after the root's own segment.
    const ids = path.split('/').filter(Boolean).map(Number);
    const childId = ids[ids.indexOf(rootId) + 1];
    if (childId === undefined || childId === Number(row.officeId)) continue;
    const child = byId.get(childId);
    if (!child) continue;
    child.officeCount += 1;
    if (row.reportId === null || row.reportId === undefined) continue;
    child.reportedCount += 1;
    metrics.forEach((_, i) => {
      const value = row[`c${i}`];
      if (value !== null && value !== undefined) child.values[i]!.push(Number(value));
    });
  }
  return children.map(({ id }) => {
    const child = byId.get(id)!;
    const reportedCount = child.reportedCount;
    return {
      childId: id,
      officeCount: child.officeCount,
      reportedCount,
      stats: metrics.map((metric, i) => {
        const values = child.values[i]!;
        const sum = values.reduce((a, b) => a + b, 0);
        const statedCount = values.length;
        return { metric, sum, mean: statedCount === 0 ? null : sum / statedCount, median: median([...values].sort((a, b) => a - b)), statedCount, blankCount: reportedCount - statedCount };
      }),
    };
  });
}
