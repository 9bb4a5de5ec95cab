/**
 * An independent computation of the analysis answers, in plain TypeScript over rows read with
 * simple SELECTs (no window, no aggregate, nothing of the service's SQL): what the statistics
 * must be under the vocabulary's rules (docs of ../shared/domain/METRICS.md, first section) —
 * a sum counts a blank as 0, a statistic over offices (rank, share, mean, median, differences,
 * change) uses only the offices that stated the value, and says how many did and did not.
 *
 * Stored metrics only: derived ones would need the catalog's derivations, which the service shares.
 */
import type { DataSource } from 'typeorm';

interface OfficeRow {
  id: number;
  code: string;
  path: string;
  kind: string;
}

export interface OracleData {
  offices: OfficeRow[];
  /** `${officeId}:${year}` of every filed report. */
  reports: Set<string>;
  /** `${officeId}:${year}:${key}` → value. */
  values: Map<string, number>;
}

export async function readOracleData(dataSource: DataSource, keys: readonly string[]): Promise<OracleData> {
  const offices = (await dataSource.query('SELECT id, code, path, kind FROM offices')) as Record<string, unknown>[];
  const reports = (await dataSource.query('SELECT officeId, year FROM annual_reports')) as Record<string, unknown>[];
  const values = (await dataSource.query(`SELECT officeId, year, metricKey, value FROM metric_values WHERE metricKey IN (${keys.map(() => '?').join(', ')})`, [...keys])) as Record<string, unknown>[];
  return {
    offices: offices.map((o) => ({ id: Number(o.id), code: String(o.code), path: String(o.path), kind: String(o.kind) })),
    reports: new Set(reports.map((r) => `${r.officeId}:${r.year}`)),
    values: new Map(values.map((v) => [`${v.officeId}:${v.year}:${v.metricKey}`, Number(v.value)])),
  };
}

const codeOrder = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function subtree(data: OracleData, rootCode: string, includeRoot: boolean): OfficeRow[] {
  const root = data.offices.find((o) => o.code === rootCode)!;
  return data.offices.filter((o) => o.path.startsWith(root.path) && (includeRoot || o.id !== root.id));
}

export interface OracleComparison {
  officeCount: number;
  reportedCount: number;
  missing: string[];
  groups: { metric: string; sum: number; mean: number | null; median: number | null; statedCount: number; blankCount: number }[];
  rows: { code: string; values: { value: number | null; rank: number | null; share: number | null; differenceFromMean: number | null; differenceFromMedian: number | null; previousValue: number | null; change: number | null }[] }[];
}

/** compareOffices under `rootCode`, ordered by the first metric, descending. */
export function oracleCompare(data: OracleData, rootCode: string, year: number, metrics: readonly string[], missingFirst = 20): OracleComparison {
  const group = subtree(data, rootCode, false);
  const reported = group.filter((o) => data.reports.has(`${o.id}:${year}`));
  const valueOf = (o: OfficeRow, y: number, key: string) => (data.reports.has(`${o.id}:${y}`) ? (data.values.get(`${o.id}:${y}:${key}`) ?? null) : null);
  const groups = metrics.map((metric) => {
    const stated = reported.map((o) => valueOf(o, year, metric)).filter((v): v is number => v !== null);
    const sum = stated.reduce((a, v) => a + v, 0);
    return { metric, sum, mean: stated.length ? sum / stated.length : null, median: median(stated), statedCount: stated.length, blankCount: reported.length - stated.length, distinct: [...new Set(stated)] };
  });
  const rows = reported.map((o) => ({
    code: o.code,
    values: metrics.map((metric, i) => {
      const g = groups[i]!;
      const value = valueOf(o, year, metric);
      const previousValue = valueOf(o, year - 1, metric);
      return {
        value,
        rank: value === null ? null : 1 + g.distinct.filter((d) => d > value).length,
        share: value === null || g.sum === 0 ? null : value / g.sum,
        differenceFromMean: value === null ? null : value - g.mean!,
        differenceFromMedian: value === null ? null : value - g.median!,
        previousValue,
        change: value === null || previousValue === null ? null : value - previousValue,
      };
    }),
  }));
  const stated = rows.filter((r) => r.values[0]!.value !== null).sort((a, b) => b.values[0]!.value! - a.values[0]!.value! || codeOrder(a, b));
  const blank = rows.filter((r) => r.values[0]!.value === null).sort(codeOrder);
  return {
    officeCount: group.length,
    reportedCount: reported.length,
    missing: group.filter((o) => !data.reports.has(`${o.id}:${year}`)).sort(codeOrder).slice(0, missingFirst).map((o) => o.code),
    groups: groups.map(({ distinct: _distinct, ...g }) => g),
    rows: [...stated, ...blank],
  };
}

export interface OracleRollupGroup {
  year: number;
  group: string;
  officeCount: number;
  reportedCount: number;
  values: { total: number | null; mean: number | null; statedCount: number; blankCount: number }[];
}

/** rollup under `rootCode` (itself included) by office kind, or all together with `byKind` false. */
export function oracleRollup(data: OracleData, rootCode: string, years: readonly number[], metrics: readonly string[], byKind: boolean): OracleRollupGroup[] {
  const offices = subtree(data, rootCode, true);
  const out: OracleRollupGroup[] = [];
  for (const year of years) {
    const kinds = byKind ? [...new Set(offices.map((o) => o.kind))].sort() : ['ALL'];
    for (const kind of kinds) {
      const members = offices.filter((o) => !byKind || o.kind === kind);
      const reported = members.filter((o) => data.reports.has(`${o.id}:${year}`));
      out.push({
        year,
        group: kind,
        officeCount: members.length,
        reportedCount: reported.length,
        values: metrics.map((metric) => {
          const stated = reported.map((o) => data.values.get(`${o.id}:${year}:${metric}`)).filter((v): v is number => v !== undefined);
          const total = stated.length ? stated.reduce((a, v) => a + v, 0) : null;
          return { total, mean: total === null ? null : total / stated.length, statedCount: stated.length, blankCount: reported.length - stated.length };
        }),
      });
    }
  }
  return out;
}
