import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import { requireOffice } from '../offices/office-lookup';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination';
import type { RequestContext } from '../server/context';
import { AssessmentResult } from './assessment.types';
import { SHEETS } from './sheets';

@Resolver()
export class AssessmentResolver {
  @Authorized(Role.ANALYST)
  @Query(() => AssessmentResult, {
    description: '政务公开考核：under 下属各机关（不含 under 本级）的得分、明细与辖区汇总，及工作簿下载链接 / The year-end assessment of the offices under `under` (not `under` itself): scores, breakdown, summary and workbook links',
  })
  async assessment(
    @Ctx() ctx: RequestContext,
    @Arg('under') under: string,
    @Arg('year', () => Int) year: number,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AssessmentResult> {
    const root = await requireOffice(ctx.loaders.officeByCode, under, 'under');
    const limit = pageSize(first);
    const { rows, hasNextPage, summary } = await ctx.services.assessment.assessment(root, year, { first: limit, after: after ? decodeCursor(after) : null });
    const query = `year=${year}&under=${encodeURIComponent(under)}`;
    const edges = rows.map((a) => ({
      cursor: encodeCursor(a.office.code),
      node: {
        office: a.office,
        filed: a.reportId !== null,
        publishedAt: a.publishedAt,
        onTime: a.assessment.onTime,
        templateFormat: a.templateFormat,
        completeness: a.assessment.completeness,
        findingCount: a.assessment.findingCount,
        acceptedFindingCount: a.acceptedFindings,
        channelItems: a.channelItems,
        channelItemsPrevious: a.channelItemsPrevious,
        repeatedShare: a.repeatedShare,
        score: a.assessment.score,
        breakdown: a.assessment.breakdown,
      },
    }));
    return {
      under: root,
      year,
      summary,
      rows: { edges, totalCount: summary.offices, pageInfo: { hasNextPage, hasPreviousPage: Boolean(after), startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null } },
      downloads: {
        xlsx: `/exports/assessment.xlsx?${query}`,
        json: `/exports/assessment.json?${query}`,
        csv: SHEETS.map((s) => ({ sheet: s.key, name: s.name, url: `/exports/assessment/${s.key}.csv?${query}` })),
      },
    };
  }
}
