import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/pagination';
import { TemplateFormatEnum } from '../metrics/enums';
import type { TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';
import type { MetricKey } from '../metrics/metric-key';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: '排序方向 / Sort direction' });

export enum RollupGroupBy {
  KIND = 'KIND',
  LEVEL = 'LEVEL',
}
registerEnumType(RollupGroupBy, {
  name: 'RollupGroupBy',
  description: '汇总分组 / How a rollup groups offices',
  valuesConfig: { KIND: { description: '按机关类型 / By kind of office' }, LEVEL: { description: '按层级（相对于所选机关）/ By level below the chosen office' } },
});

@InputType({ description: '排序 / Order of compared offices' })
export class CompareOrder {
  @Field(() => MetricKeyScalar, { description: '按哪个指标（须在 metrics 中）/ Metric key, one of `metrics`' })
  metric!: MetricKey;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

@ObjectType({ description: '同比 / One metric in one year against the year before' })
export class YearOverYearPoint {
  @Field(() => Int)
  year!: number;

  @Field(() => TemplateFormatEnum, { nullable: true, description: '当年报告格式 / Template of that year\'s report' })
  templateFormat!: TemplateFormat | null;

  @Field(() => MetricKeyScalar, { nullable: true, description: '当年实际使用的指标键 / The key the value was read under that year' })
  key!: MetricKey | null;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => MetricKeyScalar, { nullable: true, description: '上年实际使用的指标键 / The key the previous value was read under' })
  previousKey!: MetricKey | null;

  @Field(() => Float, { nullable: true, description: '上年数值 / Previous year\'s value' })
  previousValue!: number | null;

  @Field(() => Float, { nullable: true, description: '增减 / Change (null when not comparable)' })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: '增减百分比；基数为0或空时为空 / Percentage change; null when the base is 0 or absent' })
  percentChange!: number | null;

  @Field({ description: '与上年是否同一口径 / Whether this year and the previous measure the same thing' })
  comparable!: boolean;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType()
export class YearOverYearSeries {
  @Field(() => MetricKeyScalar)
  metric!: MetricKey;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => [YearOverYearPoint])
  points!: YearOverYearPoint[];
}

@ObjectType({ description: '某机关各年同比 / Year-over-year for one office' })
export class YearOverYear {
  @Field(() => Office)
  office!: Office;

  @Field(() => [YearOverYearSeries])
  series!: YearOverYearSeries[];
}

@ObjectType({ description: '比较中一个指标的数值 / One metric of one compared office', simpleResolvers: true })
export class ComparedValue {
  @Field(() => MetricKeyScalar)
  metric!: MetricKey;

  @Field(() => Float, { nullable: true, description: '空为表格留空 / null for a blank cell' })
  value!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: '在填报该指标的机关中的密集排名；留空的机关无排名（空）/ Dense rank among the offices that stated this metric; null for a blank (a blank is not 0)',
  })
  rank!: number | null;

  @Field(() => Float, { nullable: true, description: '占合计比例；留空或合计为0时为空 / Share of the group total; null for a blank or a zero total' })
  share!: number | null;

  @Field(() => Float, { nullable: true, description: '与均值（仅计填报机关）之差；留空时为空 / Difference from the mean of the stated values; null for a blank' })
  differenceFromMean!: number | null;

  @Field(() => Float, { nullable: true, description: '与中位数（仅计填报机关）之差；留空时为空 / Difference from the median of the stated values; null for a blank' })
  differenceFromMedian!: number | null;

  @Field(() => Float, { nullable: true })
  previousValue!: number | null;

  @Field(() => Float, { nullable: true })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: '同比百分比 / Percentage change from the previous year' })
  percentChange!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class OfficeComparisonRow {
  @Field(() => Office)
  office!: Office;

  @Field(() => [ComparedValue])
  values!: ComparedValue[];
}

@ObjectType({ simpleResolvers: true })
export class OfficeComparisonRowConnection extends Connection('OfficeComparisonRow', OfficeComparisonRow) {}

@ObjectType({
  description:
    '比较组的合计、均值、中位数：合计将留空按0计，均值和中位数只计填报了该指标的机关 / The group\'s sum (a blank adds nothing), and mean and median over the offices that stated the metric',
})
export class MetricGroupStats {
  @Field(() => MetricKeyScalar)
  metric!: MetricKey;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Float, { description: '已填报数值之和 / Total of the stated values' })
  sum!: number;

  @Field(() => Float, { nullable: true, description: '填报机关的均值；无人填报时为空 / Mean over the offices that stated it; null when none did' })
  mean!: number | null;

  @Field(() => Float, { nullable: true, description: '填报机关的中位数；无人填报时为空 / Median over the offices that stated it; null when none did' })
  median!: number | null;

  @Field(() => Int, { description: '已报送且填报该指标的机关数 / Offices that filed and stated this metric' })
  statedCount!: number;

  @Field(() => Int, { description: '已报送但该指标留空的机关数 / Offices that filed but left this metric blank' })
  blankCount!: number;
}

@ObjectType({ description: '多机关同年比较 / Offices compared in one year' })
export class OfficeComparison {
  @Field(() => Int)
  year!: number;

  @Field(() => [MetricKeyScalar])
  metrics!: MetricKey[];

  @Field(() => Int, { description: '比较范围内机关数 / Offices compared' })
  officeCount!: number;

  @Field(() => Int, { description: '已报送数 / Offices that filed' })
  reportedCount!: number;

  @Field(() => [MetricGroupStats])
  groups!: MetricGroupStats[];

  @Field(() => OfficeComparisonRowConnection)
  rows!: OfficeComparisonRowConnection;

  @Field(() => Int, { description: '未报送数 / Offices that filed no report' })
  missingCount!: number;

  @Field(() => [Office], { description: '未报送机关（按编码，至多 missingFirst 个）/ Offices that filed no report, by code, capped' })
  missing!: Office[];
}

@ObjectType({ description: '下级单位汇总：与 compareOffices(under: 该下级) 的机关数、报送数和合计、均值、中位数相同 / One direct child, summed up as compareOffices(under: that child) sums it up' })
export class ChildSummary {
  @Field(() => Office, { description: '直接下级 / The direct child' })
  office!: Office;

  @Field(() => Int, { description: '其下机关数（不含其本身）/ Offices under it, itself not included' })
  officeCount!: number;

  @Field(() => Int, { description: '已报送数 / Offices that filed' })
  reportedCount!: number;

  @Field(() => Int, { description: '未报送数 / Offices that filed no report' })
  missingCount!: number;

  @Field(() => [MetricGroupStats], { description: '同 compareOffices：留空不计入均值与中位数 / As in compareOffices: a blank is left out of the mean and median' })
  groups!: MetricGroupStats[];
}

@ObjectType()
export class RollupValue {
  @Field(() => MetricKeyScalar)
  metric!: MetricKey;

  @Field(() => Float, { nullable: true, description: '合计（比率类为组内合计之比）/ Total (for ratios: the ratio of the group\'s totals)' })
  total!: number | null;

  @Field(() => Float, { nullable: true, description: '填报该指标的机关的平均值（留空不计；比率类为空）/ Mean over the offices that stated the metric (blanks left out; null for ratios)' })
  mean!: number | null;

  @Field(() => Int, { description: '填报该指标的机关数（派生指标：填报了其任一组成项）/ Offices that stated the metric (derived: any value it is computed from)' })
  statedCount!: number;

  @Field(() => Int, { description: '已报送但该指标留空的机关数 / Offices that filed but left the metric blank' })
  blankCount!: number;
}

@ObjectType({ description: '汇总的一组 / One group of a rollup' })
export class RollupGroup {
  @Field(() => Int)
  year!: number;

  @Field({ description: '组（机关类型或层级；ALL 为全部）/ Group key: a kind, a level, or ALL' })
  group!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Int)
  officeCount!: number;

  @Field(() => Int)
  reportedCount!: number;

  @Field(() => Int)
  missingCount!: number;

  @Field(() => [Office], { description: '未报送机关（每组至多 missingFirst 个）/ Offices that did not file, capped per group' })
  missing!: Office[];

  @Field(() => [RollupValue])
  values!: RollupValue[];
}

@ObjectType({ description: '辖区汇总 / Totals over a subtree' })
export class Rollup {
  @Field(() => Office)
  under!: Office;

  @Field(() => RollupGroupBy)
  groupBy!: RollupGroupBy;

  @Field(() => [RollupGroup])
  groups!: RollupGroup[];

  @Field(() => [RollupGroup], { description: '各年全部机关合计 / All offices per year' })
  totals!: RollupGroup[];
}

@ObjectType()
export class TimeSeriesPoint {
  @Field(() => Int)
  year!: number;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => TemplateFormatEnum)
  templateFormat!: TemplateFormat;

  @Field(() => Float, { nullable: true, description: '辖区：填报机关的平均值（留空不计）；单个机关：同数值 / For a subtree, the mean over the offices that stated it (blanks left out); for one office, its value' })
  mean!: number | null;

  @Field(() => Int, { description: '计入的报告数 / Reports counted' })
  reportedCount!: number;

  @Field(() => Int, { description: '填报该指标的报告数 / Reports that stated the metric' })
  statedCount!: number;

  @Field(() => Int, { description: '该指标留空的报告数 / Reports that left the metric blank' })
  blankCount!: number;

  @Field({ description: '与上一年是否同一口径（2021年格式调整）/ Same measure as the previous year' })
  comparableWithPrevious!: boolean;
}

@ObjectType({ description: '时间序列 / A metric over the years' })
export class TimeSeries {
  @Field(() => Office, { nullable: true, description: '机关；辖区合计时为空 / The office, or null for a subtree total' })
  office!: Office | null;

  @Field(() => Office, { nullable: true, description: '辖区合计的范围 / The subtree totalled' })
  under!: Office | null;

  @Field(() => MetricKeyScalar)
  metric!: MetricKey;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => [TimeSeriesPoint])
  points!: TimeSeriesPoint[];
}
