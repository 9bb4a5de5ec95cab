/** The analysts' dashboard: pickers, then the views, all from the public GraphQL API; the editors' Import page; the Review page. */
import './style.css';
import { allPages, request, storeToken, storedToken } from './api';
import { clearDistrictCache, latestYearWithReports } from './district';
import { h } from './dom';
import { inViewport, whenNeeded } from './on-screen';
import { OfficeTreeDocument, PickerOptionsDocument, type OfficeKind } from './generated/graphql';
import type { Panel } from './panel';
import { districtPicker, metricPicker, treeOrder, yearPicker, type OfficeNode } from './pickers';
import { readSelection, writeSelection, type Selection } from './state';
import { assessmentPanel, showAssessment } from './views/assessment';
import { clearGroupCache, showGroupChannels, showGroupFindings, showGroupOverview, showGroupRanking } from './views/districts';
import { showChannels, channelsPanel } from './views/channels';
import { findingsPanel, reportPanel, showFindings, showReport } from './views/findings';
import { importPage } from './views/import';
import { overviewPanel, showOverview } from './views/overview';
import { rankingPanel, showRanking } from './views/ranking';
import { reviewPage } from './views/review';
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

const LAST_DISTRICT = 'disclosure-graph.dashboard.district';

function rememberDistrict(code: string): void {
  try {
    localStorage.setItem(LAST_DISTRICT, code);
  } catch {
    // Storage refused (private mode): the hash still carries the selection.
  }
}

function lastDistrict(): string | null {
  try {
    return localStorage.getItem(LAST_DISTRICT);
  } catch {
    return null;
  }
}

const loadTree = (kind?: OfficeKind) => allPages((after) => request(OfficeTreeDocument, { after, kind }).then((d) => d.offices));

async function start(root: HTMLElement): Promise<void> {
  const status = h('div', { class: 'state loading', role: 'status', 'data-testid': 'startup' }, h('span', { class: 'spinner' }), '正在加载机关和指标… / Loading offices and metrics…');
  root.replaceChildren(status);
  let offices: OfficeNode[];
  let years: ReportingYear[];
  let vocabulary: Vocabulary;
  // The whole tree of a province is thousands of offices (a hundred pages): the page opens on the
  // governments (province, cities, districts) and fills in the offices under them meanwhile.
  let fullTreeLoad: Promise<OfficeNode[]> | null = null;
  const fullTree = () => (fullTreeLoad ??= loadTree());
  const saved = readSelection();
  try {
    const [governments, options] = await Promise.all([loadTree('GOVERNMENT'), request(PickerOptionsDocument, {})]);
    // A link to an office (trend, report) or a tree without governments needs the whole tree first.
    const structure = governments.length === 0 || (saved.trend && saved.trend !== saved.district) || saved.report ? await fullTree() : governments;
    offices = treeOrder(structure);
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

  let byCode = new Map(offices.map((o) => [o.code, o]));
  let childrenOf = new Map<string, OfficeNode[]>();
  const index = () => {
    byCode = new Map(offices.map((o) => [o.code, o]));
    childrenOf = new Map();
    for (const o of offices) {
      if (!o.parent?.code) continue;
      const siblings = childrenOf.get(o.parent.code);
      if (siblings) siblings.push(o);
      else childrenOf.set(o.parent.code, [o]);
    }
  };
  index();
  /**
   * A city or province: governments under it (known before the rest of the tree arrives), or
   * offices that have offices under them. It reads as its districts.
   */
  const isGroup = (code: string) => (childrenOf.get(code) ?? []).some((c) => c.kind === 'GOVERNMENT' || childrenOf.has(c.code));
  const children = (code: string) => (childrenOf.get(code) ?? []).map((c) => ({ code: c.code, name: c.name }));

  // Default: the district last chosen here, else the first district-level office (offices under it,
  // none under those) with reports, else the first office with offices under it.
  const districtLevel = offices.filter((o) => !isGroup(o.code) && (childrenOf.has(o.code) || (o.kind === 'GOVERNMENT' && o.parent)));
  let district = saved.district && byCode.has(saved.district) ? saved.district : null;
  const remembered = lastDistrict();
  if (!district && remembered && byCode.has(remembered)) district = remembered;
  let latest: number | null = null;
  if (!district) {
    for (const candidate of districtLevel.slice(0, 8)) {
      latest = await latestYearWithReports(candidate.code, years);
      if (latest !== null) {
        district = candidate.code;
        break;
      }
    }
  }
  district ??= (districtLevel[0] ?? offices.find((o) => childrenOf.has(o.code)) ?? offices[0]!).code;
  const savedYear = saved.year && years.some((y) => y.year === saved.year) ? saved.year : null;
  const selection: Selection = {
    district,
    year: savedYear ?? latest ?? (await latestYearWithReports(district, years)) ?? years[years.length - 1]!.year,
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
  const breadcrumbs = h('nav', { class: 'breadcrumbs', 'aria-label': '层级 / Levels', 'data-testid': 'breadcrumbs' });

  const yearOf = () => years.find((y) => y.year === selection.year)!;

  // Offices opened from the ranking before the whole tree has arrived: their names, for the trend.
  const seen = new Map<string, string>();
  const nameOf = (code: string) => byCode.get(code)?.name ?? seen.get(code) ?? code;
  const refreshTrendOptions = () => {
    const current = byCode.get(selection.district)!;
    const choices = [{ code: current.code, name: `${current.name}（全区合计 / district total）` }, ...children(current.code)];
    if (seen.has(selection.trend) && !choices.some((c) => c.code === selection.trend)) choices.push({ code: selection.trend, name: nameOf(selection.trend) });
    if (!choices.some((c) => c.code === selection.trend)) selection.trend = current.code;
    trendSelect.replaceChildren(...choices.map((c) => h('option', { value: c.code, selected: c.code === selection.trend }, c.name)));
  };
  const renderTrend = (): Promise<void> => {
    writeSelection(selection);
    return showTrend(trends, vocabulary, years, selection.metric, { code: selection.trend, name: nameOf(selection.trend), district: selection.trend === selection.district });
  };
  trendSelect.addEventListener('change', () => {
    selection.trend = trendSelect.value;
    void renderTrend();
  });
  const openTrend = (code: string, name?: string) => {
    if (name) seen.set(code, name);
    selection.trend = code;
    refreshTrendOptions();
    void renderTrend();
    trends.element.scrollIntoView({ block: 'start' });
  };
  const openReport = (code: string, highlight: string[]) => void showReport(report, code, selection.year, highlight);

  const renderBreadcrumbs = () => {
    const path: OfficeNode[] = [];
    for (let node = byCode.get(selection.district); node; node = node.parent ? byCode.get(node.parent.code) : undefined) path.unshift(node);
    breadcrumbs.replaceChildren(
      ...path.flatMap((node, i) => {
        const last = i === path.length - 1;
        const item = last ? h('strong', { 'aria-current': 'page' }, node.name) : h('button', { type: 'button', class: 'link', 'data-code': node.code }, node.name);
        if (!last) item.addEventListener('click', () => pickDistrict(node.code));
        return i === 0 ? [item] : [' › ', item];
      }),
    );
  };

  const renderRanking = (): Promise<void> =>
    isGroup(selection.district)
      ? showGroupRanking(ranking, vocabulary, { code: selection.district, name: byCode.get(selection.district)!.name }, selection.year, selection.metric, pickDistrict)
      : showRanking(ranking, vocabulary, selection.district, selection.year, selection.metric, openTrend);

  let rendering = 0;
  const renderAll = (): Promise<unknown> => {
    const generation = ++rendering;
    writeSelection(selection);
    rememberDistrict(selection.district);
    renderBreadcrumbs();
    refreshTrendOptions();
    report.element.hidden = true;
    const year = yearOf();
    const plans: { panel: Panel; what: readonly [string, string]; show: () => Promise<void> }[] = [];
    if (isGroup(selection.district)) {
      // A city or province: its districts, compared; never its thousands of offices one by one.
      const group = { code: selection.district, name: byCode.get(selection.district)!.name };
      plans.push({ panel: overview, what: ['概览', 'overview'], show: () => showGroupOverview(overview, vocabulary, group, selection.year, pickDistrict) });
      plans.push({ panel: channels, what: ['渠道', 'channels'], show: () => showGroupChannels(channels, vocabulary, group, selection.year, pickDistrict) });
      plans.push({ panel: findings, what: ['勾稽关系问题', 'findings'], show: () => showGroupFindings(findings, group, selection.year, pickDistrict) });
    } else {
      const { district } = selection;
      plans.push({ panel: overview, what: ['概览', 'overview'], show: () => showOverview(overview, vocabulary, district, year) });
      plans.push({ panel: channels, what: ['渠道', 'channels'], show: () => showChannels(channels, vocabulary, district, year.year) });
      plans.push({ panel: findings, what: ['勾稽关系问题', 'findings'], show: () => showFindings(findings, district, year.year, openReport) });
    }
    plans.push({ panel: ranking, what: ['排名', 'ranking'], show: renderRanking }, { panel: trends, what: ['趋势', 'trends'], show: renderTrend });
    // The overview heads the page: its load starts now. The other panels wait for the layout to
    // say which are in view: those load at once, the ones further down when scrolled to or once
    // the first screen is drawn.
    const [head, ...rest] = plans;
    const leading = head!.show();
    for (const p of rest) p.panel.waiting(p.what);
    const firstScreen = inViewport(rest.map((p) => p.panel.element)).then((inside) => {
      const visible = rest.filter((p) => inside.has(p.panel.element));
      const shown = Promise.allSettled([leading, ...visible.map((p) => (generation === rendering ? p.show() : undefined))]);
      return { shown, below: rest.filter((p) => !visible.includes(p)) };
    });
    const views = firstScreen.then(({ shown, below }) =>
      Promise.allSettled([shown, ...below.map((p) => whenNeeded(p.panel.element, shown).then(() => (generation === rendering ? p.show() : undefined)))]),
    );
    // The assessment scores every office: it waits for the views above rather than slowing them
    // (and meanwhile says so, rather than showing the previous selection's scores).
    assessment.waiting(['考核结果', 'assessment']);
    const { district, year: assessed } = selection;
    return views.then(() => {
      if (generation === rendering) void showAssessment(assessment, district, assessed);
    });
  };

  // The reader may have gone to another page (Import, Review) while this one was loading: it is not drawn over it.
  if (viewOf() !== 'analysis') return;
  // The first view's requests leave before the pickers are built (the metric picker lists the
  // whole vocabulary): the toolbar is filled in the same turn, so the page is never laid out without it.
  const toolbar = h('div', { class: 'toolbar' });
  root.replaceChildren(toolbar, breadcrumbs, h('main', { class: 'grid' }, overview.element, ranking.element, trends.element, channels.element, findings.element, assessment.element, report.element));
  const firstView = renderAll();
  if (linked) openReport(linked.code, []);

  const yearControl = yearPicker(years, selection.year, (year) => {
    selection.year = year;
    void renderAll();
  });
  const yearSelect = yearControl.querySelector('select')!;
  function pickDistrict(code: string): void {
    selection.district = code;
    selection.trend = code;
    picker.select(code);
    // A district with no report in the chosen year opens on its own latest year with reports.
    void latestYearWithReports(code, years).then((latest) => {
      if (latest !== null && latest !== selection.year) {
        selection.year = latest;
        yearSelect.value = String(latest);
      }
      void renderAll();
    });
  }
  const picker = districtPicker(offices, selection.district, pickDistrict);
  toolbar.append(
    picker.element,
    yearControl,
    metricPicker(vocabulary.definitions, selection.metric, (key) => {
      selection.metric = key;
      void renderRanking();
      void renderTrend();
    }),
    tokenControl(() => {
      clearDistrictCache();
      clearGroupCache();
      void renderAll();
    }),
  );
  // The offices under the districts (searchable in the picker, each a trend to open) arrive once
  // the first view is drawn.
  await firstView;
  const whole = await fullTree().catch(() => offices);
  if (whole.length !== offices.length) {
    offices = treeOrder(whole);
    index();
    picker.update(offices);
    refreshTrendOptions();
  }
}

type View = 'analysis' | 'import' | 'review';
const viewOf = (): View => {
  const view = new URLSearchParams(location.hash.replace(/^#/, '')).get('view');
  return view === 'import' || view === 'review' ? view : 'analysis';
};

function show(root: HTMLElement): View {
  const view = viewOf();
  document.querySelectorAll<HTMLAnchorElement>('.masthead nav a[data-view]').forEach((a) => a.classList.toggle('current', a.dataset.view === view));
  if (view === 'import') root.replaceChildren(importPage());
  else if (view === 'review') root.replaceChildren(reviewPage());
  else void start(root);
  return view;
}

const root = document.getElementById('app')!;
document.querySelector('.masthead nav')?.prepend(
  h('a', { href: '#', 'data-view': 'analysis', 'data-testid': 'nav-analysis' }, '分析 / Analysis'),
  h('a', { href: '#view=import', 'data-view': 'import', 'data-testid': 'nav-import' }, '导入 / Import'),
  h('a', { href: '#view=review', 'data-view': 'review', 'data-testid': 'nav-review' }, '审核 / Review'),
);
let shown = show(root);
// The analysis view keeps its selection in the hash with replaceState (no event); a hashchange is
// a link or the navigation: another view, or a report to open.
window.addEventListener('hashchange', () => {
  // The Review page keeps its own `report` in the hash with replaceState; only the analysis view reopens on one.
  if (viewOf() !== shown || (shown === 'analysis' && new URLSearchParams(location.hash.replace(/^#/, '')).has('report'))) shown = show(root);
});
