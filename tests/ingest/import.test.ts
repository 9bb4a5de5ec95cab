import { describeEachDatabase } from '../support/databases';
import { readCorpus } from '../support/corpus';
import { startTestApp, type TestApp } from '../support/app';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const EXPECTED = JSON.parse(readCorpus('2020_weihai-huancui-jingyuan.expected.json')) as { metrics: Record<string, number> };

const IMPORT = `mutation($text: String!, $officeCode: String) {
  importReport(text: $text, officeCode: $officeCode) {
    status year templateFormat officeNamed metricsRead
    problem { code message line field candidates }
    office { code }
    report { year metrics { key value } channels { kind name items devices queries approximate } findings { code } }
    revision { number origin }
    previousRevision { number }
    warnings { code message }
  } }`;

type ImportResponse = {
  importReport: {
    status: string;
    year: number | null;
    templateFormat: string | null;
    officeNamed: string | null;
    metricsRead: number;
    problem: { code: string; message: string; line: number | null; field: string | null; candidates: string[] } | null;
    office: { code: string } | null;
    report: { year: number; metrics: { key: string; value: number }[]; channels: Record<string, unknown>[]; findings: { code: string }[] } | null;
    revision: { number: number; origin: string } | null;
    previousRevision: { number: number } | null;
    warnings: { code: string; message: string }[];
  };
};

describeEachDatabase('importReport', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
  });
  afterAll(() => app.close());

  it('imports the published Jingyuan text, finding the office from its title', async () => {
    const res = await app.gql<ImportResponse>(IMPORT, { text: JINGYUAN });
    expect(res.errors).toBeUndefined();
    const result = res.data!.importReport;
    expect(result).toMatchObject({ status: 'IMPORTED', year: 2020, templateFormat: 'FORMAT_2019', office: { code: 'weihai-huancui-jingyuan' }, revision: { number: 1, origin: 'import' } });
    const stored = Object.fromEntries(result.report!.metrics.map((m) => [m.key, m.value]));
    for (const [key, value] of Object.entries(EXPECTED.metrics)) expect([key, stored[key]]).toEqual([key, value]);
    expect(result.report!.channels).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'WECHAT', name: '和谐鲸园', items: 553 })]));
  });

  it('changes nothing when the same text is imported again', async () => {
    const res = await app.gql<ImportResponse>(IMPORT, { text: JINGYUAN });
    expect(res.data!.importReport).toMatchObject({ status: 'UNCHANGED', revision: { number: 1 } });
  });

  it('keeps the earlier version when a different text for the same office and year arrives', async () => {
    const corrected = JINGYUAN.replace('共主动公开信息855条', '共主动公开信息856条');
    expect(corrected).not.toBe(JINGYUAN);
    const res = await app.gql<ImportResponse>(IMPORT, { text: corrected });
    expect(res.data!.importReport).toMatchObject({ status: 'REVISED', revision: { number: 2 }, previousRevision: { number: 1 } });
    const revisions = await app.gql<{ report: { revisions: { number: number; changes: { metrics: { key: string; before: number; after: number }[] } }[] } }>(
      `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { revisions { number changes { metrics { key before after } } } } }`,
    );
    const [latest] = revisions.data!.report.revisions;
    expect(latest!.changes.metrics).toContainEqual({ key: 'proactive.items_total', before: 855, after: 856 });
    expect(await rowCount(app, 'annual_reports')).toBe(1);
  });

  it('fails clearly, writing nothing, when the text holds no report', async () => {
    const before = await rowCount(app, 'annual_reports');
    const res = await app.gql<ImportResponse>(IMPORT, { text: '今天天气很好。\n我们去公园散步。\n' });
    expect(res.data!.importReport.status).toBe('FAILED');
    expect(res.data!.importReport.problem).toMatchObject({ code: 'NO_REPORT' });
    expect(res.data!.importReport.problem!.line).toEqual(expect.any(Number));
    expect(await rowCount(app, 'annual_reports')).toBe(before);
  });

  it('asks for officeCode when the title names no known office, or several', async () => {
    const unknown = JINGYUAN.replace('威海市环翠区鲸园街道办事处2020年', '示例市示例区虚构街道办事处2020年');
    const res = await app.gql<ImportResponse>(IMPORT, { text: unknown });
    expect(res.data!.importReport.problem).toMatchObject({ code: 'UNKNOWN_OFFICE', field: 'officeCode' });

    await createOffice(app, 'demo-a', '示例甲区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-b', '示例乙区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-a-x', '同名街道办事处', 'demo-a');
    await createOffice(app, 'demo-b-x', '同名街道办事处', 'demo-b');
    const twice = JINGYUAN.replace('威海市环翠区鲸园街道办事处2020年', '同名街道办事处2020年');
    const ambiguous = await app.gql<ImportResponse>(IMPORT, { text: twice });
    expect(ambiguous.data!.importReport.problem).toMatchObject({ code: 'AMBIGUOUS_OFFICE', candidates: ['demo-a-x', 'demo-b-x'] });

    const told = await app.gql<ImportResponse>(IMPORT, { text: JINGYUAN.replace('威海市环翠区鲸园街道办事处2020年', '示例乙区同名街道办事处2020年') });
    expect(told.data!.importReport).toMatchObject({ status: 'IMPORTED', office: { code: 'demo-b-x' } });

    const given = await app.gql<ImportResponse>(IMPORT, { text: twice, officeCode: 'demo-a-x' });
    expect(given.data!.importReport).toMatchObject({ status: 'IMPORTED', office: { code: 'demo-a-x' } });
  });

  it('imports an excerpt cut mid-table with what it has and a warning saying where it stopped', async () => {
    await createOffice(app, 'demo-dawuli', '大五里镇', null, 'TOWN');
    const text = readCorpus('2020_dawuli-zhen.txt');
    const res = await app.gql<ImportResponse>(IMPORT, { text });
    expect(res.data!.importReport.status).toBe('IMPORTED');
    expect(res.data!.importReport.warnings.length).toBeGreaterThan(0);
    expect(res.data!.importReport.metricsRead).toBeGreaterThan(10);
  });
});
