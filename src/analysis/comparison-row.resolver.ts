import { MetricKeyScalar } from '../metrics/metric-key.scalar';
import { Arg, FieldResolver, Resolver, Root } from 'type-graphql';
import { ComparedValue, OfficeComparisonRow } from './analysis.types';

/** A row's values, or only the listed ones of its compared metrics. Pure and synchronous. */
export function rowValues(row: OfficeComparisonRow, metrics?: readonly string[] | null): ComparedValue[] {
  if (!metrics) return row.values;
  const wanted = new Set(metrics);
  return row.values.filter((v) => wanted.has(v.metric));
}

/**
 * A row's values, optionally only some of the compared metrics: a client that compares many
 * metrics to read their values can ask the ranks, shares and changes of just the one it ranks by
 * (the dashboard's overview and ranking share one comparison this way, at a fifth of the bytes).
 * The field is declared here; it is resolved by `rowValues` directly (src/server/plain-fields.ts).
 */
@Resolver(() => OfficeComparisonRow)
export class OfficeComparisonRowResolver {
  @FieldResolver(() => [ComparedValue], { description: '各指标的数值；给 metrics 时只取其中几个 / Each compared metric\'s value; with metrics, only those' })
  values(
    @Root() row: OfficeComparisonRow,
    @Arg('metrics', () => [MetricKeyScalar], { nullable: true, description: '只取这些指标（须在比较的指标中）/ Only these of the compared metrics' }) metrics?: string[] | null,
  ): ComparedValue[] {
    return rowValues(row, metrics);
  }
}
