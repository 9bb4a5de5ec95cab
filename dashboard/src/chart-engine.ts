/** ECharts, tree-shaken: only the charts and components the dashboard draws are bundled (a chunk of its own, see charts.ts). */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TitleComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, DataZoomComponent, GridComponent, TitleComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, TooltipComponent, CanvasRenderer]);

const PALETTE = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83', '#ca8622', '#bda29a', '#6e7074', '#546570'];

const charts = new Set<echarts.ECharts>();

export function draw(element: HTMLElement, option: echarts.EChartsCoreOption): void {
  // Disposed meanwhile (a newer load replaced the panel's content): nothing to draw into.
  if (!element.isConnected) return;
  const existing = echarts.getInstanceByDom(element);
  const chart = existing ?? echarts.init(element, undefined, { renderer: 'canvas' });
  charts.add(chart);
  chart.setOption({ color: PALETTE, animation: false, textStyle: { fontFamily: 'inherit' }, ...option }, { notMerge: true });
}

export function dispose(element: HTMLElement): void {
  const chart = echarts.getInstanceByDom(element);
  if (chart) {
    charts.delete(chart);
    chart.dispose();
  }
}

window.addEventListener('resize', () => {
  for (const chart of charts) chart.resize();
});
