/**
 * Chart sizes and descriptions; the drawing itself is ECharts (tree-shaken, chart-engine.ts),
 * loaded as a chunk of its own: most of the page's script, it arrives and is parsed while the
 * first view's requests are under way, instead of holding them back until it is.
 */
import type { EChartsCoreOption } from 'echarts/core';

const engineLoad = import('./chart-engine');
let engine: typeof import('./chart-engine') | null = null;
void engineLoad.then((loaded) => {
  engine = loaded;
});

export type ChartOption = EChartsCoreOption;

/** No chart is taller than this, whatever the number of offices: long category axes scroll instead. */
export const MAX_CHART_HEIGHT = 560;

/**
 * Height for a horizontal bar chart of `count` categories, bounded by MAX_CHART_HEIGHT, and the
 * dataZoom that scrolls its category (y) axis when they do not all fit at a legible bar size.
 */
export function categoryLayout(count: number, perRow = 28, chrome = 60): { height: number; dataZoom?: unknown[] } {
  const wanted = chrome + count * perRow;
  if (wanted <= MAX_CHART_HEIGHT) return { height: Math.max(160, wanted) };
  const visible = Math.max(1, Math.floor((MAX_CHART_HEIGHT - chrome) / perRow));
  return {
    height: MAX_CHART_HEIGHT,
    dataZoom: [
      { type: 'slider', yAxisIndex: 0, right: 4, width: 14, startValue: 0, endValue: visible - 1, zoomLock: true, brushSelect: false, showDetail: false },
      { type: 'inside', yAxisIndex: 0, startValue: 0, endValue: visible - 1, zoomOnMouseWheel: false, moveOnMouseWheel: true },
    ],
  };
}

/** Draws the chart; a promise only until the engine has arrived (the first view's first charts). */
export function drawChart(element: HTMLElement, option: ChartOption): void | Promise<void> {
  // A canvas says nothing to a screen reader (or a test): name its axes and series.
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', describe(option));
  if (engine) return engine.draw(element, option);
  return engineLoad.then((loaded) => loaded.draw(element, option));
}

function names(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((item) => (item as { name?: unknown }).name).filter((name): name is string => typeof name === 'string' && name !== '');
}

/** 坐标轴 / axes and 系列 / series of a chart, as one line of text. */
export function describe(option: ChartOption): string {
  const o = option as { xAxis?: unknown; yAxis?: unknown; series?: unknown };
  const axes = [...names(o.xAxis), ...names(o.yAxis)];
  return `${axes.length ? `坐标轴 / axes: ${axes.join('; ')} · ` : ''}系列 / series: ${names(o.series).join('; ')}`;
}

export function disposeChart(element: HTMLElement): void {
  // Before the engine has arrived no chart has been drawn.
  engine?.dispose(element);
}
