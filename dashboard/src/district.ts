/**
 * The district's offices on a year (whether and when each filed) with the service's comparison of
 * them, shared by the overview (each office's figures) and the ranking; and the offices' reports
 * (channels, findings, last year's channels), one query (paged) shared by the channels and
 * findings views further down the page.
 */
import { allPages, request } from './api';
import {
  CompareOfficesDocument,
  DistrictOfficesDocument,
  DistrictReportsDocument,
  DistrictTimeSeriesDocument,
  type CompareOfficesQuery,
  type DistrictOfficesQuery,
  type DistrictReportsQuery,
} from './generated/graphql';
import { OVERVIEW_KEYS, asMetricKey, type ReportingYear } from './vocabulary';

export type DistrictOffice = DistrictOfficesQuery['offices']['edges'][number]['node'];
/** An office with its report's channels and findings (and last year's channels). */
export type ReportingOffice = DistrictReportsQuery['offices']['edges'][number]['node'];
export type DistrictReport = NonNullable<ReportingOffice['report']>;

type Comparison = CompareOfficesQuery['compareOffices'];
export type ComparisonRow = Comparison['rows']['edges'][number]['node'];

export interface Ranking {
  readonly head: Omit<Comparison, 'rows'>;
  readonly rows: readonly ComparisonRow[];
}

export interface DistrictYear {
  readonly district: string;
  readonly year: number;
  readonly offices: readonly DistrictOffice[];
  /** Each filing office's overview figures (OVERVIEW_KEYS) by office code; a blank cell is null. */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, number | null>>;
}

export interface DistrictReports {
  readonly district: string;
  readonly year: number;
  readonly offices: readonly ReportingOffice[];
}

const cache = new Map<string, Promise<DistrictYear>>();
const comparisons = new Map<string, Promise<Ranking>>();
const reports = new Map<string, Promise<DistrictReports>>();

function remembered<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = load();
    // A failed load is not remembered: the next pick tries the API again.
    pending.catch(() => map.delete(key));
    map.set(key, pending);
  }
  return pending;
}

/**
 * Every page of the service's comparison of the district's offices on `metrics`, ordered by the
 * first, with every metric's value and the first's rank, share and changes; the group figures and
 * the missing offices come with the first page. The overview's metrics ordered by the default
 * metric serve the overview and the ranking both: half the analysis work of the first view, and
 * two requests fewer.
 */
export function loadComparison(district: string, year: number, metrics: readonly string[]): Promise<Ranking> {
  return remembered(comparisons, JSON.stringify([district, year, metrics]), async () => {
    let head: Comparison | null = null;
    const rows = await allPages((after) =>
      request(CompareOfficesDocument, { district, year, metrics: metrics.map(asMetricKey), orderBy: asMetricKey(metrics[0]!), after }).then((d) => {
        head ??= d.compareOffices;
        return d.compareOffices.rows;
      }),
    );
    return { head: head!, rows };
  });
}

export function loadDistrictYear(district: string, year: number): Promise<DistrictYear> {
  return remembered(cache, JSON.stringify([district, year]), () =>
    // The offices (filed or not, and when) and the figures (computed in SQL) load side by side.
    Promise.all([
      allPages((after) => request(DistrictOfficesDocument, { under: district, year, after }).then((d) => d.offices)),
      loadComparison(district, year, OVERVIEW_KEYS),
    ]).then(([offices, comparison]) => ({
      district,
      year,
      offices,
      values: new Map(comparison.rows.map((r) => [r.office.code, new Map(r.figures.map((v) => [v.metric, v.value ?? null]))])),
    })),
  );
}

/** The offices' reports on the year (channels, findings) and last year's channels: the channels and findings views. */
export function loadDistrictReports(district: string, year: number): Promise<DistrictReports> {
  return remembered(reports, JSON.stringify([district, year]), async () => ({
    district,
    year,
    offices: await allPages((after) => request(DistrictReportsDocument, { under: district, year, previousYear: year - 1, after }).then((d) => d.offices)),
  }));
}

/** An office's figure on the year: null when it filed nothing or left the cell blank. */
export function metricValue(data: DistrictYear, office: DistrictOffice, key: string): number | null {
  return office.report ? (data.values.get(office.code)?.get(key) ?? null) : null;
}

export function clearDistrictCache(): void {
  cache.clear();
  comparisons.clear();
  reports.clear();
}

/**
 * The latest year in which any office of the district filed a report (the whole database's latest
 * year may be empty for it); null when the district has none.
 */
export async function latestYearWithReports(district: string, years: readonly ReportingYear[]): Promise<number | null> {
  const fromYear = years[0]!.year;
  const toYear = years[years.length - 1]!.year;
  try {
    const data = await request(DistrictTimeSeriesDocument, { district, metrics: ['proactive.items_total'], fromYear, toYear });
    const filed = (data.timeSeries[0]?.points ?? []).filter((p) => p.reportedCount > 0).map((p) => p.year);
    return filed.length ? Math.max(...filed) : null;
  } catch {
    return null;
  }
}
