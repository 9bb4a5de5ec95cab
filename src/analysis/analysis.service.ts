import type { DataSource } from 'typeorm';
import { BadUserInputError, RequestTimeoutError } from '../common/errors';
import { findByColumnIn, findWhere } from '../db/entity-reads';
import { metricDefinition } from '../metrics/catalog';
import { FORMAT_2021_FIRST_YEAR, templateFormatForYear, type TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';
import { assertMetricKeys } from '../reports/report.service';
import { ALL_GROUPS, officeYearsSql, officesYearsSql, rollupCountsSql, rollupMissingSql, rollupValuesSql, type RollupCountsRow, type RollupValuesRow, type YearTotals } from './analysis.sql';
import { createAnalysisReads, type AnalysisReads } from './analysis-reads';
import type { AnalysisCache } from './cache';
import type { OfficeComparison } from './analysis.types';
import { officeValuesSql, summarizeByChild, type ChildSummaryData } from './child-summaries';
import { compareOffices, scopeOf, type CompareArgs, type CompareDeps, type CompareRequest } from './compare.service';
import { groupSpanSql, type GroupSpan, type SqlDialect, type TypedStatement } from './compare.sql';
import { readPlan, type SqlFragment } from './metric-sql';

export const MAX_METRICS = 12;
export const MAX_YEARS = 30;
export { MAX_MISSING } from './compare.service';

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

/** A metric over a group: the total counts a blank as 0, the mean is over the offices that stated it. */
export interface RollupValueData {
  metric: string;
  total: number | null;
  mean: number | null;
  statedCount: number;
  blankCount: number;
}

export interface RollupGroupData {
  year: number;
  group: string;
  officeCount: number;
  reportedCount: number;
  missingIds: number[];
  values: RollupValueData[];
}

export interface SeriesData {
  officeId: number | null;
  metric: string;
  points: { year: number; value: number | null; mean: number | null; templateFormat: TemplateFormat; reportedCount: number; statedCount: number; blankCount: number; comparableWithPrevious: boolean }[];
}

interface GroupFigures extends RollupCountsRow {
  values: RollupValueData[];
}

/**
 * Counts and totals come from two statements. A group's mean is its total over the offices that
 * stated the metric (not over those that filed: a blank is not 0); a ratio has no mean (the total
 * is already the group's own ratio).
 */
function withValues(counts: readonly RollupCountsRow[], values: readonly RollupValuesRow[], metrics: readonly string[]): GroupFigures[] {
  const byKey = new Map(values.map((v) => [`${v.year}:${v.group}`, v]));
  return counts.map((c) => {
    const v = byKey.get(`${c.year}:${c.group}`);
    return {
      ...c,
      values: metrics.map((metric, i) => {
        const total = v?.totals[i] ?? null;
        const statedCount = v?.stated[i] ?? 0;
        const mean = total === null || statedCount === 0 || metricDefinition(metric)!.unit === 'ratio' ? null : total / statedCount;
        return { metric, total, mean, statedCount, blankCount: c.reportedCount - statedCount };
      }),
    };
  });
}

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

export { readPlan, RANGE_READ_MAX_SPAN_PER_OFFICE } from './metric-sql';

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
  /** The reader threads started before the first analysis asks for them. */
  warm(): void {
    this.reads.warm();
  }

  close(): Promise<void> {
    return this.reads.close();
  }

  private get dialect(): SqlDialect {
    const type = this.dataSource.options.type;
    return type === 'mariadb' ? 'mariadb' : type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /** The group's office id span and size: what readPlan chooses from. */
  private groupSpan(scope: SqlFragment, signal?: AbortSignal): Promise<GroupSpan> {
    return this.run(groupSpanSql(scope), signal);
  }

  /** A typed statement, decoded next to its SQL. */
  private async run<R>(statement: TypedStatement<R>, signal?: AbortSignal): Promise<R> {
    return statement.decode(await this.rows(statement, signal));
  }

  /** Statements of a request: `signal` ends them when the request ends (analysis-reads.ts). */
  private async rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return this.reads.rows(q, signal);
  }

  /** Every office strictly under `root`, or the listed offices. */
  static scopeOf = scopeOf;

  /** compareOffices, from its resolver's arguments: compare.service.ts. */
  compareOffices(args: CompareArgs, request: CompareRequest): Promise<OfficeComparison> {
    return compareOffices(this.compareDeps, args, request);
  }

  private get compareDeps(): CompareDeps {
    return {
      cache: this.cache,
      dialect: this.dialect,
      remember: (key, scopePaths, compute, signal) => this.remember(key, scopePaths, compute, signal),
      run: (statement, signal) => this.run(statement, signal),
      officesByIds: (ids) => findByColumnIn(this.dataSource, Office, 'id', ids),
      officesInScope: (scope) => findWhere(this.dataSource, Office, { alias: 'o', ...scope }),
    };
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
      return this.run(officeYearsSql(office.id, keys, fromYear - 1, toYear), signal);
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
      const plan = readPlan(span, scope);
      // Each year's total comes with its groups, in the same statement (analysis.sql.ts). The two
      // statements are independent: an idle service runs them side by side (analysis-gate.ts).
      const yearTotals: YearTotals = this.dialect === 'sqlite' ? 'union' : 'rollup';
      const [counts, values, missing] = await Promise.all([
        this.run(rollupCountsSql(scope, years, group, yearTotals), signal),
        this.run(rollupValuesSql(scope, plan, years, metrics, group, yearTotals), signal),
        missingFirst > 0 ? this.run(rollupMissingSql(scope, years, group, missingFirst), signal) : [],
      ]);
      const isTotal = (r: { group: string }) => r.group === ALL_GROUPS;
      const grouped = withValues(counts.filter((r) => !isTotal(r)), values.filter((r) => !isTotal(r)), metrics);
      const totals = withValues(counts.filter(isTotal), values.filter(isTotal), metrics);
      const missingOf = new Map<string, number[]>();
      for (const m of missing) {
        const id = `${m.year}:${m.group}`;
        missingOf.set(id, [...(missingOf.get(id) ?? []), Number(m.officeId)]);
      }
      // Levels count from the chosen office (0), not from the top of the tree.
      const groupKey = (grp: string) => (groupBy === 'LEVEL' && grp !== 'ALL' ? String(Number(grp) - root.depth) : grp);
      const shape = (r: GroupFigures, withMissing: boolean): RollupGroupData => ({
        year: r.year,
        group: groupKey(r.group),
        officeCount: r.officeCount,
        reportedCount: r.reportedCount,
        missingIds: withMissing ? (missingOf.get(`${r.year}:${r.group}`) ?? []) : [],
        values: r.values,
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
        const [counts, values] = await Promise.all([this.run(rollupCountsSql(scope, years, null), signal), this.run(rollupValuesSql(scope, readPlan(span, scope), years, metrics, null), signal)]);
        const rows = withValues(counts, values, metrics);
        return metrics.map((metric, i) => ({
          officeId: null,
          metric,
          points: rows.map((r) => ({
            year: r.year,
            value: r.values[i]!.total,
            mean: r.values[i]!.mean,
            templateFormat: templateFormatForYear(r.year),
            reportedCount: r.reportedCount,
            statedCount: r.values[i]!.statedCount,
            blankCount: r.values[i]!.blankCount,
            comparableWithPrevious: comparableWithPrevious(metric, r.year),
          })),
        }));
      }, signal);
    }
    const offices = target.offices ?? [];
    const cacheKey = JSON.stringify(['timeSeries', 'offices', offices.map((o) => o.id), metrics, fromYear, toYear]);
    return this.remember(cacheKey, offices.map((o) => o.path), async () => {
      const rows = await this.run(officesYearsSql(AnalysisService.scopeOf({ officeIds: offices.map((o) => o.id) }), metrics, fromYear, toYear), signal);
      const at = new Map(rows.map((r) => [`${r.officeId}:${r.year}`, r]));
      return offices.flatMap((office) =>
        metrics.map((metric, i) => ({
          officeId: office.id,
          metric,
          points: years.map((year) => {
            const r = at.get(`${office.id}:${year}`);
            const value = r?.values[i] ?? null;
            return {
              year,
              value,
              mean: value,
              templateFormat: r?.templateFormat ?? templateFormatForYear(year),
              reportedCount: r ? 1 : 0,
              statedCount: value === null ? 0 : 1,
              blankCount: r && value === null ? 1 : 0,
              comparableWithPrevious: comparableWithPrevious(metric, year),
            };
          }),
        })),
      );
    }, signal);
  }
}
