import { ArrayMaxSize, IsInt, IsOptional, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { ChannelKind, TemplateFormatEnum } from '../metrics/enums';
import type { ChannelKindKey, TemplateFormat } from '../metrics/template';
import { OFFICE_CODE_PATTERN } from '../offices/office.input';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

/** MySQL's TEXT holds 65,535 bytes: 20,000 characters of Chinese fit with room to spare. */
export const MAX_SECTION_LENGTH = 20000;
export const FIRST_REPORT_YEAR = 2008;

@InputType({ description: '一个指标值 / One metric value' })
export class MetricInput {
  @Field(() => MetricKeyScalar, { description: '指标键（见 metricDefinitions）/ Metric key (see metricDefinitions)' })
  @Matches(/^[a-z0-9_.]{1,96}$/, { message: 'key must be a metric key such as applications.received.total' })
  key!: string;

  @Field(() => Float, { nullable: true, description: '数值；空表示表格中留空（不计为0）/ Value; null for a blank cell (not 0)' })
  value?: number | null;

  @Field({ nullable: true, defaultValue: false, description: '约数（如「1500余」）/ Stated approximately' })
  approximate?: boolean;
}

@InputType({ description: '渠道年度发布情况 / A channel\'s activity in the report' })
export class ChannelActivityInput {
  @Field(() => ChannelKind)
  kind!: ChannelKindKey;

  @Field(() => String, { nullable: true, description: '账号名称（如「和谐鲸园」）/ Account name' })
  @IsOptional()
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true }, { message: 'url must be an absolute http(s) URL' })
  @MaxLength(500)
  url?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'items cannot be negative' })
  items?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'devices cannot be negative' })
  devices?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'queries cannot be negative' })
  queries?: number | null;

  @Field({ nullable: true, defaultValue: false, description: '条数或次数为约数 / Items or queries stated approximately' })
  approximate?: boolean;
}

@InputType({ description: '报告正文各部分 / Narrative sections' })
export class ReportSectionsInput {
  @Field(() => String, { nullable: true, description: '一、总体情况 / Overview' })
  @IsOptional()
  @MaxLength(MAX_SECTION_LENGTH)
  overview?: string | null;

  @Field(() => String, { nullable: true, description: '五、存在的主要问题 / Problems' })
  @IsOptional()
  @MaxLength(MAX_SECTION_LENGTH)
  problems?: string | null;

  @Field(() => String, { nullable: true, description: '五、改进情况 / Improvements' })
  @IsOptional()
  @MaxLength(MAX_SECTION_LENGTH)
  improvements?: string | null;

  @Field(() => String, { nullable: true, description: '六、其他需要报告的事项 / Other matters' })
  @IsOptional()
  @MaxLength(MAX_SECTION_LENGTH)
  otherMatters?: string | null;
}

@InputType({ description: '写入一份年度报告（整体替换）/ Write one annual report (replaces what was stored)' })
export class ReportInput {
  @Field()
  @Matches(OFFICE_CODE_PATTERN, { message: 'officeCode is not a valid office code' })
  officeCode!: string;

  @Field(() => Int, { description: '报告所述年度 / The year reported on' })
  @IsInt()
  @Min(FIRST_REPORT_YEAR, { message: `year must be ${FIRST_REPORT_YEAR} or later` })
  @Max(2100)
  year!: number;

  @Field(() => TemplateFormatEnum, { nullable: true, description: '缺省按年度 / Defaults to the year\'s format' })
  templateFormat?: TemplateFormat | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 300)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'publishedAt must be a date as YYYY-MM-DD' })
  publishedAt?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true }, { message: 'sourceUrl must be an absolute http(s) URL' })
  @MaxLength(1000)
  sourceUrl?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  contact?: string | null;

  @Field(() => ReportSectionsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  sections?: ReportSectionsInput | null;

  @Field(() => [MetricInput], { defaultValue: [] })
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  metrics!: MetricInput[];

  @Field(() => [ChannelActivityInput], { defaultValue: [] })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  channels!: ChannelActivityInput[];
}
