/**
 * The Review page's operations as it sends them (dashboard/src/queries/review.graphql, with the
 * ReviewedReport fragment), over HTTP on SQLite and MariaDB with an analyst token: the queue, the
 * report with its source and spans, a correction answered with the recomputed report, the
 * CONFLICT a stale revision gets (with the revisions the page shows), table acceptance, a finding
 * resolved, sign-off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DefinitionNode } from 'graphql';
import { PROJECT_ROOT } from '../../src/config/paths';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice } from '../support/fixtures';

const DOCUMENT = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'dashboard', 'src', 'queries', 'review.graphql'), 'utf8'));
/** One operation with the fragment it spreads, as the generated document sends it. */
function operation(name: string): string {
  const op = DOCUMENT.definitions.find((d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!op) throw new Error(`no operation ${name} in review.graphql`);
  const text = print(op);
  const fragments = DOCUMENT.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION && text.includes(`...${d.name.value}`));
  return [text, ...fragments.map((f) => print(f))].join('\n');
}

const OFFICE = 'weihai-huancui-jingyuan';
const KEY = 'applications.received.natural_person';

type Report = {
  revision: number;
  reviewState: string;
  reviewedBy: string | null;
  source: { readingText: string; html: boolean } | null;
  metrics: { key: string; value: number | null; source: { line: number | null; start: number | null; end: number | null; method: string } | null }[];
  findings: { id: number; resolution: string; leftKeys: string[]; rightKeys: string[] }[];
  corrections: { metricKey: string; value: number | null; readValue: number | null; status: string }[];
  acceptedTables: { tableName: string; revisionNumber: number }[];
};

describeEachDatabase('the Review page\'s operations', (db) => {
  let app: TestApp;
  let token: string;
  const run = async <T>(name: string, variables: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: operation(name), variables, operationName: name }),
    });
    return (await res.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  };
  const ok = async <T>(name: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await run<T>(name, variables);
    if (res.errors) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
    return res.data!;
  };

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'weihai-huancui-zhudao', '竹岛街道办事处', 'weihai-huancui');
    // The corpus report with one misprinted cell: table 三 then does not add up.
    const lines = readCorpus('2020_weihai-huancui-jingyuan.txt').split('\n');
    lines[lines.findIndex((l) => l.trim() === '一、本年新收政府信息公开申请数量') + 1] = '\t3';
    const imported = await app.gql<{ importReport: { status: string } }>(`mutation($text: String!) { importReport(text: $text, officeCode: "${OFFICE}") { status } }`, { text: lines.join('\n') });
    expect(imported.errors).toBeUndefined();
    expect(imported.data?.importReport.status).toBe('IMPORTED');
    token = await app.createToken('analyst');
  });
  afterAll(() => app.close());

  it('runs the queue, the report beside its source, a correction, a conflict, an acceptance, a resolution and the sign-off', async () => {
    type Queue = { reviewQueue: { counts: { state: string; count: number }[]; missing: { code: string }[]; reports: { edges: { node: { office: { code: string }; openFindings: number; revision: number } }[] } } };
    const queue = await ok<Queue>('ReviewQueue', { under: 'weihai-huancui', year: 2020, state: null, after: null });
    expect(queue.reviewQueue.counts.find((c) => c.state === 'UNREVIEWED')!.count).toBe(1);
    expect(queue.reviewQueue.missing.map((o) => o.code)).toEqual(['weihai-huancui-zhudao']);
    const item = queue.reviewQueue.reports.edges[0]!.node;
    expect(item).toMatchObject({ office: { code: OFFICE }, revision: 1 });
    expect(item.openFindings).toBeGreaterThan(0);

    let report = (await ok<{ report: Report }>('ReviewReport', { code: OFFICE, year: 2020 })).report;
    expect(report.findings.filter((f) => f.resolution === 'OPEN')).toHaveLength(item.openFindings);
    expect(report.findings.some((f) => [...f.leftKeys, ...f.rightKeys].includes(KEY))).toBe(true);
    // The span the page highlights is the misprinted figure itself.
    const read = report.metrics.find((m) => m.key === KEY)!;
    const line = report.source!.readingText.split('\n')[read.source!.line! - 1]!;
    expect(line.slice(read.source!.start!, read.source!.end!)).toBe('3');

    const corrected = (await ok<{ correctMetrics: Report }>('CorrectMetrics', { input: { officeCode: OFFICE, year: 2020, revision: 1, changes: [{ key: KEY, value: 0, reason: '原文为0' }] } })).correctMetrics;
    expect(corrected.revision).toBe(2);
    expect(corrected.findings).toEqual([]);
    expect(corrected.corrections).toEqual([expect.objectContaining({ metricKey: KEY, value: 0, readValue: 3, status: 'ACTIVE' })]);
    expect(corrected.metrics.find((m) => m.key === KEY)).toMatchObject({ value: 0, source: { method: 'MANUAL', line: read.source!.line } });

    // The page still at revision 1: CONFLICT with both revision numbers, nothing written.
    const stale = await run('CorrectMetrics', { input: { officeCode: OFFICE, year: 2020, revision: 1, changes: [{ key: 'proactive.licensing.decisions', value: 1, reason: 'x' }] } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', yourRevision: 1, currentRevision: 2 });

    report = (await ok<{ acceptTable: Report }>('AcceptTable', { input: { officeCode: OFFICE, year: 2020, revision: 2, table: 'APPLICATIONS' } })).acceptTable;
    expect(report.acceptedTables).toEqual([expect.objectContaining({ tableName: 'APPLICATIONS', revisionNumber: 2, acceptedBy: expect.any(String) })]);
    expect(report.revision).toBe(2);

    // A finding to resolve: a total the items do not reach makes table 三 disagree again.
    report = (await ok<{ correctMetrics: Report }>('CorrectMetrics', { input: { officeCode: OFFICE, year: 2020, revision: 2, changes: [{ key: 'applications.results_total.total', value: 5, reason: '原文合计为5' }] } })).correctMetrics;
    const finding = report.findings[0]!;
    expect(finding.resolution).toBe('OPEN');
    const resolved = await ok<{ resolveFinding: { id: number; resolution: string } }>('ResolveFinding', { input: { findingId: finding.id, resolution: 'ACCEPTED_AS_PUBLISHED' } });
    expect(resolved.resolveFinding).toEqual({ id: finding.id, resolution: 'ACCEPTED_AS_PUBLISHED' });

    const confirmed = (await ok<{ setReviewState: Report }>('SetReviewState', { input: { officeCode: OFFICE, year: 2020, revision: 3, state: 'CONFIRMED', note: null } })).setReviewState;
    expect(confirmed.reviewState).toBe('CONFIRMED');
    expect(confirmed.reviewedBy).toEqual(expect.any(String));
    const after = await ok<Queue>('ReviewQueue', { under: 'weihai-huancui', year: 2020, state: 'CONFIRMED', after: null });
    expect(after.reviewQueue.reports.edges.map((e) => e.node.office.code)).toEqual([OFFICE]);
  });
});
