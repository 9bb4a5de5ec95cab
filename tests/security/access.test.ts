import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { databaseSnapshot } from '../support/db-snapshot';
import { UPSERT_OFFICE, UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const ANON = { authorization: '' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const READ = `{ offices(first: 5) { totalCount } report(officeCode: "demo-a1", year: 2022) { title } years { year } metricDefinitions(table: REVIEWS) { key } }`;
const REVISIONS = `{ report(officeCode: "demo-a1", year: 2022) { revisions { number author } } }`;
const JWT_SECRET = 'a-test-only-shared-secret-of-at-least-32-bytes';

describeEachDatabase('access control', (db) => {
  let app: TestApp;
  let analyst: string;
  let editorA: string;

  beforeAll(async () => {
    app = await startTestApp(db(), {
      security: { jwt: { secret: JWT_SECRET, publicKey: null, issuer: 'https://idp.example', audience: 'disclosure-graph', roleClaim: 'role', officeClaim: 'office' } },
    });
    await createOffice(app, 'demo-root', '示例区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-a', '示例甲街道', 'demo-root');
    await createOffice(app, 'demo-a1', '示例甲一社区', 'demo-a', 'OTHER');
    await createOffice(app, 'demo-b', '示例乙街道', 'demo-root');
    const res = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2022, 4) });
    expect(res.errors).toBeUndefined();
    analyst = await app.createToken('analyst');
    editorA = await app.createToken('editor', 'demo-a');
  });
  afterAll(() => app.close());

  it('lets anyone read published reports when public access is on', async () => {
    const res = await app.gql<any>(READ, undefined, ANON);
    expect(res.errors).toBeUndefined();
    expect(res.data.report.title).toContain('示例街道2022年');
    // Answers carry no ETag (hashing a whole-city answer cost more than any revalidation saves).
    expect(res.headers.get('etag')).toBeNull();
  });

  it('keeps revisions (history, authors) to analysts and above', async () => {
    const anon = await app.gql(REVISIONS, undefined, ANON);
    expect(anon.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(anon.errors![0]!.message).toMatch(/AnnualReport\.revisions: sign in .*analyst role/);
    const res = await app.gql<any>(REVISIONS, undefined, bearer(analyst));
    expect(res.errors).toBeUndefined();
    expect(res.data.report.revisions[0].author).toMatch(/^token:\d+$/);
  });

  it('refuses writes without credentials before doing anything', async () => {
    const before = await databaseSnapshot(db().dataSource);
    const office = await app.gql(UPSERT_OFFICE, { input: { code: 'demo-x', name: '示例', kind: 'OTHER', parentCode: null } }, ANON);
    const report = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2022, 9) }, ANON);
    // Input that would fail the services' validation is refused for want of credentials first.
    const invalid = await app.gql(UPSERT_REPORT, { input: { ...consistentReport2021('demo-a1', 2022, 9), metrics: [{ key: 'applications.received.total', value: 1.5 }] } }, ANON);
    const imported = await app.gql(`mutation($text: String!) { importReport(text: $text, officeCode: "demo-a1") { status } }`, { text: '示例街道2022年政府信息公开工作年度报告' }, ANON);
    for (const res of [office, report, invalid, imported]) {
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(res.errors![0]!.message).toMatch(/sign in with a bearer token/);
    }
    // A key outside the vocabulary is a type error (the MetricKey scalar), refused as GraphQL reads
    // the variables, before any resolver: like a misspelt enum, it tells nothing metricDefinitions
    // does not tell anyone. Nothing is written either way.
    const unknownKey = await app.gql(UPSERT_REPORT, { input: { ...consistentReport2021('demo-a1', 2022, 9), metrics: [{ key: 'no.such.metric', value: 1 }] } }, ANON);
    expect(unknownKey.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', metric: 'no.such.metric' });
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('refuses a role that is too low with FORBIDDEN, changing nothing', async () => {
    const before = await databaseSnapshot(db().dataSource);
    const report = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2022, 9) }, bearer(analyst));
    expect(report.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(report.errors![0]!.message).toBe('Mutation.upsertReport: needs the editor role; this credential has analyst.');
    const office = await app.gql(UPSERT_OFFICE, { input: { code: 'demo-x', name: '示例', kind: 'OTHER', parentCode: 'demo-a' } }, bearer(editorA));
    expect(office.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const tokens = await app.gql(`{ apiTokens { id } }`, undefined, bearer(editorA));
    expect(tokens.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const create = await app.gql(`mutation { createApiToken(input: { name: "x", role: ADMIN }) { secret } }`, undefined, bearer(editorA));
    expect(create.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('lets an editor write inside its subtree and nowhere else', async () => {
    const inside = await app.gql<any>(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2022, 7) }, bearer(editorA));
    expect(inside.errors).toBeUndefined();
    await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-b', 2022, 3) });
    const before = await databaseSnapshot(db().dataSource);
    const outside = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-b', 2022, 8) }, bearer(editorA));
    expect(outside.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(outside.errors![0]!.message).toBe('Office "demo-b" is outside this editor\'s subtree ("demo-a"); nothing was written.');
    const parent = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-root', 2022, 8) }, bearer(editorA));
    expect(parent.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('answers 401 for credentials that do not verify, never falling back to public', async () => {
    const cases = [`Bearer dg_AAAAAAAAAA_${'x'.repeat(43)}`, 'Bearer not-a-token', 'Basic dXNlcjpwYXNz', `Bearer ${analyst}x`, `Bearer ${analyst.slice(0, -1)}${analyst.endsWith('A') ? 'B' : 'A'}`];
    for (const authorization of cases) {
      const res = await app.gql(READ, undefined, { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(res.data).toBeUndefined();
    }
  });

  it('creates, lists and revokes tokens through GraphQL; the secret is shown once and stored only as a hash', async () => {
    const created = await app.gql<any>(`mutation { createApiToken(input: { name: "示例 dashboard", role: ANALYST }) { secret token { id prefix role revokedAt } } }`);
    expect(created.errors).toBeUndefined();
    const { secret, token } = created.data.createApiToken;
    expect(secret).toMatch(/^dg_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`dg_${token.prefix}_`)).toBe(true);
    const rows = await db().dataSource.query(`SELECT * FROM api_tokens WHERE id = ${Number(token.id)}`);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(14));
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await app.gql(READ, undefined, bearer(secret))).status).toBe(200);
    const listed = await app.gql<any>(`{ apiTokens { id name role } }`);
    expect(listed.data.apiTokens).toEqual(expect.arrayContaining([{ id: token.id, name: '示例 dashboard', role: 'ANALYST' }]));

    const revoked = await app.gql<any>(`mutation($id: Int!) { revokeApiToken(id: $id) { id revokedAt } }`, { id: token.id });
    expect(revoked.data.revokeApiToken.revokedAt).not.toBeNull();
    const after = await app.gql(READ, undefined, bearer(secret));
    expect(after.status).toBe(401);
    expect(after.errors![0]!.message).toBe('Invalid bearer token: unknown or revoked API token.');
    const active = await app.gql<any>(`{ apiTokens { id } }`);
    expect(active.data.apiTokens.map((t: { id: number }) => t.id)).not.toContain(token.id);
    const audit = await app.gql<any>(`{ auditLog(targetType: TOKEN, target: "${token.id}") { edges { node { action } } } }`);
    expect(audit.data.auditLog.edges.map((e: any) => e.node.action)).toEqual(['token.revoked', 'token.created']);
  });

  it('refuses to create an editor token without an office scope', async () => {
    const res = await app.gql(`mutation { createApiToken(input: { name: "x", role: EDITOR }) { secret } }`);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/^input\.scopeOfficeCode: an editor token needs/);
  });

  describe('identity-provider JWTs', () => {
    const sign = (claims: Record<string, unknown>, options: { exp?: string; iss?: string; aud?: string; secret?: string } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('zhang.san')
        .setIssuer(options.iss ?? 'https://idp.example')
        .setAudience(options.aud ?? 'disclosure-graph')
        .setIssuedAt()
        .setExpirationTime(options.exp ?? '5m')
        .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));

    it('maps the role and office claims onto the viewer', async () => {
      const editor = await sign({ role: 'editor', office: 'demo-a' });
      const ok = await app.gql<any>(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2023, 2) }, bearer(editor));
      expect(ok.errors).toBeUndefined();
      const denied = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-b', 2023, 2) }, bearer(editor));
      expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const audit = await app.gql<any>(`{ auditLog(target: "demo-a1/2023") { edges { node { actor role action } } } }`);
      expect(audit.data.auditLog.edges[0].node).toEqual({ actor: 'jwt:zhang.san', role: 'EDITOR', action: 'report.created' });
      // A roles array grants the highest role it names.
      const analystJwt = await sign({ role: ['viewer', 'analyst'] });
      expect((await app.gql(REVISIONS, undefined, bearer(analystJwt))).errors).toBeUndefined();
    });

    it('refuses expired, foreign, mis-addressed and role-less tokens with a reason', async () => {
      const cases: [Promise<string>, RegExp][] = [
        [sign({ role: 'admin' }, { exp: '-1m' }), /has expired/],
        [sign({ role: 'admin' }, { secret: 'another-secret-that-is-also-32-bytes-long!' }), /signature does not verify/],
        [sign({ role: 'admin' }, { iss: 'https://evil.example' }), /claim "iss" is not valid/],
        [sign({ role: 'admin' }, { aud: 'something-else' }), /claim "aud" is not valid/],
        [sign({ groups: ['admin'] }), /claim "role" names no role/],
      ];
      for (const [token, reason] of cases) {
        const res = await app.gql(READ, undefined, bearer(await token));
        expect(res.status).toBe(401);
        expect(res.errors![0]!.message).toMatch(reason);
      }
    });
  });

  it("records every write in the audit log: who, when, what, and a report's content before and after", async () => {
    const before = consistentReport2021('demo-a1', 2024, 3);
    const after = { ...consistentReport2021('demo-a1', 2024, 5), title: '示例（修订）' };
    await app.gql(UPSERT_REPORT, { input: before }, bearer(editorA));
    await app.gql(UPSERT_REPORT, { input: after }, bearer(editorA));
    const res = await app.gql<any>(`{ auditLog(targetType: REPORT, target: "demo-a1/2024", first: 5) { totalCount edges { node { at actor role tokenId action requestId before after } } } }`);
    expect(res.errors).toBeUndefined();
    const [revised, created] = res.data.auditLog.edges.map((e: any) => e.node);
    expect(res.data.auditLog.totalCount).toBe(2);
    expect(created).toMatchObject({ action: 'report.created', role: 'EDITOR', before: null });
    expect(revised).toMatchObject({ action: 'report.revised', actor: created.actor });
    expect(created.actor).toBe(`token:${created.tokenId}`);
    expect(new Date(revised.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(revised.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const was = revised.before;
    const now = revised.after;
    expect(was.title).toBe(before.title);
    expect(now.title).toBe('示例（修订）');
    expect(was.metrics.find((m: any) => m.key === 'applications.received.total').value).toBe(3);
    expect(now.metrics.find((m: any) => m.key === 'applications.received.total').value).toBe(5);

    await app.gql(UPSERT_OFFICE, { input: { code: 'demo-b', name: '示例乙街道（更名）', kind: 'SUB_DISTRICT', parentCode: 'demo-root' } });
    const office = await app.gql<any>(`{ auditLog(targetType: OFFICE, target: "demo-b", first: 1) { edges { node { action actor before after } } } }`);
    const entry = office.data.auditLog.edges[0].node;
    expect(entry.action).toBe('office.updated');
    expect(entry.before.name).toBe('示例乙街道');
    expect(entry.after.name).toBe('示例乙街道（更名）');
  });
});

describeEachDatabase('access control with public access off', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db(), { security: { publicAccess: false } });
  });
  afterAll(() => app.close());

  it('asks anonymous callers to sign in, and serves analysts', async () => {
    const anon = await app.gql(`{ years { year } }`, undefined, ANON);
    expect(anon.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(anon.errors![0]!.message).toBe('Query.years: sign in with a bearer token (API token or identity-provider JWT); this deployment does not allow anonymous access.');
    const analyst = await app.createToken('analyst');
    expect((await app.gql(`{ years { year } }`, undefined, bearer(analyst))).errors).toBeUndefined();
  });
});

describeEachDatabase('identity-provider JWTs signed with a public key', (db) => {
  let app: TestApp;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicPem: string;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    app = await startTestApp(db(), { security: { jwt: { secret: null, publicKey: publicPem, issuer: null, audience: null, roleClaim: 'dg_role', officeClaim: 'dg_office' } } });
  });
  afterAll(() => app.close());

  it('verifies RS256 tokens, reads the configured claims, and refuses HS256 forgeries', async () => {
    const token = await new SignJWT({ dg_role: 'admin' }).setProtectedHeader({ alg: 'RS256' }).setSubject('ops').setExpirationTime('5m').sign(privateKey);
    const res = await app.gql<any>(`{ apiTokens { id } }`, undefined, bearer(token));
    expect(res.errors).toBeUndefined();
    // The classic confusion attack: an HS256 token whose secret is the public key itself.
    const forged = await new SignJWT({ dg_role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(publicPem));
    const refused = await app.gql(`{ apiTokens { id } }`, undefined, bearer(forged));
    expect(refused.status).toBe(401);
    expect(refused.errors![0]!.message).toMatch(/^Invalid bearer token: /);
  });
});
