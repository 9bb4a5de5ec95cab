/**
 * SQL for any metric of the catalog, stored or derived, as an aggregate over joined
 * `metric_values mv` rows. Derived metrics are built from their catalog definition here, once: a
 * group sum is one SUM over its parts, a ratio divides the group's own sums (never an average of
 * ratios), whatever the grouping of the query around it.
 */
import type { GroupSpan } from './compare.sql';
import { metricDefinition } from '../metrics/catalog';

export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/** The stored keys a metric is computed from. */
export function storedKeysOf(key: string): string[] {
  const def = metricDefinition(key);
  if (!def) return [];
  const d = def.derivation;
  if (!d) return [key];
  if (d.kind === 'sum') return d.of.flatMap(storedKeysOf);
  return [...storedKeysOf(d.numerator), ...storedKeysOf(d.denominator)];
}

/**
 * SUM of the metric's rows, optionally restricted (e.g. to one year of a two-year join). Null when
 * no row is stated, so blank stays distinguishable from 0.
 */
export function metricAggregate(key: string, condition?: SqlFragment): SqlFragment {
  const def = metricDefinition(key);
  if (!def) throw new Error(`unknown metric ${key}`);
  const extra = condition ? ` AND ${condition.sql}` : '';
  const extraParams = condition?.params ?? [];
  const d = def.derivation;
  if (!d || d.kind === 'sum') {
    const keys = storedKeysOf(key);
    const placeholders = keys.map(() => '?').join(', ');
    return { sql: `SUM(CASE WHEN mv.metricKey IN (${placeholders})${extra} THEN mv.value END)`, params: [...keys, ...extraParams] };
  }
  const numerator = metricAggregate(d.numerator, condition);
  const denominator = metricAggregate(d.denominator, condition);
  return { sql: `(${numerator.sql} * 1.0 / NULLIF(${denominator.sql}, 0))`, params: [...numerator.params, ...denominator.params] };
}

/** `?, ?, ?` for a list, with its values. */
export function inList(values: readonly unknown[]): SqlFragment {
  return { sql: values.map(() => '?').join(', '), params: [...values] };
}

/** How a group's sum and count of a stored key are written, over rows or over partial groups. */
export interface GroupAggregates {
  sum(storedKey: string): string;
  count(storedKey: string): string;
}

/**
 * A metric over a group, from the group's sums and counts of its stored keys: a group sum is the
 * sum of its parts' group sums, a ratio divides the group's own sums — never an average of
 * per-office ratios.
 */
export function groupMetricOf(key: string, group: GroupAggregates): string {
  const def = metricDefinition(key)!;
  const d = def.derivation;
  if (!d) return group.sum(key);
  if (d.kind === 'sum') {
    const parts = d.of.flatMap(storedKeysOf);
    return `(CASE WHEN ${parts.map((k) => group.count(k)).join(' + ')} = 0 THEN NULL ELSE ${parts.map((k) => `COALESCE(${group.sum(k)}, 0)`).join(' + ')} END)`;
  }
  return `(${groupMetricOf(d.numerator, group)} * 1.0 / NULLIF(${groupMetricOf(d.denominator, group)}, 0))`;
}

/**
 * The same metric for one row whose stored keys sit in columns (`part(key)`), no aggregate: a
 * group sum is null only when every part is, a ratio divides its own parts.
 */
export function rowMetric(key: string, part: (storedKey: string) => string): string {
  const def = metricDefinition(key)!;
  const d = def.derivation;
  if (!d) return part(key);
  if (d.kind === 'sum') {
    const parts = d.of.flatMap(storedKeysOf);
    return `(CASE WHEN ${parts.map((k) => `${part(k)} IS NULL`).join(' AND ')} THEN NULL ELSE ${parts.map((k) => `COALESCE(${part(k)}, 0)`).join(' + ')} END)`;
  }
  return `(${rowMetric(d.numerator, part)} * 1.0 / NULLIF(${rowMetric(d.denominator, part)}, 0))`;
}

/**
 * How a group's stored values are read (AnalysisService.readPlan chooses from the group's shape).
 * `range`: one range of the covering (year, metricKey, officeId, value) index per slot, bounded by
 * the group's lowest and highest office id — rows read grow with the id span, so it suits a group
 * whose offices were created together. `offices`: from the group's own offices, one lookup of the
 * same index per office, key and year — rows read grow with the group's size whatever the ids.
 */
export type ReadPlan =
  | { readonly kind: 'range'; readonly lowestId: number; readonly highestId: number }
  | { readonly kind: 'offices'; readonly scope: SqlFragment };

/**
 * Stored metric values as rows `(slot, year, officeId, value)`, for slots of one key and some years
 * (no key and year in two slots). Each row carries its slot's number so that callers tell rows
 * apart by a small integer rather than by comparing collated key strings on every row.
 */
export function metricRangesSql(slots: readonly { key: string; years: readonly number[] }[], plan: ReadPlan): SqlFragment {
  const yearList = (years: readonly number[]) => years.map(Number).join(', ');
  if (plan.kind === 'range') {
    const bounds = `mv.officeId BETWEEN ${Number(plan.lowestId)} AND ${Number(plan.highestId)}`;
    const ranges = slots.map((s, n) => `SELECT ${n} AS slot, mv.year AS year, mv.officeId AS officeId, mv.value AS value FROM metric_values mv WHERE mv.year IN (${yearList(s.years)}) AND mv.metricKey = ? AND ${bounds}`);
    return { sql: ranges.join(' UNION ALL '), params: slots.map((s) => s.key) };
  }
  // The group's ids once (SQLite cannot search the path index for a LIKE, and would otherwise
  // scan the range of every slot and test each office), then one join per slot and year with every
  // column of the index's prefix an equality: per office, one lookup in the same covering index the
  // range read scans. CROSS JOIN keeps the group outermost on SQLite.
  const reads = slots.flatMap((s, n) =>
    s.years.map((year) => `SELECT ${n} AS slot, mv.year AS year, mv.officeId AS officeId, mv.value AS value FROM g CROSS JOIN metric_values mv ON mv.year = ${Number(year)} AND mv.metricKey = ? AND mv.officeId = g.id`),
  );
  return {
    sql: `WITH g AS (SELECT o.id AS id FROM offices o WHERE ${plan.scope.sql}) ${reads.join(' UNION ALL ')}`,
    params: [...plan.scope.params, ...slots.flatMap((s) => s.years.map(() => s.key))],
  };
}

/**
 * Index rows a range read may cover per office of the group before the office-driven read is the
 * cheaper one: a range read pays one index entry per id in the span, the office-driven read a few
 * lookups per office (bench/results/read-plans.md has the measurements behind the figure).
 */
export const RANGE_READ_MAX_SPAN_PER_OFFICE = 4;

/**
 * How to read a group's stored values: as id ranges when its offices' ids are close together (they
 * were created together), from its own offices when they are scattered (created in any order, or
 * added years later) — then a range would read every office in between.
 */
export function readPlan(span: GroupSpan, scope: SqlFragment): ReadPlan {
  const width = span.highestId - span.lowestId + 1;
  if (span.officeCount > 0 && width <= RANGE_READ_MAX_SPAN_PER_OFFICE * span.officeCount) return { kind: 'range', lowestId: span.lowestId, highestId: span.highestId };
  return { kind: 'offices', scope };
}
