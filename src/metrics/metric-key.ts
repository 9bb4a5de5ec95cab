/**
 * The one place metric key strings are built (METRICS.md): `metricKey(table, row, column)`.
 * Typed per table, so a misspelt row or column fails to compile instead of querying a key that
 * the catalog does not know. Table 四's keys carry no table prefix (`review.total`), which is why
 * callers must not assemble keys by hand.
 */
import type {
  ApplicantTypeKey,
  ApplicationGroupKey,
  ChannelKindKey,
  ChannelMeasureKey,
  ProactiveItemKey,
  ProactiveMeasureKey,
  ReviewGroupKey,
  ReviewOutcomeKey,
} from './template';

/** A key of the vocabulary. A plain string at run time; the alias names what it holds. */
export type MetricKey = string;

/** Channel figures stored per kind, plus the derived share of all items disclosed. */
export type ChannelColumn = ChannelMeasureKey | 'items_share';

/**
 * Application rows are `received`, `refused.state_secret`, … (APPLICATION_ROW_DEFS) or a group
 * whose sum is derived (`refused`); the row keys are data, not a union, so they are strings.
 */
export function metricKey(table: 'proactive', row: ProactiveItemKey, column: ProactiveMeasureKey): MetricKey;
export function metricKey(table: 'applications', row: string | ApplicationGroupKey, column: ApplicantTypeKey): MetricKey;
export function metricKey(table: 'reviews', row: ReviewGroupKey, column: ReviewOutcomeKey): MetricKey;
export function metricKey(table: 'channels', row: ChannelKindKey, column: ChannelColumn): MetricKey;
export function metricKey(table: 'proactive' | 'applications' | 'reviews' | 'channels', row: string, column: string): MetricKey {
  // Table 四's groups (review, litigation_direct, litigation_after_review) are the keys' first part.
  return table === 'reviews' ? `${row}.${column}` : `${table}.${row}.${column}`;
}

/** The total of items disclosed that the prose states (一、总体情况): the one key of no table cell. */
export const PROACTIVE_ITEMS_TOTAL: MetricKey = 'proactive.items_total';
