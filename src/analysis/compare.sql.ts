/**
 * compareOffices in SQL: one statement computes, for every office of the group that reported,
 * each metric's value, the previous year's, its dense rank among the offices that stated it, and
 * the group's sum, stated count, mean and median over the stated values only (a blank is absent,
 * not 0: ../../docs and the domain's METRICS.md). It returns the whole group, ordered, so that a
 * page is a slice of one computation (compare.service.ts keeps it as the query's snapshot), and
 * after it the offices that filed no report, by code: the group's one pass over the offices
 * answers both, where a second statement would read the group again.
 * A first, cheap statement measures the group (`groupSpanSql`).
 *
 * The SQL and the decoding of its rows live here together: every column is named through
 * `column(kind, i)` with a closed set of kinds, so a renamed or dropped column fails to compile on
 * whichever side still uses the old name.
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
  readonly dialect: SqlDialect;
}

/** A statement with the decoder of its rows. */
export interface TypedStatement<R> extends SqlFragment {
  decode(rows: readonly Record<string, unknown>[]): R;
}

/** Per metric and compared office: its value, last year's value and its rank, in this order. */
export const CELLS_PER_METRIC = 3;

/** One metric over the group: sums count a blank as 0, statistics use the stated values only. */
export interface GroupMetricStats {
  readonly sum: number;
  readonly statedCount: number;
  readonly mean: number | null;
  readonly median: number | null;
}

export interface ComparedGroup {
  /** Offices of the group that filed a report for the year (each is a row). */
  readonly reportedCount: number;
  readonly stats: readonly GroupMetricStats[];
  /** The offices that filed, in the comparison's order (each is a row). */
  readonly officeIds: readonly number[];
  /**
   * Row by row and metric by metric, `CELLS_PER_METRIC` numbers: value, last year's value and the
   * dense rank among the offices that stated the value (null for a blank). Flat, because a whole
   * city is 2,000 rows: one array copies and serialises fast, 6,000 small ones do not.
   */
  readonly cells: readonly (number | null)[];
  /** The offices of the group that filed no report for the year, by code: all of them. */
  readonly missingIds: readonly number[];
}

/** Every per-metric column the comparison statement returns. */
type MetricColumn = 'value' | 'previous' | 'rank' | 'medianRow' | 'stated' | 'sum' | 'median';
const column = (kind: MetricColumn, i: number) => `${kind}_${i}`;
/** The columns that do not depend on a metric. */
const OFFICE_ID = 'officeId';
const REPORTED = 'reported';
/** 1 for an office that filed a report for the year, 0 for one that did not. */
const FILED = 'filed';
/** 1 on the one row that carries the group's statistics. */
const FIRST_ROW = 'firstRow';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function groupSpanSql(scope: SqlFragment): TypedStatement<GroupSpan> {
  return {
    sql: `SELECT MIN(o.id) AS lowestId, MAX(o.id) AS highestId, COUNT(*) AS officeCount FROM offices o WHERE ${scope.sql}`,
    params: scope.params,
    decode: ([row]) => ({ lowestId: Number(row?.lowestId ?? 0), highestId: Number(row?.highestId ?? 0), officeCount: Number(row?.officeCount ?? 0) }),
  };
}

/** The stored values a comparison reads: each key this year (`c<j>`) and the year before (`p<j>`). */
function slotsOf(q: CompareQuery, stored: readonly string[]) {
  return stored.flatMap((key, j) => [
    { key, years: [q.year], name: `c${j}` },
    { key, years: [q.year - 1], name: `p${j}` },
  ]);
}

/**
 * How each office's stored values join its row. Range plan: the values of the id span read as
 * ranges of the covering index and pivoted to one row per office (`m`). Offices plan (the group's
 * ids are scattered): one LEFT JOIN per key and year on the covering index's whole prefix — per
 * office one lookup each, no pivot — the form a DBA writes for such a group (the benchmark's
 * `join`), which also measured faster than reading the same lookups through a pivot (a late-added
 * 199-office district, in process: 13.7 ms through the pivot, 11.0 ms joined, the hand-written join
 * 9.5 ms; bench/results/national.md).
 */
function valuesJoin(q: CompareQuery, stored: readonly string[]): { cte: SqlFragment | null; join: SqlFragment; ref: (slot: string) => string } {
  const slots = slotsOf(q, stored);
  if (q.read.kind === 'range') {
    const ranges = metricRangesSql(slots, q.read);
    const pivot = slots.map((s, n) => `SUM(CASE WHEN x.slot = ${n} THEN x.value END) AS ${s.name}`);
    return {
      cte: { sql: `SELECT x.officeId AS officeId, ${pivot.join(', ')} FROM (${ranges.sql}) x GROUP BY x.officeId`, params: ranges.params },
      join: { sql: 'LEFT JOIN m ON m.officeId = o.id', params: [] },
      ref: (slot) => `m.${slot}`,
    };
  }
  return {
    cte: null,
    join: {
      sql: slots.map((s) => `LEFT JOIN metric_values ${s.name} ON ${s.name}.year = ${Number(s.years[0])} AND ${s.name}.metricKey = ? AND ${s.name}.officeId = o.id`).join('\n    '),
      params: slots.map((s) => s.key),
    },
    ref: (slot) => `${slot}.value`,
  };
}

export function compareSql(q: CompareQuery): TypedStatement<ComparedGroup> {
  const stored = [...new Set(q.metrics.flatMap(storedKeysOf))];
  const joined = valuesJoin(q, stored);
  const part = (prefix: 'c' | 'p') => (k: string) => joined.ref(`${prefix}${stored.indexOf(k)}`);
  // An office without a report has no values: it is in the group only to be listed as missing.
  const filedOnly = (expression: string) => `CASE WHEN r.id IS NULL THEN NULL ELSE ${expression} END`;
  const values = q.metrics.flatMap((key, i) => [
    `${filedOnly(rowMetric(key, part('c')))} AS ${column('value', i)}`,
    `${filedOnly(rowMetric(key, part('p')))} AS ${column('previous', i)}`,
  ]);
  const v = `SELECT o.id AS ${OFFICE_ID}, o.code AS code, CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS ${FILED}, ${values.join(', ')}
    FROM offices o
    LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = ?
    ${joined.join.sql}
    WHERE ${q.scope.sql}`;
  const vParams = [q.year, ...joined.join.params, ...q.scope.params];

  const x = (i: number) => column('value', i);
  const w = (i: number) => `w_${i}`;
  // NULL sorts lowest on both databases, so descending puts the blanks (and the offices that did
  // not file) after every stated value: one ordering per metric serves the stated values' dense
  // rank and the median's row numbers (COUNT(x) counts the stated ones), so each metric costs one sort.
  const nativeMedian = q.dialect === 'mariadb';
  const windows = q.metrics.flatMap((_, i) => [
    `CASE WHEN ${x(i)} IS NULL THEN NULL ELSE DENSE_RANK() OVER ${w(i)} END AS ${column('rank', i)}`,
    // MEDIAN() ignores NULLs, like every aggregate.
    nativeMedian ? `MEDIAN(${x(i)}) OVER () AS ${column('median', i)}` : `ROW_NUMBER() OVER ${w(i)} AS ${column('medianRow', i)}`,
    `COUNT(${x(i)}) OVER () AS ${column('stated', i)}`,
    `SUM(${x(i)}) OVER () AS ${column('sum', i)}`,
  ]);
  const named = q.metrics.map((_, i) => `${w(i)} AS (ORDER BY ${x(i)} DESC)`);
  const s = `SELECT v.*, SUM(${FILED}) OVER () AS ${REPORTED}, ROW_NUMBER() OVER () AS ${FIRST_ROW}, ${windows.join(', ')} FROM v WINDOW ${named.join(', ')}`;
  // Elsewhere the median is the middle stated row, or the mean of the middle two: one more window
  // over s, so that every CTE is read once (MariaDB re-runs a CTE per reference).
  const medians = q.metrics.map(
    (_, i) => `AVG(CASE WHEN 2 * ${column('medianRow', i)} BETWEEN ${column('stated', i)} AND ${column('stated', i)} + 2 THEN ${x(i)} END) OVER () AS ${column('median', i)}`,
  );
  const last = nativeMedian ? 's' : 't';
  const t = nativeMedian ? '' : `, t AS (SELECT s.*, ${medians.join(', ')} FROM s)`;
  // The filed offices' stated values in the asked direction, then their blanks (unranked) by code,
  // then the offices that did not file, by code.
  const order = `${FILED} DESC, CASE WHEN ${x(q.orderBy)} IS NULL THEN 1 ELSE 0 END, ${x(q.orderBy)} ${q.descending ? 'DESC' : 'ASC'}, code ASC`;
  // Only what the decoder reads: every row of the group crosses the wire, so the group's figures,
  // the same on every row, come on one row only (parsing them 2,000 times cost a third of the read).
  const once = (name: string) => `CASE WHEN ${last}.${FIRST_ROW} = 1 THEN ${last}.${name} END AS ${name}`;
  const out = [
    `${last}.${OFFICE_ID}`,
    `${last}.${FILED}`,
    once(FIRST_ROW),
    once(REPORTED),
    ...q.metrics.flatMap((_, i) => [
      ...(['value', 'previous', 'rank'] as const).map((kind) => `${last}.${column(kind, i)}`),
      ...(['stated', 'sum', 'median'] as const).map((kind) => once(column(kind, i))),
    ]),
  ];
  const sql = `WITH ${joined.cte ? `m AS (${joined.cte.sql}), ` : ''}v AS (${v}), s AS (${s})${t}
    SELECT ${out.join(', ')} FROM ${last} ORDER BY ${order}`;
  return {
    sql,
    params: [...(joined.cte?.params ?? []), ...vParams],
    decode(rows) {
      // Column names computed once: the loop below reads 2,000 rows × 9 cells.
      const names = (kind: MetricColumn) => q.metrics.map((_, i) => column(kind, i));
      const [values, previous, ranks, stated, sums, medians] = (['value', 'previous', 'rank', 'stated', 'sum', 'median'] as const).map(names) as [string[], string[], string[], string[], string[], string[]];
      const officeIds: number[] = [];
      const cells: (number | null)[] = [];
      const missingIds: number[] = [];
      let first: Record<string, unknown> | undefined;
      for (const row of rows) {
        if (first === undefined && Number(row[FIRST_ROW]) === 1) first = row;
        if (Number(row[FILED]) !== 1) {
          missingIds.push(Number(row[OFFICE_ID]));
          continue;
        }
        officeIds.push(Number(row[OFFICE_ID]));
        for (let i = 0; i < values.length; i++) cells.push(num(row[values[i]!]), num(row[previous[i]!]), num(row[ranks[i]!]));
      }
      return {
        reportedCount: first ? Number(first[REPORTED]) : 0,
        stats: q.metrics.map((_, i) => {
          const statedCount = first ? Number(num(first[stated[i]!])) : 0;
          const sum = first ? (num(first[sums[i]!]) ?? 0) : 0;
          return { sum, statedCount, mean: statedCount === 0 ? null : sum / statedCount, median: first ? num(first[medians[i]!]) : null };
        }),
        officeIds,
        cells,
        missingIds,
      };
    },
  };
}

/** Offices of the group with no report for the year, in code order, capped. */
export function missingSql(scope: SqlFragment, year: number, limit: number): TypedStatement<number[]> {
  return {
    sql: `SELECT o.id AS ${OFFICE_ID} FROM offices o WHERE ${scope.sql}
      AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.officeId = o.id AND r.year = ?)
      ORDER BY o.code LIMIT ${Number(limit)}`,
    params: [...scope.params, year],
    decode: (rows) => rows.map((r) => Number(r[OFFICE_ID])),
  };
}
