/**
 * The exports' one door to the analysis service. The GraphQL resolvers validate their arguments
 * and shape the service's answers; the export routes must give the same numbers for the same
 * arguments, so the same service functions are called here with the same validation — and when
 * the service's signatures change, this file is the only one of the exports to follow.
 */
import { In, type DataSource } from 'typeorm';
import { AnalysisService, MAX_MISSING, validateMetrics, validateYears, type ComparedValueData, type ComparisonData, type RollupGroupData, type SeriesData, type YearPointData } from '../analysis/analysis.service';
import { BadUserInputError } from '../common/errors';
import { Office } from '../offices/office.entity';

export { validateMetrics, validateYears, MAX_MISSING };
export type { ComparedValueData, ComparisonData, RollupGroupData, SeriesData, YearPointData };

/** Rows fetched per computation while a comparison streams (the GraphQL page is at most 100). */
export const COMPARE_CHUNK = 1000;
/** The GraphQL limits on listed offices. */
export const MAX_COMPARED_OFFICES = 5000;
export const MAX_SERIES_OFFICES = 50;
/** The missing offices a comparison's file lists: every one (the GraphQL answer caps them at MAX_MISSING a page). */
const MISSING_ALL = 1_000_000;

export type CompareScope = { kind: 'under'; root: Office } | { kind: 'offices'; offices: Office[] };

export interface CompareRequest {
  readonly scope: CompareScope;
  readonly year: number;
  readonly metrics: string[];
  readonly orderBy: string;
  readonly descending: boolean;
}

export interface ComparedRow {
  readonly office: Office;
  readonly values: ComparedValueData[];
}

export class AnalysisExports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly analysis: AnalysisService,
    /** Rows per computation; smaller in tests, to page through a small district. */
    private readonly chunk = COMPARE_CHUNK,
  ) {}

  async office(code: string, field: string): Promise<Office> {
    const office = await this.dataSource.getRepository(Office).findOneBy({ code });
    if (!office) throw BadUserInputError.of(field, `no office with code "${code}"`);
    return office;
  }

  /** The listed offices, in the order given; unknown codes are refused, all named at once. */
  async offices(codes: readonly string[], field: string, max: number): Promise<Office[]> {
    const distinct = [...new Set(codes)];
    if (distinct.length > max) throw BadUserInputError.of(field, `at most ${max} offices`);
    const found = new Map((await this.dataSource.getRepository(Office).findBy({ code: In(distinct) })).map((o) => [o.code, o]));
    const unknown = distinct.filter((c) => !found.has(c));
    if (unknown.length) throw BadUserInputError.of(field, `no office with code ${unknown.map((c) => `"${c}"`).join(', ')}`);
    return distinct.map((c) => found.get(c)!);
  }

  private async byIds(ids: readonly number[]): Promise<Map<number, Office>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.dataSource.getRepository(Office).findBy({ id: In([...ids]) })).map((o) => [o.id, o]));
  }

  private compareArgs(request: CompareRequest, limit: number, offset: number, missingFirst: number, signal?: AbortSignal) {
    const { scope } = request;
    return {
      scope: scope.kind === 'under' ? AnalysisService.scopeOf({ root: scope.root }) : AnalysisService.scopeOf({ officeIds: scope.offices.map((o) => o.id) }),
      scopePaths: scope.kind === 'under' ? [scope.root.path] : scope.offices.map((o) => o.path),
      year: request.year,
      metrics: request.metrics,
      orderBy: request.metrics.indexOf(request.orderBy),
      descending: request.descending,
      limit,
      offset,
      missingFirst,
      signal,
    };
  }

  /**
   * The comparison's head — counts, group figures, the offices that filed nothing (all of them: a
   * file is not a page) — with its first COMPARE_CHUNK rows: each call ranks the whole scope, so
   * a district or a city of up to COMPARE_CHUNK offices is one computation.
   */
  async compareHead(request: CompareRequest, signal?: AbortSignal): Promise<{ data: ComparisonData; missing: Office[] }> {
    const data = await this.analysis.compareOffices(this.compareArgs(request, this.chunk, 0, MISSING_ALL, signal));
    const offices = await this.byIds(data.missingIds);
    return { data, missing: data.missingIds.map((id) => offices.get(id)).filter((o): o is Office => o !== undefined) };
  }

  /** Every compared office in the query's order: the head's rows, then COMPARE_CHUNK more at a time. */
  async *compareRows(request: CompareRequest, head: ComparisonData, signal?: AbortSignal): AsyncGenerator<ComparedRow> {
    let page = head;
    for (let offset = 0; ; ) {
      const offices = await this.byIds(page.rows.map((r) => r.officeId));
      for (const row of page.rows) yield { office: offices.get(row.officeId)!, values: row.values };
      if (page.rows.length < this.chunk) return;
      offset += this.chunk;
      page = await this.analysis.compareOffices(this.compareArgs(request, this.chunk, offset, 0, signal));
    }
  }

  /** The rollup as the GraphQL query gives it, with the missing offices of each group (at most `missingFirst`). */
  async rollup(root: Office, years: number[], metrics: string[], groupBy: 'KIND' | 'LEVEL', missingFirst: number, signal?: AbortSignal) {
    const data = await this.analysis.rollup(root, years, metrics, groupBy, missingFirst, signal);
    const offices = await this.byIds([...new Set(data.groups.flatMap((g) => g.missingIds))]);
    return { ...data, missingOf: (g: RollupGroupData) => g.missingIds.map((id) => offices.get(id)).filter((o): o is Office => o !== undefined) };
  }

  async timeSeries(target: { root: Office } | { offices: Office[] }, metrics: string[], fromYear: number, toYear: number, signal?: AbortSignal): Promise<SeriesData[]> {
    return this.analysis.timeSeries(target, metrics, fromYear, toYear, signal);
  }

  async yearOverYear(office: Office, metrics: string[], fromYear: number, toYear: number, signal?: AbortSignal): Promise<{ metric: string; points: YearPointData[] }[]> {
    return this.analysis.yearOverYear(office, metrics, fromYear, toYear, signal);
  }
}
