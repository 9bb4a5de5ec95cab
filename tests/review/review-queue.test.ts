/**
 * The review queue's order: reports not yet confirmed before confirmed ones, and among them the
 * one with open findings first; pages follow each other without gaps. SQLite and MariaDB.
 */
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

type Node = { office: { code: string }; openFindings: number; reviewState: string };
const QUEUE = `query($first: Int, $after: String) { reviewQueue(under: "d", year: 2022, first: $first, after: $after) {
  counts { state count } missing { code }
  reports { totalCount pageInfo { hasNextPage endCursor } edges { node { office { code } openFindings reviewState } } }
} }`;

describeEachDatabase('review queue order', (db) => {
  let app: TestApp;
  const queue = async (first?: number, after?: string) => {
    const res = await app.gql<{ reviewQueue: { counts: { state: string; count: number }[]; missing: { code: string }[]; reports: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] } } }>(QUEUE, { first, after });
    expect(res.errors).toBeUndefined();
    return res.data!.reviewQueue;
  };

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'd', '示例区', null, 'GOVERNMENT');
    for (const code of ['d-a', 'd-b', 'd-c', 'd-none']) await createOffice(app, code, `示例${code}`, 'd');
    // d-a balanced, d-b with a table 三 that does not add up, d-c balanced.
    for (const code of ['d-a', 'd-c']) expect((await app.gql(UPSERT_REPORT, { input: consistentReport2021(code) })).errors).toBeUndefined();
    const unbalanced = consistentReport2021('d-b');
    const res = await app.gql<{ upsertReport: { findings: unknown[] } }>(UPSERT_REPORT, {
      input: { ...unbalanced, metrics: unbalanced.metrics.map((m) => (m.key === 'applications.granted.total' ? { ...m, value: 1 } : m)) },
    });
    expect(res.data!.upsertReport.findings.length).toBeGreaterThan(0);
  });
  afterAll(() => app.close());

  it('puts open findings first and confirmed reports last, and pages without gaps', async () => {
    let q = await queue();
    expect(q.missing.map((o) => o.code)).toEqual(['d-none']);
    expect(q.reports.edges.map((e) => e.node.office.code)).toEqual(['d-b', 'd-a', 'd-c']);
    const confirm = await app.gql(`mutation { setReviewState(input: { officeCode: "d-a", year: 2022, state: CONFIRMED }) { reviewState } }`);
    expect(confirm.errors).toBeUndefined();
    q = await queue();
    expect(q.reports.edges.map((e) => [e.node.office.code, e.node.reviewState])).toEqual([
      ['d-b', 'UNREVIEWED'],
      ['d-c', 'UNREVIEWED'],
      ['d-a', 'CONFIRMED'],
    ]);
    expect(q.counts.filter((c) => c.count > 0)).toEqual([
      { state: 'UNREVIEWED', count: 2 },
      { state: 'CONFIRMED', count: 1 },
    ]);
    const first = await queue(2);
    expect(first.reports.pageInfo.hasNextPage).toBe(true);
    const second = await queue(2, first.reports.pageInfo.endCursor);
    expect([...first.reports.edges, ...second.reports.edges].map((e) => e.node.office.code)).toEqual(['d-b', 'd-c', 'd-a']);
    expect(second.reports.pageInfo.hasNextPage).toBe(false);
  });
});
