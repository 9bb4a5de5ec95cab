/**
 * A report's tables and a district's reports as files, over real HTTP, against the `report`
 * query's answer; and who may download the analysis exports (the GraphQL queries' access rules).
 */
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { consistentReport2021, createOffice, UPSERT_REPORT } from '../support/fixtures';
import { csvNumber, readCsv, readSheet, readWorkbook } from './support';

const REPORT = `query($code: String!) { report(officeCode: $code, year: 2022) {
  templateFormat
  proactiveDisclosure { clause label cells { measure label value } }
  applications { columns { label } rows { label labelEn values } }
  reviewsAndLitigation { label labelEn upheld corrected other pending total }
  channels { kind name items devices queries approximate }
} }`;

describeEachDatabase('report exports and access to the analysis exports', (db) => {
  let app: TestApp;
  const get = async (route: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${route}`, { headers });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-r', '示例报告区', null, 'GOVERNMENT');
    for (const [code, name] of [['demo-r-a', '示例甲街道'], ['demo-r-b', '示例乙街道'], ['demo-r-c', '示例丙街道']] as const) await createOffice(app, code, name, 'demo-r');
    for (const [code, received] of [['demo-r-a', 4], ['demo-r-b', 7]] as const) {
      const res = await app.gql(UPSERT_REPORT, { input: consistentReport2021(code, 2022, received) });
      expect(res.errors).toBeUndefined();
    }
  });
  afterAll(() => app.close());

  it('report-table: each table of one report as the report query lays it out; blanks empty', async () => {
    const gql = await app.gql<any>(REPORT, { code: 'demo-r-a' });
    const report = gql.data.report;
    const applications = readCsv((await get('/exports/report-table.csv?officeCode=demo-r-a&year=2022&table=applications')).bytes);
    expect(applications.rows.map((r) => [r[0], ...r.slice(1).map(csvNumber)])).toEqual(report.applications.rows.map((r: any) => [`${r.label} / ${r.labelEn}`, ...r.values]));
    expect(applications.header.slice(1).map((h) => h.split(' / ')[0]!.split('·').pop())).toEqual(report.applications.columns.map((c: any) => c.label));

    const { res, bytes } = await get('/exports/report-table.xlsx?officeCode=demo-r-a&year=2022&table=proactive');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('示例甲街道-2022-主动公开.xlsx'));
    const proactive = readSheet((await readWorkbook(bytes)).worksheets[0]!);
    expect(proactive.heading).toBe('示例甲街道 · 2022年度报告 · 主动公开 · 主动公开 Proactive disclosure');
    expect(proactive.rows.map((r) => r[0])).toEqual(report.proactiveDisclosure.map((r: any) => r.clause));
    for (const [i, row] of report.proactiveDisclosure.entries()) {
      const line = proactive.rows[i]!;
      for (const cell of row.cells) expect([row.clause, cell.measure, line[proactive.header.findIndex((h) => h.startsWith(`${cell.label} / `))]]).toEqual([row.clause, cell.measure, cell.value]);
    }

    // Without a table: every table of the report, one sheet each (a CSV holds one table, so it needs `table`).
    const whole = await readWorkbook((await get('/exports/report-table.xlsx?officeCode=demo-r-a&year=2022')).bytes);
    expect(whole.worksheets.map((w) => w.name)).toEqual(['主动公开', '申请办理', '复议诉讼', '公开渠道']);
    const noTable = await get('/exports/report-table.csv?officeCode=demo-r-a&year=2022');
    expect(noTable.res.status).toBe(400);
    expect(JSON.parse(noTable.bytes.toString()).errors[0].extensions.problems[0].field).toBe('table');

    const reviews = readCsv((await get('/exports/report-table.csv?officeCode=demo-r-a&year=2022&table=reviews')).bytes);
    expect(reviews.rows.map((r) => r.slice(1).map(csvNumber))).toEqual(report.reviewsAndLitigation.map((r: any) => [r.upheld, r.corrected, r.other, r.pending, r.total]));
    const channels = readCsv((await get('/exports/report-table.csv?officeCode=demo-r-a&year=2022&table=channels')).bytes);
    expect(channels.rows.map((r) => [r[1] || null, csvNumber(r[2])])).toEqual(report.channels.map((c: any) => [c.name, c.items]));
  });

  it('district-reports.xlsx: every report of the district and year, one sheet per table; CSV one table', async () => {
    const { res, bytes } = await get('/exports/district-reports.xlsx?under=demo-r&year=2022');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('辖区年报-示例报告区-2022.xlsx'));
    const workbook = await readWorkbook(bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['主动公开', '申请办理', '复议诉讼', '公开渠道', '问题清单', '未报送']);
    const applications = readSheet(workbook.getWorksheet('申请办理')!);
    expect(applications.header.slice(0, 4)).toEqual(['机关编码 / Office code', '机关名称 / Office', '格式 / Template', '项目 / Row']);
    expect(applications.worksheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: applications.headerRow });
    const total = applications.header.indexOf('总计 / Total');
    const received = applications.rows.filter((r) => r[3] === '一、本年新收政府信息公开申请数量').map((r) => [r[0], r[total]]);
    expect(received).toEqual([['demo-r-a', 4], ['demo-r-b', 7]]);
    // A cell the report left blank is empty: nobody stated legal-service-organisation applications.
    const legal = applications.header.findIndex((h) => h.startsWith('法律服务机构 / '));
    expect(legal).toBeGreaterThan(0);
    expect(applications.rows.every((r) => r[legal] === null)).toBe(true);
    const missing = readSheet(workbook.getWorksheet('未报送')!);
    expect(missing.rows.map((r) => r[0])).toEqual(['demo-r-c']);
    const channels = readCsv((await get('/exports/district-reports.csv?under=demo-r&year=2022&table=channels')).bytes);
    expect(channels.rows.map((r) => [r[0], csvNumber(r[4])])).toEqual([['demo-r-a', 60], ['demo-r-a', 40], ['demo-r-b', 60], ['demo-r-b', 40]]);
  });

  describe('access: the GraphQL query\'s rules', () => {
    const ROUTE = '/exports/compare-offices.csv?under=demo-r&year=2022&metrics=applications.received.total';
    const QUERY = '{ compareOffices(under: "demo-r", year: 2022, metrics: ["applications.received.total"]) { reportedCount } }';

    it('anonymous callers get what the public query gives; an editor outside the subtree reads like GraphQL lets it', async () => {
      const anonymous = await get(ROUTE);
      const gqlAnonymous = await app.gql<any>(QUERY, {}, { authorization: '' });
      expect(gqlAnonymous.data.compareOffices.reportedCount).toBe(2);
      expect(anonymous.res.status).toBe(200);
      expect(readCsv(anonymous.bytes).rows).toHaveLength(2);
      // Reading is not writing: an editor of another district reads the comparison over GraphQL, so here too.
      await createOffice(app, 'demo-other', '别的区', null, 'GOVERNMENT');
      const editor = await app.createToken('editor', 'demo-other');
      const gqlEditor = await app.gql<any>(QUERY, {}, { authorization: `Bearer ${editor}` });
      expect(gqlEditor.errors).toBeUndefined();
      const asEditor = await get(ROUTE, { authorization: `Bearer ${editor}` });
      expect(asEditor.res.status).toBe(200);
      expect(readCsv(asEditor.bytes).rows).toEqual(readCsv(anonymous.bytes).rows);
      // A credential that does not verify is refused, never downgraded to anonymous.
      const bad = await get(ROUTE, { authorization: 'Bearer dg_nope' });
      expect(bad.res.status).toBe(401);
      expect(JSON.parse(bad.bytes.toString()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('with PUBLIC_ACCESS off, anonymous callers are asked to sign in (as GraphQL asks them), tokens are served', async () => {
      const closed = await startTestApp(db(), { security: { publicAccess: false } });
      try {
        const gql = await closed.gql<any>(QUERY, {}, { authorization: '' });
        expect(gql.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        for (const route of [ROUTE, '/exports/report-table.xlsx?officeCode=demo-r-a&year=2022&table=applications', '/exports/district-reports.xlsx?under=demo-r&year=2022']) {
          const res = await fetch(`${closed.url}${route}`);
          expect([route, res.status]).toEqual([route, 401]);
          expect(res.headers.get('www-authenticate')).toBe('Bearer');
          const body = (await res.json()) as any;
          expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
          expect(body.errors[0].message).toBe(`GET ${route.split('?')[0]}: sign in with a bearer token; this deployment does not allow anonymous access.`);
        }
        const analyst = await closed.createToken('analyst');
        const res = await fetch(`${closed.url}${ROUTE}`, { headers: { authorization: `Bearer ${analyst}` } });
        expect(res.status).toBe(200);
        expect(readCsv(Buffer.from(await res.arrayBuffer())).rows).toHaveLength(2);
      } finally {
        await closed.close();
      }
    });

    it('holds a client to its analyses in flight, counted together with /graphql\'s', async () => {
      const one = await startTestApp(db(), { security: { maxAnalysisInFlight: 1 } });
      try {
        const token = await one.createToken('analyst');
        const viewer = (await one.app.services.tokens.authenticate(token))!;
        const headers = { authorization: `Bearer ${token}` };
        // The client's one analysis is in flight (as a running GraphQL analysis holds it).
        expect(one.app.analysisInFlight.tryEnter(viewer.subject)).toBe(true);
        const refused = await fetch(`${one.url}${ROUTE}`, { headers });
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('1');
        expect(((await refused.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
        // A report's table is not an analysis: no slot needed.
        expect((await fetch(`${one.url}/exports/report-table.csv?officeCode=demo-r-a&year=2022&table=applications`, { headers })).status).toBe(200);
        one.app.analysisInFlight.leave(viewer.subject);
        const served = await fetch(`${one.url}${ROUTE}`, { headers });
        expect(served.status).toBe(200);
        await served.arrayBuffer();
        // The download released its slot when it ended: the client's count is back to none.
        expect(one.app.analysisInFlight.inFlightFor(viewer.subject)).toBe(0);
      } finally {
        await one.close();
      }
    });
  });
});
