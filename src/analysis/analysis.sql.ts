/** SQL for year-over-year, rollups and time series: one grouped statement each. */
import type { TemplateFormat } from '../metrics/template';
import type { TypedStatement } from './compare.sql';
import { groupMetricOf, metricAggregate, metricRangesSql, storedKeysOf, inList, type ReadPlan, type SqlFragment } from './metric-sql';

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

/** The group of a whole year's row: every office of the scope. */
export const ALL_GROUPS = 'ALL';

/**
 * How a grouped rollup statement also totals each year over its groups: `WITH ROLLUP`
 * (MySQL/MariaDB), a `UNION ALL` of the year's sum of the group rows (SQLite has no ROLLUP), or
 * not at all (`null`: a statement over the whole scope, grouped by year only).
 */
export type YearTotals = 'rollup' | 'union' | null;

/**
 * Groups first, years' totals from the groups: the inner statement aggregates the scope's rows per
 * year and group (a temporary table), the outer one adds those few rows up, per group and per
 * year. Rolling up the rows themselves made MariaDB sort every one of them (province of 10,000
 * offices: the values statement 89 → 146 ms); adding up the groups costs nothing. Every outer
 * column is a SUM of partial sums or counts: exact, since the groups split the scope.
 */
function totalledOverGroups(inner: SqlFragment & { group: SqlFragment | null }, outerColumns: string, totals: YearTotals): SqlFragment {
  const grouped = `SELECT pg.year AS year, pg.grp AS grp, ${outerColumns} FROM grouped pg GROUP BY pg.year, pg.grp`;
  if (!inner.group || totals === null) return { sql: `WITH grouped AS (${inner.sql}) ${grouped}`, params: inner.params };
  if (totals === 'rollup') return { sql: `SELECT pg.year AS year, pg.grp AS grp, ${outerColumns} FROM (${inner.sql}) pg GROUP BY pg.year, pg.grp WITH ROLLUP`, params: inner.params };
  return { sql: `WITH grouped AS (${inner.sql}) ${grouped} UNION ALL SELECT pg.year AS year, NULL AS grp, ${outerColumns} FROM grouped pg GROUP BY pg.year`, params: inner.params };
}

const groupColumn = (group: SqlFragment | null) => (group ? group.sql : `'${ALL_GROUPS}'`);
const groupBy = (year: string, group: SqlFragment | null) => (group ? `GROUP BY ${year}, ${group.sql}` : `GROUP BY ${year}`);

/**
 * Rows of a totalled statement in the order of year and group (MariaDB takes no ORDER BY beside
 * WITH ROLLUP), each year's total (its group NULL) as ALL, without the grand total ROLLUP ends
 * with (year NULL).
 */
function yearsAndGroups<R extends { year: number; group: string }>(rows: readonly Record<string, unknown>[], decode: (row: Record<string, unknown>, year: number, group: string) => R): R[] {
  return rows
    .filter((r) => r.year !== null && r.year !== undefined)
    .map((r) => decode(r, Number(r.year), r.grp === null || r.grp === undefined ? ALL_GROUPS : String(r.grp)))
    .sort((a, b) => a.year - b.year || byGroup(a.group, b.group));
}

/** Groups as ORDER BY grp would put them: levels by number, kinds by name, each year's total last. */
function byGroup(a: string, b: string): number {
  if (a === ALL_GROUPS || b === ALL_GROUPS) return Number(a === ALL_GROUPS) - Number(b === ALL_GROUPS);
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Per year and group, each stored key's sum and count (`sum_<slot>`, `count_<slot>`) and each derived metric's stating offices (`offices_<i>`). */
const partialColumn = (kind: 'sum' | 'count' | 'offices', n: number) => `${kind}_${n}`;

/**
 * Per year and group of a subtree: each metric's total and how many offices stated it, read from
 * the covering (year, metricKey, officeId, value) index — one range per stored key, tagged with
 * its slot so that rows are told apart by a small integer, not a collated string — a group sum
 * adds its parts' sums, a ratio divides the group's own sums. A stored key has one value per
 * office and year, so its values are counted; a derived metric counts the offices that stated any
 * value it is computed from (a sum of parts is blank only when every part is).
 */
export function rollupValuesSql(scope: SqlFragment, read: ReadPlan, years: readonly number[], metrics: readonly string[], group: SqlFragment | null, totals: YearTotals = null): TypedStatement<RollupValuesRow[]> {
  const stored = [...new Set(metrics.flatMap(storedKeysOf))];
  const slot = (key: string) => stored.indexOf(key);
  const isStored = (key: string) => {
    const parts = storedKeysOf(key);
    return parts.length === 1 && parts[0] === key;
  };
  const partials = [
    ...stored.flatMap((_, n) => [`SUM(CASE WHEN x.slot = ${n} THEN x.value END) AS ${partialColumn('sum', n)}`, `COUNT(CASE WHEN x.slot = ${n} THEN x.value END) AS ${partialColumn('count', n)}`]),
    ...metrics.flatMap((key, i) => (isStored(key) ? [] : [`COUNT(DISTINCT CASE WHEN x.slot IN (${[...new Set(storedKeysOf(key))].map(slot).join(', ')}) THEN x.officeId END) AS ${partialColumn('offices', i)}`])),
  ];
  const overGroups = { sum: (k: string) => `SUM(pg.${partialColumn('sum', slot(k))})`, count: (k: string) => `SUM(pg.${partialColumn('count', slot(k))})` };
  const outer = metrics
    .flatMap((key, i) => [`${groupMetricOf(key, overGroups)} AS ${rollupColumn('total', i)}`, `SUM(pg.${isStored(key) ? partialColumn('count', slot(key)) : partialColumn('offices', i)}) AS ${rollupColumn('stated', i)}`])
    .join(', ');
  const ranges = metricRangesSql(stored.map((key) => ({ key, years })), read);
  const statement = totalledOverGroups(
    {
      sql: `SELECT x.year AS year, ${groupColumn(group)} AS grp, ${partials.join(', ')}
        FROM (${ranges.sql}) x JOIN offices o ON o.id = x.officeId
        WHERE ${scope.sql}
        ${groupBy('x.year', group)}`,
      params: [...ranges.params, ...scope.params],
      group,
    },
    outer,
    totals,
  );
  return {
    ...statement,
    decode: (rows) =>
      yearsAndGroups(rows, (r, year, grp) => ({
        year,
        group: grp,
        totals: metrics.map((_, i) => num(r[rollupColumn('total', i)])),
        stated: metrics.map((_, i) => Number(r[rollupColumn('stated', i)] ?? 0)),
      })),
  };
}

/** The per-metric columns of `rollupValuesSql`, named in one place for the SQL and its decoder. */
const rollupColumn = (kind: 'total' | 'stated', i: number) => `${kind}_${i}`;

export interface RollupCountsRow {
  readonly year: number;
  readonly group: string;
  readonly officeCount: number;
  readonly reportedCount: number;
}

/** Per year and group of a subtree: how many offices there are and how many filed a report. */
export function rollupCountsSql(scope: SqlFragment, years: readonly number[], group: SqlFragment | null, totals: YearTotals = null): TypedStatement<RollupCountsRow[]> {
  const y = yearsTable(years);
  const statement = totalledOverGroups(
    {
      sql: `SELECT y.year AS year, ${groupColumn(group)} AS grp, COUNT(*) AS officeCount, COUNT(r.id) AS reportedCount
        FROM offices o CROSS JOIN (${y.sql}) y
        LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = y.year
        WHERE ${scope.sql}
        ${groupBy('y.year', group)}`,
      params: [...y.params, ...scope.params],
      group,
    },
    'SUM(pg.officeCount) AS officeCount, SUM(pg.reportedCount) AS reportedCount',
    totals,
  );
  return {
    ...statement,
    decode: (rows) => yearsAndGroups(rows, (r, year, grp) => ({ year, group: grp, officeCount: Number(r.officeCount), reportedCount: Number(r.reportedCount) })),
  };
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
