import { Arg, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { AnnualReport } from '../reports/annual-report.entity';
import { Finding } from '../reports/finding.entity';
import type { RequestContext } from '../server/context';
import { MetricCorrection, TableAcceptance } from './metric-correction.entity';
import { FindingResolutionEnum, ReviewStateEnum, type FindingResolution, type ReviewState } from './review-state';
import { AcceptTableInput, CorrectMetricsInput, ResolveFindingInput, ReviewQueue, SetReviewStateInput } from './review.types';

@ObjectType({ description: '报告的原文（当前版本）/ The text the current revision was read from' })
export class ReportSource {
  @Field(() => Int, { description: '版本号 / Revision number' })
  revision!: number;

  @Field(() => String, { nullable: true, description: '导入时的原文（文本或 HTML）/ The text as given: plain text or HTML' })
  text!: string | null;

  @Field(() => String, { description: '规范化原文：数值来源的行号与字符位置以此为准 / The normalised text values\' sources point into' })
  readingText!: string;

  @Field({ description: '原文为 HTML / The text as given is HTML' })
  html!: boolean;
}

@Resolver(() => AnnualReport)
export class ReviewReportResolver {
  @Authorized(Role.ANALYST)
  @Query(() => ReviewQueue, { description: '审核队列：某区某年度各报告的读取情况、待处理问题与审核状态 / The review queue of a district and year' })
  reviewQueue(
    @Ctx() ctx: RequestContext,
    @Arg('under') under: string,
    @Arg('year', () => Int) year: number,
    @Arg('state', () => ReviewStateEnum, { nullable: true }) state?: ReviewState | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ReviewQueue> {
    return ctx.services.reviewQueue.queue({ under, year, state, first, after });
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => AnnualReport, { description: '更正数值（新版本，原读取结果保留为上一版本；需写明理由）/ Correct values: a new revision, the reading kept as the previous one; reasons required' })
  correctMetrics(@Ctx() ctx: RequestContext, @Arg('input', () => CorrectMetricsInput) input: CorrectMetricsInput): Promise<AnnualReport> {
    return ctx.services.review.correct(input, ctx.viewer);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => AnnualReport, { description: '整表确认（与原文一致）/ Accept a whole table as read' })
  acceptTable(@Ctx() ctx: RequestContext, @Arg('input', () => AcceptTableInput) input: AcceptTableInput): Promise<AnnualReport> {
    return ctx.services.review.acceptTable(input, ctx.viewer);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => Finding, { description: '处理勾稽关系问题 / Resolve a finding (or reopen it with OPEN)' })
  resolveFinding(@Ctx() ctx: RequestContext, @Arg('input', () => ResolveFindingInput) input: ResolveFindingInput): Promise<Finding> {
    return ctx.services.review.resolveFinding(input, ctx.viewer);
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => AnnualReport, { description: '设置审核状态；CONFIRMED 记录确认人与时间 / Set the review state; CONFIRMED records who and when' })
  setReviewState(@Ctx() ctx: RequestContext, @Arg('input', () => SetReviewStateInput) input: SetReviewStateInput): Promise<AnnualReport> {
    return ctx.services.review.setReviewState(input, ctx.viewer);
  }

  @Authorized(Role.ANALYST)
  @FieldResolver(() => ReportSource, { nullable: true, description: '当前版本的原文；手工录入为空 / The current revision\'s text; null when entered by hand' })
  async source(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<ReportSource | null> {
    const current = (await ctx.loaders.revisionsByReportId.load(report.id))[0];
    if (!current) return null;
    const [text, readingText] = await Promise.all([ctx.loaders.revisionSource.load(current.id), ctx.loaders.revisionReadingText.load(current.id)]);
    if (readingText === null) return null;
    return { revision: current.number, text, readingText, html: /<(html|table|body|p|div)\b/i.test(text ?? '') };
  }

  @FieldResolver(() => Int, { nullable: true, description: '当前版本号（correctMetrics 的 revision）/ The current revision number, for correctMetrics' })
  async revision(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<number | null> {
    return (await ctx.loaders.revisionsByReportId.load(report.id))[0]?.number ?? null;
  }

  @Authorized(Role.ANALYST)
  @FieldResolver(() => [MetricCorrection], { description: '人工更正（新在前）/ Corrections, newest first' })
  corrections(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<MetricCorrection[]> {
    return ctx.loaders.correctionsByReportId.load(report.id);
  }

  @Authorized(Role.ANALYST)
  @FieldResolver(() => [TableAcceptance], { description: '已整表确认的表 / Tables accepted whole' })
  acceptedTables(@Root() report: AnnualReport, @Ctx() ctx: RequestContext): Promise<TableAcceptance[]> {
    return ctx.loaders.tableAcceptancesByReportId.load(report.id);
  }
}

@Resolver(() => Finding)
export class ReviewFindingResolver {
  @FieldResolver(() => FindingResolutionEnum, { description: '处理结果；考核只计 OPEN / Resolution; the assessment counts OPEN ones only' })
  resolution(@Root() finding: Finding): FindingResolution {
    return finding.resolution ?? FindingResolutionEnum.OPEN;
  }
}
