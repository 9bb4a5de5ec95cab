import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../common/pagination';
import { Office } from '../offices/office.entity';
import { ReadingStatusEnum, type ReadingStatus } from '../provenance/provenance';
import { AnnualReport } from '../reports/annual-report.entity';
import { FindingResolutionEnum, ReviewStateEnum, ReviewTableEnum, type FindingResolution, type ReviewState } from './review-state';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

@InputType({ description: '一个单元格的更正 / One cell\'s correction' })
export class MetricChangeInput {
  @Field(() => MetricKeyScalar, { description: '指标键 / Metric key' })
  key!: string;

  @Field(() => Float, { nullable: true, description: '新值；blank 为 true 时不填 / The new value; omitted with blank: true' })
  value?: number | null;

  @Field(() => Boolean, { nullable: true, description: '该单元格为空白（非0）/ The cell is blank, not 0' })
  blank?: boolean | null;

  @Field({ description: '理由（必填）/ Why (required)' })
  reason!: string;
}

@InputType()
export class CorrectMetricsInput {
  @Field()
  officeCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: '审核人所见的版本号；报告已有更新版本时报 CONFLICT / The revision number the reviewer saw; CONFLICT when there is a newer one' })
  revision!: number;

  @Field(() => [MetricChangeInput])
  changes!: MetricChangeInput[];
}

@InputType()
export class AcceptTableInput {
  @Field()
  officeCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: '审核人所见的版本号 / The revision number the reviewer saw' })
  revision!: number;

  @Field(() => ReviewTableEnum)
  table!: string;
}

@InputType()
export class ResolveFindingInput {
  @Field(() => Int, { description: 'Finding.id（报告的 findings 中）/ Finding.id, from the report\'s findings' })
  findingId!: number;

  @Field(() => FindingResolutionEnum)
  resolution!: FindingResolution;

  @Field(() => String, { nullable: true, description: '说明 / Why' })
  note?: string | null;
}

@InputType()
export class SetReviewStateInput {
  @Field()
  officeCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => ReviewStateEnum)
  state!: ReviewState;

  @Field(() => Int, { nullable: true, description: '给出时须为当前版本号（确认所见的版本）/ When given, must be the current revision: what is confirmed is what was seen' })
  revision?: number | null;

  @Field(() => String, { nullable: true, description: '说明（退回时写明原因）/ Note, e.g. why it was returned' })
  note?: string | null;
}

@ObjectType({ description: '审核队列中的一份报告 / A report in the review queue' })
export class ReviewQueueItem {
  @Field(() => Office)
  office!: Office;

  @Field(() => AnnualReport)
  report!: AnnualReport;

  @Field(() => ReviewStateEnum)
  reviewState!: ReviewState;

  @Field(() => ReadingStatusEnum, { nullable: true, description: '读取情况；手工录入为空 / How it was read; null when entered by hand' })
  readingStatus!: ReadingStatus | null;

  @Field(() => Int, { description: '当前版本号 / Current revision number' })
  revision!: number;

  @Field(() => Int, { description: '待处理的勾稽关系问题 / Findings still open' })
  openFindings!: number;

  @Field(() => Int, { description: '已处理（按原文记录或已更正）/ Findings resolved (accepted as published or fixed)' })
  resolvedFindings!: number;

  @Field(() => Int, { description: '约数（「余」「约」）/ Values stated approximately' })
  approximateValues!: number;

  @Field(() => Int, { description: '低置信度读取（按合计拆分、图片识别）或无来源的数值 / Values read with low confidence (split by sums, OCR) or with no source' })
  lowConfidenceValues!: number;

  @Field(() => Int, { description: '该格式表二至表四中无值的单元格（空白或漏读，需核对）/ Cells of tables 2–4 of the format with no value: blank or left out, to be checked' })
  emptyCells!: number;

  @Field(() => Int, { description: '人工更正（生效）/ Corrections in force' })
  corrections!: number;

  @Field(() => Int, { description: '新原文改动了已更正的单元格 / Corrected cells a later text changed' })
  correctionConflicts!: number;
}

@ObjectType()
export class ReviewQueueConnection extends Connection('ReviewQueue', ReviewQueueItem) {}

@ObjectType({ description: '各审核状态的报告数 / Reports per review state' })
export class ReviewStateCount {
  @Field(() => ReviewStateEnum)
  state!: ReviewState;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: '审核队列 / The review queue of a district and year' })
export class ReviewQueue {
  @Field(() => Int)
  year!: number;

  @Field(() => [ReviewStateCount], { description: '各状态计数（不受 state 筛选影响）/ Counts per state, whatever `state` filters' })
  counts!: ReviewStateCount[];

  @Field(() => [Office], { description: '该年度未报送的机关 / Offices under it with no report for the year' })
  missing!: Office[];

  @Field(() => ReviewQueueConnection, { description: '按需关注程度排序 / Sorted by what needs attention most' })
  reports!: ReviewQueueConnection;
}
