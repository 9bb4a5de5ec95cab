/**
 * Trends 2019–latest for an office or the whole district. The 2021 template change is marked on the
 * axis; a measure whose 2019 and 2021 versions differ is drawn as two separate lines.
 */
import { allPages, request } from '../api';
import { formatMetric, formatSigned, h } from '../dom';
import { DistrictTrendDocument, OfficeTrendDocument } from '../generated/graphql';
import { Panel, type PanelContent } from '../panel';
import type { MetricDefinition, ReportingYear, Vocabulary } from '../vocabulary';

type YearReports = { year: number; metrics: { key: string; value?: number | null }[] }[];

export function trendsPanel(officeSelect: HTMLSelectElement): Panel {
  return new Panel('trends', '历年趋势', 'Trends', [h('label', { class: 'inline' }, '对象 / Series ', officeSelect)]);
}

/** Per year: the metric's value (summed over offices for a district), null when nobody stated it. */
function valuesByYear(reportsPerOffice: readonly YearReports[], key: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const reports of reportsPerOffice) {
    for (const report of reports) {
      const value = report.metrics.find((m) => m.key === key)?.value;
      if (value !== null && value !== undefined) out.set(report.year, (out.get(report.year) ?? 0) + value);
    }
  }
  return out;
}

export async function showTrend(
  panel: Panel,
  vocabulary: Vocabulary,
  years: readonly ReportingYear[],
  metric: string,
  target: { code: string; name: string; district: boolean },
): Promise<void> {
  const definition = vocabulary.get(metric);
  const counterpart = definition?.crossFormat?.key;
  const keys = counterpart ? [metric, counterpart] : [metric];
  await panel.load(['趋势', 'trend'],
    async () => {
      if (target.district) {
        const offices = await allPages((after) => request(DistrictTrendDocument, { under: target.code, keys, after }).then((d) => d.offices));
        return offices.map((o) => o.reports);
      }
      const data = await request(OfficeTrendDocument, { code: target.code, keys });
      if (!data.office) throw new Error(`机关 ${target.code} 不存在 / no such office`);
      return [data.office.reports];
    },
    (reports) => present(reports, vocabulary, years, metric, definition, target.name),
  );
}

function present(reports: readonly YearReports[], vocabulary: Vocabulary, years: readonly ReportingYear[], metric: string, definition: MetricDefinition | undefined, name: string): PanelContent | { empty: string } {
  // Reports written since the page loaded extend the axis too.
  const latest = Math.max(2019, ...years.map((y) => y.year), ...reports.flatMap((r) => r.map((report) => report.year)));
  const axis = Array.from({ length: latest - 2019 + 1 }, (_, i) => 2019 + i);
  const formatOf = (year: number) => years.find((y) => y.year === year)?.templateFormat ?? (year >= 2021 ? 'FORMAT_2021' : 'FORMAT_2019');
  const unit = definition?.unit ?? 'count';
  const main = valuesByYear(reports, metric);
  const carried = (year: number) => definition?.formats.includes(formatOf(year)) ?? true;
  const pairing = definition?.crossFormat;
  const other = pairing ? valuesByYear(reports, pairing.key) : new Map<number, number>();
  if (main.size === 0 && other.size === 0) return { empty: `${name}历年报告中没有「${vocabulary.label(metric)}」/ No values over the years` };

  const series: Record<string, unknown>[] = [];
  const notes: string[] = [];
  const mainData = axis.map((y) => (carried(y) ? (main.get(y) ?? null) : null));
  // A comparable counterpart continues the same line; a non-comparable one is its own line.
  const continued = pairing?.comparable ? axis.map((y, i) => mainData[i] ?? (carried(y) ? null : (other.get(y) ?? null))) : mainData;
  series.push({ type: 'line', name: vocabulary.label(metric), data: continued, connectNulls: false, symbolSize: 8, label: { show: true, formatter: (p: { value: number }) => formatMetric(p.value, unit) } });
  if (pairing && !pairing.comparable) {
    series.push({ type: 'line', name: `${vocabulary.label(pairing.key)}（口径不同 / not comparable）`, data: axis.map((y) => (carried(y) ? null : (other.get(y) ?? null))), lineStyle: { type: 'dashed' }, symbol: 'triangle', symbolSize: 8 });
    notes.push(`不可比 / Not comparable: ${pairing.note}`);
  } else if (pairing?.comparable) {
    notes.push(`跨格式对应 / Paired across formats: ${pairing.note}`);
  }
  if (definition && definition.formats.length < 2 && !pairing) notes.push(`该指标仅见于${definition.formats.map((f) => (f === 'FORMAT_2021' ? '2021版' : '2019版')).join('、')}格式 / Only in that template format`);
  const changeIndex = axis.indexOf(2021);
  const rows = axis.map((y, i) => {
    const value = (series[0]!.data as (number | null)[])[i] ?? null;
    const previous = i > 0 ? ((series[0]!.data as (number | null)[])[i - 1] ?? null) : null;
    const comparable = !(pairing && !pairing.comparable && y === 2021);
    return [
      `${y}年`,
      formatOf(y) === 'FORMAT_2021' ? '2021版' : '2019版',
      formatMetric(value, unit),
      value !== null && previous !== null && comparable ? (unit === 'ratio' ? `${((value - previous) * 100).toFixed(1)} 个百分点` : formatSigned(value - previous)) : comparable ? '—' : '不可比 / not comparable',
      series[1] ? formatMetric((series[1].data as (number | null)[])[i] ?? null, unit) : '',
    ];
  });
  if (changeIndex >= 0) {
    (series[0] as { markLine?: unknown }).markLine = {
      symbol: 'none',
      lineStyle: { type: 'dashed', color: '#999' },
      label: { formatter: '2021年起新版格式\n2021 template', position: 'insideEndTop' },
      data: [{ xAxis: '2021' }],
    };
  }
  return {
    chart: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: axis.map(String) },
      yAxis: { type: 'value', minInterval: unit === 'count' ? 1 : undefined },
      series,
    },
    notes: [`${name}：${vocabulary.label(metric)}`, ...notes],
    table: {
      caption: `${name} · ${vocabulary.label(metric)}`,
      columns: ['年度 / Year', '格式 / Format', '数值 / Value', '较上年 / Change', pairing && !pairing.comparable ? vocabulary.label(pairing.key) : ''],
      rows,
    },
  };
}
