/**
 * The review loop on a real corpus report, through Apollo over HTTP, on SQLite and MariaDB: the
 * queue, a correction as a new revision (audited, findings recomputed, caches dropped), typed
 * errors that write nothing, finding resolutions counted by the assessment, sign-off, two
 * reviewers at once, and re-imports that keep a person's corrections.
 */
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const CODE = 'weihai-huancui-jingyuan';
const IMPORT = `mutation($text: String!) { importReport(text: $text, officeCode: "${CODE}") { status } }`;
const REPORT = `{ report(officeCode: "${CODE}", year: 2020) {
  revision reviewState reviewedBy reviewedAt reviewNote
  metrics(keys: ["proactive.licensing.decisions", "applications.received.natural_person"]) { key value source { method line start end } }
  findings { id code resolution }
  source { revision readingText }
  corrections { metricKey value readValue conflictingValue status reason author revisionNumber }
  acceptedTables { tableName revisionNumber }
  revisions { number origin }
} }`;
const CORRECT = `mutation($input: CorrectMetricsInput!) { correctMetrics(input: $input) { revision } }`;
const QUEUE = `{ reviewQueue(under: "weihai-huancui", year: 2020) {
  counts { state count } missing { code }
  reports { totalCount edges { node { office { code } reviewState readingStatus revision openFindings corrections correctionConflicts emptyCells } } }
} }`;

type Report = {
  revision: number;
  reviewState: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  metrics: { key: string; value: number; source: { method: string; line: number | null; start: number | null; end: number | null } | null }[];
  findings: { id: number; code: string; resolution: string }[];
  source: { revision: number; readingText: string } | null;
  corrections: { metricKey: string; value: number | null; readValue: number | null; conflictingValue: number | null; status: string; reason: string; author: string; revisionNumber: number }[];
  acceptedTables: { tableName: string; revisionNumber: number }[];
  revisions: { number: number; origin: string }[];
};

describeEachDatabase('review and correct', (db) => {
  let app: TestApp;
  let analyst: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const report = async (): Promise<Report> => {
    const res = await app.gql<{ report: Report }>(REPORT, {}, as(analyst));
    expect(res.errors).toBeUndefined();
    return res.data!.report;
  };
  const correct = (revision: number, changes: unknown[], token = analyst) => app.gql<{ correctMetrics: { revision: number } }>(CORRECT, { input: { officeCode: CODE, year: 2020, revision, changes } }, as(token));
  const value = (r: Report, key: string) => r.metrics.find((m) => m.key === key)?.value ?? null;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'weihai-huancui-zhuhai', '竹岛街道办事处', 'weihai-huancui');
    await createOffice(app, 'weihai-wendeng', '文登区', 'weihai', 'GOVERNMENT');
    analyst = await app.createToken('analyst');
    expect((await app.gql<{ importReport: { status: string } }>(IMPORT, { text: JINGYUAN })).data!.importReport.status).toBe('IMPORTED');
  });
  afterAll(() => app.close());

  it('lists the district\'s reports with their reading status and counts per state, and the offices that filed none', async () => {
    const res = await app.gql<{ reviewQueue: { counts: { state: string; count: number }[]; missing: { code: string }[]; reports: { totalCount: number; edges: { node: Record<string, unknown> }[] } } }>(QUEUE, {}, as(analyst));
    expect(res.errors).toBeUndefined();
    const q = res.data!.reviewQueue;
    expect(q.counts).toEqual([
      { state: 'UNREVIEWED', count: 1 },
      { state: 'IN_REVIEW', count: 0 },
      { state: 'CONFIRMED', count: 0 },
      { state: 'RETURNED', count: 0 },
    ]);
    expect(q.missing.map((o) => o.code)).toEqual(['weihai-huancui-zhuhai']);
    expect(q.reports.totalCount).toBe(1);
    expect(q.reports.edges[0]!.node).toMatchObject({ office: { code: CODE }, reviewState: 'UNREVIEWED', revision: 1, openFindings: 0, corrections: 0 });
    expect(q.reports.edges[0]!.node.readingStatus).toEqual(expect.any(String));
    // Without a credential the queue is closed.
    expect((await app.gql(QUEUE, {}, { authorization: '' })).errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  });

  it('refuses bad corrections with typed errors naming the key and writes nothing', async () => {
    const revisionsBefore = await rowCount(app, 'report_revisions');
    const unknown = await correct(1, [{ key: 'proactive.nonsense', value: 1, reason: 'x' }]);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'input.changes[0].key', metric: 'proactive.nonsense' }] });
    const otherFormat = await correct(1, [{ key: 'proactive.rules.issued', value: 1, reason: 'x' }]);
    expect(otherFormat.errors?.[0]?.message).toContain('not in this report\'s 2019 template format');
    const negative = await correct(1, [{ key: 'proactive.licensing.decisions', value: -3, reason: 'x' }]);
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'input.changes[0].value', metric: 'proactive.licensing.decisions' }] });
    expect(negative.errors?.[0]?.message).toContain('out of range');
    const noReason = await correct(1, [{ key: 'proactive.licensing.decisions', value: 3, reason: ' ' }]);
    expect(noReason.errors?.[0]?.extensions?.problems).toEqual([expect.objectContaining({ field: 'input.changes[0].reason' })]);
    const otherEditor = await app.createToken('editor', 'weihai-wendeng');
    expect((await correct(1, [{ key: 'proactive.licensing.decisions', value: 3, reason: 'x' }], otherEditor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = await correct(7, [{ key: 'proactive.licensing.decisions', value: 3, reason: 'x' }]);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', yourRevision: 7, currentRevision: 1 });
    expect(await rowCount(app, 'report_revisions')).toBe(revisionsBefore);
    expect(await rowCount(app, 'metric_corrections')).toBe(0);
  });

  it('stores a correction as a new revision, shows it at once in the comparisons and the export, and audits it', async () => {
    const COMPARE = `{ compareOffices(under: "weihai-huancui", year: 2020, metrics: ["proactive.licensing.decisions"]) { groups { metric sum } }
      timeSeries(under: "weihai-huancui", metrics: ["proactive.licensing.decisions"], fromYear: 2020, toYear: 2020) { points { year value } } }`;
    const before = await app.gql<{ compareOffices: { groups: { sum: number }[] }; timeSeries: { points: { value: number }[] }[] }>(COMPARE, {}, as(analyst));
    expect(before.errors).toBeUndefined();
    expect(before.data!.compareOffices.groups[0]!.sum).toBe(0);
    const res = await correct(1, [{ key: 'proactive.licensing.decisions', value: 12, reason: '原文表二第4行为12，读取有误' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.correctMetrics.revision).toBe(2);
    const r = await report();
    expect(value(r, 'proactive.licensing.decisions')).toBe(12);
    expect(r.revisions).toEqual([{ number: 2, origin: 'correction' }, { number: 1, origin: 'import' }]);
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.source?.revision).toBe(2);
    expect(r.source?.readingText.length).toBeGreaterThan(1000);
    expect(r.corrections).toEqual([expect.objectContaining({ metricKey: 'proactive.licensing.decisions', value: 12, readValue: 0, status: 'ACTIVE', revisionNumber: 2 })]);
    expect(r.metrics.find((m) => m.key === 'proactive.licensing.decisions')!.source?.method).toBe('MANUAL');
    // The cached comparison was dropped: the corrected value at once.
    const after = await app.gql<{ compareOffices: { groups: { sum: number }[] }; timeSeries: { points: { value: number }[] }[] }>(COMPARE, {}, as(analyst));
    expect(after.data!.compareOffices.groups[0]!.sum).toBe(12);
    expect(after.data!.timeSeries[0]!.points[0]!.value).toBe(12);
    const rollup = await app.gql<{ rollup: { groups: { values: { total: number }[] }[] } }>(
      `{ rollup(under: "weihai", years: [2020], metrics: ["proactive.licensing.decisions"], groupBy: KIND) { groups { values { total } } } }`,
      {},
      as(analyst),
    );
    expect(rollup.errors).toBeUndefined();
    expect(rollup.data!.rollup.groups.flatMap((g) => g.values.map((v) => v.total))).toContain(12);
    const csv = await (await fetch(`${app.url}/exports/assessment/proactive.csv?year=2020&under=weihai-huancui`, { headers: as(analyst) })).text();
    expect(csv.split('\n').find((l) => l.includes(CODE))).toMatch(/,12(,|$)/);
    const audit = await app.gql<{ auditLog: { edges: { node: { action: string; actor: string; before: any; after: any } }[] } }>(
      `{ auditLog(targetType: REPORT, target: "${CODE}/2020") { edges { node { action actor before after } } } }`,
    );
    const entry = audit.data!.auditLog.edges[0]!.node;
    expect(entry.action).toBe('report.correct');
    expect(entry.before).toEqual({ 'proactive.licensing.decisions': 0 });
    expect(entry.after.changes[0]).toMatchObject({ key: 'proactive.licensing.decisions', before: 0, after: 12, reason: '原文表二第4行为12，读取有误' });
  });

  it('recomputes findings; a finding accepted as published is not deducted by the assessment', async () => {
    const res = await correct(2, [{ key: 'applications.received.natural_person', value: 3, reason: '原文如此' }]);
    expect(res.errors).toBeUndefined();
    const r = await report();
    expect(r.findings.length).toBeGreaterThan(0);
    const ASSESS = `{ assessment(under: "weihai-huancui", year: 2020) { rows { edges { node { office { code } findingCount acceptedFindingCount } } } } }`;
    const rowOf = async () => (await app.gql<{ assessment: { rows: { edges: { node: { office: { code: string }; findingCount: number; acceptedFindingCount: number } }[] } } }>(ASSESS, {}, as(analyst))).data!.assessment.rows.edges.find((e) => e.node.office.code === CODE)!.node;
    expect(await rowOf()).toMatchObject({ findingCount: r.findings.length, acceptedFindingCount: 0 });
    for (const f of r.findings) {
      const resolved = await app.gql<{ resolveFinding: { resolution: string } }>(`mutation($input: ResolveFindingInput!) { resolveFinding(input: $input) { resolution } }`, { input: { findingId: f.id, resolution: 'ACCEPTED_AS_PUBLISHED', note: '报告原文即不平衡' } }, as(analyst));
      expect(resolved.data!.resolveFinding.resolution).toBe('ACCEPTED_AS_PUBLISHED');
    }
    expect(await rowOf()).toMatchObject({ findingCount: 0, acceptedFindingCount: r.findings.length });
    // Another correction recomputes the findings; their resolution is kept.
    expect((await correct(3, [{ key: 'proactive.licensing.decisions', value: 13, reason: '再核' }])).errors).toBeUndefined();
    expect((await report()).findings.every((f) => f.resolution === 'ACCEPTED_AS_PUBLISHED')).toBe(true);
    // Correcting the cell back makes the findings disappear.
    expect((await correct(4, [{ key: 'applications.received.natural_person', blank: true, reason: '原文为空白' }])).errors).toBeUndefined();
    expect((await report()).findings).toEqual([]);
  });

  it('two reviewers correcting the same report at once: one succeeds, the other gets CONFLICT, nothing is lost', async () => {
    const seen = (await report()).revision;
    const [a, b] = await Promise.all([
      correct(seen, [{ key: 'proactive.penalties.decisions', value: 4, reason: 'A' }]),
      correct(seen, [{ key: 'proactive.other_services.decisions', value: 5, reason: 'B' }]),
    ]);
    const outcomes = [a, b].map((res) => (res.errors ? res.errors[0]!.extensions!.code : 'OK')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK']);
    const r = await report();
    expect(r.revision).toBe(seen + 1);
    const winner = a.errors ? 'proactive.other_services.decisions' : 'proactive.penalties.decisions';
    const loser = a.errors ? 'proactive.penalties.decisions' : 'proactive.other_services.decisions';
    expect(r.corrections.map((c) => c.metricKey)).toContain(winner);
    expect(r.corrections.map((c) => c.metricKey)).not.toContain(loser);
    // Earlier corrections are still in force.
    expect(r.corrections.filter((c) => c.status === 'ACTIVE').map((c) => c.metricKey).sort()).toEqual(['applications.received.natural_person', 'proactive.licensing.decisions', winner].sort());
  });

  it('accepts a table, confirms with who and when, and a re-import keeps corrections or reopens the review saying what changed', async () => {
    const seen = (await report()).revision;
    const accepted = await app.gql(`mutation { acceptTable(input: { officeCode: "${CODE}", year: 2020, revision: ${seen}, table: REVIEWS }) { revision } }`, {}, as(analyst));
    expect(accepted.errors).toBeUndefined();
    const confirmed = await app.gql(`mutation { setReviewState(input: { officeCode: "${CODE}", year: 2020, revision: ${seen}, state: CONFIRMED }) { reviewState reviewedBy reviewedAt } }`, {}, as(analyst));
    expect(confirmed.errors).toBeUndefined();
    const confirmedQueue = await app.gql<{ reviewQueue: { counts: { state: string; count: number }[]; reports: { totalCount: number; edges: { node: { office: { code: string } } }[] } } }>(
      `{ reviewQueue(under: "weihai-huancui", year: 2020, state: CONFIRMED, first: 1) { counts { state count } reports { totalCount edges { node { office { code } } } } } }`,
      {},
      as(analyst),
    );
    expect(confirmedQueue.data!.reviewQueue.counts.find((c) => c.state === 'CONFIRMED')!.count).toBe(1);
    expect(confirmedQueue.data!.reviewQueue.reports.edges.map((e) => e.node.office.code)).toEqual([CODE]);
    const unreviewedQueue = await app.gql<{ reviewQueue: { reports: { totalCount: number } } }>(`{ reviewQueue(under: "weihai-huancui", year: 2020, state: UNREVIEWED) { reports { totalCount } } }`, {}, as(analyst));
    expect(unreviewedQueue.data!.reviewQueue.reports.totalCount).toBe(0);
    let r = await report();
    expect(r).toMatchObject({ reviewState: 'CONFIRMED', reviewedBy: expect.any(String), reviewedAt: expect.any(String), acceptedTables: [{ tableName: 'REVIEWS', revisionNumber: seen }] });

    // The same text again: unchanged, the corrections stay.
    expect((await app.gql<{ importReport: { status: string } }>(IMPORT, { text: JINGYUAN })).data!.importReport.status).toBe('UNCHANGED');
    r = await report();
    expect(r.revision).toBe(seen);
    expect(value(r, 'proactive.licensing.decisions')).toBe(13);

    // A text in which the publisher changed table 二's 行政许可 row: the corrected cell now differs.
    const lines = JINGYUAN.split('\n');
    const at = lines.findIndex((l) => l.trim() === '行政许可');
    lines[at + 3] = lines[at + 3]!.replace('0', '7');
    const res = await app.gql<{ importReport: { status: string } }>(IMPORT, { text: lines.join('\n') });
    expect(res.data!.importReport.status).toBe('REVISED');
    r = await report();
    expect(r.reviewState).toBe('IN_REVIEW');
    expect(r.reviewNote).toContain('proactive.licensing.decisions');
    // Both values visible: the new reading stored, the person's correction in CONFLICT beside it.
    expect(value(r, 'proactive.licensing.decisions')).toBe(7);
    expect(r.corrections.find((c) => c.metricKey === 'proactive.licensing.decisions' && c.status === 'CONFLICT')).toMatchObject({ value: 13, readValue: 0, conflictingValue: 7 });
    // The cells the new text did not change keep their corrections.
    expect(r.corrections.filter((c) => c.status === 'ACTIVE').map((c) => c.metricKey)).toContain('applications.received.natural_person');
    expect(value(r, 'applications.received.natural_person')).toBeNull();
  });
});
