/** The analysts' dashboard: pickers, then the views, all from the public GraphQL API; and the editors' Import page. */
import './style.css';
import { allPages, request, storeToken, storedToken } from './api';
import { clearDistrictCache } from './district';
import { h } from './dom';
import { DistrictTimeSeriesDocument, OfficeTreeDocument, PickerOptionsDocument } from './generated/graphql';
import { districtPicker, metricPicker, treeOrder, yearPicker, type OfficeNode } from './pickers';
import { readSelection, writeSelection, type Selection } from './state';
import { assessmentPanel, showAssessment } from './views/assessment';
import { showChannels, channelsPanel } from './views/channels';
import { findingsPanel, reportPanel, showFindings, showReport } from './views/findings';
import { importPage } from './views/import';
import { overviewPanel, showOverview } from './views/overview';
import { rankingPanel, showRanking } from './views/ranking';
import { showTrend, trendsPanel } from './views/trends';
import { Vocabulary, type ReportingYear } from './vocabulary';

const DEFAULT_METRIC = 'proactive.items_total';

function tokenControl(onChange: () => void): HTMLElement {
  const input = h('input', { type: 'password', placeholder: '分析员令牌（可选）/ Analyst token (optional)', value: storedToken(), 'data-testid': 'token', autocomplete: 'off' });
  input.addEventListener('change', () => {
    storeToken(input.value);
    onChange();
  });
  return h('div', { class: 'picker token' }, h('label', {}, '令牌 / Token'), input);
}

/**
 * The latest year in which any office of the district filed a report (the whole database's latest
 * year may be empty for it); null when the district has none.
 */
async function latestYearWithReports(district: string, years: readonly ReportingYear[]): Promise<number | null> {
  const fromYear = years[0]!.year;
  const toYear = years[years.length - 1]!.year;
  try {
    const data = await request(DistrictTimeSeriesDocument, { district, metrics: [DEFAULT_METRIC], fromYear, toYear });
    const filed = (data.timeSeries[0]?.points ?? []).filter((p) => p.reportedCount > 0).map((p) => p.year);
    return filed.length ? Math.max(...filed) : null;
  } catch {
    return null;
  }
}

async function start(root: HTMLElement): Promise<void> {
  const status = h('div', { class: 'state loading', role: 'status', 'data-testid': 'startup' }, h('span', { class: 'spinner' }), '正在加载机关和指标… / Loading offices and metrics…');
  root.replaceChildren(status);
  let offices: OfficeNode[];
  let years: ReportingYear[];
  let vocabulary: Vocabulary;
  try {
    const [tree, options] = await Promise.all([allPages((after) => request(OfficeTreeDocument, { after }).then((d) => d.offices)), request(PickerOptionsDocument, {})]);
    offices = treeOrder(tree);
    years = [...options.years].sort((a, b) => a.year - b.year);
    vocabulary = new Vocabulary(options.metricDefinitions);
  } catch (error) {
    status.className = 'state error';
    status.setAttribute('role', 'alert');
    status.dataset.testid = 'startup-error';
    status.replaceChildren(h('strong', {}, '加载机关和指标失败 / Loading offices and metrics failed'), h('p', {}, (error as Error).message));
    return;
  }
  if (offices.length === 0 || years.length === 0) {
    status.className = 'state empty';
    status.textContent = '服务中还没有机关或年度报告 / The service holds no offices or reports yet';
    return;
  }

  const saved = readSelection();
  const byCode = new Map(offices.map((o) => [o.code, o]));
  // Default district: the first office that has offices under it, below the root when possible.
  const parents = new Set(offices.map((o) => o.parent?.code).filter(Boolean));
  const defaultDistrict = offices.find((o) => o.depth === 1 && parents.has(o.code)) ?? offices.find((o) => parents.has(o.code)) ?? offices[0]!;
  const district = saved.district && byCode.has(saved.district) ? saved.district : defaultDistrict.code;
  const savedYear = saved.year && years.some((y) => y.year === saved.year) ? saved.year : null;
  const selection: Selection = {
    district,
    year: savedYear ?? (await latestYearWithReports(district, years)) ?? years[years.length - 1]!.year,
    metric: saved.metric && vocabulary.get(saved.metric) ? saved.metric : DEFAULT_METRIC,
    trend: '',
  };
  selection.trend = saved.trend && byCode.has(saved.trend) ? saved.trend : selection.district;
  // A link to a stored report (the Import page's): its office's district, its trend, its numbers open.
  const linked = saved.report ? byCode.get(saved.report) : undefined;
  if (linked) {
    selection.district = linked.parent?.code && byCode.has(linked.parent.code) ? linked.parent.code : linked.code;
    selection.trend = linked.code;
  }

  const overview = overviewPanel();
  const ranking = rankingPanel();
  const trendSelect = h('select', { 'data-testid': 'trend-picker' });
  const trends = trendsPanel(trendSelect);
  const channels = channelsPanel();
  const findings = findingsPanel();
  const report = reportPanel();
  const assessment = assessmentPanel();

  const subtree = (district: string) => offices.filter((o) => o.code !== district && isUnder(o, district));
  const isUnder = (office: OfficeNode, district: string): boolean => {
    for (let parent = office.parent?.code; parent; parent = byCode.get(parent)?.parent?.code) if (parent === district) return true;
    return false;
  };
  const yearOf = () => years.find((y) => y.year === selection.year)!;

  const refreshTrendOptions = () => {
    const district = byCode.get(selection.district)!;
    const choices = [{ code: district.code, name: `${district.name}（全区合计 / district total）` }, ...subtree(district.code).map((o) => ({ code: o.code, name: o.name }))];
    if (!choices.some((c) => c.code === selection.trend)) selection.trend = district.code;
    trendSelect.replaceChildren(...choices.map((c) => h('option', { value: c.code, selected: c.code === selection.trend }, c.name)));
  };
  const renderTrend = () => {
    const office = byCode.get(selection.trend)!;
    writeSelection(selection);
    void showTrend(trends, vocabulary, years, selection.metric, { code: office.code, name: office.name, district: office.code === selection.district });
  };
  trendSelect.addEventListener('change', () => {
    selection.trend = trendSelect.value;
    renderTrend();
  });
  const openTrend = (code: string) => {
    selection.trend = code;
    refreshTrendOptions();
    renderTrend();
    trends.element.scrollIntoView({ block: 'start' });
  };
  const openReport = (code: string, highlight: string[]) => void showReport(report, code, selection.year, highlight);

  const renderAll = () => {
    writeSelection(selection);
    refreshTrendOptions();
    report.element.hidden = true;
    const year = yearOf();
    void showOverview(overview, vocabulary, selection.district, year);
    void showRanking(ranking, vocabulary, selection.district, selection.year, selection.metric, openTrend);
    renderTrend();
    void showChannels(channels, vocabulary, selection.district, selection.year);
    void showFindings(findings, selection.district, selection.year, openReport);
    void showAssessment(assessment, selection.district, selection.year);
  };

  const metricChoices = () => vocabulary.definitions;
  const yearControl = yearPicker(years, selection.year, (year) => {
    selection.year = year;
    renderAll();
  });
  const yearSelect = yearControl.querySelector('select')!;
  const header = h(
    'div',
    { class: 'toolbar' },
    districtPicker(offices, selection.district, (code) => {
      selection.district = code;
      selection.trend = code;
      // A district with no report in the chosen year opens on its own latest year with reports.
      void latestYearWithReports(code, years).then((latest) => {
        if (latest !== null && latest !== selection.year) {
          selection.year = latest;
          yearSelect.value = String(latest);
        }
        renderAll();
      });
    }),
    yearControl,
    metricPicker(metricChoices(), selection.metric, (key) => {
      selection.metric = key;
      void showRanking(ranking, vocabulary, selection.district, selection.year, selection.metric, openTrend);
      renderTrend();
    }),
    tokenControl(() => {
      clearDistrictCache();
      renderAll();
    }),
  );
  root.replaceChildren(header, h('main', { class: 'grid' }, overview.element, ranking.element, trends.element, channels.element, findings.element, assessment.element, report.element));
  renderAll();
  if (linked) openReport(linked.code, []);
}

type View = 'analysis' | 'import';
const viewOf = (): View => (new URLSearchParams(location.hash.replace(/^#/, '')).get('view') === 'import' ? 'import' : 'analysis');

function show(root: HTMLElement): View {
  const view = viewOf();
  document.querySelectorAll<HTMLAnchorElement>('.masthead nav a[data-view]').forEach((a) => a.classList.toggle('current', a.dataset.view === view));
  if (view === 'import') root.replaceChildren(importPage());
  else void start(root);
  return view;
}

const root = document.getElementById('app')!;
document.querySelector('.masthead nav')?.prepend(
  h('a', { href: '#', 'data-view': 'analysis', 'data-testid': 'nav-analysis' }, '分析 / Analysis'),
  h('a', { href: '#view=import', 'data-view': 'import', 'data-testid': 'nav-import' }, '导入 / Import'),
);
let shown = show(root);
// The analysis view keeps its selection in the hash with replaceState (no event); a hashchange is
// a link or the navigation: another view, or a report to open.
window.addEventListener('hashchange', () => {
  if (viewOf() !== shown || new URLSearchParams(location.hash.replace(/^#/, '')).has('report')) shown = show(root);
});
