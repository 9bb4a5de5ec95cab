import { buildSchema, isEnumType, isInputObjectType, isObjectType, type GraphQLField, type GraphQLInputField, type GraphQLNamedType, getNamedType } from 'graphql';
import fs from 'node:fs';
import { SCHEMA_FILE } from '../../src/config/paths';
import { IMPORT_PROBLEM_CODES, PARSE_WARNING_CODES } from '../../src/ingest/import-codes';
import { METRIC_DEFINITIONS } from '../../src/metrics/catalog';
import { metricKey } from '../../src/metrics/metric-key';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { loadDistrict } from '../support/analysis-data';

/** The checked-in SDL (tests/schema.test.ts keeps it equal to what the code emits). */
const sdl = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = buildSchema(sdl);

/** Fields and arguments that hold metric keys, by name, wherever they are. */
const METRIC_NAMES = new Set(['metric', 'metrics', 'key', 'keys', 'metricKey', 'leftKeys', 'rightKeys', 'previousKey']);

function fieldsOf(type: GraphQLNamedType): (GraphQLField<unknown, unknown> | GraphQLInputField)[] {
  return isObjectType(type) || isInputObjectType(type) ? Object.values(type.getFields()) : [];
}

describe('the schema speaks one vocabulary', () => {
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));

  it('has a MetricKey scalar, described with the vocabulary, on every metric field and argument', () => {
    const scalar = schema.getType('MetricKey');
    expect(scalar?.description).toContain('metricDefinitions');
    expect(scalar?.description).toContain('proactive.<item>.<measure>');
    const holders: string[] = [];
    for (const type of types) {
      for (const field of fieldsOf(type)) {
        const named = getNamedType(field.type);
        // Lists of inputs (ReportInput.metrics: [MetricInput!]) and changes hold objects, not keys.
        if (METRIC_NAMES.has(field.name) && (named.name === 'String' || named.name === 'MetricKey')) holders.push(`${type.name}.${field.name}: ${named.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (METRIC_NAMES.has(arg.name)) holders.push(`${type.name}.${field.name}(${arg.name}): ${getNamedType(arg.type).name}`);
        }
      }
    }
    expect(holders.length).toBeGreaterThan(20);
    expect(holders.filter((h) => !h.endsWith(': MetricKey'))).toEqual([]);
  });

  it('has enums for closed sets, each value described, and ImportProblemCode lists what imports produce', () => {
    const values = (name: string) => {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
      for (const v of type.getValues()) expect(v.description).toMatch(/\/ \S/);
      return type.getValues().map((v) => v.name).sort();
    };
    expect(values('ImportProblemCode')).toEqual(Object.keys(IMPORT_PROBLEM_CODES).sort());
    // INVALID_CONTENT was described but nothing ever produced it.
    expect(values('ImportProblemCode')).not.toContain('INVALID_CONTENT');
    expect(values('ParseWarningCode')).toEqual(Object.keys(PARSE_WARNING_CODES).sort());
    expect(values('Role')).toEqual(['ADMIN', 'ANALYST', 'EDITOR', 'PUBLIC']);
    expect(values('AuditTargetKind')).toEqual(['OFFICE', 'REPORT', 'TOKEN']);
    const field = (type: string, name: string) => (schema.getType(type) as { getFields(): Record<string, GraphQLInputField | GraphQLField<unknown, unknown>> }).getFields()[name]!;
    expect(getNamedType(field('ImportProblem', 'code').type).name).toBe('ImportProblemCode');
    expect(getNamedType(field('ParseWarning', 'code').type).name).toBe('ParseWarningCode');
    expect(getNamedType(field('ApiToken', 'role').type).name).toBe('Role');
    expect(getNamedType(field('ApiTokenInput', 'role').type).name).toBe('Role');
    expect(getNamedType(field('AuditEntry', 'role').type).name).toBe('Role');
    expect(getNamedType(field('AuditEntry', 'targetType').type).name).toBe('AuditTargetKind');
    expect(getNamedType(field('AuditEntry', 'before').type).name).toBe('JSON');
  });

  it('names no type after its TypeScript class, and gives labelEn wherever it gives label', () => {
    // ApplicantType is the template's own word (申请人类型), an enum.
    expect(types.filter((t) => /Type$/.test(t.name) && t.name !== 'ApplicantType').map((t) => t.name)).toEqual([]);
    const labelled = types.filter((t) => isObjectType(t) && 'label' in t.getFields());
    expect(labelled.length).toBeGreaterThan(10);
    expect(labelled.filter((t) => isObjectType(t) && !('labelEn' in t.getFields())).map((t) => t.name)).toEqual([]);
  });

  it('marks the renamed arguments deprecated, saying what replaces them', () => {
    const args = (field: string) => Object.fromEntries(schema.getQueryType()!.getFields()[field]!.args.map((a) => [a.name, a]));
    expect(String(args('compareOffices').officeCodes!.type)).toBe('[String!]');
    expect(args('compareOffices').officeCodes!.deprecationReason).toBeFalsy();
    expect(args('compareOffices').offices!.deprecationReason).toContain('officeCodes');
    expect(String(args('office').officeCode!.type)).toBe('String');
    expect(args('office').code!.deprecationReason).toContain('officeCode');
    // What the checked-in SDL shows clients.
    expect(sdl).toMatch(/offices: \[String!\] @deprecated\(reason: "[^"]*officeCodes/);
    expect(sdl).toMatch(/code: String @deprecated\(reason: "[^"]*officeCode/);
  });

  it('builds every key of the catalog with metricKey, and no other', () => {
    expect(metricKey('reviews', 'litigation_direct', 'total')).toBe('litigation_direct.total');
    expect(metricKey('applications', 'refused.state_secret', 'natural_person')).toBe('applications.refused.state_secret.natural_person');
    expect(metricKey('channels', 'wechat', 'items_share')).toBe('channels.wechat.items_share');
    expect(METRIC_DEFINITIONS.filter((d) => d.key === metricKey('proactive', 'licensing', 'decisions'))).toHaveLength(1);
  });
});

const COMPARE = `query($under: String, $officeCodes: [String!], $offices: [String!], $metrics: [MetricKey!]!, $orderBy: CompareOrder) {
  compareOffices(under: $under, officeCodes: $officeCodes, offices: $offices, year: 2022, metrics: $metrics, orderBy: $orderBy) {
    metrics officeCount reportedCount missingCount missing { code } groups { metric label labelEn sum }
    rows { edges { node { office { code } values { metric value } } } }
  } }`;

describeEachDatabase('metric keys, renamed arguments and unknown offices through Apollo', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await loadDistrict(app.app.dataSource);
  });
  afterAll(() => app.close());

  it('refuses an unknown key given as a literal before running anything, naming the key', async () => {
    const res = await app.gql<any>(`{ compareOffices(under: "demo-d", year: 2022, metrics: ["applications.received.total", "applications.recieved.total"]) { officeCount } }`);
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.message).toContain('unknown metric key "applications.recieved.total"');
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'applications.recieved.total' });
  });

  it('refuses an unknown key in a variable, an input object and orderBy, naming the key and where it was', async () => {
    const inList = await app.gql<any>(COMPARE, { under: 'demo-d', metrics: ['review.total', 'review.totl'] });
    expect(inList.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'review.totl', problems: [{ field: 'metrics[1]', metric: 'review.totl' }] });
    const inOrder = await app.gql<any>(COMPARE, { under: 'demo-d', metrics: ['review.total'], orderBy: { metric: 'nope.key' } });
    expect(inOrder.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'nope.key', problems: [{ field: 'orderBy.metric' }] });
    const inInput = await app.gql<any>(`mutation($input: ReportInput!) { upsertReport(input: $input) { id } }`, {
      input: { officeCode: 'demo-d-s1', year: 2022, metrics: [{ key: 'proactive.rules.issued', value: 1 }, { key: 'proactive.rules.isued', value: 1 }] },
    });
    expect(inInput.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'proactive.rules.isued', problems: [{ field: 'input.metrics[1].key' }] });
    const inKeys = await app.gql<any>(`query($keys: [MetricKey!]) { report(officeCode: "demo-d-s1", year: 2022) { metrics(keys: $keys) { key value } } }`, { keys: ['proactive.rules.issued', 'x'] });
    expect(inKeys.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'x' });
    // A derived key is a key of the vocabulary too, and a known key reads as before.
    const ok = await app.gql<any>(`query($keys: [MetricKey!]) { report(officeCode: "demo-d-s1", year: 2022) { metrics(keys: $keys) { key value } } }`, { keys: ['proactive.licensing.decisions'] });
    expect(ok.data.report.metrics).toEqual([{ key: 'proactive.licensing.decisions', value: 60 }]);
  });

  it('takes officeCodes, and still the deprecated offices with the same answer; not both', async () => {
    const codes = ['demo-d-s2', 'demo-d-s3', 'demo-d-s5'];
    const metrics = ['applications.received.total'];
    const current = await app.gql<any>(COMPARE, { officeCodes: codes, metrics });
    expect(current.errors).toBeUndefined();
    expect(current.data.compareOffices).toMatchObject({ metrics, officeCount: 3, reportedCount: 2, missing: [{ code: 'demo-d-s5' }] });
    expect(current.data.compareOffices.groups[0]).toMatchObject({ metric: metrics[0], labelEn: expect.stringContaining('received') });
    const deprecated = await app.gql<any>(COMPARE, { offices: codes, metrics });
    expect(deprecated.errors).toBeUndefined();
    expect(deprecated.data).toEqual(current.data);
    const both = await app.gql<any>(COMPARE, { officeCodes: codes, offices: codes, metrics });
    expect(both.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(both.errors![0]!.message).toContain('officeCodes');
  });

  it('takes office(officeCode), and still the deprecated office(code)', async () => {
    const res = await app.gql<any>(`{ a: office(officeCode: "demo-d-s1") { code name } b: office(code: "demo-d-s1") { code name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.a).toEqual({ code: 'demo-d-s1', name: '示例第一街道' });
    expect(res.data.b).toEqual(res.data.a);
    const neither = await app.gql<any>(`{ office { code } }`);
    expect(neither.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('answers every unknown office code with NOT_FOUND naming the codes and the argument', async () => {
    const cases: [string, Record<string, unknown>, string, string[]][] = [
      [COMPARE, { under: 'nowhere', metrics: ['review.total'] }, 'under', ['nowhere']],
      [COMPARE, { officeCodes: ['demo-d-s1', 'nowhere', 'nor-here'], metrics: ['review.total'] }, 'officeCodes', ['nowhere', 'nor-here']],
      [`{ timeSeries(officeCodes: ["nowhere"], metrics: ["review.total"], fromYear: 2020, toYear: 2022) { metric } }`, {}, 'officeCodes', ['nowhere']],
      [`{ rollup(under: "nowhere", years: [2022], metrics: ["review.total"]) { groupBy } }`, {}, 'under', ['nowhere']],
      [`{ yearOverYear(officeCode: "nowhere", metrics: ["review.total"], fromYear: 2020, toYear: 2022) { series { metric } } }`, {}, 'officeCode', ['nowhere']],
      [`{ office(officeCode: "nowhere") { code } }`, {}, 'officeCode', ['nowhere']],
      [`{ report(officeCode: "nowhere", year: 2022) { id } }`, {}, 'officeCode', ['nowhere']],
    ];
    for (const [query, variables, field, unknown] of cases) {
      const res = await app.gql<any>(query, variables);
      expect(res.errors).toHaveLength(1);
      const error = res.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', what: 'office', field, problems: unknown.map(() => ({ field })) });
      for (const code of unknown) expect(error.message).toContain(`"${code}"`);
      expect(error.message).not.toContain('"demo-d-s1"');
    }
  });

  it('labels rollup groups and series in Chinese and in English, apart', async () => {
    const rollup = await app.gql<any>(`{ rollup(under: "demo-d", years: [2022], metrics: ["review.total"]) { groups { group label labelEn } totals { label labelEn } } }`);
    expect(rollup.errors).toBeUndefined();
    expect(rollup.data.rollup.totals[0]).toEqual({ label: '全部', labelEn: 'All' });
    expect(rollup.data.rollup.groups.find((g: any) => g.group === 'sub_district')).toMatchObject({ label: '街道办事处', labelEn: 'Sub-district' });
    const series = await app.gql<any>(`{ timeSeries(under: "demo-d", metrics: ["applications.received.total"], fromYear: 2021, toYear: 2022) { metric label labelEn } }`);
    expect(series.data.timeSeries[0]).toMatchObject({ metric: 'applications.received.total', labelEn: expect.stringContaining('received') });
    expect(series.data.timeSeries[0].label).not.toContain(' / ');
  });

  it('answers a variable declared String where a MetricKey is expected as a validation error (clients declare MetricKey)', async () => {
    const res = await app.gql<any>(`query($m: [String!]!) { compareOffices(under: "demo-d", year: 2022, metrics: $m) { officeCount } }`, { m: ['review.total'] });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(res.errors![0]!.message).toContain('MetricKey');
  });
});
