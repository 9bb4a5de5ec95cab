/** Ranking of the district's offices on the chosen metric: share of the district, difference from the median. */
import { loadDistrictYear, metricValue, type DistrictYear } from '../district';
import { formatMetric, formatPercent, h } from '../dom';
import { Panel, type PanelContent } from '../panel';
import type { Vocabulary } from '../vocabulary';

export interface RankedOffice {
  readonly code: string;
  readonly name: string;
  readonly value: number;
  readonly approximate: boolean;
  readonly rank: number;
  readonly share: number | null;
  readonly differenceFromMedian: number;
}

export interface Ranking {
  readonly ranked: readonly RankedOffice[];
  readonly missing: readonly { code: string; name: string; reason: string }[];
  readonly median: number | null;
}

export function rankingPanel(): Panel {
  return new Panel('ranking', '机关排名', 'Ranking of offices');
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function rankDistrict(data: DistrictYear, metric: string, additive: boolean): Ranking {
  const stated: { code: string; name: string; value: number; approximate: boolean }[] = [];
  const missing: Ranking['missing'][number][] = [];
  for (const office of data.offices) {
    if (!office.report) {
      missing.push({ code: office.code, name: office.name, reason: '未公布年度报告 / no report' });
      continue;
    }
    const { value, approximate } = metricValue(office.report, metric);
    if (value === null) missing.push({ code: office.code, name: office.name, reason: '报告中未填此项 / not stated' });
    else stated.push({ code: office.code, name: office.name, value, approximate });
  }
  stated.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'zh-CN'));
  const total = stated.reduce((s, o) => s + o.value, 0);
  const mid = median(stated.map((o) => o.value));
  return {
    median: mid,
    missing,
    ranked: stated.map((o, i) => ({ ...o, rank: i + 1, share: additive && total !== 0 ? o.value / total : null, differenceFromMedian: o.value - (mid ?? 0) })),
  };
}

export async function showRanking(panel: Panel, vocabulary: Vocabulary, district: string, year: number, metric: string, onTrend: (code: string) => void): Promise<void> {
  const definition = vocabulary.get(metric);
  const unit = definition?.unit ?? 'count';
  await panel.load(['排名', 'ranking'],
    () => loadDistrictYear(district, year, metric),
    (data) => present(rankDistrict(data, metric, unit !== 'ratio'), vocabulary, metric, unit, onTrend),
  );
}

function present(ranking: Ranking, vocabulary: Vocabulary, metric: string, unit: string, onTrend: (code: string) => void): PanelContent | { empty: string } {
  const missingNote = ranking.missing.length
    ? h('div', { class: 'missing', 'data-testid': 'ranking-missing' }, h('strong', {}, `缺少数据的机关（${ranking.missing.length}）/ Offices without a value: `), ranking.missing.map((m) => `${m.name}（${m.reason}）`).join('；'))
    : null;
  if (ranking.ranked.length === 0) return { empty: `没有机关填报「${vocabulary.label(metric)}」/ No office states this metric` };
  const trendLink = (code: string, name: string) => {
    const link = h('button', { type: 'button', class: 'link', 'data-trend': code }, name);
    link.addEventListener('click', () => onTrend(code));
    return link;
  };
  const table = {
    caption: `${vocabulary.label(metric)} · 中位数 ${formatMetric(ranking.median, unit)}`,
    columns: ['名次 / Rank', '机关 / Office', '数值 / Value', '占全区 / Share', '与中位数之差 / vs. median'],
    rows: ranking.ranked.map((o) => [
      o.rank,
      trendLink(o.code, o.name),
      formatMetric(o.value, unit, o.approximate),
      formatPercent(o.share),
      unit === 'ratio' ? `${(o.differenceFromMedian * 100).toFixed(1)} 个百分点` : (o.differenceFromMedian > 0 ? '+' : '') + formatMetric(o.differenceFromMedian, unit),
    ]),
  };
  return {
    chart: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ranking.ranked.map((o) => o.name), inverse: true },
      series: [
        {
          type: 'bar',
          name: vocabulary.label(metric),
          data: ranking.ranked.map((o) => o.value),
          barMaxWidth: 28,
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatMetric(p.value, unit) },
          markLine: ranking.median === null ? undefined : { symbol: 'none', data: [{ xAxis: ranking.median, name: '中位数' }], label: { formatter: '中位数', position: 'insideEndTop' } },
        },
      ],
    },
    chartHeight: Math.max(160, 50 + ranking.ranked.length * 32),
    table,
    tableBelowChart: true,
    always: missingNote ?? undefined,
  };
}
