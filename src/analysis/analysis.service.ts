import type { DataSource } from 'typeorm';
import { BadUserInputError, RequestTimeoutError } from '../common/errors';
import { metricDefinition } from '../metrics/catalog';
import { FORMAT_2021_FIRST_YEAR, templateFormatForYear, type TemplateFormat } from '../metrics/template';
import type { Office } from '../offices/office.entity';
import { assertMetricKeys } from '../reports/report.service';
import { officeYearsSql, officesYearsSql, rollupCountsSql, rollupMissingSql, rollupValuesSql } from './analysis.sql';
import { createAnalysisReads, type AnalysisReads } from './analysis-reads';
import type { AnalysisCache } from './cache';
import { officeValuesSql, summarizeByChild, type ChildSummaryData } from './child-summaries';
import { compareSql, groupSpanSql, missingSql, type GroupSpan, type SqlDialect } from './compare.sql';
import type { ReadPlan, SqlFragment } from './metric-sql';

export const MAX_METRICS = 12;
export const MAX_YEARS = 30;
export const MAX_MISSING = 200;

export interface ComparedValueData {
  metric: string;
  value: number | null;
  rank: number;
  share: number | null;
  differenceFromMean: number;
  differenceFromMedian: number;
  previousValue: number | null;
  change: number | null;
  percentChange: number | null;
}

export interface ComparisonData {
  year: number;
  metrics: string[];
  officeCount: number;
  reportedCount: number;
  missingCount: number;
  stats: { metric: string; sum: number; mean: number | null; median: number | null }[];
  rows: { officeId: number; values: ComparedValueData[] }[];
  missingIds: number[];
  totalRows: number;
}

export interface YearPointData {
  year: number;
  templateFormat: TemplateFormat | null;
  key: string | null;
  value: number | null;
  previousKey: string | null;
  previousValue: number | null;
  change: number | null;
  percentChange: number | null;
  comparable: boolean;
  note: string | null;
}

export interface RollupGroupData {
  year: number;
  group: string;
  officeCount: number;
  reportedCount: number;
  missingIds: number[];
  values: { metric: string; total: number | null; mean: number | null }[];
}

export interface SeriesData {
  officeId: number | null;
  metric: string;
  points: { year: number; value: number | null; templateFormat: TemplateFormat; reportedCount: number; comparableWithPrevious: boolean }[];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function changeOf(value: number | null, previous: number | null): { change: number | null; percentChange: number | null } {
  if (value === null || previous === null) return { change: null, percentChange: null };
  const change = value - previous;
  return { change, percentChange: previous === 0 ? null : (change / Math.abs(previous)) * 100 };
}

/** A metric's key in a year of a given format: itself, its cross-format counterpart, or none. */
function keyForFormat(metric: string, format: TemplateFormat): { key: string | null; comparableWithOriginal: boolean; note: string | null } {
  const def = metricDefinition(metric)!;
  if (def.formats.includes(format)) return { key: metric, comparableWithOriginal: true, note: null };
  const other = def.crossFormat;
  if (other && metricDefinition(other.key)?.formats.includes(format)) return { key: other.key, comparableWithOriginal: other.comparable, note: other.note };
  return { key: null, comparableWithOriginal: false, note: `${metric} 不在${format}年版格式中 / not in the ${format} template` };
}

export function validateMetrics(metrics: readonly string[], field = 'metrics'): string[] {
  if (metrics.length === 0) throw BadUserInputError.of(field, 'give at least one metric key');
  if (metrics.length > MAX_METRICS) throw BadUserInputError.of(field, `at most ${MAX_METRICS} metrics at once, got ${metrics.length}`);
  assertMetricKeys(metrics, field);
  return [...new Set(metrics)];
}

export function validateYears(fromYear: number, toYear: number): void {
  if (toYear < fromYear) throw BadUserInputError.of('toYear', `toYear (${toYear}) is before fromYear (${fromYear})`);
  if (toYear - fromYear + 1 > MAX_YEARS) throw BadUserInputError.of('fromYear', `at most ${MAX_YEARS} years at once`);
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

export class AnalysisService {
  constructor(
    private readonly dataSource: DataSource,
    readonly cache: AnalysisCache,
    private readonly reads: AnalysisReads = createAnalysisReads(dataSource),
  ) {}

  private readonly inFlight = new Map<string, Promise<unknown>>();

  /**
   * The cache, with concurrent identical analyses sharing one computation: a burst of the same
   * query on a cold cache would otherwise queue one full computation per request for the reader
   * threads. A waiter whose first asker's request ended (and took the computation with it)
   * computes for itself.
   */
  private async remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) {
      try {
        return structuredClone(await running);
      } catch (error) {
        if (!(error instanceof RequestTimeoutError) || signal?.aborted) throw error;
        if (this.inFlight.get(key) === running) this.inFlight.delete(key);
        return this.remember(key, scopePaths, compute, signal);
      }
    }
    const promise = this.cache.remember(key, scopePaths, compute);
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    }
  }

  /** Stops the SQLite reader threads. */
  close(): Promise<void> {
    return this.reads.close();
  }

  private get dialect(): SqlDialect {
    const type = this.dataSource.options.type;
    return type === 'mariadb' ? 'mariadb' : type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /** The group's office id span and size: what readPlan chooses from. */
  private async groupSpan(scope: SqlFragment, signal?: AbortSignal): Promise<GroupSpan> {
    const [measured] = await this.rows(groupSpanSql(scope), signal);
    return { lowestId: Number(measured?.lowestId ?? 0), highestId: Number(measured?.highestId ?? 0), officeCount: Number(measured?.officeCount ?? 0) };
  }

  /** Statements of a request: `signal` ends them when the request ends (analysis-reads.ts). */
  private async rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return this.reads.rows(q, signal);
  }

  /** Every office strictly under `root`, or the listed offices. */
  static scopeOf(target: { root?: Office; officeIds?: readonly number[]; includeRoot?: boolean }): SqlFragment {
    if (target.root) {
      return target.includeRoot
        ? { sql: 'o.path LIKE ?', params: [`${target.root.path}%`] }
        : { sql: 'o.path LIKE ? AND o.id <> ?', params: [`${target.root.path}%`, target.root.id] };
    }
    const ids = target.officeIds ?? [];
    return { sql: ids.length ? `o.id IN (${ids.map(() => '?').join(', ')})` : '1 = 0', params: [...ids] };
  }

  async compareOffices(args: {
    scope: SqlFragment;
    scopePaths: string[];
    year: number;
    metrics: string[];
    orderBy: number;
    descending: boolean;
    limit: number;
    offset: number;
    missingFirst: number;
    signal?: AbortSignal;
  }): Promise<ComparisonData> {
    const { signal, ...keyed } = args;
    const cacheKey = JSON.stringify(['compareOffices', keyed]);
    return this.remember(cacheKey, args.scopePaths, async () => {
      const span = await this.groupSpan(args.scope, signal);
      const query = { scope: args.scope, read: readPlan(span, args.scope), year: args.year, metrics: args.metrics, orderBy: args.orderBy, descending: args.descending, dialect: this.dialect };
      // The page and the missing offices are independent: on a pool they run side by side.
      const [page, missing] = await Promise.all([
        span.officeCount === 0 ? [] : this.rows(compareSql({ ...query, limit: args.limit, offset: args.offset }), signal),
        args.missingFirst > 0 && span.officeCount > 0 ? this.rows(missingSql(args.scope, args.year, args.missingFirst), signal) : [],
      ]);
      // Group figures travel on every row; an empty page past the end still needs them.
      const head = page.length > 0 || args.offset === 0 || span.officeCount === 0 ? page : await this.rows(compareSql({ ...query, limit: 1, offset: 0 }), signal);
      const first = head[0];
      const reportedCount = first ? Number(first.n) : 0;
      return {
        year: args.year,
        metrics: args.metrics,
        officeCount: span.officeCount,
        reportedCount,
        missingCount: span.officeCount - reportedCount,
        totalRows: reportedCount,
        stats: args.metrics.map((metric, i) => ({
          metric,
          sum: first ? Number(first[`sum${i}`]) : 0,
          mean: first ? num(first[`mean${i}`]) : null,
          median: first ? num(first[`median${i}`]) : null,
        })),
        rows: page.map((row) => ({
          officeId: Number(row.officeId),
          values: args.metrics.map((metric, i) => {
            const value = num(row[`c${i}`]);
            const previousValue = num(row[`p${i}`]);
            const sum = Number(row[`sum${i}`]);
            const base = value ?? 0;
            return {
              metric,
              value,
              rank: Number(row[`rank${i}`]),
              share: sum === 0 ? null : base / sum,
              differenceFromMean: base - Number(row[`mean${i}`]),
              differenceFromMedian: base - Number(row[`median${i}`]),
              previousValue,
              ...changeOf(value, previousValue),
            };
          }),
        })),
        missingIds: missing.map((m) => Number(m.officeId)),
      };
    }, signal);
  }

  /** Each direct child of `root` as compareOffices(under: child) sums it up, in one statement (child-summaries.ts). */
  async childSummaries(root: Office, year: number, metrics: string[], signal?: AbortSignal): Promise<ChildSummaryData[]> {
    const cacheKey = JSON.stringify(['childSummaries', root.id, year, metrics]);
    return this.remember(cacheKey, [root.path], async () => {
      const scope = AnalysisService.scopeOf({ root });
      const span = await this.groupSpan(scope, signal);
      const rows = span.officeCount === 0 ? [] : await this.rows(officeValuesSql(scope, readPlan(span, scope), year, metrics), signal);
      return summarizeByChild(root.id, rows, metrics);
    }, signal);
  }

  async yearOverYear(office: Office, metrics: string[], fromYear: number, toYear: number, signal?: AbortSignal): Promise<{ metric: string; points: YearPointData[] }[]> {
    const counterparts = metrics.map((m) => metricDefinition(m)!.crossFormat?.key).filter((k): k is string => Boolean(k));
    const keys = [...new Set([...metrics, ...counterparts])];
    const cacheKey = JSON.stringify(['yearOverYear', office.id, keys, fromYear, toYear]);
    const byYear = await this.remember(cacheKey, [office.path], async () => {
      const rows = await this.rows(officeYearsSql(office.id, keys, fromYear - 1, toYear), signal);
      return rows.map((r) => ({ year: Number(r.year), templateFormat: String(r.templateFormat) as TemplateFormat, values: keys.map((_, i) => num(r[`m${i}`])) }));
    }, signal);
    const years = new Map(byYear.map((y) => [y.year, y]));
    const valueOf = (year: number, key: string | null) => {
      const y = years.get(year);
      return key === null || !y ? null : y.values[keys.indexOf(key)] ?? null;
    };
    return metrics.map((metric) => {
      const points: YearPointData[] = [];
      for (let year = fromYear; year <= toYear; year++) {
        const here = years.get(year);
        const before = years.get(year - 1);
        const hereKey = keyForFormat(metric, here?.templateFormat ?? templateFormatForYear(year));
        const beforeKey = keyForFormat(metric, before?.templateFormat ?? templateFormatForYear(year - 1));
        const value = valueOf(year, hereKey.key);
        const previousValue = valueOf(year - 1, beforeKey.key);
        const sameKey = hereKey.key !== null && hereKey.key === beforeKey.key;
        const pair = !sameKey && hereKey.key && beforeKey.key ? metricDefinition(hereKey.key)!.crossFormat : undefined;
        const comparable = sameKey || (pair?.key === beforeKey.key && pair.comparable === true);
        points.push({
          year,
          templateFormat: here?.templateFormat ?? null,
          key: hereKey.key,
          value,
          previousKey: beforeKey.key,
          previousValue,
          ...(comparable ? changeOf(value, previousValue) : { change: null, percentChange: null }),
          comparable,
          note: comparable ? null : (pair?.note ?? hereKey.note ?? beforeKey.note ?? '口径不同 / not the same measure'),
        });
      }
      return { metric, points };
    });
  }

  async rollup(root: Office, years: number[], metrics: string[], groupBy: 'KIND' | 'LEVEL', missingFirst: number, signal?: AbortSignal): Promise<{ groups: RollupGroupData[]; totals: RollupGroupData[] }> {
    const cacheKey = JSON.stringify(['rollup', root.id, years, metrics, groupBy, missingFirst]);
    return this.remember(cacheKey, [root.path], async () => {
      const scope = AnalysisService.scopeOf({ root, includeRoot: true });
      const group: SqlFragment = { sql: groupBy === 'KIND' ? 'o.kind' : 'o.depth', params: [] };
      const span = await this.groupSpan(scope, signal);
      // Independent statements: on a pool they run side by side.
      const [groupedCounts, groupedValues, totalCounts, totalValues, missing] = await Promise.all([
        this.rows(rollupCountsSql(scope, years, group), signal),
        this.rows(rollupValuesSql(scope, readPlan(span, scope), years, metrics, group), signal),
        this.rows(rollupCountsSql(scope, years, null), signal),
        this.rows(rollupValuesSql(scope, readPlan(span, scope), years, metrics, null), signal),
        missingFirst > 0 ? this.rows(rollupMissingSql(scope, years, group, missingFirst), signal) : [],
      ]);
      // Counts and totals come from two statements; each group's mean is its total over its own count.
      const withValues = (counts: Record<string, unknown>[], values: Record<string, unknown>[]) => {
        const byKey = new Map(values.map((v) => [`${v.year}:${String(v.grp)}`, v]));
        return counts.map((c) => {
          const v = byKey.get(`${c.year}:${String(c.grp)}`) ?? {};
          const row: Record<string, unknown> = { ...c };
          metrics.forEach((_, i) => {
            const total = v[`m${i}`] ?? null;
            row[`m${i}`] = total;
            row[`mean${i}`] = total === null || Number(c.reportedCount) === 0 ? null : Number(total) / Number(c.reportedCount);
          });
          return row;
        });
      };
      const grouped = withValues(groupedCounts, groupedValues);
      const totals = withValues(totalCounts, totalValues);
      const missingOf = new Map<string, number[]>();
      for (const m of missing) {
        const id = `${m.year}:${m.grp}`;
        missingOf.set(id, [...(missingOf.get(id) ?? []), Number(m.officeId)]);
      }
      // Levels count from the chosen office (0), not from the top of the tree.
      const groupKey = (grp: unknown) => (groupBy === 'LEVEL' && grp !== 'ALL' ? String(Number(grp) - root.depth) : String(grp));
      const shape = (r: Record<string, unknown>, withMissing: boolean): RollupGroupData => ({
        year: Number(r.year),
        group: groupKey(r.grp),
        officeCount: Number(r.officeCount),
        reportedCount: Number(r.reportedCount),
        missingIds: withMissing ? (missingOf.get(`${r.year}:${String(r.grp)}`) ?? []) : [],
        values: metrics.map((metric, i) => ({
          metric,
          total: num(r[`m${i}`]),
          mean: metricDefinition(metric)!.unit === 'ratio' ? null : num(r[`mean${i}`]),
        })),
      });
      return { groups: grouped.map((r) => shape(r, true)), totals: totals.map((r) => shape(r, false)) };
    }, signal);
  }

  async timeSeries(target: { root?: Office; offices?: Office[] }, metrics: string[], fromYear: number, toYear: number, signal?: AbortSignal): Promise<SeriesData[]> {
    const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
    const comparableWithPrevious = (metric: string, year: number) => {
      const def = metricDefinition(metric)!;
      return year !== FORMAT_2021_FIRST_YEAR || (def.formats.includes('2019') && def.formats.includes('2021'));
    };
    if (target.root) {
      const root = target.root;
      const cacheKey = JSON.stringify(['timeSeries', 'under', root.id, metrics, fromYear, toYear]);
      return this.remember(cacheKey, [root.path], async () => {
        const scope = AnalysisService.scopeOf({ root, includeRoot: true });
        const span = await this.groupSpan(scope, signal);
        const [counts, totals] = await Promise.all([this.rows(rollupCountsSql(scope, years, null), signal), this.rows(rollupValuesSql(scope, readPlan(span, scope), years, metrics, null), signal)]);
        const values = new Map(totals.map((v) => [Number(v.year), v]));
        const rows = counts.map((c) => ({ ...values.get(Number(c.year)), ...c }));
        return metrics.map((metric, i) => ({
          officeId: null,
          metric,
          points: rows.map((r) => ({
            year: Number(r.year),
            value: num(r[`m${i}`]),
            templateFormat: templateFormatForYear(Number(r.year)),
            reportedCount: Number(r.reportedCount),
            comparableWithPrevious: comparableWithPrevious(metric, Number(r.year)),
          })),
        }));
      }, signal);
    }
    const offices = target.offices ?? [];
    const cacheKey = JSON.stringify(['timeSeries', 'offices', offices.map((o) => o.id), metrics, fromYear, toYear]);
    return this.remember(cacheKey, offices.map((o) => o.path), async () => {
      const rows = await this.rows(officesYearsSql(AnalysisService.scopeOf({ officeIds: offices.map((o) => o.id) }), metrics, fromYear, toYear), signal);
      const at = new Map(rows.map((r) => [`${r.officeId}:${r.year}`, r]));
      return offices.flatMap((office) =>
        metrics.map((metric, i) => ({
          officeId: office.id,
          metric,
          points: years.map((year) => {
            const r = at.get(`${office.id}:${year}`);
            return {
              year,
              value: r ? num(r[`m${i}`]) : null,
              templateFormat: (r?.templateFormat as TemplateFormat | undefined) ?? templateFormatForYear(year),
              reportedCount: r ? 1 : 0,
              comparableWithPrevious: comparableWithPrevious(metric, year),
            };
          }),
        })),
      );
    }, signal);
  }
}
