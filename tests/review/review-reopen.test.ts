/**
 * Sign-off reopening and corrections kept across later writes, on SQLite and MariaDB: an
 * `upsertReport` or import of different content reopens a signed-off review saying what changed,
 * the same content changes nothing, a person's corrections survive, and a corrected cell the new
 * content changes shows both values until the reviewer settles it (correctMetrics or acceptTable).
 */
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { consistentReport2021, createJingyuanOffices, createOffice } from '../support/fixtures';

const UPSERT = `mutation($input: ReportInput!) { upsertReport(input: $input) { id } }`;
const REPORT = `query($code: String!, $year: Int!) { report(officeCode: $code, year: $year) {
  revision reviewState reviewNote
  metrics(keys: ["proactive.licensing.decisions", "applications.received.total"]) { key value source { method } }
  corrections { metricKey value readValue conflictingValue status }
} }`;
const QUEUE = `query($under: String!, $year: Int!) { reviewQueue(under: $under, year: $year) { reports { edges { node { office { code } corrections correctionConflicts } } } } }`;
const LICENSING = 'proactive.licensing.decisions';

type Report = {
  revision: number;
  reviewState: string;
  reviewNote: string | null;
  metrics: { key: string; value: number; source: { method: string } | null }[];
  corrections: { metricKey: string; value: number | null; readValue: number | null; conflictingValue: number | null; status: string }[];
};

describeEachDatabase('review reopened by later writes', (db) => {
  let app: TestApp;
  let analyst: string;
  const as = () => ({ authorization: `Bearer ${analyst}` });
  const report = async (code: string, year: number): Promise<Report> => {
    const res = await app.gql<{ report: Report }>(REPORT, { code, year }, as());
    expect(res.errors).toBeUndefined();
    return res.data!.report;
  };
  const value = (r: Report, key: string) => r.metrics.find((m) => m.key === key)?.value ?? null;
  // Reviews as the analyst; reports are written with the admin token (gql's default), as an office would.
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const writes = /upsertReport|importReport/.test(query);
    const res = await app.gql<Record<string, unknown>>(query, variables, writes ? {} : as());
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const correct = (code: string, year: number, revision: number, key: string, v: number) =>
    ok(`mutation($input: CorrectMetricsInput!) { correctMetrics(input: $input) { revision } }`, { input: { officeCode: code, year, revision, changes: [{ key, value: v, reason: '核对原文' }] } });
  const setState = (code: string, year: number, state: string) => ok(`mutation { setReviewState(input: { officeCode: "${code}", year: ${year}, state: ${state}, note: "示例" }) { reviewState } }`);
  const queueNode = async (under: string, year: number, code: string) => {
    const data = (await ok(QUEUE, { under, year })) as { reviewQueue: { reports: { edges: { node: { office: { code: string }; corrections: number; correctionConflicts: number } }[] } } };
    return data.reviewQueue.reports.edges.find((e) => e.node.office.code === code)!.node;
  };
  const withLicensing = (input: ReturnType<typeof consistentReport2021>, v: number) => ({ ...input, metrics: input.metrics.map((m) => (m.key === LICENSING ? { ...m, value: v } : m)) });

  beforeAll(async () => {
    app = await startTestApp(db());
    analyst = await app.createToken('analyst');
    await createOffice(app, 'd', '示例区', null, 'GOVERNMENT');
    await createOffice(app, 'd-a', '示例甲街道', 'd');
    await createJingyuanOffices(app);
  });
  afterAll(() => app.close());

  it('upsertReport: the same content changes nothing; different content reopens a confirmed review, naming the changed values, and keeps the corrections', async () => {
    const original = consistentReport2021('d-a');
    await ok(UPSERT, { input: original });
    await correct('d-a', 2022, 1, LICENSING, 121);
    await setState('d-a', 2022, 'CONFIRMED');

    // The client sends what it sent before: the correction is applied to it again, nothing changes.
    await ok(UPSERT, { input: original });
    let r = await report('d-a', 2022);
    expect(r).toMatchObject({ revision: 2, reviewState: 'CONFIRMED', reviewNote: '示例' });
    expect(value(r, LICENSING)).toBe(121);

    // Different content: reopened as IN_REVIEW, the note lists what changed, the correction holds.
    await ok(UPSERT, { input: consistentReport2021('d-a', 2022, 5) });
    r = await report('d-a', 2022);
    expect(r.revision).toBe(3);
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.reviewNote).toContain('upsertReport');
    expect(r.reviewNote).toContain('(was confirmed)');
    expect(r.reviewNote).toContain('applications.received.total: 4 → 5');
    expect(r.reviewNote).not.toContain(LICENSING);
    expect(value(r, 'applications.received.total')).toBe(5);
    expect(value(r, LICENSING)).toBe(121);
    expect(r.corrections).toEqual([{ metricKey: LICENSING, value: 121, readValue: 120, conflictingValue: null, status: 'ACTIVE' }]);
  });

  it('upsertReport changing a corrected cell: both values shown; correctMetrics or acceptTable settles the conflict', async () => {
    await setState('d-a', 2022, 'CONFIRMED');
    await ok(UPSERT, { input: withLicensing(consistentReport2021('d-a', 2022, 5), 130) });
    let r = await report('d-a', 2022);
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.reviewNote).toContain(`${LICENSING}: 121 → 130`);
    // The new value is stored; the person's correction is beside it, in conflict.
    expect(value(r, LICENSING)).toBe(130);
    expect(r.corrections).toEqual([{ metricKey: LICENSING, value: 121, readValue: 120, conflictingValue: 130, status: 'CONFLICT' }]);
    expect(await queueNode('d', 2022, 'd-a')).toMatchObject({ corrections: 0, correctionConflicts: 1 });

    // The reviewer decides with a new correction of the cell: the conflict is replaced, and the new
    // correction is made against the current reading (130), which a re-send is compared with.
    await correct('d-a', 2022, r.revision, LICENSING, 125);
    r = await report('d-a', 2022);
    expect(value(r, LICENSING)).toBe(125);
    expect(r.corrections.map((c) => [c.status, c.value, c.readValue]).sort()).toEqual([
      ['ACTIVE', 125, 130],
      ['REPLACED', 121, 120],
    ]);
    expect(await queueNode('d', 2022, 'd-a')).toMatchObject({ corrections: 1, correctionConflicts: 0 });

    // Changed again, and this time the reviewer accepts table 二 as the new content has it.
    await ok(UPSERT, { input: withLicensing(consistentReport2021('d-a', 2022, 5), 140) });
    r = await report('d-a', 2022);
    expect(r.corrections.find((c) => c.status === 'CONFLICT')).toMatchObject({ value: 125, conflictingValue: 140 });
    await ok(`mutation { acceptTable(input: { officeCode: "d-a", year: 2022, revision: ${r.revision}, table: PROACTIVE }) { revision } }`);
    r = await report('d-a', 2022);
    expect(value(r, LICENSING)).toBe(140);
    expect(r.corrections.every((c) => c.status === 'REPLACED')).toBe(true);
    expect(await queueNode('d', 2022, 'd-a')).toMatchObject({ corrections: 0, correctionConflicts: 0 });
  });

  it('import: a returned report reopens on a new text; a text that now states the corrected value keeps the correction without conflict', async () => {
    const CODE = 'weihai-huancui-jingyuan';
    const IMPORT = `mutation($text: String!) { importReport(text: $text, officeCode: "${CODE}") { status } }`;
    const imported = async (text: string) => ((await ok(IMPORT, { text })) as { importReport: { status: string } }).importReport.status;
    const text = readCorpus('2020_weihai-huancui-jingyuan.txt');
    expect(await imported(text)).toBe('IMPORTED');
    await correct(CODE, 2020, 1, LICENSING, 12);
    await setState(CODE, 2020, 'RETURNED');
    // The office republishes with table 二's 行政许可 row fixed to what the reviewer found.
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.trim() === '行政许可');
    lines[at + 3] = lines[at + 3]!.replace('0', '12');
    const fixed = lines.join('\n');
    expect(await imported(fixed)).toBe('REVISED');
    let r = await report(CODE, 2020);
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.reviewNote).toContain('(was returned)');
    // No value differs from what the review had: the note says so.
    expect(r.reviewNote).toContain('0 个数值改动');
    expect(value(r, LICENSING)).toBe(12);
    // The text now states the value itself, so it is read from the text again.
    expect(r.metrics.find((m) => m.key === LICENSING)!.source?.method).not.toBe('MANUAL');
    expect(r.corrections).toEqual([{ metricKey: LICENSING, value: 12, readValue: 0, conflictingValue: null, status: 'ACTIVE' }]);
    // The same text again changes nothing, not even the reopened review.
    await setState(CODE, 2020, 'CONFIRMED');
    const revision = r.revision;
    expect(await imported(fixed)).toBe('UNCHANGED');
    r = await report(CODE, 2020);
    expect(r).toMatchObject({ revision, reviewState: 'CONFIRMED' });
    // The old text again: its reading (0) is what the correction was made against, so it applies
    // again and nothing is in conflict; the review reopens because the text differs.
    expect(await imported(text)).toBe('REVISED');
    r = await report(CODE, 2020);
    expect(value(r, LICENSING)).toBe(12);
    expect(r.metrics.find((m) => m.key === LICENSING)!.source?.method).toBe('MANUAL');
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.corrections.map((c) => c.status)).toEqual(['ACTIVE']);
  });
});
