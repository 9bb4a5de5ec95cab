/** SQL for year-over-year, rollups and time series: one grouped statement each. */
import type { TemplateFormat } from '../metrics/template';
import type { TypedStatement } from './compare.sql';
import { groupMetric, metricAggregate, metricRangesSql, storedKeysOf, inList, type ReadPlan, type SqlFragment } from './metric-sql';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The per-metric value column of the per-office statements below, for their SQL and decoders. */
const valueColumn = (i: number) => `value_${i}`;
const valuesOf = (r: Record<string, unknown>, metrics: readonly string[]) => metrics.map((_, i) => num(r[valueColumn(i)]));

function aggregates(metrics: readonly string[]): SqlFragment & { keys: SqlFragment } {
  const params: unknown[] = [];
  const sql = metrics
    .map((key, i) => {
      const a = metricAggregate(key);
      params.push(...a.params);
      return `${a.sql} AS ${valueColumn(i)}`;
    })
    .join(', ');
  return { sql, params, keys: inList([...new Set(metrics.flatMap(storedKeysOf))]) };
}

export interface OfficeYearRow {
  readonly year: number;
  readonly templateFormat: TemplateFormat;
  /** Per metric, in the order asked. */
  readonly values: readonly (number | null)[];
}

/** One office's values per year (its reports only), with each year's template format. */
export function officeYearsSql(officeId: number, metrics: readonly string[], fromYear: number, toYear: number): TypedStatement<OfficeYearRow[]> {
  const a = aggregates(metrics);
  return {
    sql: `SELECT r.year AS year, r.templateFormat AS templateFormat, ${a.sql}
      FROM annual_reports r
      LEFT JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey IN (${a.keys.sql})
      WHERE r.officeId = ? AND r.year BETWEEN ? AND ?
      GROUP BY r.year, r.templateFormat`,
    params: [...a.params, ...a.keys.params, officeId, fromYear, toYear],
    decode: (rows) => rows.map((r) => ({ year: Number(r.year), templateFormat: String(r.templateFormat) as TemplateFormat, values: valuesOf(r, metrics) })),
  };
}

function yearsTable(years: readonly number[]): SqlFragment {
  return { sql: years.map(() => 'SELECT ? AS year').join(' UNION ALL '), params: [...years] };
}

/** One year and group of a rollup's values: per metric, its total and how many offices stated it. */
export interface RollupValuesRow {
  readonly year: number;
  readonly group: string;
  readonly totals: readonly (number | null)[];
  readonly stated: readonly number[];
}

/** The per-metric columns of `rollupValuesSql`, named in one place for the SQL and its decoder. */
type RollupColumn = 'total' | 'stated';
const rollupColumn = (kind: RollupColumn, i: number) => `${kind}_${i}`;

/**
 * How many offices of a group stated a metric. A stored key has one value per office and year, so
 * its values are counted; a derived metric counts the offices that stated any value it is
 * computed from (a sum of parts is blank only when every part is).
 */
function statedCount(key: string, stored: readonly string[]): string {
  const parts = storedKeysOf(key);
  if (parts.length === 1 && parts[0] === key) return `COUNT(CASE WHEN x.slot = ${stored.indexOf(key)} THEN x.value END)`;
  return `COUNT(DISTINCT CASE WHEN x.slot IN (${[...new Set(parts)].map((k) => stored.indexOf(k)).join(', ')}) THEN x.officeId END)`;
}

/**
 * Per year and group of a subtree: each metric's total and stated count, read from the covering
 * (year, metricKey, officeId, value) index — one range per stored key, tagged with its slot so
 * that rows are told apart by a small integer, not a collated string — a group sum adds its
 * parts' sums, a ratio divides the group's own sums.
 */
export function rollupValuesSql(scope: SqlFragment, read: ReadPlan, years: readonly number[], metrics: readonly string[], group: SqlFragment | null, withTotals = false): TypedStatement<RollupValuesRow[]> {
  const stored = [...new Set(metrics.flatMap(storedKeysOf))];
  const part = (k: string) => `CASE WHEN x.slot = ${stored.indexOf(k)} THEN x.value END`;
  const cols = metrics.flatMap((key, i) => [`${groupMetric(key, part)} AS ${rollupColumn('total', i)}`, `${statedCount(key, stored)} AS ${rollupColumn('stated', i)}`]).join(', ');
  const ranges = metricRangesSql(stored.map((key) => ({ key, years })), read);
  return {
    sql: `SELECT x.year AS year, ${groupColumn(group)} AS grp, ${cols}
      FROM (${ranges.sql}) x JOIN offices o ON o.id = x.officeId
      WHERE ${scope.sql}
      ${groupBy('x.year', group, withTotals)}`,
    params: [...ranges.params, ...scope.params],
    decode: (rows) =>
      rollupRows(rows).map((r) => ({
        year: Number(r.year),
        group: groupOf(r),
        totals: metrics.map((_, i) => num(r[rollupColumn('total', i)])),
        stated: metrics.map((_, i) => Number(r[rollupColumn('stated', i)] ?? 0)),
      })),
  };
}

/** The group of a whole year's row: every office of the scope. */
export const ALL_GROUPS = 'ALL';

const groupColumn = (group: SqlFragment | null) => (group ? group.sql : `'${ALL_GROUPS}'`);

/**
 * Per year and group; `withTotals` (MySQL/MariaDB) adds each year's total in the same pass
 * (`WITH ROLLUP`: a row whose group is NULL) instead of a second statement over the same rows.
 */
function groupBy(year: string, group: SqlFragment | null, withTotals: boolean): string {
  if (!group) return `GROUP BY ${year}`;
  return `GROUP BY ${year}, ${group.sql}${withTotals ? ' WITH ROLLUP' : ''}`;
}

/** Rows of a rollup statement without the grand total `WITH ROLLUP` ends with (year NULL). */
const rollupRows = (rows: readonly Record<string, unknown>[]) => rows.filter((r) => r.year !== null && r.year !== undefined);
const groupOf = (r: Record<string, unknown>) => (r.grp === null || r.grp === undefined ? ALL_GROUPS : String(r.grp));

export interface RollupCountsRow {
  readonly year: number;
  readonly group: string;
  readonly officeCount: number;
  readonly reportedCount: number;
}

/** Per year and group of a subtree: how many offices there are and how many filed a report. */
export function rollupCountsSql(scope: SqlFragment, years: readonly number[], group: SqlFragment | null, withTotals = false): TypedStatement<RollupCountsRow[]> {
  const y = yearsTable(years);
  const rollup = withTotals && group !== null;
  return {
    // MariaDB takes no ORDER BY beside WITH ROLLUP: those rows are put in order below.
    sql: `SELECT y.year AS year, ${groupColumn(group)} AS grp, COUNT(*) AS officeCount, COUNT(r.id) AS reportedCount
      FROM offices o CROSS JOIN (${y.sql}) y
      LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = y.year
      WHERE ${scope.sql}
      ${groupBy('y.year', group, withTotals)}${rollup ? '' : '\n      ORDER BY y.year, grp'}`,
    params: [...y.params, ...scope.params],
    decode: (rows) => {
      const decoded = rollupRows(rows).map((r) => ({ year: Number(r.year), group: groupOf(r), officeCount: Number(r.officeCount), reportedCount: Number(r.reportedCount) }));
      return rollup ? decoded.sort((a, b) => a.year - b.year || byGroup(a.group, b.group)) : decoded;
    },
  };
}

/** Groups as ORDER BY grp puts them: levels by number, kinds by name. */
function byGroup(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The offices of each year and group that filed nothing, capped per group. */
export function rollupMissingSql(scope: SqlFragment, years: readonly number[], group: SqlFragment | null, perGroup: number): TypedStatement<{ year: number; group: string; officeId: number }[]> {
  const y = yearsTable(years);
  const groupCol = group ? group.sql : "'ALL'";
  return {
    sql: `SELECT year, grp, officeId FROM (
        SELECT y.year AS year, ${groupCol} AS grp, o.id AS officeId, ROW_NUMBER() OVER (PARTITION BY y.year, ${groupCol} ORDER BY o.code) AS rn
        FROM offices o CROSS JOIN (${y.sql}) y
        WHERE ${scope.sql} AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.officeId = o.id AND r.year = y.year)
      ) t WHERE rn <= ${Number(perGroup)} ORDER BY year, grp, rn`,
    params: [...(group?.params ?? []), ...(group?.params ?? []), ...y.params, ...scope.params],
    decode: (rows) => rows.map((r) => ({ year: Number(r.year), group: String(r.grp), officeId: Number(r.officeId) })),
  };
}

/** Values per office and year for a set of offices. */
export function officesYearsSql(scope: SqlFragment, metrics: readonly string[], fromYear: number, toYear: number): TypedStatement<(OfficeYearRow & { officeId: number })[]> {
  const a = aggregates(metrics);
  return {
    sql: `SELECT o.id AS officeId, r.year AS year, r.templateFormat AS templateFormat, ${a.sql}
      FROM offices o
      JOIN annual_reports r ON r.officeId = o.id AND r.year BETWEEN ? AND ?
      LEFT JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey IN (${a.keys.sql})
      WHERE ${scope.sql}
      GROUP BY o.id, r.year, r.templateFormat`,
    params: [...a.params, fromYear, toYear, ...a.keys.params, ...scope.params],
    decode: (rows) => rows.map((r) => ({ officeId: Number(r.officeId), year: Number(r.year), templateFormat: String(r.templateFormat) as TemplateFormat, values: valuesOf(r, metrics) })),
  };
}
