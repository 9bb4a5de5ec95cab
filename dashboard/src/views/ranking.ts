/**
 * Ranking of the district's offices on the chosen metric, as the service computes it
 * (compareOffices): dense rank, share of the district, difference from the median, change from the
 * year before — all over the offices that stated the metric. Offices with no report and offices
 * whose report leaves the metric blank (the service gives them no rank) are listed apart.
 */
import { categoryLayout } from '../charts';
import { loadComparison, type ComparisonRow, type Ranking } from '../district';
import { formatChange, formatDifference, formatMetric, formatPercent, h } from '../dom';
import { exportDownloads, withDownloads } from '../download';
import { Panel, type PanelContent } from '../panel';
import { OVERVIEW_KEYS, type Vocabulary } from '../vocabulary';

type ComparedValue = ComparisonRow['values'][number];

export function rankingPanel(): Panel {
  return new Panel('ranking', '机关排名', 'Ranking of offices');
}

/**
 * The ranking on `metric`: for the overview's first metric (the default one) the overview's
 * comparison, which the service orders by it (already loaded, or loading, for the first view);
 * else a comparison of its own.
 */
export function loadRanking(district: string, year: number, metric: string): Promise<Ranking> {
  return loadComparison(district, year, metric === OVERVIEW_KEYS[0] ? OVERVIEW_KEYS : [metric]);
}

export async function showRanking(panel: Panel, vocabulary: Vocabulary, district: string, year: number, metric: string, onTrend: (code: string, name: string) => void): Promise<void> {
  const unit = vocabulary.get(metric)?.unit ?? 'count';
  await panel.load(['排名', 'ranking'], () => loadRanking(district, year, metric), (ranking) =>
    withDownloads(present(ranking, vocabulary, metric, unit, onTrend), exportDownloads('ranking', 'compare-offices', { under: district, year, metrics: [metric], orderBy: metric, direction: 'DESC' }, `多机关比较-${district}-${year}`)),
  );
}

const valueOf = (row: ComparisonRow, metric: string): ComparedValue => row.values.find((v) => v.metric === metric)!;

function present(ranking: Ranking, vocabulary: Vocabulary, metric: string, unit: string, onTrend: (code: string, name: string) => void): PanelContent | { empty: string } {
  const { head } = ranking;
  const group = head.groups.find((g) => g.metric === metric);
  const label = group?.label ?? vocabulary.label(metric);
  // A blank is not 0: the service leaves those offices unranked and out of the median and mean.
  const ranked = ranking.rows.filter((r) => valueOf(r, metric).rank !== null);
  const unstated = ranking.rows.filter((r) => valueOf(r, metric).rank === null);

  const lists: Node[] = [];
  if (head.missingCount > 0) {
    const more = head.missingCount - head.missing.length;
    lists.push(
      h(
        'div',
        { class: 'missing', 'data-testid': 'ranking-missing' },
        h('strong', {}, `未公布年度报告的机关（${head.missingCount}）/ No report: `),
        head.missing.map((m) => m.name).join('、'),
        more > 0 ? `，另有 ${more} 个 / and ${more} more` : '',
      ),
    );
  }
  if (unstated.length > 0) {
    lists.push(
      h(
        'div',
        { class: 'unstated', 'data-testid': 'ranking-unstated' },
        h('strong', {}, `报告中未填此项的机关（${unstated.length}）/ Report leaves it blank: `),
        unstated.map((r) => r.office.name).join('、'),
        h('span', { class: 'hint' }, ' — 不排名，不计入中位数和均值 / not ranked, left out of the median and mean'),
      ),
    );
  }
  const always = lists.length ? h('div', {}, lists) : undefined;
  if (ranked.length === 0) {
    return { empty: `${head.reportedCount} 份报告中没有机关填报「${label}」，${head.missingCount} 个机关未公布报告 / No office states this metric` };
  }

  const trendLink = (code: string, name: string) => {
    const link = h('button', { type: 'button', class: 'link', 'data-trend': code }, name);
    link.addEventListener('click', () => onTrend(code, name));
    return link;
  };
  const median = group?.median ?? null;
  const layout = categoryLayout(ranked.length, 26, 40);
  const table = {
    caption: `${label} · 中位数 ${formatMetric(median, unit)} · 已填报 / 留空 ${group?.statedCount ?? ranked.length} / ${group?.blankCount ?? unstated.length} · 已公布 ${head.reportedCount}/${head.officeCount}`,
    columns: ['名次 / Rank', '机关 / Office', '数值 / Value', '占全区 / Share', '与中位数之差 / vs. median', '较上年 / Change'],
    rows: ranked.map((r) => {
      const v = valueOf(r, metric);
      return [
        v.rank ?? '—',
        trendLink(r.office.code, r.office.name),
        formatMetric(v.value, unit),
        // A share of summed ratios means nothing.
        unit === 'ratio' ? '—' : formatPercent(v.share),
        formatDifference(v.differenceFromMedian, unit),
        // Null without a value the year before (no report, a blank, or not in that year's template).
        formatChange(v.change, v.percentChange, unit),
      ];
    }),
  };
  return {
    chart: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ranked.map((r) => r.office.name), inverse: true },
      // Past a screenful the bars scroll (the full ranking is the paged table below).
      dataZoom: layout.dataZoom,
      series: [
        {
          type: 'bar',
          name: label,
          data: ranked.map((r) => valueOf(r, metric).value),
          barMaxWidth: 28,
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatMetric(p.value, unit) },
          markLine: median === null ? undefined : { symbol: 'none', data: [{ xAxis: median, name: '中位数' }], label: { formatter: '中位数', position: 'insideEndTop' } },
        },
      ],
    },
    chartHeight: layout.height,
    table,
    tableBelowChart: true,
    always,
  };
}
