import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import { BadUserInputError } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { metricDefinition } from '../metrics/catalog';
import { OFFICE_KIND_LABELS, type OfficeKindKey } from '../offices/office-kind';
import { Office } from '../offices/office.entity';
import type { RequestContext } from '../server/context';
import { validateMetrics, validateYears, type RollupGroupData } from './analysis.service';
import { COMPARE_PAGE_CAPS, MAX_MISSING, capMissing, requireOffice as requireOfficeOf, requireOffices } from './compare.service';
import { CompareOrder, OfficeComparison, Rollup, type RollupGroup, RollupGroupBy, TimeSeries, YearOverYear } from './analysis.types';

async function officesByIds(ctx: RequestContext, ids: readonly number[]): Promise<Office[]> {
  const found = await ctx.loaders.officeById.loadMany(ids);
  return found.filter((o): o is Office => o instanceof Office);
}

const requireOffice = (ctx: RequestContext, code: string, field: string) => requireOfficeOf(ctx.loaders, code, field);

@Resolver()
export class AnalysisResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => YearOverYear, { description: '某机关各指标的同比（跨2021年格式调整时标明是否可比）/ Year-over-year for one office' })
  async yearOverYear(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode') officeCode: string,
    @Arg('metrics', () => [String]) metrics: string[],
    @Arg('fromYear', () => Int) fromYear: number,
    @Arg('toYear', () => Int) toYear: number,
  ): Promise<YearOverYear> {
    const keys = validateMetrics(metrics);
    validateYears(fromYear, toYear);
    const office = await requireOffice(ctx, officeCode, 'officeCode');
    const series = await ctx.services.analysis.yearOverYear(office, keys, fromYear, toYear, ctx.signal);
    return {
      office,
      series: series.map((s) => ({ metric: s.metric, label: metricDefinition(s.metric)!.label.zh, labelEn: metricDefinition(s.metric)!.label.en, points: s.points })),
    };
  }

  @Authorized(Role.PUBLIC)
  @Query(() => OfficeComparison, {
    description:
      '多机关同年比较：排名、占比、与均值和中位数之差、同比只计填报了该指标的机关，留空者无排名；未报送的单列。各页取自同一次计算 / Compare offices in one year: statistics over the offices that stated each metric, blanks unranked; every page of a query is sliced from one computation of the group',
  })
  compareOffices(
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int) year: number,
    @Arg('metrics', () => [String]) metrics: string[],
    @Arg('under', () => String, { nullable: true, description: '比较该机关下的全部机关 / Every office under this one' }) under?: string | null,
    @Arg('offices', () => [String], { nullable: true, description: '或列出机关编码 / Or these offices' }) offices?: string[] | null,
    @Arg('orderBy', () => CompareOrder, { nullable: true }) orderBy?: CompareOrder | null,
    @Arg('first', () => Int, {
      nullable: true,
      description: `每页条数（默认${DEFAULT_PAGE_SIZE}；公众最多${COMPARE_PAGE_CAPS.public}，分析员及以上最多${COMPARE_PAGE_CAPS.analyst}，超出按上限返回）/ Page size: default ${DEFAULT_PAGE_SIZE}, at most ${COMPARE_PAGE_CAPS.public} for the public and ${COMPARE_PAGE_CAPS.analyst} for analysts, editors and admins (larger asks are served at the cap); priced by the query cost per row and metric`,
    })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('missingFirst', () => Int, { nullable: true, description: `未报送机关列出个数（最多${MAX_MISSING}）/ How many missing offices to list` }) missingFirst?: number | null,
  ): Promise<OfficeComparison> {
    return ctx.services.analysis.compareOffices(
      { year, metrics: validateMetrics(metrics), under, offices, orderBy, first, after, missingFirst },
      { loaders: ctx.loaders, role: ctx.viewer.role, signal: ctx.signal },
    );
  }

  @Authorized(Role.PUBLIC)
  @Query(() => Rollup, { description: '辖区汇总：按机关类型或层级合计，含报送与未报送情况 / Totals over a subtree' })
  async rollup(
    @Ctx() ctx: RequestContext,
    @Arg('under') under: string,
    @Arg('years', () => [Int]) years: number[],
    @Arg('metrics', () => [String]) metrics: string[],
    @Arg('groupBy', () => RollupGroupBy, { defaultValue: RollupGroupBy.KIND }) groupBy: RollupGroupBy,
    @Arg('missingFirst', () => Int, { nullable: true }) missingFirst?: number | null,
  ): Promise<Rollup> {
    const keys = validateMetrics(metrics);
    const distinctYears = [...new Set(years)].sort();
    if (distinctYears.length === 0) throw BadUserInputError.of('years', 'give at least one year');
    validateYears(distinctYears[0]!, distinctYears[distinctYears.length - 1]!);
    const root = await requireOffice(ctx, under, 'under');
    const data = await ctx.services.analysis.rollup(root, distinctYears, keys, groupBy, capMissing(missingFirst, 'missingFirst'), ctx.signal);
    const missingAll = await officesByIds(ctx, [...new Set(data.groups.flatMap((g) => g.missingIds))]);
    const byId = new Map(missingAll.map((o) => [o.id, o]));
    const shape = (g: RollupGroupData): RollupGroup => ({
      ...g,
      label:
        g.group === 'ALL'
          ? '全部 / All'
          : groupBy === RollupGroupBy.KIND
            ? `${OFFICE_KIND_LABELS[g.group as OfficeKindKey]?.zh ?? g.group} / ${OFFICE_KIND_LABELS[g.group as OfficeKindKey]?.en ?? g.group}`
            : `第${g.group}级 / level ${g.group}`,
      missingCount: g.officeCount - g.reportedCount,
      missing: g.missingIds.map((id) => byId.get(id)!).filter(Boolean),
    });
    return { under: root, groupBy, groups: data.groups.map(shape), totals: data.totals.map(shape) };
  }

  @Authorized(Role.PUBLIC)
  @Query(() => [TimeSeries], { description: '时间序列（图表用）：各机关或辖区合计 / Series for charts: per office, or a subtree total' })
  async timeSeries(
    @Ctx() ctx: RequestContext,
    @Arg('metrics', () => [String]) metrics: string[],
    @Arg('fromYear', () => Int) fromYear: number,
    @Arg('toYear', () => Int) toYear: number,
    @Arg('officeCodes', () => [String], { nullable: true }) officeCodes?: string[] | null,
    @Arg('under', () => String, { nullable: true }) under?: string | null,
  ): Promise<TimeSeries[]> {
    const keys = validateMetrics(metrics);
    validateYears(fromYear, toYear);
    if (Boolean(under) === Boolean(officeCodes?.length)) throw BadUserInputError.of('under', 'give either under or officeCodes, not both and not neither');
    if (under) {
      const root = await requireOffice(ctx, under, 'under');
      const series = await ctx.services.analysis.timeSeries({ root }, keys, fromYear, toYear, ctx.signal);
      return series.map((s) => ({ office: null, under: root, metric: s.metric, label: metricDefinition(s.metric)!.label.zh, points: s.points }));
    }
    if (new Set(officeCodes).size > 50) throw BadUserInputError.of('officeCodes', 'at most 50 offices per series request');
    const list = await requireOffices(ctx.loaders, officeCodes!, 'officeCodes');
    const byId = new Map(list.map((o) => [o.id, o]));
    const series = await ctx.services.analysis.timeSeries({ offices: list }, keys, fromYear, toYear, ctx.signal);
    return series.map((s) => ({ office: byId.get(s.officeId!)!, under: null, metric: s.metric, label: metricDefinition(s.metric)!.label.zh, points: s.points }));
  }
}
