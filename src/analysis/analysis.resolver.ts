import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import { BadUserInputError } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { selectsField } from '../common/selection';
import { metricDefinition } from '../metrics/catalog';
import { OFFICE_KIND_LABELS, type OfficeKindKey } from '../offices/office-kind';
import { Office } from '../offices/office.entity';
import { requireOffice, requireOffices } from '../offices/office-lookup';
import type { RequestContext } from '../server/context';
import { validateMetrics, validateYears, type RollupGroupData } from './analysis.service';
import { COMPARE_PAGE_CAPS, MAX_MISSING, capMissing } from './compare.service';
import { ChildSummary, CompareOrder, OfficeComparison, Rollup, type RollupGroup, RollupGroupBy, TimeSeries, YearOverYear } from './analysis.types';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

async function officesByIds(ctx: RequestContext, ids: readonly number[]): Promise<Office[]> {
  const found = await ctx.loaders.officeById.loadMany(ids);
  return found.filter((o): o is Office => o instanceof Office);
}

/** A rollup group's name: a kind of office, a level below the chosen office, or all of them. */
function rollupGroupLabel(group: string, groupBy: RollupGroupBy): { label: string; labelEn: string } {
  if (group === 'ALL') return { label: '全部', labelEn: 'All' };
  if (groupBy === RollupGroupBy.LEVEL) return { label: `第${group}级`, labelEn: `Level ${group}` };
  const kind = OFFICE_KIND_LABELS[group as OfficeKindKey];
  return { label: kind?.zh ?? group, labelEn: kind?.en ?? group };
}

@Resolver()
export class AnalysisResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => YearOverYear, { description: '某机关各指标的同比（跨2021年格式调整时标明是否可比）/ Year-over-year for one office' })
  async yearOverYear(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode') officeCode: string,
    @Arg('metrics', () => [MetricKeyScalar]) metrics: string[],
    @Arg('fromYear', () => Int) fromYear: number,
    @Arg('toYear', () => Int) toYear: number,
  ): Promise<YearOverYear> {
    const keys = validateMetrics(metrics);
    validateYears(fromYear, toYear);
    const office = await requireOffice(ctx.loaders.officeByCode, officeCode, 'officeCode');
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
    @Arg('metrics', () => [MetricKeyScalar]) metrics: string[],
    @Arg('under', () => String, { nullable: true, description: '比较该机关下的全部机关 / Every office under this one' }) under?: string | null,
    @Arg('officeCodes', () => [String], { nullable: true, description: '或列出机关编码 / Or these offices, by code' }) officeCodes?: string[] | null,
    @Arg('offices', () => [String], { nullable: true, deprecationReason: '改用 officeCodes / Use officeCodes (removed in the next release)' }) offices?: string[] | null,
    @Arg('orderBy', () => CompareOrder, { nullable: true }) orderBy?: CompareOrder | null,
    @Arg('first', () => Int, {
      nullable: true,
      description: `每页条数（默认${DEFAULT_PAGE_SIZE}；公众最多${COMPARE_PAGE_CAPS.public}，分析员及以上最多${COMPARE_PAGE_CAPS.analyst}，超出按上限返回；大范围全部行可用 /exports/compare-offices.csv 下载）/ Page size: default ${DEFAULT_PAGE_SIZE}, at most ${COMPARE_PAGE_CAPS.public} for the public and ${COMPARE_PAGE_CAPS.analyst} for analysts, editors and admins (larger asks are served at the cap); priced by the query cost per row and metric. Every row of a large group as a file: GET /exports/compare-offices.csv (or .xlsx) with the same arguments streams the same computation`,
    })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('missingFirst', () => Int, { nullable: true, description: `未报送机关列出个数（最多${MAX_MISSING}）/ How many missing offices to list` }) missingFirst?: number | null,
  ): Promise<OfficeComparison> {
    return ctx.services.analysis.compareOffices(
      { year, metrics: validateMetrics(metrics), under, officeCodes, offices, orderBy, first, after, missingFirst },
      { loaders: ctx.loaders, role: ctx.viewer.role, signal: ctx.signal },
    );
  }

  @Authorized(Role.PUBLIC)
  @Query(() => [ChildSummary], {
    description: '按直接下级汇总（一市的各区）：每个下级同 compareOffices(under: 该下级) 的计数与合计、均值、中位数，一次请求 / A group by its direct children (a city by its districts), each as compareOffices(under: that child) sums it up, in one request',
  })
  async childSummaries(
    @Ctx() ctx: RequestContext,
    @Arg('under') under: string,
    @Arg('year', () => Int) year: number,
    @Arg('metrics', () => [MetricKeyScalar]) metrics: string[],
  ): Promise<ChildSummary[]> {
    const keys = validateMetrics(metrics);
    const root = await requireOffice(ctx.loaders.officeByCode, under, 'under');
    const data = await ctx.services.analysis.childSummaries(root, year, keys, ctx.signal);
    const byId = new Map((await officesByIds(ctx, data.map((d) => d.childId))).map((o) => [o.id, o]));
    return data.map((d) => ({
      office: byId.get(d.childId)!,
      officeCount: d.officeCount,
      reportedCount: d.reportedCount,
      missingCount: d.officeCount - d.reportedCount,
      groups: d.stats.map((s) => ({ ...s, label: metricDefinition(s.metric)!.label.zh, labelEn: metricDefinition(s.metric)!.label.en })),
    }));
  }

  @Authorized(Role.PUBLIC)
  @Query(() => Rollup, { description: '辖区汇总：按机关类型或层级合计，含报送与未报送情况 / Totals over a subtree' })
  async rollup(
    @Ctx() ctx: RequestContext,
    @Arg('under') under: string,
    @Arg('years', () => [Int]) years: number[],
    @Arg('metrics', () => [MetricKeyScalar]) metrics: string[],
    @Arg('groupBy', () => RollupGroupBy, { defaultValue: RollupGroupBy.KIND }) groupBy: RollupGroupBy,
    @Arg('missingFirst', () => Int, { nullable: true }) missingFirst?: number | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Rollup> {
    const keys = validateMetrics(metrics);
    const distinctYears = [...new Set(years)].sort();
    if (distinctYears.length === 0) throw BadUserInputError.of('years', 'give at least one year');
    validateYears(distinctYears[0]!, distinctYears[distinctYears.length - 1]!);
    const root = await requireOffice(ctx.loaders.officeByCode, under, 'under');
    // The offices that filed nothing are a statement of their own: read only when asked for.
    const listMissing = !info || selectsField(info, ['groups', 'missing']);
    const data = await ctx.services.analysis.rollup(root, distinctYears, keys, groupBy, listMissing ? capMissing(missingFirst, 'missingFirst') : 0, ctx.signal);
    const missingAll = await officesByIds(ctx, [...new Set(data.groups.flatMap((g) => g.missingIds))]);
    const byId = new Map(missingAll.map((o) => [o.id, o]));
    const shape = (g: RollupGroupData): RollupGroup => ({
      ...g,
      ...rollupGroupLabel(g.group, groupBy),
      missingCount: g.officeCount - g.reportedCount,
      missing: g.missingIds.map((id) => byId.get(id)!).filter(Boolean),
    });
    return { under: root, groupBy, groups: data.groups.map(shape), totals: data.totals.map(shape) };
  }

  @Authorized(Role.PUBLIC)
  @Query(() => [TimeSeries], { description: '时间序列（图表用）：各机关或辖区合计 / Series for charts: per office, or a subtree total' })
  async timeSeries(
    @Ctx() ctx: RequestContext,
    @Arg('metrics', () => [MetricKeyScalar]) metrics: string[],
    @Arg('fromYear', () => Int) fromYear: number,
    @Arg('toYear', () => Int) toYear: number,
    @Arg('officeCodes', () => [String], { nullable: true }) officeCodes?: string[] | null,
    @Arg('under', () => String, { nullable: true }) under?: string | null,
  ): Promise<TimeSeries[]> {
    const keys = validateMetrics(metrics);
    validateYears(fromYear, toYear);
    if (Boolean(under) === Boolean(officeCodes?.length)) throw BadUserInputError.of('under', 'give either under or officeCodes, not both and not neither');
    if (under) {
      const root = await requireOffice(ctx.loaders.officeByCode, under, 'under');
      const series = await ctx.services.analysis.timeSeries({ root }, keys, fromYear, toYear, ctx.signal);
      return series.map((s) => ({ office: null, under: root, metric: s.metric, label: metricDefinition(s.metric)!.label.zh, labelEn: metricDefinition(s.metric)!.label.en, points: s.points }));
    }
    const codes = [...new Set(officeCodes!)];
    if (codes.length > 50) throw BadUserInputError.of('officeCodes', 'at most 50 offices per series request');
    const list = await requireOffices(ctx.loaders.officeByCode, codes, 'officeCodes');
    const byId = new Map(list.map((o) => [o.id, o]));
    const series = await ctx.services.analysis.timeSeries({ offices: list }, keys, fromYear, toYear, ctx.signal);
    return series.map((s) => ({ office: byId.get(s.officeId!)!, under: null, metric: s.metric, label: metricDefinition(s.metric)!.label.zh, labelEn: metricDefinition(s.metric)!.label.en, points: s.points }));
  }
}
