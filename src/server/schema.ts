import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { AnalysisResolver } from '../analysis/analysis.resolver';
import { OfficeComparisonRowResolver } from '../analysis/comparison-row.resolver';
import { AssessmentResolver } from '../assessment/assessment.resolver';
import { AuditEntryResolver } from '../audit/audit.resolver';
import { authChecker } from '../auth/auth-checker';
import { ApiTokenResolver } from '../auth/token.resolver';
import { ChannelActivityResolver, DisclosureChannelResolver } from '../channels/channel.resolver';
import { ImportResolver } from '../ingest/import.resolver';
import { MetricResolver } from '../metrics/metric.resolver';
import { OfficeResolver } from '../offices/office.resolver';
import { ReportResolver } from '../reports/report.resolver';
import { ReportRevisionResolver } from '../reports/revision.resolver';
import { ReportingYearResolver } from '../years/reporting-year.resolver';
import { ReviewFindingResolver, ReviewReportResolver } from '../review/review.resolver';
import { applyPlainFieldResolvers } from './plain-fields';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  OfficeResolver,
  ReportResolver,
  ReportRevisionResolver,
  ImportResolver,
  AnalysisResolver,
  OfficeComparisonRowResolver,
  AssessmentResolver,
  ReportingYearResolver,
  MetricResolver,
  DisclosureChannelResolver,
  ChannelActivityResolver,
  ApiTokenResolver,
  AuditEntryResolver,
  ReviewReportResolver,
  ReviewFindingResolver,
];

let cached: Promise<GraphQLSchema> | undefined;

/** The schema, built once per process (type-graphql metadata is global). */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  }).then((schema) => applyPlainFieldResolvers(schema));
  return cached;
}

/** The SDL checked in as schema/schema.graphql: sorted, so that diffs show real changes only. */
export async function emitSchemaSDL(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
