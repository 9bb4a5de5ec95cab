/**
 * Imports and edits of the same report, all at once: one report, every write kept as a revision,
 * the last committed write current, and each write's "before" exactly the previous one's "after".
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

const TEXT = fs.readFileSync(path.resolve(__dirname, '../parser/fixtures/2022_demo-pipe-full.txt'), 'utf8');
const IMPORT = `mutation($text: String!, $officeCode: String) { importReport(text: $text, officeCode: $officeCode) { status problem { message } revision { number } } }`;
const WRITERS = 6;

type Entry = { action: string; before: unknown; after: unknown };

describeEachDatabase('concurrent imports and edits of one report', (db) => {
  let app: TestApp;
  let editor: string;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-c', '示例并发区', null, 'GOVERNMENT');
    await createOffice(app, 'demo-c1', '示例并发街道', 'demo-c');
    editor = await app.createToken('editor', 'demo-c');
  });
  afterAll(() => app.close());

  it('keeps one report, loses no revision, and makes the last write current', async () => {
    const auth = { authorization: `Bearer ${editor}` };
    const writes: Promise<{ errors?: unknown[]; data?: any }>[] = [];
    for (let i = 0; i < WRITERS; i++) {
      writes.push(app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-c1', 2022, 10 + i) }, auth));
      // Each import is a different published text (a note appended), so each is a new revision.
      writes.push(app.gql(IMPORT, { text: `${TEXT}\n（第${i + 1}次更正）\n`, officeCode: 'demo-c1' }, auth));
    }
    const results = await Promise.all(writes);
    for (const res of results) expect(res.errors).toBeUndefined();
    for (const res of results) if (res.data.importReport) expect(res.data.importReport.problem).toBeNull();

    const rows = await db().dataSource.query(`SELECT COUNT(*) AS n FROM annual_reports r JOIN offices o ON o.id = r.officeId WHERE o.code = 'demo-c1' AND r.year = 2022`);
    expect(Number(rows[0].n)).toBe(1);

    const report = await app.gql<any>(`{ report(officeCode: "demo-c1", year: 2022) { revisions { number current origin } metrics { key value } } }`);
    const revisions = report.data.report.revisions as { number: number; current: boolean; origin: string }[];
    expect(revisions.map((r) => r.number)).toEqual(Array.from({ length: 2 * WRITERS }, (_, i) => 2 * WRITERS - i));
    expect(revisions.filter((r) => r.current)).toEqual([revisions[0]]);
    expect(revisions.filter((r) => r.origin === 'import')).toHaveLength(WRITERS);

    // The audit log, written in each write's transaction, is the serial history of the report.
    const audit = await app.gql<any>(`{ auditLog(targetType: REPORT, target: "demo-c1/2022", first: 100) { edges { node { action before after } } } }`);
    const history = (audit.data.auditLog.edges as { node: Entry }[]).map((e) => e.node).reverse();
    expect(history).toHaveLength(2 * WRITERS);
    expect(history[0]!.before).toBeNull();
    for (let i = 1; i < history.length; i++) expect(history[i]!.before).toEqual(history[i - 1]!.after);

    // What is stored now is what the last committed write wrote.
    const last = history[history.length - 1]!.after as { metrics: { key: string; value: number }[] };
    const stored = Object.fromEntries((report.data.report.metrics as { key: string; value: number }[]).map((m) => [m.key, m.value]));
    for (const m of last.metrics) expect([m.key, stored[m.key]]).toEqual([m.key, m.value]);
  });
});
