/**
 * compareOffices: validation, the group's scope, one computation of the whole group per query
 * snapshot, and pages sliced from it. The resolver only passes its arguments through.
 *
 * Paging: the group (every office's values, ranks and the group's statistics) is computed once
 * and kept — remembered by the analysis cache under the query, or, with the cache off, as a
 * snapshot that the page's cursors name — so the next page is a slice, not the group's work
 * again. Writes drop both like every cached comparison (cache.ts); a cursor whose snapshot is gone
 * recomputes the group, so answers are the same as computing every page afresh.
 */
import { randomUUID } from 'node:crypto';
import { Role, type RoleName } from '../auth/roles';
import { BadUserInputError } from '../common/errors';
import { decodeCursor, DEFAULT_PAGE_SIZE } from '../common/pagination';
import { metricDefinition } from '../metrics/catalog';
import { Office } from '../offices/office.entity';
import { requireOffice, requireOffices } from '../offices/office-lookup';
import type { Loaders } from '../server/loaders';
import type { CompareOrder, OfficeComparison } from './analysis.types';
import { comparedRow } from './compared-cells';
import type { AnalysisCache } from './cache';
import { compareSql, groupSpanSql, type GroupMetricStats, type GroupSpan, type SqlDialect, type TypedStatement } from './compare.sql';
import { readPlan, type SqlFragment } from './metric-sql';

/** The most rows one compareOffices page returns, by role: analysts and above may take whole cities. */
export const COMPARE_PAGE_CAPS: Readonly<Record<RoleName, number>> = {
  [Role.PUBLIC]: 100,
  [Role.ANALYST]: 5000,
  [Role.EDITOR]: 5000,
  [Role.ADMIN]: 5000,
};
export const MAX_COMPARE_PAGE = Math.max(...Object.values(COMPARE_PAGE_CAPS));
export const MAX_MISSING = 200;
/** Offices listed by code at most. */
export const MAX_COMPARED_OFFICES = 5000;

export function comparePageSize(first: number | null | undefined, role: RoleName): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1) throw BadUserInputError.of('first', `must be a positive integer, got ${first}`);
  return Math.min(first, COMPARE_PAGE_CAPS[role]);
}

export interface CompareArgs {
  readonly year: number;
  /** Validated metric keys. */
  readonly metrics: string[];
  readonly under?: string | null;
  readonly officeCodes?: string[] | null;
  /** Deprecated name of officeCodes. */
  readonly offices?: string[] | null;
  readonly orderBy?: CompareOrder | null;
  readonly first?: number | null;
  readonly after?: string | null;
  readonly missingFirst?: number | null;
}

/** What the comparison needs from the analysis service. */
export interface CompareDeps {
  readonly cache: AnalysisCache;
  readonly dialect: SqlDialect;
  remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  run<R>(statement: TypedStatement<R>, signal?: AbortSignal): Promise<R>;
  /** Offices by id in one read, for pages too large to go key by key through a DataLoader. */
  officesByIds(ids: readonly number[]): Promise<Office[]>;
  /** Every office of a scope in one read (`o.` qualifies its columns). */
  officesInScope(scope: SqlFragment): Promise<Office[]>;
}

export interface CompareRequest {
  readonly loaders: Pick<Loaders, 'officeByCode' | 'officeById'>;
  readonly role: RoleName;
  readonly signal?: AbortSignal;
}

/** Offices a page loads through the request's DataLoader; more are read in one go. */
const LOADER_BATCH = 100;
/** A group of at most this many times a first page's offices is read whole, beside its statement. */
const BESIDE_READ_FACTOR = 2;


/**
 * One computed group, compact (flat number arrays copy and serialise fast): `cells` holds, row by
 * row and metric by metric, the value, last year's value and the rank.
 */
export interface GroupSnapshot {
  readonly id: string;
  /** The query it answers: a cursor from another query does not read it. */
  readonly key: string;
  readonly officeCount: number;
  readonly reportedCount: number;
  readonly stats: readonly GroupMetricStats[];
  readonly officeIds: readonly number[];
  readonly cells: readonly (number | null)[];
  readonly missingIds: readonly number[];
}

export function capMissing(n: number | null | undefined, field: string): number {
  if (n === null || n === undefined) return 20;
  if (!Number.isInteger(n) || n < 0) throw BadUserInputError.of(field, `must be 0 or more, got ${n}`);
  return Math.min(n, MAX_MISSING);
}

/** Every office strictly under `root`, or the listed offices. */
export function scopeOf(target: { root?: Office; officeIds?: readonly number[]; includeRoot?: boolean }): SqlFragment {
  if (target.root) {
    return target.includeRoot
      ? { sql: 'o.path LIKE ?', params: [`${target.root.path}%`] }
      : { sql: 'o.path LIKE ? AND o.id <> ?', params: [`${target.root.path}%`, target.root.id] };
  }
  const ids = target.officeIds ?? [];
  return { sql: ids.length ? `o.id IN (${ids.map(() => '?').join(', ')})` : '1 = 0', params: [...ids] };
}

/** A row's position, and the snapshot it was read from (absent in cursors of earlier releases). */
function readCursor(after: string | null | undefined): { offset: number; snapshot: string | null } {
  if (!after) return { offset: 0, snapshot: null };
  const match = /^(\d+)(?:@([\w-]+))?$/.exec(decodeCursor(after));
  if (!match) throw BadUserInputError.of('after', 'not a cursor from this query');
  return { offset: Number(match[1]) + 1, snapshot: match[2] ?? null };
}

export async function compareOffices(deps: CompareDeps, args: CompareArgs, request: CompareRequest): Promise<OfficeComparison> {
  const { loaders, signal } = request;
  const keys = args.metrics;
  if (args.officeCodes?.length && args.offices?.length) throw BadUserInputError.of('officeCodes', 'give officeCodes (or the deprecated offices), not both');
  const codeList = args.officeCodes?.length ? args.officeCodes : args.offices;
  const codeField = args.officeCodes?.length ? 'officeCodes' : 'offices';
  if (Boolean(args.under) === Boolean(codeList?.length)) throw BadUserInputError.of('under', 'give either under or officeCodes, not both and not neither');
  const orderMetric = args.orderBy?.metric ?? keys[0]!;
  const orderIndex = keys.indexOf(orderMetric);
  if (orderIndex < 0) throw BadUserInputError.of('orderBy.metric', `"${orderMetric}" is not one of metrics`);
  const descending = (args.orderBy?.direction ?? 'DESC') === 'DESC';
  const limit = comparePageSize(args.first, request.role);
  const cursor = readCursor(args.after);
  const missingFirst = capMissing(args.missingFirst, 'missingFirst');

  let scope: SqlFragment;
  let scopePaths: string[];
  if (args.under) {
    const root = await requireOffice(loaders.officeByCode, args.under, 'under');
    scope = scopeOf({ root });
    scopePaths = [root.path];
  } else {
    const codes = [...new Set(codeList!)];
    if (codes.length > MAX_COMPARED_OFFICES) throw BadUserInputError.of(codeField, `at most ${MAX_COMPARED_OFFICES} offices`);
    const list = await requireOffices(loaders.officeByCode, codes, codeField);
    scope = scopeOf({ officeIds: list.map((o) => o.id) });
    scopePaths = list.map((o) => o.path);
  }

  // A first page that holds most of the group (its rows and listed missing offices at least half
  // of it) reads the group's offices beside the group's statement, on another connection, instead
  // of after it (a city's 2,000 offices: ~8 ms off the answer; a district's 200: ~2 ms). Known once
  // the group is measured, and only when it is computed here (a kept group's are read by id).
  let wholeScope: Promise<Office[] | null> | undefined;
  const onMeasured = (span: GroupSpan) => {
    if (cursor.offset === 0 && span.officeCount <= BESIDE_READ_FACTOR * (limit + missingFirst)) wholeScope = deps.officesInScope(scope).catch(() => null);
  };
  // The page (first, after) is not part of the key: every page of the query reads one group.
  const key = JSON.stringify(['compareOffices', scope, args.year, keys, orderIndex, descending, missingFirst]);
  const kept = cursor.snapshot ? await deps.cache.snapshot<GroupSnapshot>(cursor.snapshot) : undefined;
  const group = kept?.key === key ? kept : await deps.remember(key, scopePaths, () => computeGroup(deps, key, scope, args.year, keys, orderIndex, descending, missingFirst, signal, onMeasured), signal);
  // Someone will ask for the next page: keep the group for the cursors that name it.
  if (group !== kept && cursor.offset + limit < group.officeIds.length) await deps.cache.keepSnapshot(group.id, scopePaths, group);

  const total = group.officeIds.length;
  const end = Math.min(cursor.offset + limit, total);
  const pageIds = group.officeIds.slice(cursor.offset, end);
  const byId = await pageOffices(deps, loaders, [...pageIds, ...group.missingIds], (await wholeScope) ?? []);
  const edges = pageIds.map((officeId, n) => comparedRow(byId.get(officeId)!, keys, group.stats, group.cells, cursor.offset + n, group.id));
  return {
    year: args.year,
    metrics: keys,
    officeCount: group.officeCount,
    reportedCount: group.reportedCount,
    missingCount: group.officeCount - group.reportedCount,
    groups: group.stats.map((s, i) => {
      const label = metricDefinition(keys[i]!)!.label;
      return { metric: keys[i]!, label: label.zh, labelEn: label.en, ...s, blankCount: group.reportedCount - s.statedCount };
    }),
    rows: {
      edges,
      totalCount: total,
      pageInfo: { hasNextPage: end < total, hasPreviousPage: cursor.offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    },
    missing: group.missingIds.map((id) => byId.get(id)!).filter(Boolean),
  };
}

/**
 * The page's offices and the missing ones, by id: from those already read, the rest in one batch —
 * through the request's DataLoader, or for a whole city's page in one statement handed to the
 * loader (DataLoader's promise per key was a tenth of a 2,000-row request).
 */
async function pageOffices(deps: CompareDeps, loaders: CompareRequest['loaders'], wanted: readonly number[], read: readonly Office[]): Promise<Map<number, Office>> {
  const byId = new Map(read.map((o) => [o.id, o]));
  // An office created between the two reads is in the group and not yet read.
  const rest = byId.size === 0 ? wanted : wanted.filter((id) => !byId.has(id));
  const inOneGo = rest.length > LOADER_BATCH;
  const loaded = rest.length === 0 ? [] : inOneGo ? await deps.officesByIds(rest) : await loaders.officeById.loadMany(rest);
  for (const office of loaded) if (office instanceof Office) byId.set(office.id, office);
  if (inOneGo || read.length > 0) for (const id of wanted) if (byId.has(id)) loaders.officeById.prime(id, byId.get(id)!);
  return byId;
}

async function computeGroup(
  deps: CompareDeps,
  key: string,
  scope: SqlFragment,
  year: number,
  metrics: string[],
  orderBy: number,
  descending: boolean,
  missingFirst: number,
  signal?: AbortSignal,
  onMeasured?: (span: GroupSpan) => void,
): Promise<GroupSnapshot> {
  const span = await deps.run(groupSpanSql(scope), signal);
  onMeasured?.(span);
  // One statement answers the group and its missing offices (compare.sql.ts).
  const computed = span.officeCount === 0 ? null : await deps.run(compareSql({ scope, read: readPlan(span, scope), year, metrics, orderBy, descending, dialect: deps.dialect }), signal);
  return {
    id: randomUUID(),
    key,
    officeCount: span.officeCount,
    reportedCount: computed?.reportedCount ?? 0,
    stats: computed?.stats ?? metrics.map(() => ({ sum: 0, statedCount: 0, mean: null, median: null })),
    officeIds: computed?.officeIds ?? [],
    cells: computed?.cells ?? [],
    missingIds: computed?.missingIds.slice(0, missingFirst) ?? [],
  };
}
