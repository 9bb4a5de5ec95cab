/**
 * Typed views of a report's statistical tables, built from its stored metric values and laid out
 * by the template definition (rows, columns and labels come from metrics/template.ts).
 */
import { Field, Float, ObjectType } from 'type-graphql';
import { metricDefinition } from '../metrics/catalog';
import { ApplicantType, ApplicationOutcome, MetricTableEnum, ProactiveItem, ProactiveMeasure, ReviewGroup } from '../metrics/enums';
import type { MetricValue } from '../metrics/metric-value.entity';
import { ValueSourceType, sourceOf } from '../provenance/provenance';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';
import { metricKey } from '../metrics/metric-key';
import {
  APPLICANT_TYPE_DEFS,
  APPLICATION_GROUP_LABELS,
  APPLICATION_ROW_DEFS,
  PROACTIVE_ITEM_DEFS,
  PROACTIVE_MEASURE_DEFS,
  REVIEW_GROUP_DEFS,
  type TemplateFormat,
} from '../metrics/template';

@ObjectType({ description: '一个指标的数值 / One metric\'s value in a report' })
export class MetricReading {
  @Field(() => MetricKeyScalar)
  key!: string;

  @Field(() => Float, { nullable: true, description: '空表示表格留空或未填报 / null for a blank cell' })
  value!: number | null;

  @Field({ description: '约数 / Stated approximately' })
  approximate!: boolean;

  @Field({ description: '中文名称 / Chinese label' })
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => MetricTableEnum)
  table!: string;

  @Field(() => ValueSourceType, {
    nullable: true,
    description: '数值来源（可据此核对原文）；派生指标及未记录来源时为空 / Where the value came from, to check it against the text; null for derived metrics and values without a recorded source',
  })
  source!: ValueSourceType | null;
}

@ObjectType({ description: '表二一格 / One cell of table 2' })
export class ProactiveCell {
  @Field(() => ProactiveMeasure)
  measure!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

@ObjectType({ description: '表二一行 / One row of table 2 (主动公开政府信息情况)' })
export class ProactiveDisclosureRow {
  @Field(() => ProactiveItem)
  item!: string;

  @Field({ description: '第二十条第（…）项' })
  clause!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => [ProactiveCell], { description: '按本报告格式的各列 / The columns of the report\'s format' })
  cells!: ProactiveCell[];
}

@ObjectType({ description: '表三的列 / A column of table 3' })
export class ApplicantColumn {
  @Field(() => ApplicantType)
  applicant!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => String, { nullable: true, description: '上级表头（法人或其他组织）/ Header group' })
  group!: string | null;
}

@ObjectType({ description: '表三一行 / One row of table 3' })
export class ApplicationRow {
  @Field(() => ApplicationOutcome)
  outcome!: string;

  @Field({ description: '行标签（含上级分组）/ Row label, with its group' })
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => [Float], { nullable: 'items', description: '与 columns 顺序一致；空为留空 / Aligned with columns; null for blank' })
  values!: (number | null)[];
}

@ObjectType({ description: '表三：收到和处理政府信息公开申请情况 / Table 3: applications received and handled' })
export class ApplicationsTable {
  @Field(() => [ApplicantColumn])
  columns!: ApplicantColumn[];

  @Field(() => [ApplicationRow])
  rows!: ApplicationRow[];
}

@ObjectType({ description: '表四一组 / One group of table 4' })
export class ReviewRow {
  @Field(() => ReviewGroup)
  group!: string;

  @Field()
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => Float, { nullable: true, description: '结果维持 / Upheld' })
  upheld!: number | null;

  @Field(() => Float, { nullable: true, description: '结果纠正 / Corrected' })
  corrected!: number | null;

  @Field(() => Float, { nullable: true, description: '其他结果 / Other result' })
  other!: number | null;

  @Field(() => Float, { nullable: true, description: '尚未审结 / Pending' })
  pending!: number | null;

  @Field(() => Float, { nullable: true, description: '总计 / Total' })
  total!: number | null;
}

@ObjectType({ description: '报告正文 / Narrative sections' })
export class ReportSections {
  @Field(() => String, { nullable: true, description: '一、总体情况' })
  overview!: string | null;

  @Field(() => String, { nullable: true, description: '五、存在的主要问题' })
  problems!: string | null;

  @Field(() => String, { nullable: true, description: '五、改进情况' })
  improvements!: string | null;

  @Field(() => String, { nullable: true, description: '六、其他需要报告的事项' })
  otherMatters!: string | null;
}

export type ValueMap = ReadonlyMap<string, MetricValue>;

export function valueMap(rows: readonly MetricValue[]): ValueMap {
  return new Map(rows.map((r) => [r.metricKey, r]));
}

const valueOf = (values: ValueMap, key: string) => values.get(key)?.value ?? null;

export function proactiveRows(format: TemplateFormat, values: ValueMap): ProactiveDisclosureRow[] {
  return PROACTIVE_ITEM_DEFS.filter((item) => item.measures[format].length > 0).map((item) => ({
    item: item.key,
    clause: `第二十条第${item.clause}项`,
    label: item.labelByFormat[format] ?? item.label.zh,
    labelEn: item.label.en,
    cells: item.measures[format].map((measure) => {
      const def = PROACTIVE_MEASURE_DEFS.find((m) => m.key === measure)!;
      return { measure, label: def.label.zh, labelEn: def.label.en, value: valueOf(values, metricKey('proactive', item.key, measure)) };
    }),
  }));
}

export function applicationsTable(format: TemplateFormat, values: ValueMap): ApplicationsTable {
  return {
    columns: APPLICANT_TYPE_DEFS.map((a) => ({ applicant: a.key, label: a.label.zh, labelEn: a.label.en, group: a.group?.zh ?? null })),
    rows: APPLICATION_ROW_DEFS.filter((r) => r.formats.includes(format)).map((r) => {
      const group = r.group ? APPLICATION_GROUP_LABELS[r.group] : undefined;
      return {
        outcome: r.key,
        label: group ? `${group.numeral}${group.zh} ${r.label.zh}` : r.label.zh,
        labelEn: group ? `${group.en}: ${r.label.en}` : r.label.en,
        values: APPLICANT_TYPE_DEFS.map((a) => valueOf(values, metricKey('applications', r.key, a.key))),
      };
    }),
  };
}

export function reviewRows(values: ValueMap): ReviewRow[] {
  return REVIEW_GROUP_DEFS.map((g) => ({
    group: g.key,
    label: g.label.zh,
    labelEn: g.label.en,
    upheld: valueOf(values, `${g.key}.upheld`),
    corrected: valueOf(values, `${g.key}.corrected`),
    other: valueOf(values, `${g.key}.other`),
    pending: valueOf(values, `${g.key}.pending`),
    total: valueOf(values, `${g.key}.total`),
  }));
}

/** A derived metric from the report's own values: a sum (null when no part is stated) or a ratio. */
function derivedValue(key: string, values: ValueMap): number | null {
  const derivation = metricDefinition(key)?.derivation;
  if (!derivation) return valueOf(values, key);
  if (derivation.kind === 'sum') {
    const parts = derivation.of.map((k) => valueOf(values, k)).filter((v): v is number => v !== null);
    return parts.length === 0 ? null : parts.reduce((a, b) => a + b, 0);
  }
  const numerator = valueOf(values, derivation.numerator);
  const denominator = valueOf(values, derivation.denominator);
  return numerator === null || !denominator ? null : numerator / denominator;
}

/** Readings for the given keys (validated by the caller), or for every stored value. */
export function metricReadings(values: ValueMap, keys: readonly string[] | null): MetricReading[] {
  const wanted = keys ?? [...values.keys()].sort();
  return wanted.map((key) => {
    const def = metricDefinition(key)!;
    const stored = values.get(key);
    return {
      key,
      value: derivedValue(key, values),
      approximate: stored?.approximate ?? false,
      label: def.label.zh,
      labelEn: def.label.en,
      table: def.table,
      source: stored && !def.derivation ? sourceOf(stored) : null,
    };
  });
}
