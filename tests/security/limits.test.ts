import http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';
import { SYSTEM_VIEWER } from '../../src/auth/viewer';

const ANON = { authorization: '' };

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

/** A selection `levels` deep: `parent { parent { code } }` is 3 (one office each: cheap, only deep). */
function chain(levels: number): string {
  return levels <= 1 ? 'code' : `parent { ${chain(levels - 1)} }`;
}

const nested = (depth: number) => `{ office(code: "demo-l") { ${chain(depth - 1)} } }`;

describeEachDatabase('query limits', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-l', '示例限额区', null, 'GOVERNMENT');
    for (let i = 0; i < 105; i++) {
      await app.app.services.offices.upsert({ code: `demo-l${String(i).padStart(3, '0')}`, name: `示例第${i}街道`, kind: 'sub_district', parentCode: 'demo-l' }, SYSTEM_VIEWER);
    }
    await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-l000', 2022, 4) });
  });
  afterAll(() => app.close());

  it('refuses queries nested deeper than the limit, counting through fragments', async () => {
    expect((await app.gql(nested(12))).errors).toBeUndefined();
    const deep = await app.gql(nested(13));
    expect(deep.status).toBe(400);
    expect(deep.errors![0]).toMatchObject({ message: 'Query is nested 13 levels deep; at most 12 allowed.', extensions: { code: 'QUERY_TOO_COMPLEX' } });
    const viaFragments = await app.gql(`{ office(code: "demo-l") { ...A } } fragment A on Office { parent { ...B } } fragment B on Office { parent { ${chain(10)} } }`);
    expect(viaFragments.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    const cycle = await app.gql(`{ office(code: "demo-l") { ...A } } fragment A on Office { parent { ...A } }`);
    expect(cycle.errors![0]!.message).toBe('Query is nested infinitely levels deep; at most 12 allowed.');
  });

  it('caps aliases, operations per document and tokens', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: years { year }`).join(' ');
    expect((await app.gql(`{ ${aliases} }`)).errors![0]!.message).toBe('Query uses 31 aliases; at most 30 allowed.');
    const operations = Array.from({ length: 6 }, (_, i) => `query Q${i} { years { year } }`).join(' ');
    expect((await app.gql(operations)).errors![0]!.message).toBe('Document has 6 operations; at most 5 allowed.');
    const tokens = `{ ${'__typename '.repeat(20_001)}}`;
    const res = await app.gql(tokens);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.message).toBe('Query has more than 20000 tokens.');
  });

  it('costs every field and lists by their page size, refusing expensive queries before running them', async () => {
    const full = `{ offices(filter: { under: "demo-l" }, first: 20) { edges { node { code reports { year applications { rows { outcome values } } findings { code } } } } } }`;
    expect((await app.gql(full)).errors).toBeUndefined();
    const expensive = full.replace('first: 20', 'first: 100').replace('findings { code }', 'findings { code } channels { kind items channel { office { code children { code } } } }');
    const res = await app.gql(expensive);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 50000 });
    expect(res.errors![0]!.message).toMatch(/^Query costs \d+ points; at most 50000 allowed\./);
    expect(res.data).toBeUndefined();
  });

  it('caps first at 100', async () => {
    const res = await app.gql<any>(`{ offices(filter: { under: "demo-l" }, first: 100000) { totalCount edges { node { code } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.offices.totalCount).toBe(105);
    expect(res.data.offices.edges).toHaveLength(100);
  });

  it('answers an oversized body with 413 and malformed JSON with 400, as JSON', async () => {
    const big = await post(app.url, JSON.stringify({ query: `{ years { year } }`, variables: { pad: 'x'.repeat(1_100_000) } }));
    expect(big.status).toBe(413);
    expect(big.json.errors![0]).toMatchObject({ message: 'Request body over the 1024 KiB limit.', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
    const broken = await post(app.url, '{"query": "{ years { year } }"');
    expect(broken.status).toBe(400);
    expect(broken.json.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(broken.text).not.toMatch(/at \w+ \(|node_modules|\.js:\d+/);
  });

  it('refuses cross-site simple requests (CSRF prevention)', async () => {
    const get = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ years { year } }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/);
    const preflighted = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ years { year } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    const form = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ years { year } }' }) });
    expect(form.status).toBe(400);
  });
});

describeEachDatabase('rate limits and the time limit', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db(), { security: { rateLimit: { pointsPerMinute: 8, pointsPerMinutePerToken: 3, redisUrl: null }, requestTimeoutMs: 300 } });
  });
  afterAll(() => app.close());

  it('limits each credential, then each address, per minute, with Retry-After', async () => {
    const analyst = await app.createToken('analyst');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestApp['gql']>> | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await app.gql(`{ years { year } }`, undefined, { authorization: `Bearer ${analyst}` });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(limited!.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect(limited!.errors![0]!.message).toMatch(/^Too many requests for this credential: 3 per minute allowed; retry in \d+ s\.$/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The address has used 4 of its 8 points; anonymous requests from it run out after 4 more.
    const anonymous: number[] = [];
    for (let i = 0; i < 5; i++) anonymous.push((await app.gql(`{ years { year } }`, undefined, ANON)).status);
    expect(anonymous).toEqual([200, 200, 200, 200, 429]);
  });
});

describeEachDatabase('the time limit', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db(), { security: { requestTimeoutMs: 300 } });
  });
  afterAll(() => app.close());

  it('answers a request still running after REQUEST_TIMEOUT_MS with REQUEST_TIMEOUT, and keeps serving', async () => {
    const body = JSON.stringify({ query: '{ years { year } }' });
    const port = new URL(app.url).port;
    const started = Date.now();
    // A client that sends half its body and stalls: the request is in flight past the limit.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 1000);
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).errors[0]).toMatchObject({ message: 'The request took longer than 300 ms and was stopped.', extensions: { code: 'REQUEST_TIMEOUT' } });
    expect((await app.gql(`{ years { year } }`)).status).toBe(200);
  });
});

describeEachDatabase('production mode', (db) => {
  let app: TestApp;
  let logged = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    app = await startTestApp(db(), { production: true }, { log: pino({ level: 'info' }, sink) });
    await createOffice(app, 'demo-p', '示例生产区', null, 'GOVERNMENT');
    await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-p', 2022, 4) });
  });
  afterAll(() => app.close());

  it('turns introspection off', async () => {
    const res = await app.gql(`{ __schema { types { name } } }`);
    expect(res.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0]!.message).toMatch(/introspection is not allowed/i);
  });

  it('masks unexpected errors with the request id the log keeps with the original', async () => {
    // The database changes under the service: a table it reads disappears.
    await db().dataSource.query('DROP TABLE report_findings');
    const res = await app.gql(`{ report(officeCode: "demo-p", year: 2022) { title findings { code } } }`, undefined, { 'x-request-id': 'demo-req-1' });
    expect(res.headers.get('x-request-id')).toBe('demo-req-1');
    expect(res.errors![0]).toEqual({
      message: 'Internal server error (request id demo-req-1)',
      locations: [{ line: 1, column: 52 }],
      path: ['report', 'findings'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'demo-req-1' },
    });
    expect(JSON.stringify(res)).not.toMatch(/findings`?\b.*(exist|doesn)|SELECT|stack|\.ts:|node_modules/i);
    const line = logged.split('\n').find((l) => l.includes('demo-req-1') && l.includes('"level":50'));
    expect(line).toBeDefined();
    expect(line).toMatch(/report_findings/);
  });
});

describeEachDatabase('the log of refusals', (db) => {
  let app: TestApp;
  let logged = '';
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    app = await startTestApp(db(), {}, { log: pino({ level: 'info' }, sink) });
  });
  afterAll(() => app.close());

  it('keeps a warning with the request id for each refused call (the audit log has only writes)', async () => {
    await app.gql(`mutation { upsertOffice(input: { code: "demo-z", name: "示例", kind: OTHER }) { code } }`, undefined, { authorization: '', 'x-request-id': 'demo-refused-1' });
    await app.gql(`{ years { year } }`, undefined, { authorization: 'Bearer dg_nope', 'x-request-id': 'demo-refused-2' });
    const lines = logged.split('\n').filter((l) => l.includes('"level":40'));
    expect(lines.find((l) => l.includes('demo-refused-1'))).toMatch(/access refused: Mutation\.upsertOffice: sign in/);
    expect(lines.find((l) => l.includes('demo-refused-2'))).toMatch(/access refused: Invalid bearer token/);
    expect(logged).not.toContain('dg_nope');
  });
});

describeEachDatabase('production mode with introspection enabled', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db(), { production: true, security: { introspection: true } });
  });
  afterAll(() => app.close());

  it('allows introspection when GRAPHQL_INTROSPECTION=true', async () => {
    const res = await app.gql<any>(`{ __schema { queryType { name } } }`);
    expect(res.data.__schema.queryType.name).toBe('Query');
  });
});
