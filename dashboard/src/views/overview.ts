/** Overview: filed / late / missing, items disclosed, applications and how they were handled, reviews. */
import { loadDistrictYear, metricValue, type DistrictOffice, type DistrictYear } from '../district';
import { formatNumber, h } from '../dom';
import { exportDownloads, exportUrl, withDownloads } from '../download';
import { Panel, type PanelContent } from '../panel';
import { OUTCOME_KEYS, OVERVIEW_KEYS, type ReportingYear, type Vocabulary } from '../vocabulary';

export function overviewPanel(): Panel {
  return new Panel('overview', '概览', 'Overview');
}

/** Bands of applications received per office: the distribution over a district's offices. */
const BANDS: readonly { from: number; to: number | null; label: string }[] = [
  { from: 0, to: 1, label: '0' },
  { from: 1, to: 10, label: '1–9' },
  { from: 10, to: 50, label: '10–49' },
  { from: 50, to: 100, label: '50–99' },
  { from: 100, to: 500, label: '100–499' },
  { from: 500, to: null, label: '≥500' },
];

const EXTREMES = 5;

function topAndBottom(sorted: readonly { office: DistrictOffice; value: number }[]): HTMLElement {
  const top = sorted.slice(0, EXTREMES);
  const bottom = sorted.slice(Math.max(EXTREMES, sorted.length - EXTREMES)).reverse();
  const list = (title: string, rows: typeof top, testId: string) =>
    h('div', { class: 'extreme', 'data-testid': testId }, h('strong', {}, title), h('ol', {}, rows.map((r) => h('li', {}, `${r.office.name}：${formatNumber(r.value)}`))));
  return h(
    'div',
    { class: 'extremes' },
    list('收到申请最多 / Most applications', top, 'overview-top'),
    bottom.length ? list('收到申请最少 / Fewest applications', bottom, 'overview-bottom') : null,
  );
}

function sum(data: DistrictYear, key: string): number | null {
  let total: number | null = null;
  for (const office of data.offices) {
    const value = metricValue(data, office, key);
    if (value !== null) total = (total ?? 0) + value;
  }
  return total;
}

/** A sum of what was stated: blank when neither part was. */
function addStated(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

export async function showOverview(panel: Panel, vocabulary: Vocabulary, district: string, year: ReportingYear): Promise<void> {
  await panel.load(['概览', 'overview'], () => loadDistrictYear(district, year.year), (data) => withDownloads(present(data, vocabulary, year), overviewDownloads(district, year.year)));
}

/** The overview's figures per office (a comparison of its metrics), and every report of the district, one sheet per table. */
function overviewDownloads(district: string, year: number) {
  return [
    ...exportDownloads('overview', 'compare-offices', { under: district, year, metrics: OVERVIEW_KEYS.slice(0, 12) }, `多机关比较-${district}-${year}`),
    { label: '全部报告 / All reports (.xlsx)', url: exportUrl('district-reports', 'xlsx', { under: district, year }), fileName: `辖区年报-${district}-${year}.xlsx`, testId: 'overview-download-reports' },
  ];
}

function present(data: DistrictYear, vocabulary: Vocabulary, year: ReportingYear): PanelContent | { empty: string } {
  if (data.offices.length === 0) return { empty: '该地区下没有机关 / No offices under this district' };
  const filed = data.offices.filter((o) => o.report);
  const late = filed.filter((o) => o.report!.publishedAt && o.report!.publishedAt > year.deadline);
  const undated = filed.filter((o) => !o.report!.publishedAt);
  const missing = data.offices.filter((o) => !o.report);
  const reviews = sum(data, 'review.total');
  const litigation = addStated(sum(data, 'litigation_direct.total'), sum(data, 'litigation_after_review.total'));
  const card = (label: string, value: string, testId: string, hint?: string) =>
    h('div', { class: 'card', 'data-testid': testId }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value), hint ? h('span', { class: 'card-hint' }, hint) : null);
  const cards = h(
    'div',
    { class: 'cards' },
    card('应公布机关 / Offices', formatNumber(data.offices.length), 'kpi-offices'),
    card('已公布 / Filed', formatNumber(filed.length), 'kpi-filed', undated.length ? `${undated.length} 份未注明发布日期 / undated` : undefined),
    card('逾期 / Late', formatNumber(late.length), 'kpi-late', `期限 ${year.deadline}`),
    card('未公布 / Missing', formatNumber(missing.length), 'kpi-missing'),
    card('主动公开信息 / Items disclosed', formatNumber(sum(data, 'proactive.items_total')), 'kpi-items'),
    card('收到申请 / Applications', formatNumber(sum(data, 'applications.received.total')), 'kpi-applications'),
    card('行政复议 / Reconsideration', formatNumber(reviews), 'kpi-reviews'),
    card('行政诉讼 / Litigation', formatNumber(litigation), 'kpi-litigation'),
  );
  const anyApplications = filed.some((o) => (metricValue(data, o, 'applications.received.total') ?? 0) > 0 || OUTCOME_KEYS.some((k) => (metricValue(data, o, k) ?? 0) > 0));
  // At a district's size one bar per office runs for screens: the overview shows how the offices
  // spread over bands of applications received, the outcomes as shares of the whole district, and
  // the top and bottom offices; every office stays in the (paged) table.
  const received = filed.map((o) => ({ office: o, value: metricValue(data, o, 'applications.received.total') }));
  const stated = received.filter((r): r is { office: DistrictOffice; value: number } => r.value !== null);
  const bandCounts = BANDS.map((band) => stated.filter((r) => r.value >= band.from && (band.to === null || r.value < band.to)).length);
  const outcomeTotals = OUTCOME_KEYS.map((key) => ({ name: vocabulary.shortLabel(key), value: sum(data, key) ?? 0 }));
  const outcomeSum = outcomeTotals.reduce((a, b) => a + b.value, 0);
  const sorted = [...stated].sort((a, b) => b.value - a.value);
  const extremes = stated.length > 1 ? topAndBottom(sorted) : undefined;
  return {
    lead: cards,
    // Without any application there is nothing to stack: the table and the note say so.
    chart: !anyApplications ? undefined : {
      title: { text: '按收到申请数分组的机关数 / Offices by applications received', left: 0, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 64, bottom: 24, containLabel: true },
      xAxis: { type: 'category', name: '收到申请 / received', nameLocation: 'middle', nameGap: 28, data: BANDS.map((b) => b.label) },
      yAxis: { type: 'value', name: '机关数 / offices', minInterval: 1 },
      series: [{ type: 'bar', name: '机关数 / offices', data: bandCounts, barMaxWidth: 48, label: { show: true, position: 'top' } }],
    },
    chartHeight: 320,
    moreCharts: !anyApplications || outcomeSum === 0 ? [] : [
      {
        id: 'outcomes',
        height: 320,
        option: {
          title: { text: '办理结果占全区 / Outcomes, share of the district', left: 0, textStyle: { fontSize: 13 } },
          tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
          legend: { bottom: 0, type: 'scroll' },
          series: [{ type: 'pie', name: '办理结果 / outcomes', radius: ['35%', '62%'], center: ['50%', '50%'], data: outcomeTotals, label: { formatter: '{d}%' } }],
        },
      },
    ],
    always: extremes,
    notes: filed.length === 0
      ? [`${year.year}年度尚无机关报送报告 / No office has filed a report for ${year.year} yet`]
      : anyApplications
        ? []
        : ['已报送的机关本年度均未收到或办理政府信息公开申请（办理结果均为0）/ No application was handled by the offices that filed'],
    table: {
      caption: '各机关申请办理结果 / Applications handled, by office',
      columns: ['机关 / Office', '收到申请 / Received', ...OUTCOME_KEYS.map((k) => vocabulary.shortLabel(k)), '行政复议', '行政诉讼', '发布日期 / Published'],
      // An office that filed nothing has no figures: 未报送 and —, never 0.
      rows: data.offices.map((o) =>
        o.report
          ? [
              o.name,
              formatNumber(metricValue(data, o, 'applications.received.total')),
              ...OUTCOME_KEYS.map((k) => formatNumber(metricValue(data, o, k))),
              formatNumber(metricValue(data, o, 'review.total')),
              formatNumber(addStated(metricValue(data, o, 'litigation_direct.total'), metricValue(data, o, 'litigation_after_review.total'))),
              o.report.publishedAt ?? '—',
            ]
          : [o.name, '未报送 / not filed', ...OUTCOME_KEYS.map(() => '—'), '—', '—', '—'],
      ),
    },
  };
}
