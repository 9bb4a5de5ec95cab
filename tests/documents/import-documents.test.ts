/**
 * A PDF and a .docx stored through the import path, on SQLite and MariaDB: the stored values are
 * those of the report's text, read back over GraphQL; a document that cannot be read stores nothing.
 */
import { Role } from '../../src/auth/roles';
import type { Viewer } from '../../src/auth/viewer';
import { DocumentError, readDocument } from '../../src/ingest/documents';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, rowCount } from '../support/fixtures';
import { fixture, textValues } from './support';

const REPORT = '2020_weihai-huancui-jingyuan';
const admin: Viewer = { role: Role.ADMIN, subject: 'test:admin' };

describeEachDatabase('importing documents', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
  });
  afterAll(() => app.close());

  it('stores the values of the PDF, and the .docx of the same report changes nothing', async () => {
    const expected = textValues(REPORT);
    const pdf = await readDocument({ bytes: fixture(`${REPORT}.libreoffice.pdf`), filename: `${REPORT}.pdf` });
    const [first] = await app.app.services.imports.importMany([{ text: pdf.text, filename: `${REPORT}.pdf` }], { viewer: admin });
    expect(first!.status).toBe('IMPORTED');

    const stored = await app.gql<{ report: { metrics: { key: string; value: number }[] } }>(
      `query($keys: [MetricKey!]) { report(officeCode: "weihai-huancui-jingyuan", year: 2020) { metrics(keys: $keys) { key value } } }`,
      { keys: Object.keys(expected) },
    );
    expect(stored.errors).toBeUndefined();
    const values = Object.fromEntries(stored.data!.report.metrics.map((m) => [m.key, m.value]));
    expect(values).toEqual(expected);

    // The same report as Word: its prose may be laid out differently (a new revision), its values are the same.
    const docx = await readDocument({ bytes: fixture(`${REPORT}.docx`), filename: `${REPORT}.docx` });
    const [again] = await app.app.services.imports.importMany([{ text: docx.text, filename: `${REPORT}.docx` }], { viewer: admin });
    expect(['UNCHANGED', 'REVISED']).toContain(again!.status);
    const revisions = await app.gql<{ report: { revisions: { number: number; changes: { metrics: unknown[] } | null }[] } }>(
      `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { revisions { number changes { metrics { key before after } } } } }`,
    );
    expect(revisions.errors).toBeUndefined();
    // The first revision is the whole report; a later one (the Word copy) changes no value.
    for (const revision of revisions.data!.report.revisions.filter((r) => r.number > 1)) expect(revision.changes?.metrics ?? []).toEqual([]);
    expect(await rowCount(app, 'annual_reports')).toBe(1);
  });

  it('a document that cannot be read stores nothing', async () => {
    const before = { reports: await rowCount(app, 'annual_reports'), values: await rowCount(app, 'metric_values') };
    await expect(readDocument({ bytes: fixture('bad.encrypted.pdf'), filename: 'bad.encrypted.pdf' })).rejects.toBeInstanceOf(DocumentError);
    expect({ reports: await rowCount(app, 'annual_reports'), values: await rowCount(app, 'metric_values') }).toEqual(before);
  });
});
