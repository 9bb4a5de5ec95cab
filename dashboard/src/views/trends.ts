/**
 * Trends 2019–latest for an office (the service's yearOverYear) or the whole district (its
 * timeSeries total). The 2021 template change is marked on the axis; a measure whose 2019 and 2021
 * versions are not comparable is drawn as two separate lines and its change said to be 不可比.
 */
import { request } from '../api';
import { formatMetric, formatSigned, h } from '../dom';
import { DistrictTimeSeriesDocument, OfficeYearOverYearDocument, type TemplateFormat } from '../generated/graphql';
import { exportDownloads, withDownloads } from '../download';
import { Panel, type PanelContent } from '../panel';
import { asMetricKey, type MetricDefinition, type ReportingYear, type Vocabulary } from '../vocabulary';

const FIRST_YEAR = 2019;
const FORMAT_2021_FIRST_YEAR = 2021;

/** One year of the trend, from either query. */
export interface TrendPoint {
  readonly year: number;
  readonly format: TemplateFormat;
  /** Whether any report counts in this year (trailing years without one are left off the axis). */
  readonly reported: boolean;
  /** On the metric's own line (its own key, or a counterpart the service calls comparable). */
  readonly value: number | null;
  /** On the counterpart's line: the other template's measure, not comparable with the metric. */
  readonly other: number | null;
  readonly change: number | null;
  readonly percentChange: number | null;
  /** Both years have a measure, but not the same one: the change is 不可比. */
  readonly notComparable: boolean;
  readonly note: string | null;
  /** Reports counted (the district total only). */
  readonly reportCount?: number;
  /** The district's sum, where `value` is its mean per filing office. */
  readonly total?: number | null;
}

interface Trend {
  readonly points: readonly TrendPoint[];
  readonly district: boolean;
}

export function trendsPanel(officeSelect: HTMLSelectElement): Panel {
  return new Panel('trends', '历年趋势', 'Trends', [h('label', { class: 'inline' }, '对象 / Series ', officeSelect)]);
}

const formatForYear = (year: number): TemplateFormat => (year >= FORMAT_2021_FIRST_YEAR ? 'FORMAT_2021' : 'FORMAT_2019');

/**
 * Asks up to this calendar year, so that reports written since the page loaded its years still show;
 * trailing years without any report are then left off.
 */
function yearRange(years: readonly ReportingYear[]): { fromYear: number; toYear: number; latestKnown: number } {
  const latestKnown = Math.max(FIRST_YEAR, ...years.map((y) => y.year));
  return { fromYear: FIRST_YEAR, toYear: Math.max(latestKnown, new Date().getFullYear()), latestKnown };
}

function trimTrailing(points: TrendPoint[], latestKnown: number): TrendPoint[] {
  let end = points.length;
  while (end > 0 && points[end - 1]!.year > latestKnown && !points[end - 1]!.reported) end -= 1;
  return points.slice(0, end);
}

async function officeTrend(code: string, metric: string, definition: MetricDefinition | undefined, years: readonly ReportingYear[]): Promise<Trend> {
  const range = yearRange(years);
  const data = await request(OfficeYearOverYearDocument, { code, metric: asMetricKey(metric), fromYear: range.fromYear, toYear: range.toYear });
  const series = data.yearOverYear.series.find((s) => s.metric === metric);
  if (!series) throw new Error(`yearOverYear 未返回 ${metric} / the service returned no series for ${metric}`);
  const pairing = definition?.crossFormat;
  const points = series.points.map((p): TrendPoint => {
    // The service reads each year under the key of that year's template and pairs them itself.
    const ownLine = p.key === metric || (p.key !== null && pairing?.key === p.key && pairing.comparable);
    return {
      year: p.year,
      format: p.templateFormat ?? formatForYear(p.year),
      reported: p.templateFormat !== null,
      value: ownLine ? (p.value ?? null) : null,
      other: !ownLine && p.key !== null ? (p.value ?? null) : null,
      change: p.comparable ? (p.change ?? null) : null,
      percentChange: p.comparable ? (p.percentChange ?? null) : null,
      notComparable: !p.comparable && p.key !== null && p.previousKey !== null,
      note: p.note ?? null,
    };
  });
  return { points: trimTrailing(points, range.latestKnown), district: false };
}

async function districtTrend(district: string, metric: string, definition: MetricDefinition | undefined, years: readonly ReportingYear[]): Promise<Trend> {
  const range = yearRange(years);
  const pairing = definition?.crossFormat;
  const metrics = pairing ? [metric, pairing.key] : [metric];
  const data = await request(DistrictTimeSeriesDocument, { district, metrics: metrics.map(asMetricKey), fromYear: range.fromYear, toYear: range.toYear });
  const own = data.timeSeries.find((s) => s.metric === metric);
  if (!own) throw new Error(`timeSeries 未返回 ${metric} / the service returned no series for ${metric}`);
  const counterpart = pairing ? data.timeSeries.find((s) => s.metric === pairing.key) : undefined;
  // Each year is read under the key its template carries: the metric's own, or its counterpart's.
  const carried = (format: TemplateFormat) => definition?.formats.includes(format) ?? true;
  let before: { key: string | null; value: number | null } | null = null;
  const points = own.points.map((p, i): TrendPoint => {
    const other = counterpart?.points[i];
    const key = carried(p.templateFormat) ? metric : pairing && other ? pairing.key : null;
    const value = key === metric ? (p.value ?? null) : key !== null ? (other?.value ?? null) : null;
    const sameKey = before !== null && key !== null && before.key === key;
    const paired = before !== null && key !== null && before.key !== null && before.key !== key;
    const comparable = (sameKey && (key === metric ? p.comparableWithPrevious : (other?.comparableWithPrevious ?? true))) || (paired && Boolean(pairing?.comparable));
    const previous = before?.value ?? null;
    const change = comparable && value !== null && previous !== null ? value - previous : null;
    const ownLine = key === metric || (key !== null && Boolean(pairing?.comparable));
    before = { key, value };
    return {
      year: p.year,
      format: p.templateFormat,
      reported: p.reportedCount > 0,
      value: ownLine ? value : null,
      other: !ownLine && key !== null ? value : null,
      change,
      percentChange: change !== null && previous ? (change / Math.abs(previous)) * 100 : null,
      notComparable: paired && !pairing?.comparable,
      note: paired && !pairing?.comparable ? (pairing?.note ?? null) : null,
      reportCount: p.reportedCount,
    };
  });
  return { points: trimTrailing(points, range.latestKnown), district: true };
}

/** The trend's numbers as the service gives them: a district's time series, or an office's year-over-year. */
function trendDownloads(years: readonly ReportingYear[], metric: string, definition: MetricDefinition | undefined, target: { code: string; district: boolean }) {
  const { fromYear, latestKnown } = yearRange(years);
  const metrics = definition?.crossFormat ? [metric, definition.crossFormat.key] : [metric];
  return target.district
    ? exportDownloads('trends', 'time-series', { under: target.code, metrics, fromYear, toYear: latestKnown }, `时间序列-${target.code}-${fromYear}-${latestKnown}`)
    : exportDownloads('trends', 'year-over-year', { officeCode: target.code, metrics: [metric], fromYear, toYear: latestKnown }, `同比-${target.code}-${fromYear}-${latestKnown}`);
}

export async function showTrend(
  panel: Panel,
  vocabulary: Vocabulary,
  years: readonly ReportingYear[],
  metric: string,
  target: { code: string; name: string; district: boolean },
): Promise<void> {
  const definition = vocabulary.get(metric);
  await panel.load(['趋势', 'trend'],
    () => (target.district ? districtTrend(target.code, metric, definition, years) : officeTrend(target.code, metric, definition, years)),
    (trend) => withDownloads(present(trend, vocabulary, metric, definition, target.name), trendDownloads(years, metric, definition, target)),
  );
}

/**
 * A district's total moves with the number of offices that filed: 12 filers after 5 is no rise in
 * disclosure. Sums are shown as each filing office's mean, with the filer count beside it, and
 * changes are changes of that mean (like with like). Ratios are already per-office measures.
 */
function perFilingOffice(points: readonly TrendPoint[], unit: string): TrendPoint[] {
  if (unit === 'ratio') return [...points];
  const mean = (v: number | null, n: number | undefined) => (v === null || !n ? null : v / n);
  return points.map((p, i) => {
    const value = mean(p.value, p.reportCount);
    const before = i > 0 ? points[i - 1]! : null;
    const previous = before ? mean(before.value, before.reportCount) : null;
    const change = p.change !== null || (before && !p.notComparable && value !== null && previous !== null) ? (value !== null && previous !== null ? value - previous : null) : null;
    return { ...p, total: p.value, value, other: mean(p.other, p.reportCount), change, percentChange: change !== null && previous ? (change / Math.abs(previous)) * 100 : null };
  });
}

function present(trend: Trend, vocabulary: Vocabulary, metric: string, definition: MetricDefinition | undefined, name: string): PanelContent | { empty: string } {
  const unit = definition?.unit ?? 'count';
  const perOffice = trend.district && unit !== 'ratio';
  const points = trend.district ? perFilingOffice(trend.points, unit) : trend.points;
  const pairing = definition?.crossFormat;
  const separate = Boolean(pairing && !pairing.comparable);
  if (points.every((p) => p.value === null && p.other === null)) return { empty: `${name}历年报告中没有「${vocabulary.label(metric)}」/ No values over the years` };

  const axis = points.map((p) => String(p.year));
  const lineName = perOffice ? `${vocabulary.label(metric)}（每个报送机关平均 / mean per filing office）` : vocabulary.label(metric);
  const series: Record<string, unknown>[] = [
    { type: 'line', name: lineName, data: points.map((p) => p.value), connectNulls: false, symbolSize: 8, label: { show: true, formatter: (p: { value: number }) => formatMetric(perOffice ? Math.round(p.value * 10) / 10 : p.value, unit) } },
  ];
  if (trend.district) {
    // The filers, on an axis of their own: a count of offices, not the metric.
    series.push({ type: 'bar', name: '报送机关数 / offices that filed', yAxisIndex: 1, data: points.map((p) => p.reportCount ?? 0), itemStyle: { opacity: 0.3 }, barMaxWidth: 24, z: 1 });
  }
  if (separate && points.some((p) => p.other !== null)) {
    series.push({ type: 'line', name: `${vocabulary.label(pairing!.key)}（口径不同 / not comparable）`, data: points.map((p) => p.other), lineStyle: { type: 'dashed' }, symbol: 'triangle', symbolSize: 8 });
  }
  if (axis.includes(String(FORMAT_2021_FIRST_YEAR))) {
    series[0]!.markLine = {
      symbol: 'none',
      lineStyle: { type: 'dashed', color: '#999' },
      label: { formatter: '2021年起新版格式\n2021 template', position: 'insideEndTop' },
      data: [{ xAxis: String(FORMAT_2021_FIRST_YEAR) }],
    };
  }

  const notes: string[] = [`${name}：${vocabulary.label(metric)}${perOffice ? '（按每个报送机关的平均值比较；合计见表 / compared as the mean per filing office; totals in the table）' : trend.district ? '（辖区汇总 / district figure from the service）' : ''}`];
  if (trend.district) {
    const shifts = points.filter((p, i) => i > 0 && p.reported && points[i - 1]!.reported && p.reportCount !== points[i - 1]!.reportCount);
    for (const p of shifts) {
      const before = points[points.indexOf(p) - 1]!;
      notes.push(`${p.year}年报送机关数 ${before.reportCount} → ${p.reportCount}：合计不宜直接比较 / ${before.reportCount} → ${p.reportCount} offices filed: totals are not like for like`);
    }
  }
  const notComparable = points.filter((p) => p.notComparable);
  for (const p of notComparable) notes.push(`${p.year}年 不可比 / Not comparable with ${p.year - 1}: ${p.note ?? pairing?.note ?? '口径不同 / not the same measure'}`);
  if (notComparable.length === 0 && separate && pairing) notes.push(`不可比 / Not comparable: ${pairing.note}`);
  if (pairing?.comparable) notes.push(`跨格式对应 / Paired across formats: ${pairing.note}`);
  if (definition && definition.formats.length < 2 && !pairing) notes.push(`该指标仅见于${definition.formats.map((f) => (f === 'FORMAT_2021' ? '2021版' : '2019版')).join('、')}格式 / Only in that template format`);

  const changeCell = (p: TrendPoint) => {
    if (p.notComparable) return '不可比 / not comparable';
    if (p.change === null) return '—';
    return unit === 'ratio' ? `${p.change > 0 ? '+' : ''}${(p.change * 100).toFixed(1)} 个百分点` : formatSigned(p.change);
  };
  const percentCell = (p: TrendPoint) => (p.notComparable ? '不可比' : unit === 'ratio' || p.percentChange === null ? '—' : `${formatSigned(Math.round(p.percentChange * 10) / 10)}%`);
  return {
    chart: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: axis },
      yAxis: trend.district
        ? [
            { type: 'value', name: perOffice ? '平均 / mean' : undefined },
            { type: 'value', name: '机关数 / offices', minInterval: 1, splitLine: { show: false } },
          ]
        : { type: 'value', minInterval: unit === 'count' ? 1 : undefined },
      series,
    },
    notes,
    table: {
      caption: `${name} · ${vocabulary.label(metric)}`,
      columns: [
        '年度 / Year',
        '格式 / Format',
        ...(trend.district ? ['报告数 / Reports'] : []),
        ...(perOffice ? ['合计 / Total'] : []),
        perOffice ? '每机关平均 / Mean per office' : '数值 / Value',
        '较上年 / Change',
        ...(separate ? [vocabulary.label(pairing!.key)] : []),
        '增减率 / % change',
      ],
      rows: points.map((p) => [
        `${p.year}年`,
        p.format === 'FORMAT_2021' ? '2021版' : '2019版',
        ...(trend.district ? [String(p.reportCount ?? 0)] : []),
        ...(perOffice ? [formatMetric(p.total ?? null, unit)] : []),
        perOffice && p.value !== null ? formatMetric(Math.round(p.value * 100) / 100, unit) : formatMetric(p.value, unit),
        changeCell(p),
        ...(separate ? [formatMetric(p.other, unit)] : []),
        percentCell(p),
      ]),
    },
  };
}
