/** Small DOM helpers: the dashboard is plain TypeScript, no framework. */
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });

export function formatNumber(value: number | null | undefined, approximate = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${NUMBER.format(value)}${approximate ? '余' : ''}`;
}

export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value > 0 ? `+${NUMBER.format(value)}` : NUMBER.format(value);
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return PERCENT.format(value);
}

export function formatMetric(value: number | null | undefined, unit: string, approximate = false): string {
  return unit === 'ratio' ? formatPercent(value) : formatNumber(value, approximate);
}

/** A difference in the metric's unit: signed, and in percentage points for a ratio. */
export function formatDifference(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ratio') return `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} 个百分点`;
  return formatSigned(value);
}

/** A change from the year before, with the service's percentage change (already ×100) when there is one. */
export function formatChange(change: number | null | undefined, percentChange: number | null | undefined, unit: string): string {
  if (change === null || change === undefined) return '—';
  const difference = formatDifference(change, unit);
  if (unit === 'ratio' || percentChange === null || percentChange === undefined || !Number.isFinite(percentChange)) return difference;
  return `${difference}（${percentChange > 0 ? '+' : ''}${NUMBER.format(Math.round(percentChange * 10) / 10)}%）`;
}
