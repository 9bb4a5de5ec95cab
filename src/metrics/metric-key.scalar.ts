import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isMetricKey, METRIC_DEFINITIONS } from './catalog';

/**
 * `MetricKey`: a key of the metric vocabulary, checked against the catalog where GraphQL reads
 * arguments and variables, so a misspelt key is refused before any resolver runs and names
 * itself (`extensions.metric`). Outputs are keys the service wrote, serialised as they are.
 */
export class UnknownMetricKeyError extends GraphQLError {
  constructor(
    readonly metric: string,
    node?: ValueNode,
  ) {
    super(`unknown metric key "${metric}" (list the vocabulary with metricDefinitions)`, { nodes: node, extensions: { code: 'BAD_USER_INPUT', metric } });
  }
}

function parseKey(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError(`MetricKey must be a string such as "applications.received.total", got ${JSON.stringify(value) ?? String(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (!isMetricKey(value)) {
    throw new UnknownMetricKeyError(value);
  }
  return value;
}

export const MetricKeyScalar = new GraphQLScalarType<string, string>({
  name: 'MetricKey',
  description:
    `指标键（指标词表中的键，见 metricDefinitions；共${METRIC_DEFINITIONS.length}个）/ A key of the metric vocabulary (see metricDefinitions; ${METRIC_DEFINITIONS.length} keys): ` +
    '表二 `proactive.<item>.<measure>`（如 proactive.licensing.decisions）, 表三 `applications.<row>.<applicant>`（如 applications.received.total, applications.refused.state_secret.natural_person）, ' +
    '表四 `<review|litigation_direct|litigation_after_review>.<outcome>`（如 review.total）, 渠道 `channels.<kind>.<items|devices|queries|accounts|items_share>`, 正文 `proactive.items_total`. ' +
    '未知的键在执行前被拒绝，错误的 extensions.metric 为该键 / An unknown key is refused before execution; the error\'s extensions.metric names it.',
  serialize(value: unknown): string {
    if (typeof value !== 'string') throw new GraphQLError(`MetricKey cannot represent ${String(value)}`);
    return value;
  },
  parseValue: parseKey,
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError(`MetricKey must be a string literal such as "applications.received.total"`, { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    }
    try {
      return parseKey(ast.value);
    } catch (error) {
      // Located at the literal, so the client sees which argument held the key.
      if (error instanceof UnknownMetricKeyError) throw new UnknownMetricKeyError(error.metric, ast);
      throw error;
    }
  },
});
