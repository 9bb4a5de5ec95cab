/**
 * The compiled executor (src/server/executor.ts) answers exactly what graphql-js answers: data,
 * errors (message, path, locations, extensions) and variable errors, on a comparison with every
 * field, a nested office listing, an unknown office and a bad variable; mutations and input-object
 * variables are left to graphql-js.
 */
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { execute, getOperationAST, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import pino from 'pino';
import { NoAnalysisCache } from '../../src/analysis/cache';
import { compilable, CompiledOperations, compiledExecutor } from '../../src/server/executor';
import { createRequestContext, createServices } from '../../src/server/context';
import { getSchema } from '../../src/server/schema';
import { Role } from '../../src/auth/roles';
import { loadDistrict } from '../support/analysis-data';
import { describeEachDatabase } from '../support/databases';

const COMPARE = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!, $first: Int) {
  compareOffices(under: $under, year: $year, metrics: $metrics, first: $first, missingFirst: 5) {
    year metrics officeCount reportedCount missingCount missing { code name kind }
    groups { metric label labelEn sum mean median statedCount blankCount }
    rows { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { office { code name kind depth region parent { code } }
      values { metric value rank share differenceFromMean differenceFromMedian previousValue change percentChange }
      ranked: values(metrics: ["applications.received.total"]) { metric rank } } } }
  }
  offices(filter: { under: "demo-d" }, first: 10) { totalCount edges { node { code name report(year: 2022) { year metrics(keys: $metrics) { key value } } } } }
}`;

const request = (document: DocumentNode, source: string, variables: Record<string, unknown>, context: unknown) =>
  ({ document, source, queryHash: source, request: { query: source, variables }, context, operationName: null }) as unknown as GatewayGraphQLRequestContext;

const execution = (schema: GraphQLSchema, source: string, variables: Record<string, unknown>, context: unknown) => {
  const document = parse(source);
  return {
    graphqlJs: () => execute({ schema, document, variableValues: variables, contextValue: context }),
    // Compiled at first sight here: the comparison is of the compiled answer.
    compiled: () => compiledExecutor(schema, new CompiledOperations(schema, { maxCompiled: 10, sightingsBeforeCompile: 1 }))(request(document, source, variables, context)),
  };
};

/** Errors as a client receives them (graphql-js's toJSON). */
const shown = (result: { errors?: readonly { toJSON?: () => unknown }[] }) => (result.errors ?? []).map((e) => (e.toJSON ? e.toJSON() : e));

describeEachDatabase('the compiled executor', (db) => {
  let schema: GraphQLSchema;
  let context: () => unknown;

  beforeAll(async () => {
    await loadDistrict(db().dataSource);
    schema = await getSchema();
    const services = createServices(db().dataSource, new NoAnalysisCache());
    context = () => createRequestContext(db().dataSource, services, pino({ level: 'silent' }), 'test', { viewer: { role: Role.ANALYST, subject: 'executor-test' } });
  });

  it('answers a comparison with every field and a nested listing as graphql-js does', async () => {
    const variables = { under: 'demo-d', year: 2022, metrics: ['applications.received.total', 'proactive.licensing.decisions', 'applications.grant_rate'], first: 50 };
    const [ours, theirs] = [await execution(schema, COMPARE, variables, context()).compiled(), await execution(schema, COMPARE, variables, context()).graphqlJs()];
    expect(theirs.errors).toBeUndefined();
    expect((theirs.data as any).compareOffices.rows.edges.length).toBeGreaterThan(3);
    expect((theirs.data as any).compareOffices.missing.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });

  it('reports a resolver error and a bad variable as graphql-js does', async () => {
    const unknown = `query($metrics: [MetricKey!]!) { ok: metricDefinitions { key } compareOffices(under: "nowhere", year: 2022, metrics: $metrics) { officeCount } }`;
    const variables = { metrics: ['applications.received.total'] };
    const ours = await execution(schema, unknown, variables, context()).compiled();
    const theirs = await execution(schema, unknown, variables, context()).graphqlJs();
    expect(shown(theirs)).toHaveLength(1);
    expect((shown(theirs)[0] as any).extensions.code).toBe('NOT_FOUND');
    expect(shown(ours)).toEqual(shown(theirs));
    expect(ours.data).toEqual(theirs.data);

    const badVariable = execution(schema, COMPARE, { under: 'demo-d', year: 'twenty', metrics: ['applications.received.total'] }, undefined);
    const [oursBad, theirsBad] = [await badVariable.compiled(), await badVariable.graphqlJs()];
    expect(shown(theirsBad).length).toBeGreaterThan(0);
    expect(shown(oursBad)).toEqual(shown(theirsBad));
  });

  it('compiles queries with scalar and enum variables only; mutations and input objects stay on graphql-js', () => {
    const operation = (source: string) => getOperationAST(parse(source))!;
    expect(compilable(schema, operation(COMPARE))).toBe(true);
    expect(compilable(schema, operation('query($kind: OfficeKind) { offices(filter: { kind: $kind }) { totalCount } }'))).toBe(true);
    expect(compilable(schema, operation('query($filter: OfficeFilter) { offices(filter: $filter) { totalCount } }'))).toBe(false);
    expect(compilable(schema, operation('mutation { __typename }'))).toBe(false);
  });

  it('compiles a query text when it comes back, keeps a bounded number, and answers the same either way', async () => {
    const operations = new CompiledOperations(schema, { maxCompiled: 3, sightingsBeforeCompile: 2 });
    const executor = compiledExecutor(schema, operations);
    const ask = (source: string) => executor(request(parse(source), source, {}, context()));
    const text = (n: number) => `{ offices(filter: { under: "demo-d" }, first: ${n}) { totalCount edges { node { code } } } }`;
    const first = await ask(text(5));
    // Seen once: answered by graphql-js, nothing compiled.
    expect(operations.size).toBe(0);
    expect(await ask(text(5))).toEqual(first);
    expect(operations.size).toBe(1);
    expect(await ask(text(5))).toEqual(first);
    // Unique texts (an abuser's, or one-off explorer queries) are never compiled, so they cannot push the repeated ones out.
    for (let n = 6; n < 30; n++) expect((await ask(text(n))).errors).toBeUndefined();
    expect(operations.size).toBe(1);
    // Texts that come back are, up to the bound.
    for (let n = 6; n < 12; n++) await ask(text(n));
    expect(operations.size).toBe(3);
  });
});
