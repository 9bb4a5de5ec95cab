import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { listPage } from '../common/pagination';
import { ChannelActivity } from '../channels/disclosure-channel.entity';
import { Office } from '../offices/office.entity';
import { requireOffice } from '../offices/office-lookup';
import type { RequestContext } from '../server/context';
import { ReportingYear } from '../years/reporting-year.entity';
import { AnnualReport } from './annual-report.entity';
import { Finding } from './finding.entity';
import { ReportRevision } from './report-revision.entity';
import { officeYearKey } from './report.loader';
import { ReportInput } from './report.input';
import { assertMetricKeys } from './report.service';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';
import {
  ApplicationsTable,
  MetricReading,
  ProactiveDisclosureRow,
  ReportSections,
  ReviewRow,
  applicationsTable,
  metricReadings,
  proactiveRows,
  reviewRows,
  valueMap,
} from './report-views';

@Resolver(() => AnnualReport)
export class ReportResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => AnnualReport, {
    nullable: true,
    description: '某机关某年度的报告；机关有而报告无时为 null，编码不存在时报 NOT_FOUND / One office\'s report on one year: null when the office filed none, NOT_FOUND when no office has the code',
  })
  async report(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode') officeCode: string,
    @Arg('year', () => Int) year: number,
  ): Promise<AnnualReport | null> {
    const office = await requireOffice(ctx.loaders.officeByCode, officeCode, 'officeCode');
    return ctx.loaders.reportByOfficeYear.load(officeYearKey(office.id, year));
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => AnnualReport, { description: '写入报告（校验、事务、重算勾稽关系）/ Write a report: validated, transactional, findings recomputed' })
  upsertReport(@Ctx() ctx: RequestContext, @Arg('input', () => ReportInput) input: ReportInput): Promise<AnnualReport> {
    return ctx.services.reports.upsert(input, ctx.viewer);
  }

  @FieldResolver(() => Office)
  async office(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<Office> {
    return (await ctx.loaders.officeById.load(report.officeId))!;
  }

  @FieldResolver(() => ReportingYear, { description: '年度（格式、公布期限）/ The reporting year: format and deadline' })
  reportingYear(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ReportingYear> {
    return ctx.loaders.reportingYear.load(report.year);
  }

  @FieldResolver(() => ReportSections)
  sections(@Root() report: AnnualReport): ReportSections {
    return { overview: report.overview, problems: report.problems, improvements: report.improvements, otherMatters: report.otherMatters };
  }

  @FieldResolver(() => [ChannelActivity], { description: '各渠道发布情况 / Channels and their activity' })
  channels(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ChannelActivity[]> {
    return ctx.loaders.activitiesByReportId.load(report.id);
  }

  @FieldResolver(() => [ProactiveDisclosureRow], { description: '表二 / Table 2' })
  async proactiveDisclosure(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ProactiveDisclosureRow[]> {
    return proactiveRows(report.templateFormat, valueMap(await ctx.loaders.metricsByReportId.load(report.id)));
  }

  @FieldResolver(() => ApplicationsTable, { description: '表三 / Table 3' })
  async applications(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ApplicationsTable> {
    return applicationsTable(report.templateFormat, valueMap(await ctx.loaders.metricsByReportId.load(report.id)));
  }

  @FieldResolver(() => [ReviewRow], { description: '表四 / Table 4' })
  async reviewsAndLitigation(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ReviewRow[]> {
    return reviewRows(valueMap(await ctx.loaders.metricsByReportId.load(report.id)));
  }

  @FieldResolver(() => [MetricReading], { description: '按指标键取值；不给 keys 时返回全部已填数值 / Values by key; all stated values when keys is omitted' })
  async metrics(
    @Root() report: AnnualReport,
    @Ctx() ctx: RequestContext,
    @Arg('keys', () => [MetricKeyScalar], { nullable: true }) keys?: string[] | null,
  ): Promise<MetricReading[]> {
    if (keys) assertMetricKeys(keys);
    return metricReadings(valueMap(await ctx.loaders.metricsByReportId.load(report.id)), keys ?? null);
  }

  @Authorized(Role.ANALYST)
  @FieldResolver(() => [ReportRevision], { description: '各版本（新在前，每次最多100个）/ Revisions, newest first, at most 100 at a time' })
  async revisions(
    @Root() report: AnnualReport,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: '最多100 / At most 100' }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<ReportRevision[]> {
    return listPage(await ctx.loaders.revisionsByReportId.load(report.id), first, offset);
  }

  @FieldResolver(() => [Finding], { description: '勾稽关系问题 / Consistency findings' })
  findings(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<Finding[]> {
    return ctx.loaders.findingsByReportId.load(report.id);
  }
}
