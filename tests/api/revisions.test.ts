import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const REVISIONS = `{ report(officeCode: "demo-rev", year: 2022) {
  revisions { number current origin contentHash changes { metrics { key before after } fields { field before after } } }
  metrics(keys: ["applications.received.total"]) { value } } }`;

type Revisions = {
  report: {
    revisions: { number: number; current: boolean; origin: string; contentHash: string; changes: { metrics: { key: string; before: number | null; after: number | null }[]; fields: { field: string; before: string | null; after: string | null }[] } }[];
    metrics: { value: number }[];
  };
};

describeEachDatabase('report revisions', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-rev', '示例版本街道', null);
  });
  afterAll(() => app.close());

  it('keeps one revision when the same content is written twice', async () => {
    await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-rev', 2022, 4) });
    await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-rev', 2022, 4) });
    const res = await app.gql<Revisions>(REVISIONS);
    expect(res.data!.report.revisions).toHaveLength(1);
    expect(res.data!.report.revisions[0]).toMatchObject({ number: 1, current: true, origin: 'upsert' });
  });

  it('keeps the earlier version when different content is written, and tells what changed', async () => {
    const input = consistentReport2021('demo-rev', 2022, 6);
    input.title = '示例街道2022年报告（修订）';
    input.channels = [{ kind: 'WEBSITE', items: 61 }];
    await app.gql(UPSERT_REPORT, { input });
    const res = await app.gql<Revisions>(REVISIONS);
    const [latest, first] = res.data!.report.revisions;
    expect(res.data!.report.metrics[0]!.value).toBe(6);
    expect(latest).toMatchObject({ number: 2, current: true });
    expect(first).toMatchObject({ number: 1, current: false });
    expect(latest!.contentHash).not.toBe(first!.contentHash);
    expect(latest!.changes.metrics).toEqual(
      expect.arrayContaining([
        { key: 'applications.received.total', before: 4, after: 6 },
        { key: 'applications.granted.natural_person', before: 4, after: 6 },
      ]),
    );
    expect(latest!.changes.fields).toEqual(
      expect.arrayContaining([
        { field: 'title', before: '示例街道2022年政府信息公开工作年度报告', after: '示例街道2022年报告（修订）' },
        { field: 'channels.website', before: 'items=60', after: 'items=61' },
        { field: 'channels.wechat「示例发布」', before: 'items=40', after: null },
      ]),
    );
    // The first revision's changes are its whole content.
    expect(first!.changes.metrics.every((m) => m.before === null)).toBe(true);
  });

  it('writes concurrent edits of one report without duplicates or lost revisions', async () => {
    const writes = Array.from({ length: 6 }, (_, i) => app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-rev', 2024, 10 + i) }));
    const results = await Promise.all(writes);
    for (const r of results) expect(r.errors).toBeUndefined();
    const res = await app.gql<{ report: { revisions: { number: number }[]; metrics: { value: number }[] } }>(
      `{ report(officeCode: "demo-rev", year: 2024) { revisions { number } metrics(keys: ["applications.received.total"]) { value } } }`,
    );
    expect(res.data!.report.revisions.map((r) => r.number)).toEqual([6, 5, 4, 3, 2, 1]);
    const reports = await app.app.dataSource.query(`SELECT COUNT(*) AS n FROM annual_reports WHERE year = 2024`);
    expect(Number(reports[0].n)).toBe(1);
    // The last write to commit is current; every value written is one of the revisions.
    expect(res.data!.report.metrics[0]!.value).toBeGreaterThanOrEqual(10);
  });
});
