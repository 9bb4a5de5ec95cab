import { Ctx, Field, Float, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../server/context';
import { ReportRevision } from './report-revision.entity';
import { diffContent } from './revision-content';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

@ObjectType('MetricChange', { description: '指标变化 / A metric that changed' })
export class MetricChangeType {
  @Field(() => MetricKeyScalar)
  key!: string;

  @Field(() => Float, { nullable: true })
  before!: number | null;

  @Field(() => Float, { nullable: true })
  after!: number | null;
}

@ObjectType('FieldChange', { description: '字段变化（标题、正文、渠道…）/ A field that changed: title, a section, a channel…' })
export class FieldChangeType {
  @Field()
  field!: string;

  @Field(() => String, { nullable: true })
  before!: string | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ObjectType({ description: '与上一版本相比的变化 / What changed from the previous revision' })
export class RevisionChanges {
  @Field(() => [MetricChangeType])
  metrics!: MetricChangeType[];

  @Field(() => [FieldChangeType])
  fields!: FieldChangeType[];
}

@Resolver(() => ReportRevision)
export class ReportRevisionResolver {
  @FieldResolver(() => Boolean, { description: '是否当前版本 / Whether this is the current revision' })
  async current(@Root() revision: ReportRevision, @Ctx() ctx: RequestContext): Promise<boolean> {
    const all = await ctx.loaders.revisionsByReportId.load(revision.reportId);
    return all[0]?.id === revision.id;
  }

  @FieldResolver(() => RevisionChanges, { description: '与上一版本相比 / Changes from the previous revision (everything, for the first)' })
  async changes(@Root() revision: ReportRevision, @Ctx() ctx: RequestContext): Promise<RevisionChanges> {
    const all = await ctx.loaders.revisionsByReportId.load(revision.reportId);
    const previous = all.find((r) => r.number === revision.number - 1);
    const [after, before] = await Promise.all([
      ctx.loaders.revisionContent.load(revision.id),
      previous ? ctx.loaders.revisionContent.load(previous.id) : Promise.resolve(null),
    ]);
    return after ? diffContent(before, after) : { metrics: [], fields: [] };
  }

  @FieldResolver(() => String, { nullable: true, description: '导入时的原文 / The published text it was imported from' })
  sourceText(@Root() revision: ReportRevision, @Ctx() ctx: RequestContext): Promise<string | null> {
    return ctx.loaders.revisionSource.load(revision.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: '解析所读的规范化原文，数值来源的行号与字符位置以此为准；手工录入为空 / The normalised text the values\' sources (line, start, end) point into; null when entered by hand',
  })
  readingText(@Root() revision: ReportRevision, @Ctx() ctx: RequestContext): Promise<string | null> {
    return ctx.loaders.revisionReadingText.load(revision.id);
  }
}
