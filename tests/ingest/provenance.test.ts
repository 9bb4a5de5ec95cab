/**
 * Provenance: every stored value keeps where it was read (line and span of the normalised text,
 * method, table cell), the revision keeps that text, and GraphQL serves both — so any number can be
 * checked against the text in one step. Until the parser fills `sources`, the sources here are
 * built by hand against the real Jingyuan text and stored through the import's own path
 * (contentFromParsed → writeReport).
 */
import { withTransaction } from '../../src/db/transaction';
import { contentFromParsed } from '../../src/ingest/import.service';
import { parseReport, type ParsedReport, type ValueSource } from '../../src/ingest/parser';
import { parseCellNumber } from '../../src/ingest/parser/normalize';
import { readingTextOf } from '../../src/ingest/reading-text';
import type { Office } from '../../src/offices/office.entity';
import { writeReport } from '../../src/reports/report-writer';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021, createJingyuanOffices, createOffice } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const DAWULI = readCorpus('2020_dawuli-zhen.txt');

type Source = { line: number | null; start: number | null; end: number | null; method: string; table: string | null; row: string | null; column: number | null };
type Reading = { key: string; value: number | null; approximate: boolean; source: Source | null };
type ReportView = {
  readingStatus: string | null;
  metrics: Reading[];
  revisions: { number: number; origin: string; readingStatus: string | null; readingText: string | null; sourceText: string | null }[];
};

const REPORT = `query($code: String!, $year: Int!) { report(officeCode: $code, year: $year) {
  readingStatus
  metrics { key value approximate source { line start end method table row column } }
  revisions { number origin readingStatus readingText sourceText }
} }`;

/** The text a source points at. */
function spanText(text: string, source: Source): string {
  return text.split('\n')[source.line! - 1]!.slice(source.start!, source.end!);
}

/** A source for `digits` where it first follows `needle` on a line of the normalised text (from line `from`). */
function sourceAt(lines: readonly string[], needle: string, digits: string, extra: Partial<ValueSource> & Pick<ValueSource, 'method'>, from = 0): ValueSource {
  const index = lines.findIndex((l, i) => i >= from && l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const start = lines[index]!.indexOf(digits, lines[index]!.indexOf(needle));
  return { line: index + 1, start, end: start + digits.length, ...extra };
}

/** The real parse of the Jingyuan text, with sources for a few values built by hand: prose, channels and table 二 cells. */
function jingyuanWithSources(readingText: string): ParsedReport {
  const result = parseReport(JINGYUAN, { filename: 'jingyuan.txt' });
  if (!result.ok) throw new Error('the Jingyuan text must parse');
  const lines = readingText.split('\n');
  const rules = lines.findIndex((l) => l.trim() === '规章');
  const cell = (offset: number, column: number): ValueSource => {
    const line = lines[rules + offset]!;
    const start = line.indexOf('0');
    return { line: rules + offset + 1, start, end: start + 1, method: 'cell', table: '二', row: '规章', column };
  };
  return {
    ...result.report,
    sources: {
      'proactive.items_total': sourceAt(lines, '共主动公开信息', '855', { method: 'prose' }),
      'channels.wechat.items': sourceAt(lines, '和谐鲸园', '553', { method: 'prose' }),
      'channels.kiosk.queries': sourceAt(lines, '政府信息查询', '1500', { method: 'prose' }),
      'proactive.rules.made': cell(1, 1),
      'proactive.rules.published': cell(2, 2),
      // Points past the end of its line: must be dropped, not stored.
      'proactive.rules.total': { line: rules + 1, start: 40, end: 45, method: 'cell', table: '二', row: '规章', column: 3 },
      // A key the report does not carry: ignored.
      'applications.granted.total': { line: 1, start: 0, end: 1, method: 'cell' },
    },
  };
}

describeEachDatabase('provenance of stored values', (db) => {
  let app: TestApp;
  let jingyuan: Office;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'demo-prov', '示例来源街道', null);
    await createOffice(app, 'dawuli', '大五里镇', null, 'TOWN');
    jingyuan = (await app.app.services.offices.byCode('weihai-huancui-jingyuan'))!;
  });
  afterAll(() => app.close());

  it('stores each value with its source and serves it, pointing at the number in the stored normalised text', async () => {
    const readingText = readingTextOf(JINGYUAN, { filename: 'jingyuan.txt' });
    // The published text has full-width brackets and 「—、」: the text sources point into is not the text as given.
    expect(readingText).not.toBe(JINGYUAN);
    const { content, warnings } = contentFromParsed(jingyuanWithSources(readingText), 2020, readingText);
    expect(warnings).toEqual([expect.objectContaining({ code: 'SOURCE_DROPPED', message: expect.stringContaining('proactive.rules.total') })]);
    await withTransaction(app.app.dataSource, (manager) =>
      writeReport(manager, jingyuan, content, { origin: 'import', sourceText: JINGYUAN, normalisedText: readingText, author: 'test' }),
    );

    const res = await app.gql<{ report: ReportView }>(REPORT, { code: 'weihai-huancui-jingyuan', year: 2020 });
    expect(res.errors).toBeUndefined();
    const report = res.data!.report;
    const [revision] = report.revisions;
    expect(revision).toMatchObject({ number: 1, origin: 'import', sourceText: JINGYUAN, readingText });
    expect(report.readingStatus).toBe(revision!.readingStatus);
    expect(report.readingStatus).toEqual(expect.stringMatching(/^(VERIFIED|READ_WITH_FINDINGS|PARTIAL)$/));

    const byKey = new Map(report.metrics.map((m) => [m.key, m]));
    const sourced = report.metrics.filter((m) => m.source);
    expect(sourced.map((m) => m.key).sort()).toEqual(['channels.kiosk.queries', 'channels.wechat.items', 'proactive.items_total', 'proactive.rules.made', 'proactive.rules.published']);
    // One click: the span of the stored text holds the number served.
    for (const m of sourced) expect([m.key, parseCellNumber(spanText(revision!.readingText!, m.source!))?.value]).toEqual([m.key, m.value]);
    expect(byKey.get('proactive.items_total')!.source).toEqual(expect.objectContaining({ method: 'PROSE', table: null, row: null, column: null }));
    expect(byKey.get('channels.kiosk.queries')).toMatchObject({ value: 1500, approximate: true, source: { method: 'PROSE' } });
    expect(byKey.get('proactive.rules.published')!.source).toEqual(expect.objectContaining({ method: 'CELL', table: '二', row: '规章', column: 2 }));
    // Dropped, so not recorded: null rather than a place that holds something else.
    expect(byKey.get('proactive.rules.total')).toMatchObject({ value: 0, source: null });
  });

  it('keeps the sources with the revision: a later revision with other sources leaves the earlier one readable', async () => {
    const readingText = readingTextOf(JINGYUAN, { filename: 'jingyuan.txt' });
    const parsed = jingyuanWithSources(readingText);
    const moved = { ...parsed, sources: { 'proactive.items_total': parsed.sources['proactive.items_total']! } };
    const { content } = contentFromParsed(moved, 2020, readingText);
    const write = await withTransaction(app.app.dataSource, (manager) =>
      writeReport(manager, jingyuan, content, { origin: 'import', sourceText: JINGYUAN, normalisedText: readingText, author: 'test' }),
    );
    // Same text and numbers, a different reading of them: a new revision, not "unchanged".
    expect(write.outcome).toBe('revised');
    const res = await app.gql<{ report: ReportView }>(REPORT, { code: 'weihai-huancui-jingyuan', year: 2020 });
    expect(res.data!.report.metrics.filter((m) => m.source).map((m) => m.key)).toEqual(['proactive.items_total']);
    const first = await app.app.dataSource.query(`SELECT text FROM report_revision_chunks WHERE revisionId = ? AND part = 'content' ORDER BY seq`, [write.previousRevision!.id]);
    const stored = JSON.parse((first as { text: string }[]).map((r) => r.text).join('')) as { sources: Record<string, ValueSource> };
    expect(Object.keys(stored.sources).sort()).toEqual(['channels.kiosk.queries', 'channels.wechat.items', 'proactive.items_total', 'proactive.rules.made', 'proactive.rules.published']);
  });

  it('marks hand-entered values MANUAL with no place in a text, and a hand-entered report with no reading status', async () => {
    const res = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-prov', 2022) });
    expect(res.errors).toBeUndefined();
    const view = await app.gql<{ report: ReportView }>(REPORT, { code: 'demo-prov', year: 2022 });
    const report = view.data!.report;
    expect(report.readingStatus).toBeNull();
    expect(report.revisions[0]).toMatchObject({ origin: 'upsert', readingStatus: null, readingText: null, sourceText: null });
    const stored = report.metrics.filter((m) => m.value !== null);
    expect(stored.length).toBeGreaterThan(10);
    for (const m of stored) expect([m.key, m.source]).toEqual([m.key, { line: null, start: null, end: null, method: 'MANUAL', table: null, row: null, column: null }]);
    // Derived metrics have no cell of their own, so no source.
    const derived = await app.gql<{ report: { metrics: Reading[] } }>(`{ report(officeCode: "demo-prov", year: 2022) { metrics(keys: ["applications.grant_rate"]) { key value source { method } } } }`);
    expect(derived.data!.report.metrics).toEqual([{ key: 'applications.grant_rate', value: 1, source: null }]);
  });

  it('serves the reading status of an import in its result, on the report and on the revision', async () => {
    const res = await app.gql<any>(
      `mutation($text: String!) { importReport(text: $text) { status readingStatus forced warnings { code } report { readingStatus metrics { key value source { line start end } } revisions { readingStatus readingText } } } }`,
      { text: DAWULI },
    );
    expect(res.errors).toBeUndefined();
    const result = res.data.importReport;
    // The excerpt stops inside table 三.
    expect(result).toMatchObject({ status: 'IMPORTED', readingStatus: 'PARTIAL', forced: false, report: { readingStatus: 'PARTIAL', revisions: [{ readingStatus: 'PARTIAL' }] } });
    expect(result.warnings.map((w: { code: string }) => w.code)).toContain('TRUNCATED');
    // Whatever sources the parser gives are checked on import: each served one holds its number.
    const text = result.report.revisions[0].readingText as string;
    expect(text).toBe(readingTextOf(DAWULI));
    for (const m of result.report.metrics as Reading[]) if (m.source) expect([m.key, parseCellNumber(spanText(text, m.source))?.value]).toEqual([m.key, m.value]);
  });

  it('keeps the flattened text of an HTML page as the text sources point into, beside the page itself', async () => {
    const html = `<html><body>${JINGYUAN.split('\n').map((l) => `<p>${l}</p>`).join('')}</body></html>`;
    const res = await app.gql<any>(
      `mutation($text: String!) { importReport(text: $text, officeCode: "demo-prov") { status readingStatus report { year revisions { sourceText readingText } } } }`,
      { text: html },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.importReport).toMatchObject({ status: 'IMPORTED', report: { year: 2020 } });
    const [revision] = res.data.importReport.report.revisions;
    expect(revision.sourceText).toBe(html);
    expect(revision.readingText).toBe(readingTextOf(html));
    expect(revision.readingText).not.toMatch(/<p>/);
    expect(revision.readingText).toContain('共主动公开信息855条');
  });

  it('loads sources and reading texts in batches: as many statements for three reports as for one', async () => {
    const NESTED = `query($first: Int) { offices(filter: { under: "weihai" }, first: $first) { edges { node { code
      reports { readingStatus metrics { key source { line method } } revisions { readingStatus readingText } } } } } }`;
    await app.gql(`mutation($text: String!) { importReport(text: $text, officeCode: "weihai-huancui") { status } }`, { text: JINGYUAN });
    await createOffice(app, 'weihai-prov3', '示例第三街道', 'weihai');
    await app.gql(`mutation($text: String!) { importReport(text: $text, officeCode: "weihai-prov3") { status } }`, { text: JINGYUAN });
    const one = await app.gql<any>(NESTED, { first: 1 });
    const three = await app.gql<any>(NESTED, { first: 3 });
    expect(one.errors).toBeUndefined();
    expect(three.errors).toBeUndefined();
    expect(three.data.offices.edges.filter((e: any) => e.node.reports.length > 0)).toHaveLength(3);
    expect(three.extensions!.sqlStatements).toBe(one.extensions!.sqlStatements);
  });
});
