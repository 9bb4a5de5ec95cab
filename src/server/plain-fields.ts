/**
 * Fields resolved by a plain function instead of type-graphql's resolver wrapper. The wrapper
 * validates every argument asynchronously, so a field that takes an argument answers a promise
 * each time it is resolved: on every row of a whole-city comparison (2,000 promises, their async
 * bookkeeping and a copy of each row into its class). These fields are pure, synchronous and open
 * to whoever may read their parent: no access rule, no middleware (checked by
 * tests/unit/simple-resolvers.test.ts). Arguments still arrive coerced and checked by GraphQL
 * (a MetricKey argument by its scalar).
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { rowValues } from '../analysis/comparison-row.resolver';
import type { OfficeComparisonRow } from '../analysis/analysis.types';

type PlainResolvers = Readonly<Record<string, Readonly<Record<string, GraphQLFieldResolver<never, unknown, never>>>>>;

export const PLAIN_FIELD_RESOLVERS: PlainResolvers = {
  OfficeComparisonRow: {
    values: (row: OfficeComparisonRow, args: { metrics?: string[] | null }) => rowValues(row, args.metrics),
  },
};

/** Puts the plain resolvers on the built schema; a field that is not there is a mistake, not a no-op. */
export function applyPlainFieldResolvers(schema: GraphQLSchema, resolvers: PlainResolvers = PLAIN_FIELD_RESOLVERS): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`plain field resolvers: no object type ${typeName}`);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`plain field resolvers: ${typeName} has no field ${fieldName}`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
