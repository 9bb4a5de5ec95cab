/**
 * One section of the dashboard. Every chart has a loading, an empty and an error state, and its
 * numbers one click away in a table view.
 */
import { MAX_CHART_HEIGHT, disposeChart, drawChart, type ChartOption } from './charts';
import { h } from './dom';
import { downloadBar, type Download } from './download';
import { renderTable, type TableSpec } from './table';

export { renderTable, type TableSpec } from './table';

/** A further chart of a panel, drawn beside the first (e.g. the overview's distribution and outcome shares). */
export interface ExtraChart {
  readonly id: string;
  readonly option: ChartOption;
  readonly height?: number;
}

export interface PanelContent {
  readonly chart?: ChartOption;
  readonly chartHeight?: number;
  readonly moreCharts?: readonly ExtraChart[];
  readonly table: TableSpec;
  /** Shown under the chart and the table both (e.g. missing offices, comparability notes). */
  readonly notes?: readonly (string | Node)[];
  /** The table under the chart too (the ranking): the toggle then shows the table alone. */
  readonly tableBelowChart?: boolean;
  /** Shown above the chart whatever the view (key figures). */
  readonly lead?: Node;
  /** Shown below the chart whatever the view: the ranking table, the findings list. */
  readonly always?: Node;
  /** The panel's table as files (src/exports), built from the query the panel shows. */
  readonly downloads?: readonly Download[];
}

/** `locked`: the service refused for want of credentials, which is a state to explain, not a failure. */
export type PanelState = 'idle' | 'loading' | 'empty' | 'error' | 'locked' | 'ready';

export class Panel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly extra: HTMLElement;
  private readonly lead: HTMLElement;
  private view: 'chart' | 'table' = 'chart';
  private content: PanelContent | null = null;
  private generation = 0;

  constructor(
    readonly id: string,
    title: string,
    titleEn: string,
    controls: Node[] = [],
  ) {
    this.toggle = h('button', { type: 'button', class: 'toggle', 'data-testid': `${id}-toggle`, hidden: true }, '数据表 / Table');
    this.toggle.addEventListener('click', () => {
      this.view = this.view === 'chart' ? 'table' : 'chart';
      void this.paint();
    });
    this.body = h('div', { class: 'panel-body' });
    this.extra = h('div', { class: 'panel-extra' });
    this.lead = h('div', { class: 'panel-lead' });
    this.element = h(
      'section',
      { class: 'panel', id, 'data-state': 'idle', 'aria-busy': 'false' },
      h('header', {}, h('h2', {}, title, h('small', {}, titleEn)), h('div', { class: 'controls' }, ...controls, this.toggle)),
      this.lead,
      this.body,
      this.extra,
    );
  }

  get state(): PanelState {
    return this.element.dataset.state as PanelState;
  }

  private setState(state: PanelState): void {
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'loading'));
  }

  /**
   * Loads and shows; a newer call wins over a slower older one, so quick picker changes never
   * leave a stale chart on screen. `locked` turns an error into a notice (e.g. a refusal for want
   * of a token) when it returns a message.
   */
  async load<T>(
    what: readonly [zh: string, en: string],
    fetchData: () => Promise<T>,
    present: (data: T) => PanelContent | { empty: string },
    locked?: (error: unknown) => Node | string | null,
  ): Promise<void> {
    const generation = ++this.generation;
    this.setState('loading');
    this.clear();
    this.body.append(h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), `正在加载${what[0]}… / Loading ${what[1]}…`));
    let data: T;
    try {
      data = await fetchData();
    } catch (error) {
      if (generation !== this.generation) return;
      const notice = locked?.(error);
      if (notice) this.showLocked(notice);
      else this.showError(what, error);
      return;
    }
    if (generation !== this.generation) return;
    let content: PanelContent | { empty: string };
    try {
      content = present(data);
    } catch (error) {
      this.showError(what, error);
      return;
    }
    if ('empty' in content) this.showEmpty(content.empty);
    else await this.show(content);
  }

  /**
   * Loading, before its load starts: a panel that loads after others (the assessment) must not
   * show the previous selection's content as ready meanwhile.
   */
  waiting(what: readonly [zh: string, en: string]): void {
    ++this.generation;
    this.setState('loading');
    this.clear();
    this.body.append(h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), `正在加载${what[0]}… / Loading ${what[1]}…`));
  }

  showEmpty(message: string): void {
    this.clear();
    this.setState('empty');
    this.body.append(h('div', { class: 'state empty', 'data-testid': `${this.id}-empty` }, message));
  }

  showLocked(message: Node | string): void {
    this.clear();
    this.setState('locked');
    this.body.append(h('div', { class: 'state locked', role: 'status', 'data-testid': `${this.id}-locked` }, message));
  }

  showError(what: readonly [zh: string, en: string], error: unknown): void {
    this.clear();
    this.setState('error');
    const detail = error instanceof Error ? error.message : String(error);
    this.body.append(
      h('div', { class: 'state error', role: 'alert', 'data-testid': `${this.id}-error` }, h('strong', {}, `加载${what[0]}失败 / Loading the ${what[1]} failed`), h('p', {}, detail)),
    );
  }

  /** Ready once its charts are drawn: on the first view the chart engine may still be on its way. */
  show(content: PanelContent): void | Promise<void> {
    this.clear();
    this.content = content;
    this.toggle.hidden = !content.chart;
    if (content.notes?.length) this.extra.append(h('ul', { class: 'notes' }, content.notes.map((n) => h('li', {}, n))));
    if (content.lead) this.lead.append(content.lead);
    if (content.downloads?.length) this.lead.append(downloadBar(this.id, content.downloads));
    if (content.always) this.extra.append(content.always);
    const drawing = this.paint();
    if (!drawing) {
      this.setState('ready');
      return;
    }
    return drawing.then(() => {
      if (this.content === content) this.setState('ready');
    });
  }

  private clear(): void {
    for (const chart of this.body.querySelectorAll<HTMLElement>('.chart')) disposeChart(chart);
    this.body.replaceChildren();
    this.extra.replaceChildren();
    this.lead.replaceChildren();
    this.toggle.hidden = true;
    this.content = null;
  }

  private paint(): Promise<unknown> | undefined {
    const content = this.content;
    if (!content) return undefined;
    for (const chart of this.body.querySelectorAll<HTMLElement>('.chart')) disposeChart(chart);
    this.body.replaceChildren();
    // A view without a chart shows its table, without forgetting the analyst's choice for the next one.
    if (this.view === 'chart' && content.chart) {
      // Bounded whatever the number of offices: a long category axis scrolls (dataZoom) instead.
      const height = (wanted: number | undefined) => Math.min(wanted ?? 320, MAX_CHART_HEIGHT);
      const element = h('div', { class: 'chart', 'data-testid': `${this.id}-chart`, style: `height:${height(content.chartHeight)}px` });
      const extras = (content.moreCharts ?? []).map((c) => ({ c, element: h('div', { class: 'chart', 'data-testid': `${this.id}-${c.id}-chart`, style: `height:${height(c.height)}px` }) }));
      this.body.append(extras.length ? h('div', { class: 'chart-row' }, element, ...extras.map((e) => e.element)) : element);
      const drawing = [drawChart(element, content.chart), ...extras.map((extra) => drawChart(extra.element, extra.c.option))].filter((d) => d !== undefined);
      if (content.tableBelowChart) this.body.append(renderTable(content.table, `${this.id}-list`));
      this.toggle.textContent = '数据表 / Table';
      return drawing.length ? Promise.all(drawing) : undefined;
    } else if (content.table.columns.length > 0) {
      this.body.append(renderTable(content.table, `${this.id}-table`));
      this.toggle.textContent = '图表 / Chart';
    }
    return undefined;
  }
}
