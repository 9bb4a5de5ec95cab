/**
 * 审核 / Review (`#view=review`, analyst or editor token): the district's review queue for the
 * year — counts per state, the reports needing attention first, the offices with no report — and
 * the chosen report beside its source (review-report.ts). Keyboard: j/k (or n/p) next/previous
 * report, f next finding, a accept table, c confirm; never while typing in a field.
 */
import { allPages, isAuthError, request, storeToken, storedToken } from '../api';
import { latestYearWithReports } from '../district';
import { formatNumber, h } from '../dom';
import { OfficeTreeDocument, PickerOptionsDocument, ReviewQueueDocument, ReviewReportDocument, type ReadingStatus, type ReviewQueueQuery, type ReviewState } from '../generated/graphql';
import { Panel } from '../panel';
import { districtPicker, treeOrder, type OfficeNode } from '../pickers';
import { Vocabulary, type ReportingYear } from '../vocabulary';
import { REVIEW_STATE_LABELS, ReviewSession } from './review-report';

type QueueItem = ReviewQueueQuery['reviewQueue']['reports']['edges'][number]['node'];
interface Queue {
  readonly counts: ReviewQueueQuery['reviewQueue']['counts'];
  readonly missing: ReviewQueueQuery['reviewQueue']['missing'];
  readonly items: readonly QueueItem[];
}

const READING: Record<ReadingStatus, string> = {
  VERIFIED: '已核对 / verified',
  READ_WITH_FINDINGS: '有勾稽问题 / with findings',
  PARTIAL: '不完整 / partial',
  UNREADABLE: '无法读取 / unreadable',
};

const LAST_DISTRICT = 'disclosure-graph.dashboard.district';

function hashParams(): URLSearchParams {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

/** The page's place in the hash, replaced (no history entry, no hashchange). */
function writeHash(district: string, year: number, report: string | null): void {
  const params = new URLSearchParams({ view: 'review', district, year: String(year) });
  if (report) params.set('report', report);
  history.replaceState(null, '', `#${params.toString()}`);
}

function tokenNeeded(error: unknown): Node | null {
  if (!isAuthError(error)) return null;
  const why = !storedToken()
    ? '在上方「令牌 / Token」处填写分析员或编辑令牌后显示审核队列。/ Enter an analyst or editor token above to see the review queue.'
    : `所填令牌不能审核 / The token given cannot review (${error.message})`;
  return h('div', {}, h('strong', {}, '需要分析员或编辑令牌 / an analyst or editor token is needed'), h('p', {}, why));
}

async function loadQueue(district: string, year: number, state: ReviewState | null): Promise<Queue> {
  let head: ReviewQueueQuery['reviewQueue'] | null = null;
  const items = await allPages((after) =>
    request(ReviewQueueDocument, { under: district, year, state, after }).then((d) => {
      head ??= d.reviewQueue;
      return d.reviewQueue.reports;
    }),
  );
  return { counts: head!.counts, missing: head!.missing, items };
}

export function reviewPage(): HTMLElement {
  const root = h('main', { class: 'review-page', 'data-testid': 'review-page' }, h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), '正在加载… / Loading…'));
  void start(root);
  return root;
}

async function start(root: HTMLElement): Promise<void> {
  let offices: OfficeNode[];
  let vocabulary: Vocabulary;
  let years: number[];
  let reportingYears: ReportingYear[];
  try {
    const [tree, options] = await Promise.all([allPages((after) => request(OfficeTreeDocument, { after }).then((d) => d.offices)), request(PickerOptionsDocument, {})]);
    offices = treeOrder(tree);
    vocabulary = new Vocabulary(options.metricDefinitions);
    reportingYears = [...options.years].sort((a, b) => a.year - b.year);
    years = reportingYears.map((y) => y.year).reverse();
  } catch (error) {
    root.replaceChildren(h('div', { class: 'state error', role: 'alert' }, h('strong', {}, '加载失败 / Loading failed'), h('p', {}, (error as Error).message)));
    return;
  }
  if (!offices.length || !years.length) {
    root.replaceChildren(h('div', { class: 'state empty' }, '服务中还没有机关或年度报告 / The service holds no offices or reports yet'));
    return;
  }
  const parents = new Set(offices.map((o) => o.parent?.code).filter(Boolean));
  const params = hashParams();
  const known = (code: string | null) => (code && offices.some((o) => o.code === code) ? code : null);
  let district = known(params.get('district')) ?? known(localStorage.getItem(LAST_DISTRICT)) ?? (offices.find((o) => parents.has(o.code) && o.parent) ?? offices.find((o) => parents.has(o.code)) ?? offices[0]!).code;
  const asked = Number(params.get('year'));
  // As the analysis view does: the district's own latest year with reports, unless the link names one.
  let year = years.includes(asked) ? asked : ((await latestYearWithReports(district, reportingYears)) ?? years[0]!);
  let state: ReviewState | null = null;
  let openCode: string | null = params.get('report');
  let queue: Queue | null = null;
  let session: ReviewSession | null = null;

  const queuePanel = new Panel('review-queue', '审核队列', 'Review queue');
  const reportPanel = new Panel('review-report', '报告与原文', 'The report beside its source');
  reportPanel.element.hidden = true;

  const renderQueue = (q: Queue) => {
    const total = q.counts.reduce((n, c) => n + c.count, 0);
    const filter = (s: ReviewState | null, label: string, count: number) => {
      const b = h('button', { type: 'button', class: `card count${state === s ? ' current' : ''}`, 'data-testid': `review-count-${s ?? 'ALL'}`, 'data-count': String(count) }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, formatNumber(count)));
      b.addEventListener('click', () => {
        state = s;
        void loadQueuePanel();
      });
      return b;
    };
    const counts = h('div', { class: 'cards' }, filter(null, '全部 / All', total), q.counts.map((c) => filter(c.state, REVIEW_STATE_LABELS[c.state], c.count)));
    const rows = q.items.map((item) => {
      const open = h('button', { type: 'button', class: 'link', 'data-office': item.office.code }, item.office.name);
      open.addEventListener('click', () => void openReport(item.office.code));
      return h(
        'tr',
        { 'data-office': item.office.code, 'data-state': item.reviewState, class: item.office.code === openCode ? 'highlight' : undefined },
        h('td', {}, open),
        h('td', {}, REVIEW_STATE_LABELS[item.reviewState]),
        h('td', {}, item.readingStatus ? READING[item.readingStatus] : '手工录入 / by hand'),
        h('td', { class: 'num', 'data-col': 'openFindings' }, String(item.openFindings)),
        h('td', { class: 'num' }, String(item.lowConfidenceValues)),
        h('td', { class: 'num' }, String(item.emptyCells)),
        h('td', { class: 'num' }, String(item.corrections)),
        h('td', { class: 'num' }, item.correctionConflicts ? h('strong', { class: 'conflict-mark' }, String(item.correctionConflicts)) : '0'),
        h('td', { class: 'num' }, String(item.revision)),
      );
    });
    const columns = ['机关 / Office', '审核状态 / State', '读取 / Reading', '待处理问题 / Open findings', '低置信 / Low confidence', '空单元格 / Empty cells', '更正 / Corrections', '冲突 / Conflicts', '版本 / Rev.'];
    const table = h('table', { class: 'data', 'data-testid': 'review-queue-table' }, h('caption', {}, '按需关注程度排序 / Most in need of attention first'), h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows));
    const missing = q.missing.length
      ? h('p', { class: 'notes', 'data-testid': 'review-missing' }, `未报送 ${q.missing.length} 个 / No report (${q.missing.length}): ${q.missing.map((o) => o.name).join('、')}`)
      : h('p', { class: 'notes', 'data-testid': 'review-missing' }, '各机关均已报送 / Every office filed');
    return { lead: counts, table: { columns: [], rows: [] }, always: h('div', {}, q.items.length ? table : h('p', { class: 'state empty' }, '没有符合条件的报告 / No reports here'), missing) };
  };

  const loadQueuePanel = () =>
    queuePanel.load(
      ['审核队列', 'review queue'],
      () => loadQueue(district, year, state),
      (q) => {
        queue = q;
        return renderQueue(q);
      },
      tokenNeeded,
    );

  const host = {
    changed: () => void loadQueuePanel(),
    reload: () => {
      if (openCode) void openReport(openCode);
      void loadQueuePanel();
    },
  };

  async function openReport(code: string): Promise<void> {
    openCode = code;
    writeHash(district, year, code);
    queuePanel.element.querySelectorAll('tr[data-office]').forEach((tr) => tr.classList.toggle('highlight', (tr as HTMLElement).dataset.office === code));
    reportPanel.element.hidden = false;
    await reportPanel.load(
      ['报告', 'report'],
      () => request(ReviewReportDocument, { code, year }),
      (data) => {
        if (!data.report) return { empty: `${code} 没有${year}年报告 / no report for ${year}` };
        session = new ReviewSession(data.report, vocabulary, host);
        return { table: { columns: [], rows: [] }, always: session.element };
      },
      tokenNeeded,
    );
  }

  const step = (by: number) => {
    const items = queue?.items ?? [];
    if (!items.length) return;
    const at = items.findIndex((i) => i.office.code === openCode);
    const next = items[Math.min(items.length - 1, Math.max(0, at < 0 ? 0 : at + by))]!;
    void openReport(next.office.code);
  };

  const picker = districtPicker(offices, district, (code) => {
    district = code;
    localStorage.setItem(LAST_DISTRICT, code);
    openCode = null;
    reportPanel.element.hidden = true;
    void latestYearWithReports(code, reportingYears).then((latest) => {
      if (latest !== null && latest !== year) {
        year = latest;
        yearSelect.value = String(latest);
      }
      writeHash(district, year, null);
      void loadQueuePanel();
    });
  });
  const yearSelect = h('select', { 'data-testid': 'review-year', 'aria-label': '年度 / Year' }, years.map((y) => h('option', { value: String(y), selected: y === year }, `${y}年`)));
  yearSelect.addEventListener('change', () => {
    year = Number(yearSelect.value);
    openCode = null;
    reportPanel.element.hidden = true;
    writeHash(district, year, null);
    void loadQueuePanel();
  });
  const token = h('input', { type: 'password', placeholder: '分析员或编辑令牌 / Analyst or editor token', value: storedToken(), 'data-testid': 'review-token', autocomplete: 'off' });
  token.addEventListener('change', () => {
    storeToken(token.value);
    host.reload();
  });

  const onKey = (event: KeyboardEvent) => {
    // The page was left (another view replaced it): its keys go with it.
    if (!root.isConnected) {
      document.removeEventListener('keydown', onKey);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.closest('input, select, textarea') || target.isContentEditable)) return;
    const key = event.key;
    if (key === 'j' || key === 'n') step(1);
    else if (key === 'k' || key === 'p') step(-1);
    else if (key === 'f') session?.nextFinding();
    else if (key === 'a') session?.acceptCurrent();
    else if (key === 'c') void session?.confirm();
    else if (key === 'Escape') session?.select(null);
    else return;
    event.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  root.replaceChildren(
    h('div', { class: 'toolbar' }, picker.element, h('div', { class: 'picker' }, h('label', {}, '年度 / Year'), yearSelect), h('div', { class: 'picker token' }, h('label', {}, '令牌 / Token'), token)),
    h('div', { class: 'review-grid' }, queuePanel.element, reportPanel.element),
  );
  writeHash(district, year, openCode);
  await loadQueuePanel();
  if (openCode) await openReport(openCode);
}
