/** The district's offices and their reports on a year: one query (paged) shared by the overview, channels and findings views. */
import { allPages, request } from './api';
import { DistrictReportsDocument, type DistrictReportsQuery } from './generated/graphql';
import { OVERVIEW_KEYS } from './vocabulary';

export type DistrictOffice = DistrictReportsQuery['offices']['edges'][number]['node'];
export type DistrictReport = NonNullable<DistrictOffice['report']>;

export interface DistrictYear {
  readonly district: string;
  readonly year: number;
  readonly offices: readonly DistrictOffice[];
}

const cache = new Map<string, Promise<DistrictYear>>();

export function loadDistrictYear(district: string, year: number): Promise<DistrictYear> {
  const keys = [...OVERVIEW_KEYS];
  const cacheKey = JSON.stringify([district, year]);
  let pending = cache.get(cacheKey);
  if (!pending) {
    pending = allPages((after) => request(DistrictReportsDocument, { under: district, year, previousYear: year - 1, keys, after }).then((d) => d.offices)).then(
      (offices) => ({ district, year, offices }),
    );
    // A failed load is not remembered: the next pick tries the API again.
    pending.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, pending);
  }
  return pending;
}

export function metricValue(report: DistrictReport | null | undefined, key: string): { value: number | null; approximate: boolean } {
  const reading = report?.metrics.find((m) => m.key === key);
  return { value: reading?.value ?? null, approximate: reading?.approximate ?? false };
}

export function clearDistrictCache(): void {
  cache.clear();
}
