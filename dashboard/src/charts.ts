/** ECharts, tree-shaken: only the charts and components the dashboard draws are bundled. */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

const PALETTE = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83', '#ca8622', '#bda29a', '#6e7074', '#546570'];

const charts = new Set<echarts.ECharts>();

export function drawChart(element: HTMLElement, option: ChartOption): echarts.ECharts {
  const existing = echarts.getInstanceByDom(element);
  const chart = existing ?? echarts.init(element, undefined, { renderer: 'canvas' });
  charts.add(chart);
  chart.setOption({ color: PALETTE, animation: false, textStyle: { fontFamily: 'inherit' }, ...option }, { notMerge: true });
  return chart;
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
