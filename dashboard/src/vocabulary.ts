/**
 * Labels come from the service's metricDefinitions (the template is the single source of labels);
 * only the five table headings, which the API exposes as enum descriptions, are named here.
 */
import type { CompareOfficesQueryVariables, MetricTable, PickerOptionsQuery } from './generated/graphql';

/** The schema's MetricKey scalar as codegen types it (dashboard/scripts/codegen.js): a key by its shape. */
export type MetricKey = CompareOfficesQueryVariables['orderBy'];

const METRIC_KEY_SHAPE = /^(proactive|applications|channels|review|litigation_direct|litigation_after_review)\.[a-z0-9_.]+$/;

/** A key the dashboard holds as a string (a picker's value, the URL), checked before it is sent. */
export function asMetricKey(key: string): MetricKey {
  if (!METRIC_KEY_SHAPE.test(key)) throw new Error(`不是指标键 / not a metric key: ${key}`);
  return key as MetricKey;
}

export type MetricDefinition = PickerOptionsQuery['metricDefinitions'][number];
export type ReportingYear = PickerOptionsQuery['years'][number];

export const TABLE_LABELS: Record<MetricTable, string> = {
  PROACTIVE: '二、主动公开政府信息情况 / Proactive disclosure',
  APPLICATIONS: '三、收到和处理政府信息公开申请情况 / Applications',
  REVIEWS: '四、行政复议、行政诉讼情况 / Reconsideration and litigation',
  CHANNELS: '公开渠道 / Channels',
  PROSE: '正文数据 / Figures in the text',
};

export const TABLE_ORDER: readonly MetricTable[] = ['PROSE', 'PROACTIVE', 'APPLICATIONS', 'REVIEWS', 'CHANNELS'];

/** Table 3 outcome groups of the overview's stacked bar, as metric keys (group sums are derived). */
export const OUTCOME_KEYS = [
  'applications.granted.total',
  'applications.partially_granted.total',
  'applications.refused.total',
  'applications.unavailable.total',
  'applications.not_processed.total',
  'applications.other.total',
] as const;

export const OVERVIEW_KEYS = [
  'proactive.items_total',
  'applications.received.total',
  'applications.results_total.total',
  ...OUTCOME_KEYS,
  'review.total',
  'litigation_direct.total',
  'litigation_after_review.total',
] as const;

export class Vocabulary {
  private readonly byKey: Map<string, MetricDefinition>;

  constructor(readonly definitions: readonly MetricDefinition[]) {
    this.byKey = new Map(definitions.map((d) => [d.key, d]));
  }

  get(key: string): MetricDefinition | undefined {
    return this.byKey.get(key);
  }

  label(key: string): string {
    return this.byKey.get(key)?.label ?? key;
  }

  /** 「（三）不予公开（合计）·总计」 → 「不予公开」: the row's own name for chart legends (a trailing note in brackets dropped). */
  shortLabel(key: string): string {
    const head = this.label(key).split('·')[0]!;
    return head.replace(/^[（(][一二三四五六七八九十]+[）)]/, '').replace(/[（(][^（）()]*[）)]$/, '').replace(/^[一二三四五六七八九十]+、/, '');
  }

  /** ChannelKind.WECHAT → 「微信公众号」, from channels.wechat.items. */
  channelKind(kind: string): string {
    return this.label(`channels.${kind.toLowerCase()}.items`).split('·')[0]!;
  }
}
