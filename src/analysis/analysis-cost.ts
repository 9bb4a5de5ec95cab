/**
 * What an analysis field costs, from the work it will do: the stored metric values it may read,
 * stored keys × years × offices. The offices under a code are counted before the query runs (one
 * indexed statement for all the codes of a request), so the cost limit refuses a province-wide
 * rollup of 81 keys × 5 years and lets the same rollup over a district through.
 *
 * Each value read is also matched against every requested metric's expression, so a value costs
 * more the more keys are asked for at once. Measured on SQLite (3,000 offices × 5 years, the
 * machine shared): about 4 µs per value with 3 keys, 20–30 µs with 81. Hence a value's price,
 * 1 + keys / 12, and VALUES_PER_POINT chosen so that the default limit (50 000 points) admits the
 * benchmark's province-wide rollup (10,000 offices × 7 years × 3 keys: about 33 000 points) and
 * refuses the reviewer's (3,000 offices × 5 years × 81 keys: about 1.2 million points).
 */
import type { DataSource } from 'typeorm';
import { createOfficeLoaders } from '../offices/office.loader';
import type { OfficesByCode } from '../offices/office-lookup';
import type { RoleName } from '../auth/roles';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { metricDefinition } from '../metrics/catalog';
import { COMPARE_PAGE_CAPS } from './compare.service';
import { MAX_YEARS } from './analysis.service';
import { storedKeysOf } from './metric-sql';

/** Weighted stored values per cost point. */
export const VALUES_PER_POINT = 8;
/** Keys at which a value's price has doubled. */
export const KEYS_PER_PRICE_STEP = 12;

export interface AnalysisWork {
  /** Stored values the field may read: stored keys × years × offices. */
  readonly values: number;
  /** Stored keys asked for at once. */
  readonly keys: number;
}

export const ANALYSIS_FIELDS = ['compareOffices', 'childSummaries', 'rollup', 'timeSeries', 'yearOverYear'] as const;
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
  return (field === 'compareOffices' || field === 'childSummaries' || field === 'rollup' || field === 'timeSeries') && typeof args.under === 'string' ? [args.under] : [];
}

/**
 * The work of one field. `officesUnder(code)` is the size of the subtree at `code` (itself
 * included; 0 for an unknown code, which the resolver refuses anyway).
 */
export function analysisWork(field: AnalysisField, args: Record<string, unknown>, officesUnder: (code: string) => number): AnalysisWork {
  const under = typeof args.under === 'string' ? officesUnder(args.under) : null;
  const keys = storedKeyCount(args.metrics, field === 'yearOverYear');
  switch (field) {
    case 'compareOffices':
      // The year and the year before, for the change.
      return { keys, values: keys * 2 * (under ?? new Set([...strings(args.officeCodes), ...strings(args.offices)]).size) };
    case 'childSummaries':
      // One year, every office under it.
      return { keys, values: keys * (under ?? 0) };
    case 'rollup':
      return { keys, values: keys * Math.min(new Set(Array.isArray(args.years) ? args.years : []).size, MAX_YEARS) * (under ?? 0) };
    case 'timeSeries':
      return { keys, values: keys * yearSpan(args.fromYear, args.toYear) * (under ?? new Set(strings(args.officeCodes)).size) };
    case 'yearOverYear':
      // One office, from the year before fromYear, with the cross-format counterparts.
      return { keys, values: keys * (yearSpan(args.fromYear, args.toYear) + 1) };
  }
}

/**
 * The rows of a compareOffices page, on top of its work and of its selection (priced like every
 * connection, at the default page): one point per row and compared metric. A page is a slice of
 * the group computed once (compare.service.ts), so its rows cost what they put on the wire, not
 * another computation. `first` is capped by the viewer's role first: an analyst's 2,000-row page
 * of three metrics adds 8,000 points, 5,000 rows of twelve metrics 65,000 — over the default limit.
 */
export function comparePagePoints(args: Record<string, unknown>, role: RoleName): number {
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
  return Math.min(first, COMPARE_PAGE_CAPS[role]) * (1 + new Set(strings(args.metrics)).size);
}

export function analysisPoints(work: AnalysisWork): number {
  return Math.ceil((work.values * (1 + work.keys / KEYS_PER_PRICE_STEP)) / VALUES_PER_POINT);
}

/**
 * Offices in the subtree of each code (itself included); unknown codes are absent. The roots come
 * through `offices` (the request's loader, so the resolver that follows finds them loaded), the
 * counts in one statement whose every pattern is a constant: MariaDB reads a constant prefix as a
 * range of the path index, where a pattern built from a joined row scanned the whole index (every
 * office of the database, on every priced request).
 */
export async function subtreeSizes(dataSource: DataSource, codes: readonly string[], offices: OfficesByCode = createOfficeLoaders(dataSource).officeByCode): Promise<Map<string, number>> {
  const distinct = [...new Set(codes)];
  if (distinct.length === 0) return new Map();
  const found = await Promise.all(distinct.map((code) => offices.load(code)));
  const roots = distinct.flatMap((code, i) => (found[i] ? [{ code, path: found[i].path }] : []));
  if (roots.length === 0) return new Map();
  const rows: { code: string; n: unknown }[] = await dataSource.query(
    roots.map(() => 'SELECT ? AS code, COUNT(*) AS n FROM offices WHERE path LIKE ?').join(' UNION ALL '),
    roots.flatMap((r) => [r.code, `${r.path}%`]),
  );
  return new Map(rows.map((r) => [String(r.code), Number(r.n)]));
}

/**
 * Subtree sizes for pricing, remembered for a short while per root: every page of a paged
 * comparison is priced by the same subtree, and counting it again cost each page a statement.
 * A count only prices a request (it changes no answer), so a count a few seconds old after an
 * office is added elsewhere is harmless; this process forgets them at once on its own office
 * changes (app.ts), the others within `ttlMs`.
 */
export class SubtreeCounts {
  private readonly counts = new Map<string, { readonly n: number; readonly until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async sizes(codes: readonly string[], offices: OfficesByCode): Promise<Map<string, number>> {
    const now = Date.now();
    const known = new Map<string, number>();
    const unknown: string[] = [];
    const distinct = [...new Set(codes)];
    const found = await Promise.all(distinct.map((code) => offices.load(code)));
    distinct.forEach((code, i) => {
      const office = found[i];
      if (!office) return;
      const kept = this.counts.get(office.path);
      if (kept && kept.until > now) known.set(code, kept.n);
      else unknown.push(code);
    });
    if (unknown.length === 0) return known;
    const counted = await subtreeSizes(this.dataSource, unknown, offices);
    if (this.counts.size + counted.size > this.maxEntries) this.counts.clear();
    for (const [code, n] of counted) {
      const office = found[distinct.indexOf(code)]!;
      this.counts.set(office.path, { n, until: now + this.ttlMs });
      known.set(code, n);
    }
    return known;
  }

  forget(): void {
    this.counts.clear();
  }
}

