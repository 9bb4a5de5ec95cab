import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const ASSESSMENT = `query($under: String!, $year: Int!, $first: Int, $after: String) {
  assessment(under: $under, year: $year, first: $first, after: $after) {
    summary { offices filed onTime late dateUnknown missing averageScore commonFindings { code count } }
    rows { totalCount pageInfo { hasNextPage endCursor } edges { node { office { code } filed onTime publishedAt completeness findingCount channelItems channelItemsPrevious repeatedShare score breakdown { criterion weight points note } } } }
    downloads { xlsx json csv { sheet name url } }
  } }`;

describeEachDatabase('the year-end assessment and its exports', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-x', '示例区', null, 'GOVERNMENT');
    for (const [code, name] of [['demo-x-a', '示例甲街道'], ['demo-x-b', '示例乙街道'], ['demo-x-c', '示例丙街道']]) await createOffice(app, code!, name!, 'demo-x');
    const write = async (input: unknown) => {
      const res = await app.gql(UPSERT_REPORT, { input });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    };
    const overview = '本年度街道认真贯彻落实政府信息公开条例，通过政府网站和微信公众号主动公开政府信息，规范依申请公开办理流程，加强保密审查，确保公开工作依法有序开展。';
    // demo-x-a: 2021 and a 2022 report copied from it, published on time, table 三 adds up.
    await write({ ...consistentReport2021('demo-x-a', 2021), sections: { overview, problems: '问题。', improvements: '改进。', otherMatters: '无。' } });
    await write({ ...consistentReport2021('demo-x-a', 2022), sections: { overview, problems: '问题。', improvements: '改进。', otherMatters: '无。' } });
    // demo-x-b: late, and its table 三 does not balance.
    const b = consistentReport2021('demo-x-b', 2022, 5);
    b.publishedAt = '2023-02-15';
    b.metrics = b.metrics.map((m) => (m.key === 'applications.results_total.total' ? { ...m, value: 4 } : m));
    await write(b);
    // demo-x-c filed nothing for 2022; nor did demo-x itself, which is not assessed (the district assesses what is under it).
  });
  afterAll(() => app.close());

  it('scores each office with its breakdown and summarises the district', async () => {
    const res = await app.gql<any>(ASSESSMENT, { under: 'demo-x', year: 2022 });
    expect(res.errors).toBeUndefined();
    const { summary, rows, downloads } = res.data.assessment;
    expect(summary).toMatchObject({ offices: 3, filed: 2, onTime: 1, late: 1, dateUnknown: 0, missing: 1 });
    expect(summary.commonFindings).toEqual(expect.arrayContaining([{ code: 'T3_BALANCE', count: 1 }]));
    const byCode = Object.fromEntries(rows.edges.map((e: any) => [e.node.office.code, e.node]));
    expect(rows.edges.map((e: any) => e.node.office.code)).toEqual(['demo-x-a', 'demo-x-b', 'demo-x-c']);
    const a = byCode['demo-x-a'];
    expect(a).toMatchObject({ filed: true, onTime: true, findingCount: 0, channelItems: 100, channelItemsPrevious: 100 });
    expect(a.repeatedShare).toBeGreaterThan(0.9);
    expect(a.breakdown.find((x: any) => x.criterion === 'originality')).toMatchObject({ points: 0 });
    const b = byCode['demo-x-b'];
    expect(b).toMatchObject({ onTime: false, publishedAt: '2023-02-15' });
    expect(b.findingCount).toBeGreaterThan(0);
    expect(b.breakdown.find((x: any) => x.criterion === 'onTime').points).toBe(0);
    expect(b.score).toBeCloseTo(b.breakdown.reduce((s: number, x: any) => s + x.points, 0), 2);
    expect(summary.averageScore).toBeCloseTo((a.score + b.score) / 2, 2);
    expect(byCode['demo-x-c']).toMatchObject({ filed: false, score: 0 });
    expect(downloads.xlsx).toBe('/exports/assessment.xlsx?year=2022&under=demo-x');
    expect(downloads.csv.map((c: any) => c.name)).toEqual(['汇总', '主动公开', '申请办理', '复议诉讼', '公开渠道', '问题清单', '未报送']);

    const page = await app.gql<any>(ASSESSMENT, { under: 'demo-x', year: 2022, first: 2 });
    expect(page.data.assessment.rows.pageInfo.hasNextPage).toBe(true);
    const next = await app.gql<any>(ASSESSMENT, { under: 'demo-x', year: 2022, first: 2, after: page.data.assessment.rows.pageInfo.endCursor });
    expect(next.data.assessment.rows.edges.map((e: any) => e.node.office.code)).toEqual(['demo-x-c']);
  });

  it('downloads the workbook: a title block, one Chinese header row with filters, rank, percentages, numbers as numbers, a legend', async () => {
    const res = await fetch(`${app.url}/exports/assessment.xlsx?year=2022&under=demo-x`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('政务公开考核-示例区-2022.xlsx')}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '主动公开', '申请办理', '复议诉讼', '公开渠道', '问题清单', '未报送', '说明']);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(1).getCell(1).value).toBe('政务公开考核 · 示例区 · 2022年度 · 汇总');
    expect(String(summary.getRow(2).getCell(1).value)).toMatch(/生成时间 Generated: \d{4}-\d\d-\d\d \d\d:\d\d UTC · 评分细则版本 Rubric version: 1/);
    expect(String(summary.getRow(3).getCell(1).value)).toContain('不含示例区本级');
    const HEADER = 5;
    const header = summary.getRow(HEADER).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['排名', '机关编码', '机关名称']);
    expect(header).not.toContain('Office code');
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER });
    expect(summary.autoFilter).toMatch(/^A5:[A-Z]+5$/);
    const rows = [6, 7, 8].map((r) => summary.getRow(r));
    expect(rows.map((r) => r.getCell(2).value)).toEqual(['demo-x-a', 'demo-x-b', 'demo-x-c']);
    const at = (label: string) => header.indexOf(label);
    const scores = rows.map((r) => r.getCell(at('总分')).value as number);
    for (const score of scores) expect(typeof score).toBe('number');
    // Competition ranking by score, computed here from the scores independently of the service.
    const expectedRanks = scores.map((score) => 1 + scores.filter((other) => other > score).length);
    expect(rows.map((r) => r.getCell(1).value)).toEqual(expectedRanks);
    expect(rows[2]!.getCell(1).value).toBe(3);
    const completeness = rows[0]!.getCell(at('完整度'));
    expect(typeof completeness.value).toBe('number');
    expect(completeness.value as number).toBeLessThanOrEqual(1);
    expect(completeness.numFmt).toBe('0%');
    expect(rows[0]!.getCell(at('与上年重复比例')).numFmt).toBe('0.0%');

    const proactive = workbook.getWorksheet('主动公开')!;
    const headers = proactive.getRow(HEADER).values as unknown[];
    const licensing = headers.indexOf('行政许可·处理决定数量');
    expect(licensing).toBeGreaterThan(0);
    expect(proactive.getRow(HEADER + 1).getCell(licensing).value).toBe(120);
    const fees = headers.indexOf('行政事业性收费·本年收费金额（单位：万元）');
    expect(proactive.getRow(HEADER + 1).getCell(fees).value).toBe(24.5);

    const applications = workbook.getWorksheet('申请办理')!;
    expect(applications.getRow(HEADER + 1).values).toEqual(expect.arrayContaining(['demo-x-a', '一、本年新收政府信息公开申请数量', 4]));
    const findings = workbook.getWorksheet('问题清单')!;
    expect(findings.getRow(HEADER + 1).getCell(1).value).toBe('demo-x-b');
    const missing = workbook.getWorksheet('未报送')!;
    expect(missing.getRow(HEADER + 1).getCell(1).value).toBe('demo-x-c');
    expect(missing.getRow(HEADER + 2).getCell(1).value).toBeNull();

    const legend = workbook.getWorksheet('说明')!;
    const legendRows = legend.getSheetValues().filter(Boolean) as unknown[][];
    expect(legendRows).toEqual(expect.arrayContaining([expect.arrayContaining(['汇总 Summary', '机关编码', 'Office code'])]));
  });

  it('downloads each sheet as CSV with a BOM, and the whole as JSON', async () => {
    const res = await fetch(`${app.url}/exports/assessment/channels.csv?year=2022&under=demo-x`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8').slice(1)) as string[][];
    expect(rows[0]!.slice(0, 3)).toEqual(['机关编码', '机关名称', '渠道类型']);
    expect(rows.slice(2).map((r) => [r[0], r[2], r[4], r[8]])).toEqual([
      ['demo-x-a', '政府网站', '60', '60'],
      ['demo-x-a', '微信公众号', '40', '40'],
      ['demo-x-b', '政府网站', '60', ''],
      ['demo-x-b', '微信公众号', '40', ''],
    ]);
    const json = (await (await fetch(`${app.url}/exports/assessment.json?year=2022&under=demo-x`, { headers: { authorization: `Bearer ${app.adminToken}` } })).json()) as any;
    expect(json.sheets['汇总'].rows).toHaveLength(3);
    expect(json.sheets['复议诉讼'].rows[0]['行政复议·总计']).toBe(0);
  });

  it('answers bad parameters with clear errors', async () => {
    const noYear = await fetch(`${app.url}/exports/assessment.xlsx?under=demo-x`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(noYear.status).toBe(400);
    // The GraphQL error body of every route, and the old `error` shape beside it for one release.
    expect(await noYear.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'year', problems: [{ field: 'year' }] } }], error: { code: 'BAD_USER_INPUT', field: 'year' } });
    const unknown = await fetch(`${app.url}/exports/assessment.xlsx?year=2022&under=nowhere`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(unknown.status).toBe(404);
    // The same body and code as the GraphQL query gives for the same unknown office.
    expect(await unknown.json()).toMatchObject({ errors: [{ message: expect.stringContaining('no office with code "nowhere"'), extensions: { code: 'NOT_FOUND', field: 'under', key: 'nowhere' } }] });
    const sheet = await fetch(`${app.url}/exports/assessment/bogus.csv?year=2022&under=demo-x`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(sheet.status).toBe(404);
    const gql = await app.gql(ASSESSMENT, { under: 'nowhere', year: 2022 });
    expect(gql.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'under', key: 'nowhere' });
  });
});
