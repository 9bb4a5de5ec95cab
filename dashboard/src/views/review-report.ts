/**
 * One report under review: its source on one side (review-source.ts), the tables the service read
 * on the other, each number linked both ways; findings on the cells they concern; the correction
 * form, table acceptance, finding resolutions and sign-off. Every write sends the revision shown,
 * so a reviewer who was overtaken gets a CONFLICT, shown as such, never a silent overwrite.
 */
import { ApiError, request } from '../api';
import { formatNumber, h } from '../dom';
import {
  AcceptTableDocument,
  CorrectMetricsDocument,
  ResolveFindingDocument,
  SetReviewStateDocument,
  type FindingResolution,
  type MetricTable,
  type ReviewState,
  type ReviewTable,
  type ReviewedReportFragment,
} from '../generated/graphql';
import { TABLE_LABELS, TABLE_ORDER, asMetricKey, type Vocabulary } from '../vocabulary';
import { sourceView, type SourceView } from './review-source';

export type ReviewedReport = ReviewedReportFragment;

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  UNREVIEWED: '未审核 / Unreviewed',
  IN_REVIEW: '审核中 / In review',
  CONFIRMED: '已确认 / Confirmed',
  RETURNED: '退回报送机关 / Returned to office',
};

const RESOLUTION_LABELS: Record<FindingResolution, string> = {
  OPEN: '待处理 / open',
  ACCEPTED_AS_PUBLISHED: '按原文记录 / accepted as published',
  FIXED_BY_CORRECTION: '已更正 / fixed by correction',
};

const METHOD_LABELS: Record<string, string> = {
  CELL: '单元格 / cell',
  ROW_BY_POSITION: '按位置 / by position',
  SPLIT_BY_SUMS: '按合计拆分 / split by sums',
  PROSE: '正文 / prose',
  OCR: '文字识别 / OCR',
  MANUAL: '人工 / manual',
};

/** Tables a reviewer can accept whole; channel figures are derived from channel activity. */
const ACCEPTABLE: readonly MetricTable[] = ['PROSE', 'PROACTIVE', 'APPLICATIONS', 'REVIEWS', 'CHANNELS'];

export interface ReviewSessionHost {
  /** A write changed the report: the queue's counts and order change with it. */
  changed(report: ReviewedReport): void;
  /** The report must be read again (a CONFLICT, or a finding id gone stale). */
  reload(): void;
}

export class ReviewSession {
  readonly element: HTMLElement;
  private readonly message = h('div', { class: 'review-message', role: 'status', 'data-testid': 'review-message' });
  private source: SourceView | null = null;
  private selected: string | null = null;
  private findingAt = -1;
  private busy = false;

  constructor(
    private report: ReviewedReport,
    private readonly vocabulary: Vocabulary,
    private readonly host: ReviewSessionHost,
  ) {
    this.element = h('div', { class: 'review-session', 'data-testid': 'review-session' });
    this.render();
  }

  get officeCode(): string {
    return this.report.office.code;
  }

  private render(): void {
    const r = this.report;
    const openFindings = r.findings.filter((f) => f.resolution === 'OPEN');
    const concerned = new Map<string, string[]>();
    for (const f of openFindings) for (const key of [...f.leftKeys, ...f.rightKeys]) concerned.set(key, [...(concerned.get(key) ?? []), `${f.code}：${f.message}`]);
    const corrections = r.corrections.filter((c) => c.status !== 'REPLACED');
    const correctionOf = new Map(corrections.map((c) => [c.metricKey, c]));

    const head = h(
      'div',
      { class: 'review-head' },
      h('strong', {}, r.title ?? r.office.name),
      h('span', { class: `review-state state-${r.reviewState.toLowerCase()}`, 'data-testid': 'review-state', 'data-state': r.reviewState }, REVIEW_STATE_LABELS[r.reviewState]),
      h('span', { 'data-testid': 'review-revision', 'data-revision': String(r.revision ?? '') }, `第${r.revision ?? '—'}版 / revision ${r.revision ?? '—'}`),
      r.reviewedBy ? h('span', { class: 'inline' }, `${r.reviewedBy} · ${r.reviewedAt ? new Date(r.reviewedAt).toLocaleString('zh-CN') : ''}`) : null,
    );
    const note = r.reviewNote ? h('p', { class: 'review-note', 'data-testid': 'review-note' }, r.reviewNote) : null;
    const confirm = h('button', { type: 'button', class: 'download', 'data-testid': 'review-confirm' }, '确认 / Confirm (c)');
    confirm.addEventListener('click', () => void this.confirm());
    const returnNote = h('input', { type: 'text', placeholder: '退回原因 / Why it goes back', 'data-testid': 'review-return-note' });
    const returnButton = h('button', { type: 'button', class: 'toggle', 'data-testid': 'review-return' }, '退回报送机关 / Return to office');
    returnButton.addEventListener('click', () => void this.setState('RETURNED', returnNote.value));
    const actions = h('div', { class: 'review-actions' }, confirm, returnNote, returnButton);

    // The tables the service read: one section per table, each value a button linked to its span.
    // In the template's order (the vocabulary's), as the published table runs.
    const order = new Map(this.vocabulary.definitions.map((d, i) => [d.key, i]));
    const metrics = [...r.metrics].sort((a, b) => (order.get(a.key) ?? 1e9) - (order.get(b.key) ?? 1e9));
    const byTable = new Map<MetricTable, ReviewedReport['metrics']>();
    for (const m of metrics) if (m.value !== null || correctionOf.has(m.key)) byTable.set(m.table, [...(byTable.get(m.table) ?? []), m]);
    const accepted = new Map(r.acceptedTables.map((a) => [a.tableName, a]));
    const sections = TABLE_ORDER.filter((t) => byTable.has(t)).map((table) => {
      const acceptance = accepted.get(table as ReviewTable);
      const current = acceptance && acceptance.revisionNumber === r.revision;
      const accept = h('button', { type: 'button', class: 'toggle', 'data-testid': `review-accept-${table}` }, current ? '已确认本表 / accepted' : '确认本表 / Accept table');
      accept.addEventListener('click', () => void this.accept(table));
      const rows = byTable.get(table)!.map((m) => {
        const findings = concerned.get(m.key);
        const correction = correctionOf.get(m.key);
        const value = h('button', { type: 'button', class: 'cell-value', 'data-key': m.key, 'data-line': String(m.source?.line ?? ''), 'data-testid': 'review-value' }, formatNumber(m.value, m.approximate));
        value.addEventListener('click', () => this.select(m.key));
        const marks = [
          findings ? h('span', { class: 'finding-mark', title: findings.join('\n'), 'data-testid': 'review-cell-finding' }, `⚠ ${findings.length}`) : null,
          correction?.status === 'CONFLICT'
            ? h('span', { class: 'conflict-mark', 'data-testid': 'review-cell-conflict' }, `更正 ${formatNumber(correction.value)} ≠ 新原文 ${formatNumber(correction.conflictingValue)} / correction vs new text`)
            : correction
              ? h('span', { class: 'correction-mark', title: correction.reason }, `原读 / read ${formatNumber(correction.readValue)}`)
              : null,
        ];
        return h('tr', { 'data-key': m.key, class: findings ? 'has-finding' : undefined }, h('td', {}, m.label), h('td', { class: 'num' }, value, ...marks), h('td', { class: 'inline' }, m.source ? (METHOD_LABELS[m.source.method] ?? m.source.method) : '—'));
      });
      return h(
        'section',
        { class: 'review-table', 'data-table': table },
        h('header', {}, h('h3', {}, TABLE_LABELS[table]), ACCEPTABLE.includes(table) ? accept : null),
        h('table', { class: 'data' }, h('tbody', {}, rows)),
      );
    });
    const tables = h('div', { class: 'review-tables', 'data-testid': 'review-tables' }, sections.length ? sections : h('p', { class: 'inline' }, '没有读出数值 / No values read'));

    this.source = r.source ? sourceView(r.source.readingText, r.source.html ? r.source.text ?? null : null, r.metrics, (key) => this.select(key), (line) => this.showLine(line)) : null;
    const sourceSide = this.source?.element ?? h('div', { class: 'review-source' }, h('p', { class: 'inline' }, '手工录入的报告，没有原文 / Entered by hand: there is no source text'));

    this.element.replaceChildren(
      head,
      note ?? '',
      actions,
      this.message,
      h('p', { class: 'review-help', 'data-testid': 'review-help' }, '键盘 / Keys: j / k 下一份 / 上一份报告 next / previous report · f 下一个问题 next finding · a 确认当前表 accept table · c 确认报告 confirm · Esc 取消选择 clear'),
      // Two panes of their own height, scrolled each on its own: the value and its span stay side by side.
      h('div', { class: 'review-split' }, sourceSide, h('div', { class: 'review-side' }, this.correctionForm(), this.findingsList(), tables, this.correctionsList(corrections))),
    );
    if (this.selected) this.select(this.selected, false);
  }

  private correctionForm(): HTMLElement {
    const r = this.report;
    const format = r.templateFormat;
    const keys = this.vocabulary.definitions.filter((d) => !d.derived && d.table !== 'CHANNELS' && d.formats.includes(format));
    const key = h('select', { 'data-testid': 'review-correct-key', 'aria-label': '指标 / Metric' }, keys.map((d) => h('option', { value: d.key }, `${d.label}（${d.key}）`)));
    const value = h('input', { type: 'number', step: 'any', min: '0', 'data-testid': 'review-correct-value', 'aria-label': '数值 / Value' });
    const blank = h('input', { type: 'checkbox', 'data-testid': 'review-correct-blank' });
    const reason = h('input', { type: 'text', placeholder: '理由（必填）/ Reason (required)', 'data-testid': 'review-correct-reason', 'aria-label': '理由 / Reason' });
    const current = h('span', { class: 'inline', 'data-testid': 'review-correct-current' });
    const showCurrent = () => {
      const m = r.metrics.find((x) => x.key === key.value);
      current.textContent = `当前 / now: ${m?.value === null || m === undefined ? '空白或未读出 / blank or left out' : formatNumber(m.value)}`;
    };
    key.addEventListener('change', () => {
      this.select(key.value);
    });
    blank.addEventListener('change', () => {
      value.disabled = blank.checked;
    });
    const form = h(
      'form',
      { class: 'review-correct', 'data-testid': 'review-correct-form' },
      h('strong', {}, '更正 / Correct'),
      key,
      current,
      h('label', {}, '数值 / Value ', value),
      h('label', {}, blank, ' 空白（非0）/ blank, not 0'),
      reason,
      h('button', { type: 'submit', class: 'download', 'data-testid': 'review-correct-submit' }, '提交更正 / Save correction'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const change = blank.checked ? { key: asMetricKey(key.value), blank: true, reason: reason.value } : { key: asMetricKey(key.value), value: value.value === '' ? null : Number(value.value), reason: reason.value };
      void this.write('更正 / correction', () => request(CorrectMetricsDocument, { input: { officeCode: r.office.code, year: r.year, revision: r.revision ?? 0, changes: [change] } }).then((d) => d.correctMetrics));
    });
    this.formParts = { key, value, blank, showCurrent };
    if (this.selected && keys.some((d) => d.key === this.selected)) key.value = this.selected;
    showCurrent();
    return form;
  }

  private formParts: { key: HTMLSelectElement; value: HTMLInputElement; blank: HTMLInputElement; showCurrent: () => void } | null = null;

  private findingsList(): HTMLElement {
    const r = this.report;
    const items = r.findings.map((f, i) => {
      const resolve = (resolution: FindingResolution, label: string) => {
        const b = h('button', { type: 'button', class: 'link', 'data-resolution': resolution }, label);
        b.addEventListener('click', () => void this.resolve(f.id, resolution));
        return b;
      };
      const text = h('button', { type: 'button', class: 'link' }, `${f.code}：${f.message}`);
      text.addEventListener('click', () => this.showFinding(i));
      return h(
        'li',
        { 'data-finding-id': String(f.id), 'data-resolution': f.resolution, class: i === this.findingAt ? 'current' : undefined },
        text,
        h('span', { class: 'inline' }, ` · ${RESOLUTION_LABELS[f.resolution]}${f.resolutionNote ? `（${f.resolutionNote}）` : ''} `),
        f.resolution === 'OPEN' ? [resolve('ACCEPTED_AS_PUBLISHED', '按原文记录 / accept as published'), ' ', resolve('FIXED_BY_CORRECTION', '已更正 / fixed')] : resolve('OPEN', '重新打开 / reopen'),
      );
    });
    return h(
      'div',
      { class: 'review-findings', 'data-testid': 'review-findings', 'data-open': String(r.findings.filter((f) => f.resolution === 'OPEN').length) },
      h('strong', {}, `勾稽关系问题 / Findings（${r.findings.length}）`),
      items.length ? h('ul', {}, items) : h('p', { class: 'inline', 'data-testid': 'review-no-findings' }, '未发现问题 / No findings'),
    );
  }

  private correctionsList(corrections: ReviewedReport['corrections']): HTMLElement {
    if (!corrections.length) return h('div', { 'data-testid': 'review-corrections' });
    return h(
      'div',
      { class: 'review-corrections', 'data-testid': 'review-corrections' },
      h('strong', {}, '更正记录 / Corrections'),
      h(
        'ul',
        {},
        corrections.map((c) =>
          h(
            'li',
            { 'data-key': c.metricKey, 'data-status': c.status, class: c.status === 'CONFLICT' ? 'conflict' : undefined },
            `${this.vocabulary.label(c.metricKey)}：${formatNumber(c.readValue)} → ${c.value === null ? '空白 / blank' : formatNumber(c.value)}`,
            c.status === 'CONFLICT' ? `；新原文为 / the new text says ${formatNumber(c.conflictingValue)}（待决定 / to decide: 更正此格或确认本表 / correct the cell or accept the table）` : '',
            h('span', { class: 'inline' }, ` · ${c.reason} · ${c.author} · 第${c.revisionNumber}版`),
          ),
        ),
      ),
    );
  }

  /** A value chosen (its cell, its span in the source, or the form's key). */
  select(key: string | null, scroll = true): void {
    this.selected = key;
    this.element.querySelectorAll('.cell-value.selected, tr.from-line, tr.finding-focus').forEach((e) => e.classList.remove('selected', 'from-line', 'finding-focus'));
    if (!key) {
      this.source?.showKey(null);
      return;
    }
    const cell = this.element.querySelector<HTMLElement>(`.cell-value[data-key="${CSS.escape(key)}"]`);
    cell?.classList.add('selected');
    if (scroll) cell?.scrollIntoView({ block: 'nearest' });
    const found = this.source?.showKey(key) ?? false;
    if (!found && key) this.message.textContent = `${this.vocabulary.label(key)}：原文中没有记录位置 / no place in the text recorded`;
    else this.message.textContent = '';
    if (this.formParts) {
      if ([...this.formParts.key.options].some((o) => o.value === key)) this.formParts.key.value = key;
      const m = this.report.metrics.find((x) => x.key === key);
      this.formParts.value.value = m?.value === null || m?.value === undefined ? '' : String(m.value);
      this.formParts.showCurrent();
    }
  }

  /** A line of the source clicked: the numbers read from it. */
  private showLine(line: number): void {
    this.select(null);
    const rows = [...this.element.querySelectorAll<HTMLElement>(`.cell-value[data-line="${line}"]`)];
    for (const cell of rows) cell.closest('tr')?.classList.add('from-line');
    this.source?.showLines([line]);
    rows[0]?.scrollIntoView({ block: 'nearest' });
    this.message.textContent = rows.length ? `第${line}行读出 ${rows.length} 个数值 / ${rows.length} value(s) read from line ${line}` : `第${line}行没有读出数值 / no value was read from line ${line}`;
  }

  private showFinding(index: number): void {
    const f = this.report.findings[index];
    if (!f) return;
    this.findingAt = index;
    this.select(null);
    this.element.querySelectorAll('.review-findings li.current').forEach((e) => e.classList.remove('current'));
    this.element.querySelector(`.review-findings li[data-finding-id="${f.id}"]`)?.classList.add('current');
    const keys = [...f.leftKeys, ...f.rightKeys];
    const cells = keys.map((k) => this.element.querySelector<HTMLElement>(`.cell-value[data-key="${CSS.escape(k)}"]`)).filter((c): c is HTMLElement => !!c);
    for (const c of cells) c.closest('tr')?.classList.add('finding-focus');
    cells[0]?.scrollIntoView({ block: 'nearest' });
    const lines = [...new Set(this.report.metrics.filter((m) => keys.includes(m.key) && m.source?.line).map((m) => m.source!.line!))];
    this.source?.showLines(lines);
    this.message.textContent = `${f.code}：${f.message}`;
  }

  /** f: the next open finding (wrapping). */
  nextFinding(): void {
    const open = this.report.findings.map((f, i) => ({ f, i })).filter((x) => x.f.resolution === 'OPEN');
    if (!open.length) {
      this.message.textContent = '没有待处理的问题 / No open findings';
      return;
    }
    this.showFinding((open.find((x) => x.i > this.findingAt) ?? open[0]!).i);
  }

  /** a: the table of the chosen value, else the first table not accepted at this revision. */
  acceptCurrent(): void {
    const chosen = this.selected ? this.report.metrics.find((m) => m.key === this.selected)?.table : undefined;
    const present = TABLE_ORDER.filter((t) => this.report.metrics.some((m) => m.table === t));
    const table = chosen ?? present.find((t) => !this.report.acceptedTables.some((a) => a.tableName === t && a.revisionNumber === this.report.revision));
    if (table) void this.accept(table);
  }

  confirm(): Promise<void> {
    return this.setState('CONFIRMED', '');
  }

  private accept(table: MetricTable): Promise<void> {
    const r = this.report;
    return this.write(`确认${TABLE_LABELS[table]} / table accepted`, () => request(AcceptTableDocument, { input: { officeCode: r.office.code, year: r.year, revision: r.revision ?? 0, table: table as ReviewTable } }).then((d) => d.acceptTable));
  }

  private setState(state: ReviewState, note: string): Promise<void> {
    const r = this.report;
    return this.write(REVIEW_STATE_LABELS[state], () => request(SetReviewStateDocument, { input: { officeCode: r.office.code, year: r.year, revision: r.revision, state, note: note.trim() || null } }).then((d) => d.setReviewState));
  }

  private async resolve(findingId: number, resolution: FindingResolution): Promise<void> {
    try {
      await request(ResolveFindingDocument, { input: { findingId, resolution } });
    } catch (error) {
      this.failed(error);
      return;
    }
    this.host.reload();
  }

  /** One write: the answer replaces the report shown; a refusal is said plainly, a CONFLICT offers a reload. */
  private async write(what: string, send: () => Promise<ReviewedReport>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const next = await send();
      this.report = next;
      this.render();
      this.message.className = 'review-message done';
      this.message.setAttribute('role', 'status');
      this.message.dataset.testid = 'review-message';
      this.message.textContent = `已保存：${what}（第${next.revision}版）/ Saved`;
      this.host.changed(next);
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy = false;
      this.element.setAttribute('aria-busy', 'false');
    }
  }

  private failed(error: unknown): void {
    this.message.setAttribute('role', 'alert');
    if (error instanceof ApiError && error.code === 'CONFLICT') {
      const x = error.extensions ?? {};
      const reload = h('button', { type: 'button', class: 'download', 'data-testid': 'review-reload' }, '重新加载 / Reload');
      reload.addEventListener('click', () => this.host.reload());
      this.message.className = 'review-message conflict';
      this.message.dataset.testid = 'review-conflict';
      this.message.replaceChildren(
        h('strong', {}, `版本冲突 / Conflict: 您看到的是第${String(x.yourRevision ?? '?')}版，现在已是第${String(x.currentRevision ?? '?')}版`),
        h('p', {}, '有人在此期间修改了这份报告；您的更改未保存。请重新加载后再改。/ Someone changed the report meanwhile; nothing of yours was written. Reload, then apply your change again.'),
        reload,
      );
      return;
    }
    this.message.className = 'review-message error';
    this.message.dataset.testid = 'review-message';
    const problems = error instanceof ApiError && Array.isArray(error.extensions?.problems) ? (error.extensions.problems as { field?: string; problem?: string }[]) : [];
    this.message.replaceChildren(
      h('strong', {}, '未保存 / Not saved'),
      h('p', {}, error instanceof Error ? error.message : String(error)),
      problems.length ? h('ul', {}, problems.map((p) => h('li', {}, `${p.field ?? ''}: ${p.problem ?? ''}`))) : '',
    );
  }
}
