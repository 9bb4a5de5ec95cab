/**
 * GraphQL enums generated from the template definition, so the API's vocabulary cannot drift
 * from the parser's or the exports'. Enum names are the keys in UPPER_SNAKE; values are the keys.
 * Descriptions are Chinese first, English beside.
 */
import { registerEnumType } from 'type-graphql';
import { METRIC_TABLE_LABELS, METRIC_TABLES } from './catalog';
import { FINDING_CODE_LABELS, FINDING_CODES } from './consistency';
import {
  APPLICANT_TYPE_DEFS,
  APPLICATION_GROUP_LABELS,
  APPLICATION_ROW_DEFS,
  CHANNEL_KIND_DEFS,
  CHANNEL_MEASURE_DEFS,
  PROACTIVE_ITEM_DEFS,
  PROACTIVE_MEASURE_DEFS,
  REVIEW_GROUP_DEFS,
  REVIEW_OUTCOME_DEFS,
  enumNameOf,
  type Label,
} from './template';

type EnumObject = Record<string, string>;

function enumOf(name: string, description: string, defs: readonly { key: string; label: Label }[]): EnumObject {
  const values: EnumObject = {};
  const valuesConfig: Record<string, { description: string }> = {};
  for (const def of defs) {
    values[enumNameOf(def.key)] = def.key;
    valuesConfig[enumNameOf(def.key)] = { description: `${def.label.zh} / ${def.label.en}` };
  }
  registerEnumType(values, { name, description, valuesConfig });
  return values;
}

export const ProactiveItem = enumOf('ProactiveItem', '表二 主动公开事项 / Table 2 items', PROACTIVE_ITEM_DEFS);
export const ProactiveMeasure = enumOf('ProactiveMeasure', '表二 统计指标 / Table 2 measures', PROACTIVE_MEASURE_DEFS);
export const ApplicantType = enumOf('ApplicantType', '表三 申请人类型 / Table 3 applicant columns', APPLICANT_TYPE_DEFS);
export const ApplicationOutcome = enumOf(
  'ApplicationOutcome',
  '表三 行（收到、办理结果、结转）/ Table 3 rows: received, outcomes, carried over',
  APPLICATION_ROW_DEFS.map((r) => ({
    key: r.key,
    label: r.group
      ? { zh: `${APPLICATION_GROUP_LABELS[r.group].numeral}${APPLICATION_GROUP_LABELS[r.group].zh} ${r.label.zh}`, en: `${APPLICATION_GROUP_LABELS[r.group].en}: ${r.label.en}` }
      : r.label,
  })),
);
export const ReviewGroup = enumOf('ReviewGroup', '表四 复议与诉讼类别 / Table 4 groups', REVIEW_GROUP_DEFS);
export const ReviewOutcome = enumOf('ReviewOutcome', '表四 结果 / Table 4 outcomes', REVIEW_OUTCOME_DEFS);
export const ChannelKind = enumOf('ChannelKind', '公开渠道类型 / Kind of disclosure channel', CHANNEL_KIND_DEFS);
export const ChannelMeasure = enumOf('ChannelMeasure', '渠道统计指标 / Channel measures', CHANNEL_MEASURE_DEFS);
export const MetricTableEnum = enumOf(
  'MetricTable',
  '指标所属表格 / Which table a metric belongs to',
  METRIC_TABLES.map((t) => ({ key: t, label: METRIC_TABLE_LABELS[t] })),
);
export const FindingCode = enumOf(
  'FindingCode',
  '勾稽关系检查规则 / Consistency rule',
  FINDING_CODES.map((c) => ({ key: c, label: FINDING_CODE_LABELS[c] })),
);

/** `'2019' | '2021'` inside; FORMAT_2019 / FORMAT_2021 in GraphQL (names cannot start with a digit). */
export const TemplateFormatEnum = { FORMAT_2019: '2019', FORMAT_2021: '2021' } as const;
registerEnumType(TemplateFormatEnum, {
  name: 'TemplateFormat',
  description: '年度报告格式 / Template format of the annual report',
  valuesConfig: {
    FORMAT_2019: { description: '2019年版格式（2019、2020年度报告）/ 2019 format (reports on 2019–2020)' },
    FORMAT_2021: { description: '2021年版格式（2021年度起）/ 2021 format (reports on 2021 onwards)' },
  },
});
