/** Channels: items (and kiosk queries) per channel and office, with the change from last year. */
import { loadDistrictReports, type DistrictReports, type ReportingOffice } from '../district';
import { categoryLayout } from '../charts';
import { formatNumber, formatSigned } from '../dom';
import { exportDownloads, withDownloads } from '../download';
import { Panel, type PanelContent } from '../panel';
import type { Vocabulary } from '../vocabulary';

export function channelsPanel(): Panel {
  return new Panel('channels', '发布渠道', 'Channels');
}

interface ChannelLine {
  readonly office: string;
  readonly kind: string;
  readonly name: string;
  readonly items: number | null;
  readonly queries: number | null;
  readonly devices: number | null;
  readonly approximate: boolean;
  readonly previousItems: number | null;
  readonly previousQueries: number | null;
  readonly hasPrevious: boolean;
}

function lines(office: ReportingOffice): ChannelLine[] {
  const previous = office.previous?.channels ?? [];
  return (office.report?.channels ?? []).map((c) => {
    const before = previous.find((p) => p.kind === c.kind && (p.name ?? '') === (c.name ?? ''));
    return {
      office: office.name,
      kind: c.kind,
      name: c.name ?? '',
      items: c.items ?? null,
      queries: c.queries ?? null,
      devices: c.devices ?? null,
      approximate: c.approximate,
      previousItems: before?.items ?? null,
      previousQueries: before?.queries ?? null,
      hasPrevious: Boolean(office.previous),
    };
  });
}

export async function showChannels(panel: Panel, vocabulary: Vocabulary, district: string, year: number): Promise<void> {
  await panel.load(['渠道', 'channels'], () => loadDistrictReports(district, year), (data) =>
    withDownloads(present(data, vocabulary, year), exportDownloads('channels', 'district-reports', { under: district, year, table: 'channels' }, `辖区年报-${district}-${year}-公开渠道`)),
  );
}

function change(now: number | null, before: number | null, hasPrevious: boolean): string {
  if (!hasPrevious) return '上年无报告';
  if (now === null || before === null) return '—';
  return formatSigned(now - before);
}

function present(data: DistrictReports, vocabulary: Vocabulary, year: number): PanelContent | { empty: string } {
  const all = data.offices.flatMap(lines);
  if (all.length === 0) return { empty: `${year}年各机关报告中没有渠道数据 / No channel figures reported for ${year}` };
  // The district's channels by kind (summed over its offices): a handful of bars whatever the
  // number of offices; each office's channels are in the (paged) table.
  const kinds = [...new Set(all.map((l) => l.kind))];
  const total = (kind: string, pick: (l: ChannelLine) => number | null) => {
    const values = all.filter((l) => l.kind === kind).map(pick).filter((v): v is number => v !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  const layout = categoryLayout(kinds.length, 44, 80);
  return {
    chart: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 64, bottom: 8, containLabel: true },
      // Items and queries are different measures: each has its own axis (items below, queries above).
      xAxis: [
        { type: 'value', name: '发布条数 / items', nameLocation: 'middle', nameGap: 24, position: 'bottom' },
        { type: 'value', name: '查询次数 / queries', nameLocation: 'middle', nameGap: 24, position: 'top', splitLine: { show: false } },
      ],
      yAxis: { type: 'category', data: kinds.map((k) => vocabulary.channelKind(k)), inverse: true },
      dataZoom: layout.dataZoom,
      series: [
        { type: 'bar', name: `${year}年 发布条数 / items`, xAxisIndex: 0, data: kinds.map((k) => total(k, (l) => l.items)), barMaxWidth: 18, label: { show: true, position: 'right' } },
        { type: 'bar', name: `${year - 1}年 发布条数 / items`, xAxisIndex: 0, data: kinds.map((k) => total(k, (l) => l.previousItems)), itemStyle: { opacity: 0.45 } },
        { type: 'bar', name: `${year}年 查询次数 / queries`, xAxisIndex: 1, data: kinds.map((k) => total(k, (l) => l.queries)), label: { show: true, position: 'right' } },
      ],
    },
    chartHeight: Math.max(240, layout.height),
    table: {
      caption: `各渠道发布情况 / Channel activity, ${year}`,
      columns: ['机关 / Office', '渠道 / Channel', '账号名称 / Account', '发布条数 / Items', '较上年 / Change', '查询次数 / Queries', '较上年 / Change', '设备 / Devices'],
      rows: all.map((l) => [
        l.office,
        vocabulary.channelKind(l.kind),
        l.name || '—',
        formatNumber(l.items, l.approximate && l.items !== null),
        change(l.items, l.previousItems, l.hasPrevious),
        formatNumber(l.queries, l.approximate && l.queries !== null),
        change(l.queries, l.previousQueries, l.hasPrevious),
        formatNumber(l.devices),
      ]),
    },
  };
}
