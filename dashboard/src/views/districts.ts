/**
 * A city or a province read as a group of districts: each view compares its child districts (the
 * service's counts and sums per child, all children in one request) with a way into each
 * district, instead of listing thousands of offices.
 */
import { request } from '../api';
import { categoryLayout } from '../charts';
import { formatMetric, formatNumber, formatPercent, h } from '../dom';
import { GroupChildrenDocument, type GroupChildrenQuery } from '../generated/graphql';
import { exportDownloads, presentWithDownloads } from '../download';
import { type Panel, type PanelContent } from '../panel';
import { OUTCOME_KEYS, asMetricKey, type Vocabulary } from '../vocabulary';

export interface Child {
  readonly code: string;
  readonly name: string;
}

type Group = GroupChildrenQuery['childSummaries'][number]['groups'][number];

export interface ChildSummary {
  readonly child: Child;
  readonly officeCount: number;
  readonly reportedCount: number;
  readonly missingCount: number;
  readonly groups: ReadonlyMap<string, Group>;
}

interface GroupYear {
  /** Every office under the group (its districts' own governments included); with `whole` only. */
  readonly whole: ChildSummary | null;
  readonly children: readonly ChildSummary[];
}

// One entry per group, year, metrics: the overview, ranking and findings share their load.
const cache = new Map<string, Promise<GroupYear>>();

const summary = (child: Child, s: Omit<ChildSummary, 'child' | 'groups'> & { groups: readonly Group[] }): ChildSummary => ({
  child,
  officeCount: s.officeCount,
  reportedCount: s.reportedCount,
  missingCount: s.missingCount,
  groups: new Map(s.groups.map((g) => [g.metric, g])),
});

function loadGroup(group: Child, year: number, metrics: readonly string[], whole: boolean): Promise<GroupYear> {
  const key = JSON.stringify([group.code, year, metrics, whole]);
  let pending = cache.get(key);
  if (!pending) {
    pending = request(GroupChildrenDocument, { district: group.code, year, metrics: metrics.map(asMetricKey), whole }).then((data) => ({
      whole: data.whole ? summary(group, data.whole) : null,
      children: data.childSummaries.map((c) => summary({ code: c.office.code, name: c.office.name }, c)),
    }));
    // A failed load is not remembered: the next pick asks again.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

export function clearGroupCache(): void {
  cache.clear();
}

const OVERVIEW_GROUP_KEYS = ['proactive.items_total', 'applications.received.total', ...OUTCOME_KEYS];

function drillButton(child: Child, drill: (code: string) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'link', 'data-drill': child.code }, `${child.name} ›`);
  button.addEventListener('click', () => drill(child.code));
  return button;
}

const sumOf = (rows: readonly ChildSummary[], metric: string): number | null => {
  const sums = rows.map((r) => r.groups.get(metric)?.sum).filter((v): v is number => typeof v === 'number');
  return sums.length ? sums.reduce((a, b) => a + b, 0) : null;
};

/** Children that hold offices (a city's own departments, with none under them, are left to their note). */
function split(rows: readonly ChildSummary[]): { groups: ChildSummary[]; leaves: ChildSummary[] } {
  return { groups: rows.filter((r) => r.officeCount > 0), leaves: rows.filter((r) => r.officeCount === 0) };
}

const leafNote = (leaves: readonly ChildSummary[]) =>
  leaves.length ? [`直属机关（其下无机关，未计入各区）/ Offices directly under it, not in any district: ${leaves.map((l) => l.child.name).join('、')}`] : [];

export async function showGroupOverview(panel: Panel, vocabulary: Vocabulary, group: Child, year: number, drill: (code: string) => void): Promise<void> {
  // The whole (every office under it, the districts' own governments included) beside its districts.
  // The file: every office of the whole compared on the overview's metrics, the raw material of the per-district figures.
  const downloads = exportDownloads('overview', 'compare-offices', { under: group.code, year, metrics: OVERVIEW_GROUP_KEYS }, `多机关比较-${group.code}-${year}`);
  await panel.load(['概览', 'overview'], () => loadGroup(group, year, OVERVIEW_GROUP_KEYS, true), presentWithDownloads(downloads, ({ whole: all, children: rows }: Awaited<ReturnType<typeof loadGroup>>) => {
    const { groups, leaves } = split(rows);
    if (groups.length === 0 || !all) return { empty: '该地区下没有机关 / No offices under this district' };
    const total = (pick: (r: ChildSummary) => number) => pick(all);
    const card = (label: string, value: string, testId: string, hint?: string) =>
      h('div', { class: 'card', 'data-testid': testId }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value), hint ? h('span', { class: 'card-hint' }, hint) : null);
    const cards = h(
      'div',
      { class: 'cards' },
      card('下辖区县 / Districts', formatNumber(groups.length), 'kpi-districts'),
      card('应公布机关 / Offices', formatNumber(total((r) => r.officeCount)), 'kpi-offices'),
      card('已公布 / Filed', formatNumber(total((r) => r.reportedCount)), 'kpi-filed'),
      card('未公布 / Missing', formatNumber(total((r) => r.missingCount)), 'kpi-missing'),
      card('主动公开信息 / Items disclosed', formatNumber(sumOf([all], 'proactive.items_total')), 'kpi-items'),
      card('收到申请 / Applications', formatNumber(sumOf([all], 'applications.received.total')), 'kpi-applications'),
    );
    const layout = categoryLayout(groups.length, 30, 70);
    const outcomes = OUTCOME_KEYS.map((key) => ({ name: vocabulary.shortLabel(key), value: sumOf([all], key) ?? 0 }));
    return {
      lead: cards,
      chart: {
        title: { text: '各区报送情况 / Filing, by district', left: 0, textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, right: 0 },
        grid: { left: 8, right: 32, top: 48, bottom: 8, containLabel: true },
        xAxis: { type: 'value', name: '机关数 / offices', minInterval: 1 },
        yAxis: { type: 'category', name: '区县 / district', data: groups.map((r) => r.child.name), inverse: true },
        dataZoom: layout.dataZoom,
        series: [
          { type: 'bar', stack: 'filing', name: '已公布 / filed', data: groups.map((r) => r.reportedCount), barMaxWidth: 24 },
          { type: 'bar', stack: 'filing', name: '未公布 / missing', data: groups.map((r) => r.missingCount), barMaxWidth: 24 },
        ],
      },
      chartHeight: Math.max(320, layout.height),
      moreCharts: outcomes.every((o) => o.value === 0) ? [] : [
        {
          id: 'outcomes',
          height: 320,
          option: {
            title: { text: '办理结果占全市 / Outcomes, share of the whole', left: 0, textStyle: { fontSize: 13 } },
            tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
            legend: { bottom: 0, type: 'scroll' },
            series: [{ type: 'pie', name: '办理结果 / outcomes', radius: ['35%', '62%'], data: outcomes, label: { formatter: '{d}%' } }],
          },
        },
      ],
      notes: [
        `${year}年，按区汇总（各区为其下属机关，不含区政府本级报告；上方合计含本级）/ Totals per district for ${year}, of the offices under each district (its own government's report is in the totals above, not in its row); open a district for its offices`,
        ...leafNote(leaves),
      ],
      table: {
        caption: `各区汇总 / Per district, ${year}`,
        columns: ['区县 / District', '机关 / Offices', '已公布 / Filed', '未公布 / Missing', '主动公开信息 / Items', '收到申请 / Applications', ...OUTCOME_KEYS.map((k) => vocabulary.shortLabel(k))],
        rows: groups.map((r) => [
          drillButton(r.child, drill),
          r.officeCount,
          r.reportedCount,
          r.missingCount,
          formatNumber(r.groups.get('proactive.items_total')?.sum),
          formatNumber(r.groups.get('applications.received.total')?.sum),
          ...OUTCOME_KEYS.map((k) => formatNumber(r.groups.get(k)?.sum)),
        ]),
      },
    };
  }));
}

export async function showGroupRanking(panel: Panel, vocabulary: Vocabulary, group: Child, year: number, metric: string, drill: (code: string) => void): Promise<void> {
  const unit = vocabulary.get(metric)?.unit ?? 'count';
  // The overview's load when it holds the metric: fewer analysis requests (the service allows two in flight).
  const shared = OVERVIEW_GROUP_KEYS.includes(metric);
  // The file: every office of the whole ranked on the metric (the districts' figures are their sums and means).
  const downloads = exportDownloads('ranking', 'compare-offices', { under: group.code, year, metrics: [metric], orderBy: metric, direction: 'DESC' }, `多机关比较-${group.code}-${year}`);
  await panel.load(['排名', 'ranking'], () => loadGroup(group, year, shared ? OVERVIEW_GROUP_KEYS : [metric], shared).then((g) => g.children), presentWithDownloads(downloads, (rows: readonly ChildSummary[]): PanelContent | { empty: string } => {
    const { groups, leaves } = split(rows);
    const label = groups[0]?.groups.get(metric)?.label ?? vocabulary.label(metric);
    // A total of ratios means nothing: ratios compare by the mean of the district's offices.
    const measure = unit === 'ratio' ? 'mean' : 'sum';
    const value = (r: ChildSummary) => (r.reportedCount === 0 ? null : (r.groups.get(metric)?.[measure] ?? null));
    const ranked = groups.filter((r) => value(r) !== null).sort((a, b) => value(b)! - value(a)!);
    if (ranked.length === 0) return { empty: `${year}年各区均无报告填报「${label}」/ No district has reports stating this metric` };
    const whole = unit === 'ratio' ? null : ranked.reduce((a, r) => a + value(r)!, 0);
    const layout = categoryLayout(ranked.length, 28, 40);
    return {
      chart: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 56, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'value', name: measure === 'sum' ? '合计 / total' : '均值 / mean' },
        yAxis: { type: 'category', name: '区县 / district', data: ranked.map((r) => r.child.name), inverse: true },
        dataZoom: layout.dataZoom,
        series: [{ type: 'bar', name: `${label}（${measure === 'sum' ? '各区合计 / district total' : '各区均值 / district mean'}）`, data: ranked.map(value), barMaxWidth: 28, label: { show: true, position: 'right', formatter: (p: { value: number }) => formatMetric(p.value, unit) } }],
      },
      chartHeight: layout.height,
      tableBelowChart: true,
      notes: [`按区比较；选择一个区查看其各机关的排名 / Districts compared; open one for its offices' ranking`, ...leafNote(leaves)],
      table: {
        caption: `${label} · 各区 / by district, ${year}`,
        columns: ['名次 / Rank', '区县 / District', '已公布 / Filed', '已填报 / 留空 · Stated / blank', '合计 / Total', '占全部 / Share', '均值 / Mean', '中位数 / Median'],
        rows: ranked.map((r, i) => {
          const g = r.groups.get(metric);
          return [
            i + 1,
            drillButton(r.child, drill),
            `${r.reportedCount}/${r.officeCount}`,
            // Mean and median are over the offices that stated the metric.
            `${g?.statedCount ?? 0} / ${g?.blankCount ?? 0}`,
            unit === 'ratio' ? '—' : formatMetric(g?.sum, unit),
            whole ? formatPercent((g?.sum ?? 0) / whole) : '—',
            formatMetric(g?.mean, unit),
            formatMetric(g?.median, unit),
          ];
        }),
      },
    };
  }));
}

export async function showGroupChannels(panel: Panel, vocabulary: Vocabulary, group: Child, year: number, drill: (code: string) => void): Promise<void> {
  const keys = vocabulary.definitions.map((d) => d.key).filter((k) => /^channels\.[a-z_]+\.items$/.test(k)).slice(0, 12);
  await panel.load(['渠道', 'channels'], () => loadGroup(group, year, keys, false).then((g) => g.children), (rows): PanelContent | { empty: string } => {
    const { groups } = split(rows);
    const used = keys.filter((k) => groups.some((r) => (r.groups.get(k)?.sum ?? 0) > 0));
    if (used.length === 0) return { empty: `${year}年各区报告中没有渠道数据 / No channel figures reported for ${year}` };
    const kind = (key: string) => vocabulary.channelKind(key.split('.')[1]!);
    const layout = categoryLayout(groups.length, 30, 70);
    return {
      chart: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 8, right: 32, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'value', name: '发布条数 / items' },
        yAxis: { type: 'category', name: '区县 / district', data: groups.map((r) => r.child.name), inverse: true },
        dataZoom: layout.dataZoom,
        series: used.map((k) => ({ type: 'bar', stack: 'items', name: kind(k), data: groups.map((r) => r.groups.get(k)?.sum ?? null), barMaxWidth: 24 })),
      },
      chartHeight: Math.max(320, layout.height),
      table: {
        caption: `各区各渠道发布条数 / Items per channel and district, ${year}`,
        columns: ['区县 / District', ...used.map(kind)],
        rows: groups.map((r) => [drillButton(r.child, drill), ...used.map((k) => formatNumber(r.groups.get(k)?.sum))]),
      },
    };
  });
}

/** Findings are per report: the group's panel sends the analyst to a district's list. */
export async function showGroupFindings(panel: Panel, group: Child, year: number, drill: (code: string) => void): Promise<void> {
  await panel.load(['勾稽关系问题', 'findings'], () => loadGroup(group, year, OVERVIEW_GROUP_KEYS, true).then((g) => g.children), (rows): PanelContent | { empty: string } => {
    const { groups } = split(rows);
    if (groups.every((r) => r.reportedCount === 0)) return { empty: `${year}年没有已公布的报告 / No reports for ${year}` };
    return {
      notes: ['勾稽关系问题逐份报告列出：选择一个区查看 / Findings are listed report by report: open a district'],
      table: {
        caption: `各区已公布报告 / Reports filed, by district, ${year}`,
        columns: ['区县 / District', '已公布 / Filed', '未公布 / Missing'],
        rows: groups.map((r) => [drillButton(r.child, drill), r.reportedCount, r.missingCount]),
      },
    };
  });
}
