import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus, type ExpectedReport } from '../support/corpus';

describeEachDatabase('the sample loaded into an empty database', (db) => {
  let app: TestApp;
  const expected = JSON.parse(readCorpus('2020_weihai-huancui-jingyuan.expected.json')) as ExpectedReport;

  beforeAll(async () => {
    app = await startTestApp(db(), { loadSample: true });
  });
  afterAll(() => app.close());

  it('serves every number a person read from the Jingyuan 2020 report, and nothing else', async () => {
    const res = await app.gql<{ report: { year: number; templateFormat: string; title: string; metrics: { key: string; value: number | null }[] } }>(
      `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { year templateFormat title metrics { key value } } }`,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.report;
    expect(report.year).toBe(expected.year);
    expect(report.templateFormat).toBe(`FORMAT_${expected.templateFormat}`);
    expect(report.title).toContain('鲸园街道办事处');
    const served = Object.fromEntries(report.metrics.map((m) => [m.key, m.value]));
    expect(served).toEqual(expected.metrics);
  });

  it('keeps blank cells blank: the 自然人 column of table 三 is null, its 总计 is 0', async () => {
    const res = await app.gql<{ report: { metrics: { key: string; value: number | null }[] } }>(
      `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) {
          metrics(keys: ["applications.received.natural_person", "applications.received.total", "review.upheld", "review.total"]) { key value } } }`,
    );
    expect(res.data!.report.metrics).toEqual([
      { key: 'applications.received.natural_person', value: null },
      { key: 'applications.received.total', value: 0 },
      { key: 'review.upheld', value: null },
      { key: 'review.total', value: 0 },
    ]);
  });

  it('serves the channels with account names, devices and the approximate kiosk figure', async () => {
    const res = await app.gql<{ report: { channels: Record<string, unknown>[] } }>(
      `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { channels { kind name items devices queries approximate } } }`,
    );
    const channels = res.data!.report.channels;
    expect(channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'WEBSITE', items: 163 }),
        { kind: 'WECHAT', name: '和谐鲸园', items: 553, devices: null, queries: null, approximate: false },
        { kind: 'WEIBO', name: '文明鲸园', items: 139, devices: null, queries: null, approximate: false },
        expect.objectContaining({ kind: 'KIOSK', devices: 4, queries: 1500, approximate: true }),
        expect.objectContaining({ kind: 'E_SCREEN', devices: 1 }),
        expect.objectContaining({ kind: 'BULLETIN_BOARD', devices: 5 }),
      ]),
    );
    expect(channels).toHaveLength(6);
  });

  it('places the office under its real parents and finds no inconsistency (163 + 553 + 139 = 855)', async () => {
    const res = await app.gql<{ office: { name: string; kind: string; ancestors: { code: string; name: string }[]; report: { findings: unknown[] } } }>(
      `{ office(code: "weihai-huancui-jingyuan") { name kind ancestors { code name } report(year: 2020) { findings { code } } } }`,
    );
    const office = res.data!.office;
    expect(office.name).toBe('鲸园街道办事处');
    expect(office.kind).toBe('SUB_DISTRICT');
    expect(office.ancestors.map((a) => a.name)).toEqual(['威海市', '环翠区']);
    expect(office.report.findings).toEqual([]);
  });

  it('does not load the sample again into a database that has offices', async () => {
    const again = await startTestApp(db(), { loadSample: true });
    try {
      const res = await again.gql<{ offices: { totalCount: number } }>('{ offices { totalCount } }');
      expect(res.data!.offices.totalCount).toBe(3);
    } finally {
      await again.close();
    }
  });
});
