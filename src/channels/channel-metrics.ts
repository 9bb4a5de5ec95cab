/**
 * A report's `channels.<kind>.<measure>` metrics are the sums of its channel activity by kind;
 * they are derived here, once, for storage and for the parser, never entered separately.
 */
import type { ChannelKindKey } from '../metrics/template';
import { metricKey } from '../metrics/metric-key';

export interface ChannelFigures {
  readonly kind: ChannelKindKey;
  readonly items?: number | null;
  readonly devices?: number | null;
  readonly queries?: number | null;
  /** Items or queries stated approximately (「1500余次」); device counts are always counted. */
  readonly approximate?: boolean | null;
}

export interface DerivedMetric {
  readonly value: number;
  readonly approximate: boolean;
}

export function channelMetrics(channels: readonly ChannelFigures[]): Map<string, DerivedMetric> {
  const out = new Map<string, { value: number; approximate: boolean }>();
  const add = (key: string, value: number | null | undefined, approximate: boolean) => {
    if (value === null || value === undefined) return;
    const current = out.get(key) ?? { value: 0, approximate: false };
    out.set(key, { value: current.value + value, approximate: current.approximate || approximate });
  };
  for (const c of channels) {
    const approx = c.approximate === true;
    add(metricKey('channels', c.kind, 'items'), c.items, approx);
    add(metricKey('channels', c.kind, 'devices'), c.devices, false);
    add(metricKey('channels', c.kind, 'queries'), c.queries, approx);
  }
  return out;
}
