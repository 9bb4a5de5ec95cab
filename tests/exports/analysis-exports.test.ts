/**
 * The analysis exports over real HTTP, read back as files: the numbers equal the GraphQL answers
 * to the same arguments, blanks stay blank, headers are Chinese with English beside, and the
 * workbook has its title block, frozen header and filters.
 */
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { DISTRICT, loadDistrict } from '../support/analysis-data';
import { createOffice, UPSERT_REPORT } from '../support/fixtures';
import { AnalysisExports } from '../../src/exports/analysis-adapter';
import { csvNumber, readCsv, readSheet, readWorkbook } from './support';

const METRICS = ['applications.received.total', 'applications.granted.total', 'applications.grant_rate'];
const COMPARE = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!, $orderBy: CompareOrder) {
  compareOffices(under: $under, year: $year, metrics: $metrics, orderBy: $orderBy, first: 100, missingFirst: 200) {
    officeCount reportedCount missingCount missing { code }
    groups { metric sum mean median }
    rows { edges { node { office { code name } values { metric value rank share differenceFromMean differenceFromMedian previousValue change percentChange } } } }
  } }`;

describeEachDatabase('analysis exports', (db) => {
  let app: TestApp;
  const get = async (route: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${route}`, { headers });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    app = await startTestApp(db());
    await loadDistrict(app.app.dataSource);
    // An editor-written name that a spreadsheet would read as a formula.
    await createOffice(app, 'demo-d-formula', '=HYPERLINK("http://x")示例', 'demo-d', 'DEPARTMENT');
    const res = await app.gql(UPSERT_REPORT, { input: { officeCode: 'demo-d-formula', year: 2022, metrics: [{ key: 'applications.received.total', value: 2 }] } });
    expect(res.errors).toBeUndefined();
  });
  afterAll(() => app.close());

  it('compare-offices.xlsx: the GraphQL comparison, every office, numbers as numbers, blanks empty; title block, frozen header, filters', async () => {
    const orderBy = { metric: 'applications.received.total', direction: 'ASC' };
    const gql = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: METRICS, orderBy });
    expect(gql.errors).toBeUndefined();
    const c = gql.data.compareOffices;
    const { res, bytes } = await get(`/exports/compare-offices.xlsx?under=demo-d&year=2022&metrics=${METRICS.join(',')}&orderBy=applications.received.total&direction=ASC`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('多机关比较-示例区-2022.xlsx')}`);
    const workbook = await readWorkbook(bytes);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['比较', '指标汇总', '未报送']);
    const sheet = readSheet(workbook.getWorksheet('比较')!);
    expect(sheet.heading).toBe('多机关比较 Compare offices · 示例区 · 2022年度 · 比较 Comparison');
    expect(sheet.lines[0]).toBe(`查询 Query: compareOffices(year: 2022, metrics: [${METRICS.map((m) => JSON.stringify(m)).join(', ')}], under: "demo-d", orderBy: {metric: "applications.received.total", direction: ASC})`);
    expect(sheet.lines[1]).toBe(`机关 Offices: ${c.officeCount} · 已报送 Filed: ${c.reportedCount} · 未报送 Not filed: ${c.missingCount}`);
    expect(sheet.header.slice(0, 4)).toEqual(['机关编码 / Office code', '机关名称 / Office', '一、本年新收政府信息公开申请数量·总计·数值 / New applications received this year (Total) · value', expect.stringMatching(/·排名 \/ .* · rank$/)]);
    expect(sheet.worksheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: sheet.headerRow });
    expect(sheet.worksheet.autoFilter).toBe(`A${sheet.headerRow}:${sheet.worksheet.getRow(sheet.headerRow).getCell(sheet.header.length).address.replace(/\d+$/, '')}${sheet.headerRow}`);
    // Same offices, same order, same figures as GraphQL.
    const expected = c.rows.edges.map((e: any) => [
      e.node.office.code,
      e.node.office.name,
      ...e.node.values.flatMap((v: any) => [v.value, v.rank, v.share, v.differenceFromMean, v.differenceFromMedian, v.previousValue, v.change, v.percentChange]),
    ]);
    expect(sheet.rows).toEqual(expected);
    // A blank cell (demo-d-s4 stated nothing in 2022) is an empty cell, not 0.
    const s4 = sheet.rows.find((r) => r[0] === 'demo-d-s4')!;
    expect(s4[2]).toBeNull();
    expect(sheet.rows.flat().filter((v) => v !== null && typeof v !== 'number' && typeof v !== 'string')).toEqual([]);
    expect(sheet.worksheet.getRow(sheet.headerRow + 1).getCell(5).numFmt).toBe('0.0%');

    const groups = readSheet(workbook.getWorksheet('指标汇总')!);
    expect(groups.rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(c.groups.map((g: any) => [g.metric, g.sum, g.mean, g.median]));
    const missing = readSheet(workbook.getWorksheet('未报送')!);
    expect(missing.rows.map((r) => r[0])).toEqual(c.missing.map((o: any) => o.code));
  });

  it('compare-offices.csv: BOM, one header row, the same numbers, formula-safe names', async () => {
    const gql = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: METRICS });
    const { res, bytes } = await get(`/exports/compare-offices.csv?under=demo-d&year=2022&metrics=${METRICS.join(',')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = readCsv(bytes);
    expect(csv.header[0]).toBe('机关编码 / Office code');
    expect(csv.header).toHaveLength(2 + METRICS.length * 8);
    const edges = gql.data.compareOffices.rows.edges;
    expect(csv.rows.map((r) => r[0])).toEqual(edges.map((e: any) => e.node.office.code));
    for (const [i, row] of csv.rows.entries()) {
      const values = edges[i].node.values.flatMap((v: any) => [v.value, v.rank, v.share, v.differenceFromMean, v.differenceFromMedian, v.previousValue, v.change, v.percentChange]);
      expect(row.slice(2).map(csvNumber)).toEqual(values);
    }
    const formula = csv.rows.find((r) => r[0] === 'demo-d-formula')!;
    expect(formula[1]).toBe(`'=HYPERLINK("http://x")示例`);
  });

  it('a comparison longer than one chunk comes out whole and in order, as GraphQL pages it', async () => {
    const gql = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: METRICS });
    const expected = gql.data.compareOffices.rows.edges.map((e: any) => [e.node.office.code, e.node.values.map((v: any) => v.rank)]);
    expect(expected.length).toBeGreaterThan(4);
    // Three rows a computation: the district's offices take several.
    const analyses = new AnalysisExports(app.app.dataSource, app.app.services.analysis, 3);
    const request = { scope: { kind: 'under' as const, root: await analyses.office('demo-d', 'under') }, year: 2022, metrics: METRICS, orderBy: METRICS[0]!, descending: true };
    const { data } = await analyses.compareHead(request);
    const rows: unknown[] = [];
    for await (const row of analyses.compareRows(request, data)) rows.push([row.office.code, row.values.map((v) => v.rank)]);
    expect(rows).toEqual(expected);
  });

  it('compare-offices with a list of offices (officeCodes, and the old name offices)', async () => {
    const codes = ['demo-d-s2', 'demo-d-s1', 'demo-d-s5'];
    const gql = await app.gql<any>(`{ compareOffices(offices: ${JSON.stringify(codes)}, year: 2022, metrics: ["applications.received.total"]) { missing { code } rows { edges { node { office { code } values { value rank } } } } } }`);
    for (const name of ['officeCodes', 'offices']) {
      const csv = readCsv((await get(`/exports/compare-offices.csv?${name}=${codes.join(',')}&year=2022&metrics=applications.received.total`)).bytes);
      expect(csv.rows.map((r) => [r[0], csvNumber(r[2]), csvNumber(r[3])])).toEqual(gql.data.compareOffices.rows.edges.map((e: any) => [e.node.office.code, e.node.values[0].value, e.node.values[0].rank]));
    }
  });

  it('rollup.xlsx and .csv: groups then totals, as GraphQL gives them', async () => {
    const gql = await app.gql<any>(`{ rollup(under: "demo-d", years: [2021, 2022], metrics: ["applications.received.total", "applications.grant_rate"], groupBy: KIND, missingFirst: 200) {
      groups { year group label officeCount reportedCount missingCount missing { code } values { total mean } } totals { year group officeCount reportedCount missingCount values { total mean } } } }`);
    expect(gql.errors).toBeUndefined();
    const expected = [...gql.data.rollup.groups, ...gql.data.rollup.totals].map((g: any) => [g.year, g.group, g.officeCount, g.reportedCount, g.missingCount, ...g.values.flatMap((v: any) => [v.total, v.mean])]);
    const query = 'under=demo-d&years=2022,2021&metrics=applications.received.total,applications.grant_rate&groupBy=KIND';
    const workbook = await readWorkbook((await get(`/exports/rollup.xlsx?${query}`)).bytes);
    const sheet = readSheet(workbook.getWorksheet('汇总')!);
    expect(sheet.rows.map((r) => [r[0], r[1], ...r.slice(3)])).toEqual(expected);
    expect(sheet.rows.find((r) => r[1] === 'sub_district')![2]).toBe('街道办事处 / Sub-district');
    const missing = readSheet(workbook.getWorksheet('未报送')!);
    expect(missing.rows.map((r) => `${r[0]}:${r[1]}:${r[2]}`).sort()).toEqual(gql.data.rollup.groups.flatMap((g: any) => g.missing.map((o: any) => `${g.year}:${g.group}:${o.code}`)).sort());
    const csv = readCsv((await get(`/exports/rollup.csv?${query}`)).bytes);
    expect(csv.rows.map((r) => [Number(r[0]), r[1], ...r.slice(3).map(csvNumber)])).toEqual(expected);
  });

  it('time-series and year-over-year: one row per point, as GraphQL gives them', async () => {
    const series = await app.gql<any>(`{ a: timeSeries(metrics: ["applications.received.total"], fromYear: 2020, toYear: 2022, under: "demo-d") { metric points { year value reportedCount templateFormat } }
      b: timeSeries(metrics: ["applications.received.total", "proactive.licensing.decisions"], fromYear: 2020, toYear: 2022, officeCodes: ["demo-d-s1", "demo-d-s2"]) { office { code } metric points { year value reportedCount templateFormat } } }`);
    expect(series.errors).toBeUndefined();
    const under = readCsv((await get('/exports/time-series.csv?metrics=applications.received.total&fromYear=2020&toYear=2022&under=demo-d')).bytes);
    expect(under.rows.map((r) => [r[0], r[2], Number(r[4]), csvNumber(r[5]), r[6], Number(r[7])])).toEqual(
      series.data.a.flatMap((s: any) => s.points.map((p: any) => ['demo-d', s.metric, p.year, p.value, p.templateFormat.replace(/^FORMAT_/, ''), p.reportedCount])),
    );
    const workbook = await readWorkbook((await get('/exports/time-series.xlsx?metrics=applications.received.total,proactive.licensing.decisions&fromYear=2020&toYear=2022&officeCodes=demo-d-s1,demo-d-s2')).bytes);
    const offices = readSheet(workbook.worksheets[0]!);
    expect(offices.rows.map((r) => [r[0], r[2], r[4], r[5]])).toEqual(series.data.b.flatMap((s: any) => s.points.map((p: any) => [s.office.code, s.metric, p.year, p.value])));

    const metrics = ['proactive.rules.made', 'proactive.licensing.decisions', 'applications.received.total'];
    const yoy = await app.gql<any>(`{ yearOverYear(officeCode: "demo-d-s1", metrics: ${JSON.stringify(metrics)}, fromYear: 2020, toYear: 2022) { series { metric points { year key value previousKey previousValue change percentChange comparable note } } } }`);
    const csv = readCsv((await get(`/exports/year-over-year.csv?officeCode=demo-d-s1&metrics=${metrics.join(',')}&fromYear=2020&toYear=2022`)).bytes);
    expect(csv.rows.map((r) => [r[0], Number(r[2]), r[4] || null, csvNumber(r[5]), r[6] || null, csvNumber(r[7]), csvNumber(r[8]), csvNumber(r[9]), r[10] === '是', r[11] || null])).toEqual(
      yoy.data.yearOverYear.series.flatMap((s: any) => s.points.map((p: any) => [s.metric, p.year, p.key, p.value, p.previousKey, p.previousValue, p.change, p.percentChange, p.comparable, p.note])),
    );
  });

  it('bad parameters: a typed 400 naming the parameter, in the GraphQL error body', async () => {
    const cases: [string, string, string][] = [
      ['/exports/compare-offices.xlsx?under=demo-d&metrics=applications.received.total', 'year', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=twenty&metrics=applications.received.total', 'year', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metrics=applications.nope', 'metrics', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metrics=a.b,,c', 'metrics', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metric=applications.received.total', 'metrics', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metrics=applications.received.total&metric=x', 'metric', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?year=2022&metrics=applications.received.total', 'under', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metrics=applications.received.total&orderBy=applications.granted.total', 'orderBy', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&metrics=applications.received.total&direction=UP', 'direction', 'BAD_USER_INPUT'],
      ['/exports/compare-offices.csv?under=demo-d&year=2022&year=2021&metrics=applications.received.total', 'year', 'BAD_USER_INPUT'],
      ['/exports/rollup.xlsx?under=demo-d&years=2022,x&metrics=applications.received.total', 'years', 'BAD_USER_INPUT'],
      ['/exports/rollup.xlsx?under=demo-d&years=2022&metrics=applications.received.total&groupBy=CITY', 'groupBy', 'BAD_USER_INPUT'],
      ['/exports/time-series.csv?metrics=applications.received.total&fromYear=2022&toYear=2020&under=demo-d', 'toYear', 'BAD_USER_INPUT'],
      ['/exports/year-over-year.csv?metrics=applications.received.total&fromYear=2020&toYear=2022', 'officeCode', 'BAD_USER_INPUT'],
      ['/exports/report-table.csv?officeCode=demo-d-s1&year=2022&table=prose', 'table', 'BAD_USER_INPUT'],
      ['/exports/district-reports.xlsx?under=demo-d', 'year', 'BAD_USER_INPUT'],
    ];
    for (const [route, field, code] of cases) {
      const res = await fetch(`${app.url}${route}`);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string; problems: { field: string }[]; requestId: string } }[] };
      expect([route, res.status, body.errors[0]!.extensions.code, body.errors[0]!.extensions.problems?.[0]?.field]).toEqual([route, 400, code, field]);
      expect(body.errors[0]!.message).toMatch(new RegExp(`^${field}: `));
      expect(body.errors[0]!.extensions.requestId).toEqual(expect.any(String));
    }
    // An unknown office is NOT_FOUND (404) naming the field and the code, the GraphQL query's error.
    for (const [route, query, field, codes] of [
      ['/exports/compare-offices.csv?under=nowhere&year=2022&metrics=applications.received.total', '{ compareOffices(under: "nowhere", year: 2022, metrics: ["applications.received.total"]) { officeCount } }', 'under', 'nowhere'],
      [
        '/exports/compare-offices.xlsx?officeCodes=demo-d-s1,nowhere,elsewhere&year=2022&metrics=applications.received.total',
        '{ compareOffices(officeCodes: ["demo-d-s1", "nowhere", "elsewhere"], year: 2022, metrics: ["applications.received.total"]) { officeCount } }',
        'officeCodes',
        'nowhere,elsewhere',
      ],
      ['/exports/year-over-year.csv?officeCode=nowhere&metrics=applications.received.total&fromYear=2020&toYear=2022', '{ yearOverYear(officeCode: "nowhere", metrics: ["applications.received.total"], fromYear: 2020, toYear: 2022) { series { metric } } }', 'officeCode', 'nowhere'],
    ] as const) {
      const res = await fetch(`${app.url}${route}`);
      const error = ((await res.json()) as any).errors[0];
      expect([route, res.status]).toEqual([route, 404]);
      expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', what: 'office', field, key: codes });
      const gql = await app.gql<any>(query);
      expect(error.message).toBe(gql.errors![0]!.message);
    }
    // A report that was not filed is NOT_FOUND, like an office the report query cannot find.
    const absent = await fetch(`${app.url}/exports/report-table.xlsx?officeCode=demo-d-s5&year=2022&table=applications`);
    expect(absent.status).toBe(404);
    expect(((await absent.json()) as any).errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'year' });
  });

  it('the same cost limit as the query, the same code', async () => {
    expect(DISTRICT['demo-d']).toBeDefined();
    const strict = await startTestApp(db(), { security: { maxCost: 10 } });
    try {
      const metrics = ['applications.received.total', 'applications.granted.total', 'proactive.licensing.decisions', 'applications.results_total.total'];
      const gql = await strict.gql<any>(`{ rollup(under: "demo-d", years: [2020, 2021, 2022], metrics: ${JSON.stringify(metrics)}) { totals { year } } }`);
      expect(gql.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      const res = await fetch(`${strict.url}/exports/rollup.csv?under=demo-d&years=2020,2021,2022&metrics=${metrics.join(',')}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 10 });
      const small = await fetch(`${strict.url}/exports/year-over-year.csv?officeCode=demo-d-s1&metrics=applications.received.total&fromYear=2021&toYear=2022`);
      expect(small.status).toBe(200);
      await small.arrayBuffer();
    } finally {
      await strict.close();
    }
  });
});
