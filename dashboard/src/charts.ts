/** ECharts, tree-shaken: only the charts and components the dashboard draws are bundled. */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TitleComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, DataZoomComponent, GridComponent, TitleComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

const PALETTE = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83', '#ca8622', '#bda29a', '#6e7074', '#546570'];

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

const charts = new Set<echarts.ECharts>();

export function drawChart(element: HTMLElement, option: ChartOption): echarts.ECharts {
  const existing = echarts.getInstanceByDom(element);
  const chart = existing ?? echarts.init(element, undefined, { renderer: 'canvas' });
  charts.add(chart);
  chart.setOption({ color: PALETTE, animation: false, textStyle: { fontFamily: 'inherit' }, ...option }, { notMerge: true });
  // A canvas says nothing to a screen reader (or a test): name its axes and series.
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', describe(option));
  return chart;
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
  const chart = echarts.getInstanceByDom(element);
  if (chart) {
    charts.delete(chart);
    chart.dispose();
  }
}

window.addEventListener('resize', () => {
  for (const chart of charts) chart.resize();
});
