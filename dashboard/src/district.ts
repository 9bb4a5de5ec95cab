/** The district's offices and their reports on a year: one query (paged) shared by the overview, channels and findings views. */
import { allPages, request } from './api';
import { DistrictReportsDocument, DistrictTimeSeriesDocument, DistrictValuesDocument, type DistrictReportsQuery } from './generated/graphql';
import { OVERVIEW_KEYS, type ReportingYear } from './vocabulary';

export type DistrictOffice = DistrictReportsQuery['offices']['edges'][number]['node'];
export type DistrictReport = NonNullable<DistrictOffice['report']>;

export interface DistrictYear {
  readonly district: string;
  readonly year: number;
  readonly offices: readonly DistrictOffice[];
  /** Each filing office's overview figures (OVERVIEW_KEYS) by office code; a blank cell is null. */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, number | null>>;
}

const cache = new Map<string, Promise<DistrictYear>>();

export function loadDistrictYear(district: string, year: number): Promise<DistrictYear> {
  const keys = [...OVERVIEW_KEYS];
  const cacheKey = JSON.stringify([district, year]);
  let pending = cache.get(cacheKey);
  if (!pending) {
    // The reports (dates, channels, findings) and the figures (summed in SQL) load side by side.
    pending = Promise.all([
      allPages((after) => request(DistrictReportsDocument, { under: district, year, previousYear: year - 1, after }).then((d) => d.offices)),
      allPages((after) => request(DistrictValuesDocument, { under: district, year, keys, after }).then((d) => d.compareOffices.rows)),
    ]).then(([offices, rows]) => ({
      district,
      year,
      offices,
      values: new Map(rows.map((r) => [r.office.code, new Map(r.values.map((v) => [v.metric, v.value ?? null]))])),
    }));
    // A failed load is not remembered: the next pick tries the API again.
    pending.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, pending);
  }
  return pending;
}

/** An office's figure on the year: null when it filed nothing or left the cell blank. */
export function metricValue(data: DistrictYear, office: DistrictOffice, key: string): number | null {
  return office.report ? (data.values.get(office.code)?.get(key) ?? null) : null;
}

export function clearDistrictCache(): void {
  cache.clear();
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
