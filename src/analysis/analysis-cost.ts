/**
 * What an analysis field costs, from the work it will do: the stored metric values it may read,
 * stored keys × years × offices. The offices under a code are counted before the query runs (one
 * indexed statement for all the codes of a request), so the cost limit refuses a province-wide
 * rollup of 81 keys × 5 years and lets the same rollup over a district through.
 */
import type { DataSource } from 'typeorm';
import { metricDefinition } from '../metrics/catalog';
import { MAX_YEARS } from './analysis.service';
import { storedKeysOf } from './metric-sql';

/** Stored values read per cost point: 50 000 points (the default limit) are 1 000 000 values. */
export const VALUES_PER_POINT = 20;

export const ANALYSIS_FIELDS = ['compareOffices', 'rollup', 'timeSeries', 'yearOverYear'] as const;
export type AnalysisField = (typeof ANALYSIS_FIELDS)[number];

export function isAnalysisField(name: string): name is AnalysisField {
  return (ANALYSIS_FIELDS as readonly string[]).includes(name);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function storedKeyCount(metrics: unknown, withCounterparts: boolean): number {
  const keys = new Set<string>();
  for (const metric of strings(metrics)) {
    for (const k of storedKeysOf(metric)) keys.add(k);
    const other = withCounterparts ? metricDefinition(metric)?.crossFormat?.key : undefined;
    if (other) for (const k of storedKeysOf(other)) keys.add(k);
  }
  return keys.size;
}

function yearSpan(from: unknown, to: unknown): number {
  if (typeof from !== 'number' || typeof to !== 'number' || to < from) return 1;
  return Math.min(to - from + 1, MAX_YEARS);
}

/** The office codes whose subtree size the field's cost needs. */
export function scopeCodesOf(field: AnalysisField, args: Record<string, unknown>): string[] {
  return (field === 'compareOffices' || field === 'rollup' || field === 'timeSeries') && typeof args.under === 'string' ? [args.under] : [];
}

/**
 * Stored values the field may read. `officesUnder(code)` is the size of the subtree at `code`
 * (itself included; 0 for an unknown code, which the resolver refuses anyway).
 */
export function analysisValues(field: AnalysisField, args: Record<string, unknown>, officesUnder: (code: string) => number): number {
  const under = typeof args.under === 'string' ? officesUnder(args.under) : null;
  switch (field) {
    case 'compareOffices':
      // The year and the year before, for the change.
      return storedKeyCount(args.metrics, false) * 2 * (under ?? new Set(strings(args.offices)).size);
    case 'rollup':
      return storedKeyCount(args.metrics, false) * Math.min(new Set(Array.isArray(args.years) ? args.years : []).size, MAX_YEARS) * (under ?? 0);
    case 'timeSeries':
      return storedKeyCount(args.metrics, false) * yearSpan(args.fromYear, args.toYear) * (under ?? new Set(strings(args.officeCodes)).size);
    case 'yearOverYear':
      // One office, from the year before fromYear, with the cross-format counterparts.
      return storedKeyCount(args.metrics, true) * (yearSpan(args.fromYear, args.toYear) + 1);
  }
}

export function analysisPoints(values: number): number {
  return Math.ceil(values / VALUES_PER_POINT);
}

/** Offices in the subtree of each code (itself included), in one statement; unknown codes are absent. */
export async function subtreeSizes(dataSource: DataSource, codes: readonly string[]): Promise<Map<string, number>> {
  const distinct = [...new Set(codes)];
  if (distinct.length === 0) return new Map();
  const type = dataSource.options.type;
  const prefix = type === 'mysql' || type === 'mariadb' ? "CONCAT(r.path, '%')" : "r.path || '%'";
  const rows: { code: string; n: unknown }[] = await dataSource.query(
    `SELECT r.code AS code, COUNT(o.id) AS n FROM offices r JOIN offices o ON o.path LIKE ${prefix} WHERE r.code IN (${distinct.map(() => '?').join(', ')}) GROUP BY r.code`,
    distinct,
  );
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}
