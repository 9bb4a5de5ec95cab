/**
 * The exports' one door to the analysis service. The GraphQL resolvers validate their arguments
 * and shape the service's answers; the export routes must give the same numbers for the same
 * arguments, so the same service functions are called here with the same validation — and when
 * the service's signatures change, this file is the only one of the exports to follow.
 */
import { In, type DataSource } from 'typeorm';
import { AnalysisService, MAX_MISSING, validateMetrics, validateYears, type RollupGroupData, type SeriesData, type YearPointData } from '../analysis/analysis.service';
import { SortDirection, type ComparedValue, type CompareOrder, type OfficeComparison } from '../analysis/analysis.types';
import { missingSql } from '../analysis/compare.sql';
import { Role } from '../auth/roles';
import { BadUserInputError } from '../common/errors';
import { requireOffice, requireOffices } from '../offices/office-lookup';
import { createOfficeLoaders } from '../offices/office.loader';
import { Office } from '../offices/office.entity';
import { createLoaders } from '../server/loaders';

export { validateMetrics, validateYears, MAX_MISSING };
export type { RollupGroupData, SeriesData, YearPointData };

/** Rows per page while a comparison streams: every page is sliced from one computation of the group (compare.service.ts). */
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
  readonly values: readonly ComparedValue[];
}

export class AnalysisExports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly analysis: AnalysisService,
    /** Rows per computation; smaller in tests, to page through a small district. */
    private readonly chunk = COMPARE_CHUNK,
  ) {}

  /** An unknown code is NOT_FOUND, as in the GraphQL queries (office-lookup.ts). */
  async office(code: string, field: string): Promise<Office> {
    return requireOffice(createOfficeLoaders(this.dataSource).officeByCode, code, field);
  }

  /** The listed offices, in the order given; unknown codes are NOT_FOUND, all named at once. */
  async offices(codes: readonly string[], field: string, max: number): Promise<Office[]> {
    const distinct = [...new Set(codes)];
    if (distinct.length > max) throw BadUserInputError.of(field, `at most ${max} offices`);
    return requireOffices(createOfficeLoaders(this.dataSource).officeByCode, distinct, field);
  }

  private async byIds(ids: readonly number[]): Promise<Map<number, Office>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.dataSource.getRepository(Office).findBy({ id: In([...ids]) })).map((o) => [o.id, o]));
  }

  /**
   * One page of the comparison as the GraphQL query answers it (same service call, same
   * validation), at the analysts' page size: the export's caller passed the same access rules.
   */
  private comparePage(request: CompareRequest, after: string | null, signal?: AbortSignal): Promise<OfficeComparison> {
    const { scope } = request;
    const orderBy = { metric: request.orderBy, direction: request.descending ? SortDirection.DESC : SortDirection.ASC } as CompareOrder;
    return this.analysis.compareOffices(
      {
        year: request.year,
        metrics: request.metrics,
        under: scope.kind === 'under' ? scope.root.code : null,
        officeCodes: scope.kind === 'offices' ? scope.offices.map((o) => o.code) : null,
        orderBy,
        first: this.chunk,
        after,
        missingFirst: 0,
      },
      { loaders: createLoaders(this.dataSource), role: Role.ANALYST, signal },
    );
  }

  /**
   * The comparison's head — counts, group figures, the offices that filed nothing (all of them: a
   * file is not a page, while the GraphQL answer lists at most MAX_MISSING) — with its first rows.
   */
  async compareHead(request: CompareRequest, signal?: AbortSignal): Promise<{ data: OfficeComparison; missing: Office[] }> {
    const data = await this.comparePage(request, null, signal);
    const { scope } = request;
    const scopeSql = scope.kind === 'under' ? AnalysisService.scopeOf({ root: scope.root }) : AnalysisService.scopeOf({ officeIds: scope.offices.map((o) => o.id) });
    const statement = missingSql(scopeSql, request.year, MISSING_ALL);
    const ids = statement.decode(await this.dataSource.query(statement.sql, statement.params));
    const offices = await this.byIds(ids);
    return { data, missing: ids.map((id) => offices.get(id)).filter((o): o is Office => o !== undefined) };
  }

  /** Every compared office in the query's order: the head's rows, then the next pages by cursor. */
  async *compareRows(request: CompareRequest, head: OfficeComparison, signal?: AbortSignal): AsyncGenerator<ComparedRow> {
    let page = head;
    for (;;) {
      for (const edge of page.rows.edges) yield { office: edge.node.office, values: edge.node.values };
      if (!page.rows.pageInfo.hasNextPage || !page.rows.pageInfo.endCursor) return;
      page = await this.comparePage(request, page.rows.pageInfo.endCursor, signal);
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
