import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../common/pagination';
import { FindingCode } from '../metrics/enums';
import { TemplateFormatEnum } from '../metrics/enums';
import type { TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';

@ObjectType('CriterionScore', { description: '评分项 / One criterion of the score' })
export class CriterionScoreType {
  @Field()
  criterion!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Float)
  weight!: number;

  @Field(() => Float)
  points!: number;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: '一个机关的考核结果 / One office\'s assessment' })
export class AssessmentRow {
  @Field(() => Office)
  office!: Office;

  @Field()
  filed!: boolean;

  @Field(() => String, { nullable: true })
  publishedAt!: string | null;

  @Field(() => Boolean, { nullable: true, description: '按期公布；日期不明为空 / Published by the deadline; null when the date is unknown' })
  onTime!: boolean | null;

  @Field(() => TemplateFormatEnum, { nullable: true })
  templateFormat!: TemplateFormat | null;

  @Field(() => Float, { description: '完整度 0–1 / Completeness' })
  completeness!: number;

  @Field(() => Int)
  findingCount!: number;

  @Field(() => Int, { description: '审核确认为报告本身错误、按原文记录的问题（不扣分）/ Findings accepted as the report\'s own error, recorded as published: not deducted' })
  acceptedFindingCount!: number;

  @Field(() => Float, { nullable: true, description: '各渠道发布条数 / Items over all channels' })
  channelItems!: number | null;

  @Field(() => Float, { nullable: true })
  channelItemsPrevious!: number | null;

  @Field(() => Float, { nullable: true, description: '与上年报告逐字相同的比例 / Share of text repeating last year\'s report' })
  repeatedShare!: number | null;

  @Field(() => Float)
  score!: number;

  @Field(() => [CriterionScoreType])
  breakdown!: CriterionScoreType[];
}

@ObjectType()
export class AssessmentRowConnection extends Connection('AssessmentRow', AssessmentRow) {}

@ObjectType()
export class FindingCount {
  @Field(() => FindingCode)
  code!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('AssessmentSummary', { description: '辖区考核汇总 / The district\'s summary' })
export class AssessmentSummaryType {
  @Field(() => Int)
  offices!: number;

  @Field(() => Int)
  filed!: number;

  @Field(() => Int)
  onTime!: number;

  @Field(() => Int, { description: '逾期公布 / Published late' })
  late!: number;

  @Field(() => Int, { description: '未载明发布日期 / Publication date unknown' })
  dateUnknown!: number;

  @Field(() => Int, { description: '未报送 / Not filed' })
  missing!: number;

  @Field(() => Float, { nullable: true })
  averageScore!: number | null;

  @Field(() => [FindingCount], { description: '最常见的勾稽关系问题 / Most common findings' })
  commonFindings!: FindingCount[];
}

@ObjectType()
export class SheetDownload {
  @Field()
  sheet!: string;

  @Field()
  name!: string;

  @Field()
  url!: string;
}

@ObjectType({ description: '下载链接（相对地址）/ Download links (relative URLs)' })
export class AssessmentDownloads {
  @Field()
  xlsx!: string;

  @Field()
  json!: string;

  @Field(() => [SheetDownload])
  csv!: SheetDownload[];
}

@ObjectType({ description: '政务公开考核 / The year-end assessment of a district' })
export class AssessmentResult {
  @Field(() => Office)
  under!: Office;

  @Field(() => Int)
  year!: number;

  @Field(() => AssessmentSummaryType)
  summary!: AssessmentSummaryType;

  @Field(() => AssessmentRowConnection)
  rows!: AssessmentRowConnection;

  @Field(() => AssessmentDownloads)
  downloads!: AssessmentDownloads;
}
