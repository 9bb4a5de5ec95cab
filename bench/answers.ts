/**
 * The benchmark's GraphQL queries and the checks that the service's answers equal the
 * hand-written SQL baseline's (bench/baseline.ts). Shared by the benchmark and by the test that
 * runs the same comparison on a small dataset (tests/analysis/baseline.test.ts).
 */
import type { baselineCompare, baselineRollup, baselineYearOverYear } from './baseline';

export const COMPARE_QUERY = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!, $first: Int, $after: String) {
  compareOffices(under: $under, year: $year, metrics: $metrics, first: $first, after: $after, missingFirst: 20) {
    officeCount reportedCount missingCount missing { code } groups { metric sum mean median statedCount blankCount }
    rows { pageInfo { hasNextPage endCursor } edges { node { office { code } values { metric value rank share differenceFromMean differenceFromMedian previousValue change } } } }
  } }`;

export const ROLLUP_QUERY = `query($under: String!, $years: [Int!]!, $metrics: [MetricKey!]!) { rollup(under: $under, years: $years, metrics: $metrics, groupBy: KIND) { groups { year group officeCount reportedCount values { metric total mean } } totals { year values { total } } } }`;

export const YEAR_OVER_YEAR_QUERY = `query($office: String!, $metrics: [MetricKey!]!, $from: Int!, $to: Int!) { yearOverYear(officeCode: $office, metrics: $metrics, fromYear: $from, toYear: $to) { series { metric points { year value previousValue change percentChange comparable } } } }`;

const close = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined ? b === null || b === undefined : b !== null && b !== undefined && Math.abs(a - b) < 1e-6);

/** Why the compareOffices answer differs from the baseline's, or null when it is the same. */
export function compareDifference(answer: any, expected: Awaited<ReturnType<typeof baselineCompare>>): string | null {
  if (answer.officeCount !== expected.officeCount) return `officeCount ${answer.officeCount} ≠ ${expected.officeCount}`;
  const missing = answer.missing.map((o: { code: string }) => o.code);
  if (JSON.stringify(missing) !== JSON.stringify(expected.missing)) return `missing ${missing} ≠ ${expected.missing}`;
  if (answer.rows.edges.length !== expected.rows.length) return `${answer.rows.edges.length} rows ≠ ${expected.rows.length}`;
  for (const [i, row] of expected.rows.entries()) {
    const node = answer.rows.edges[i].node;
    if (node.office.code !== row.code) return `row ${i}: office ${node.office.code} ≠ ${row.code}`;
    for (const [j, v] of node.values.entries()) {
      if (!close(v.value, row.values[j]) || v.rank !== row.ranks[j] || !close(v.previousValue, row.previous[j])) return `row ${i} (${row.code}) metric ${j}: ${JSON.stringify(v)} ≠ value ${row.values[j]}, rank ${row.ranks[j]}, previous ${row.previous[j]}`;
      // A blank has no share and no difference: statistics are over the stated values only.
      const value = row.values[j] ?? null;
      if (!close(v.share, value === null || row.sums[j] === 0 ? null : value / row.sums[j]!)) return `row ${i} metric ${j}: share ${v.share}`;
      if (!close(v.differenceFromMean, value === null ? null : value - row.means[j]!)) return `row ${i} metric ${j}: differenceFromMean ${v.differenceFromMean}`;
      if (!close(v.differenceFromMedian, value === null ? null : value - row.medians[j]!)) return `row ${i} metric ${j}: differenceFromMedian ${v.differenceFromMedian}`;
    }
  }
  const head = expected.rows[0];
  for (const [j, g] of answer.groups.entries()) {
    if (head && (!close(g.sum, head.sums[j]) || !close(g.mean, head.means[j]) || !close(g.median, head.medians[j]) || g.statedCount !== head.stated[j]))
      return `group ${g.metric}: ${JSON.stringify(g)} ≠ sum ${head.sums[j]}, mean ${head.means[j]}, median ${head.medians[j]}, stated ${head.stated[j]}`;
  }
  return null;
}

export function rollupDifference(answer: any, expected: Awaited<ReturnType<typeof baselineRollup>>): string | null {
  if (answer.groups.length !== expected.length) return `${answer.groups.length} groups ≠ ${expected.length}`;
  for (const e of expected) {
    const group = answer.groups.find((g: any) => g.year === e.year && g.group === e.kind);
    if (!group) return `${e.year} ${e.kind}: no group`;
    if (group.officeCount !== e.officeCount || group.reportedCount !== e.reportedCount) return `${e.year} ${e.kind}: ${group.officeCount}/${group.reportedCount} offices ≠ ${e.officeCount}/${e.reportedCount}`;
    for (const [j, total] of e.totals.entries()) {
      if (!close(group.values[j].total, total)) return `${e.year} ${e.kind} metric ${j}: total ${group.values[j].total} ≠ ${total}`;
    }
  }
  return null;
}

export function yearOverYearDifference(points: any[], expected: Awaited<ReturnType<typeof baselineYearOverYear>>): string | null {
  for (const [i, e] of expected.entries()) {
    if (!points[i] || points[i].year !== e.year || !close(points[i].value, e.value) || !close(points[i].change, e.change)) return `${e.year}: ${JSON.stringify(points[i])} ≠ ${JSON.stringify(e)}`;
  }
  return null;
}
