/**
 * Who may review: analysts anywhere, editors inside their subtree only, never the public; and a
 * hand-entered report (no source text) can be corrected too. SQLite and MariaDB, through Apollo.
 */
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021, createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

const CODE = 'weihai-huancui-jingyuan';
const CORRECT = `mutation($input: CorrectMetricsInput!) { correctMetrics(input: $input) { revision reviewState metrics(keys: ["proactive.licensing.decisions"]) { value source { method line } } findings { code } } }`;

describeEachDatabase('review access', (db) => {
  let app: TestApp;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const input = (revision: number, value: number) => ({ input: { officeCode: CODE, year: 2022, revision, changes: [{ key: 'proactive.licensing.decisions', value, reason: '核对原文' }] } });

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'weihai-wendeng', '文登区', 'weihai', 'GOVERNMENT');
    expect((await app.gql(UPSERT_REPORT, { input: consistentReport2021(CODE) })).errors).toBeUndefined();
  });
  afterAll(() => app.close());

  it('lets an editor of the subtree correct a hand-entered report; the value stays MANUAL with no place in a text', async () => {
    const editor = await app.createToken('editor', 'weihai-huancui');
    const res = await app.gql<{ correctMetrics: { revision: number; reviewState: string; metrics: { value: number; source: { method: string; line: number | null } }[] } }>(CORRECT, input(1, 121), as(editor));
    expect(res.errors).toBeUndefined();
    expect(res.data!.correctMetrics).toMatchObject({ revision: 2, reviewState: 'IN_REVIEW', metrics: [{ value: 121, source: { method: 'MANUAL', line: null } }] });
    const source = await app.gql<{ report: { source: unknown } }>(`{ report(officeCode: "${CODE}", year: 2022) { source { readingText } } }`, {}, as(editor));
    expect(source.data!.report.source).toBeNull();
  });

  it('refuses an editor of another subtree, the public and a confirm of an old revision, writing nothing', async () => {
    const before = await rowCount(app, 'report_revisions');
    const outsider = await app.createToken('editor', 'weihai-wendeng');
    const refused = await app.gql(CORRECT, input(2, 122), as(outsider));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain('outside this editor\'s subtree');
    const anonymous = await app.gql(CORRECT, input(2, 122), { authorization: '' });
    expect(anonymous.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    const analyst = await app.createToken('analyst');
    const stale = await app.gql(`mutation { setReviewState(input: { officeCode: "${CODE}", year: 2022, revision: 1, state: CONFIRMED }) { reviewState } }`, {}, as(analyst));
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentRevision: 2 });
    expect(await rowCount(app, 'report_revisions')).toBe(before);
    const state = await app.gql<{ report: { reviewState: string; reviewedBy: string | null } }>(`{ report(officeCode: "${CODE}", year: 2022) { reviewState reviewedBy } }`, {}, as(analyst));
    expect(state.data!.report).toEqual({ reviewState: 'IN_REVIEW', reviewedBy: null });
  });

  it('names a missing report and an unknown finding', async () => {
    const analyst = await app.createToken('analyst');
    const noReport = await app.gql(CORRECT, { input: { ...input(1, 1).input, year: 2019 } }, as(analyst));
    expect(noReport.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.year' });
    const noFinding = await app.gql(`mutation { resolveFinding(input: { findingId: 999999, resolution: FIXED_BY_CORRECTION }) { id } }`, {}, as(analyst));
    expect(noFinding.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.findingId' });
  });
});
