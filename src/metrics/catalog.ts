/**
 * The metric vocabulary (METRICS.md): one key per number a report carries, derived from the
 * template definition. Stored, parsed, queried and exported by these keys.
 */
import {
  APPLICANT_PARTS,
  APPLICANT_TYPE_DEFS,
  APPLICATION_GROUP_LABELS,
  APPLICATION_ROW_DEFS,
  CHANNEL_KIND_DEFS,
  CHANNEL_MEASURE_DEFS,
  PROACTIVE_ITEM_DEFS,
  PROACTIVE_MEASURE_DEFS,
  REVIEW_GROUP_DEFS,
  REVIEW_OUTCOME_DEFS,
  TEMPLATE_FORMATS,
  type ApplicationGroupKey,
  type Label,
  type ProactiveMeasureKey,
  type TemplateFormat,
} from './template';
import { metricKey, PROACTIVE_ITEMS_TOTAL } from './metric-key';

export const METRIC_TABLES = ['proactive', 'applications', 'reviews', 'channels', 'prose'] as const;
export type MetricTable = (typeof METRIC_TABLES)[number];

export const METRIC_TABLE_LABELS: Readonly<Record<MetricTable, Label>> = {
  proactive: { zh: '二、主动公开政府信息情况', en: 'Proactive disclosure' },
  applications: { zh: '三、收到和处理政府信息公开申请情况', en: 'Applications received and handled' },
  reviews: { zh: '四、政府信息公开行政复议、行政诉讼情况', en: 'Reconsideration and litigation' },
  channels: { zh: '公开渠道', en: 'Disclosure channels' },
  prose: { zh: '正文数据', en: 'Figures stated in the text' },
};

/** How a derived metric is computed from stored ones (no cell of its own in the template). */
export type Derivation =
  | { readonly kind: 'sum'; readonly of: readonly string[] }
  | { readonly kind: 'ratio'; readonly numerator: string; readonly denominator: string };

export interface MetricDefinition {
  readonly key: string;
  readonly label: Label;
  readonly table: MetricTable;
  /** Template formats whose table carries the metric; prose and channel figures exist in both. */
  readonly formats: readonly TemplateFormat[];
  /** May be negative (only `proactive.*.change`). */
  readonly signed: boolean;
  readonly unit: 'count' | 'money' | 'ratio';
  /** Set for derived metrics: never stored, computed from stored ones (in SQL by the analysis). */
  readonly derivation?: Derivation;
  /**
   * The measure a year-over-year series pairs with across the 2021 template change, and whether
   * the two are the same measure. Absent: the metric has the same key in both formats.
   */
  readonly crossFormat?: { readonly key: string; readonly comparable: boolean; readonly note: string };
}

function label(zh: string, en: string): Label {
  return { zh, en };
}

function buildProactive(): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const item of PROACTIVE_ITEM_DEFS) {
    for (const measure of PROACTIVE_MEASURE_DEFS) {
      const formats = TEMPLATE_FORMATS.filter((f) => item.measures[f].includes(measure.key));
      if (formats.length === 0) continue;
      out.push({
        key: metricKey('proactive', item.key, measure.key),
        label: label(`${item.label.zh}·${measure.label.zh}`, `${item.label.en}: ${measure.label.en}`),
        table: 'proactive',
        formats,
        signed: measure.signed === true,
        unit: measure.money ? 'money' : 'count',
        crossFormat: PROACTIVE_CROSS_FORMAT[measure.key]
          ? { ...PROACTIVE_CROSS_FORMAT[measure.key]!, key: metricKey('proactive', item.key, PROACTIVE_CROSS_FORMAT[measure.key]!.key) }
          : undefined,
      });
    }
  }
  return out;
}

/**
 * METRICS.md: `made`→`issued` and `total`→`in_force` are close but not the same measure; a series
 * across the change must say so. `decisions` keeps its key and compares directly.
 */
const PROACTIVE_CROSS_FORMAT: Partial<Record<string, { key: ProactiveMeasureKey; comparable: boolean; note: string }>> = {
  made: { key: 'issued', comparable: false, note: '2019「本年新制作数量」与2021「本年制发件数」口径不同 / 2019 "newly made" differs from 2021 "issued"' },
  issued: { key: 'made', comparable: false, note: '2021「本年制发件数」与2019「本年新制作数量」口径不同 / 2021 "issued" differs from 2019 "newly made"' },
  total: { key: 'in_force', comparable: false, note: '2019「对外公开总数量」与2021「现行有效件数」口径不同 / 2019 "total available" differs from 2021 "in force"' },
  in_force: { key: 'total', comparable: false, note: '2021「现行有效件数」与2019「对外公开总数量」口径不同 / 2021 "in force" differs from 2019 "total available"' },
};

function buildApplications(): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const row of APPLICATION_ROW_DEFS) {
    for (const applicant of APPLICANT_TYPE_DEFS) {
      const rowZh = row.group ? `${APPLICATION_GROUP_LABELS[row.group].zh}·${row.label.zh}` : row.label.zh;
      const rowEn = row.group ? `${APPLICATION_GROUP_LABELS[row.group].en}: ${row.label.en}` : row.label.en;
      out.push({
        key: metricKey('applications', row.key, applicant.key),
        label: label(`${rowZh}·${applicant.label.zh}`, `${rowEn} (${applicant.label.en})`),
        table: 'applications',
        formats: row.formats,
        signed: false,
        unit: 'count',
      });
    }
  }
  // Group sums: （三）不予公开, （四）无法提供, （五）不予处理 have no cell of their own.
  const groups: ApplicationGroupKey[] = ['refused', 'unavailable', 'not_processed'];
  for (const group of groups) {
    const rows = APPLICATION_ROW_DEFS.filter((r) => r.group === group);
    for (const applicant of APPLICANT_TYPE_DEFS) {
      const g = APPLICATION_GROUP_LABELS[group];
      out.push({
        key: metricKey('applications', group, applicant.key),
        label: label(`${g.numeral}${g.zh}（合计）·${applicant.label.zh}`, `${g.en}, all reasons (${applicant.label.en})`),
        table: 'applications',
        formats: TEMPLATE_FORMATS,
        signed: false,
        unit: 'count',
        derivation: { kind: 'sum', of: rows.map((r) => metricKey('applications', r.key, applicant.key)) },
      });
    }
  }
  out.push({
    key: 'applications.grant_rate',
    label: label('公开率（予以公开/办理结果总计）', 'Grant rate (granted / results total)'),
    table: 'applications',
    formats: TEMPLATE_FORMATS,
    signed: false,
    unit: 'ratio',
    derivation: { kind: 'ratio', numerator: metricKey('applications', 'granted', 'total'), denominator: metricKey('applications', 'results_total', 'total') },
  });
  return out;
}

function buildReviews(): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const group of REVIEW_GROUP_DEFS) {
    for (const outcome of REVIEW_OUTCOME_DEFS) {
      out.push({
        key: metricKey('reviews', group.key, outcome.key),
        label: label(`${group.label.zh}·${outcome.label.zh}`, `${group.label.en}: ${outcome.label.en}`),
        table: 'reviews',
        formats: TEMPLATE_FORMATS,
        signed: false,
        unit: 'count',
      });
    }
  }
  return out;
}

function buildChannels(): MetricDefinition[] {
  const out: MetricDefinition[] = [
    {
      key: PROACTIVE_ITEMS_TOTAL,
      label: label('主动公开信息总条数', 'Items proactively disclosed (total stated)'),
      table: 'prose',
      formats: TEMPLATE_FORMATS,
      signed: false,
      unit: 'count',
    },
  ];
  for (const kind of CHANNEL_KIND_DEFS) {
    for (const measure of CHANNEL_MEASURE_DEFS) {
      out.push({
        key: metricKey('channels', kind.key, measure.key),
        label: label(`${kind.label.zh}·${measure.label.zh}`, `${kind.label.en}: ${measure.label.en}`),
        table: 'channels',
        formats: TEMPLATE_FORMATS,
        signed: false,
        unit: 'count',
      });
    }
    out.push({
      key: metricKey('channels', kind.key, 'items_share'),
      label: label(`${kind.label.zh}·发布条数占主动公开总数比例`, `${kind.label.en}: share of items disclosed`),
      table: 'channels',
      formats: TEMPLATE_FORMATS,
      signed: false,
      unit: 'ratio',
      derivation: { kind: 'ratio', numerator: metricKey('channels', kind.key, 'items'), denominator: PROACTIVE_ITEMS_TOTAL },
    });
  }
  return out;
}

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  ...buildProactive(),
  ...buildApplications(),
  ...buildReviews(),
  ...buildChannels(),
];

const BY_KEY: ReadonlyMap<string, MetricDefinition> = new Map(METRIC_DEFINITIONS.map((d) => [d.key, d]));

export function metricDefinition(key: string): MetricDefinition | undefined {
  return BY_KEY.get(key);
}

export function isMetricKey(key: string): boolean {
  return BY_KEY.has(key);
}

/** Keys with a cell (or prose figure) of their own: what a report stores. */
export const STORED_METRIC_KEYS: readonly string[] = METRIC_DEFINITIONS.filter((d) => !d.derivation).map((d) => d.key);

export function isStoredMetricKey(key: string): boolean {
  const def = BY_KEY.get(key);
  return def !== undefined && def.derivation === undefined;
}

/** Channel figures are derived from a report's channel activity, not entered as metrics. */
export function isChannelMetricKey(key: string): boolean {
  return key.startsWith('channels.');
}

export { APPLICANT_PARTS };
