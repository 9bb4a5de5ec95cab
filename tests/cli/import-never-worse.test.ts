/**
 * The CLI import as a new user runs it: each file's status, reading status and warnings are
 * printed; a file that would blank a stored report is refused, the run exits non-zero and the
 * database is unchanged; `--force` stores it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageTablePage, JUNK_WITH_YEAR } from '../ingest/never-worse.fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { corpusFile, readCorpus } from '../support/corpus';
import { describeEachDatabase, type TestDatabase } from '../support/databases';
import { databaseSnapshot } from '../support/db-snapshot';
import { createJingyuanOffices } from '../support/fixtures';
import { buildCli, runCli } from '../support/cli';


function databaseUrl(db: TestDatabase): string {
  return db.config.type === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url;
}

const cli = runCli;

beforeAll(async () => {
  await buildCli();
}, 180000);

describeEachDatabase('disclosure-graph import: never worse', (db) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-never-worse-'));
  const page = path.join(dir, 'jingyuan-2020.html');
  const junk = path.join(dir, 'notice.txt');
  let app: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    fs.writeFileSync(page, imageTablePage(readCorpus('2020_weihai-huancui-jingyuan.txt')));
    fs.writeFileSync(junk, JUNK_WITH_YEAR);
    env = { DATABASE_URL: databaseUrl(db()), LOAD_SAMPLE: '0' };
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints each file’s status and reading status', async () => {
    const first = await cli(['import', corpusFile('2020_weihai-huancui-jingyuan.txt'), '--json'], env);
    const [file] = JSON.parse(first.stdout).files;
    expect(file).toMatchObject({ outcome: 'IMPORTED', forced: false });
    expect(['verified', 'read-with-findings', 'partial']).toContain(file.readingStatus);
    expect(first.code).toBe(0);
  });

  it('refuses an image-table page and a stray notice for the stored report, says why, exits non-zero and changes nothing', async () => {
    const before = await databaseSnapshot(db().dataSource);
    const table = await cli(['import', page, junk, '--office', 'weihai-huancui-jingyuan'], env);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('imported 0, revised 0, unchanged 0, failed 0, refused 2');
    expect(table.stdout).toMatch(/jingyuan-2020\.html: .*--force/);
    expect(table.stdout).toMatch(/jingyuan-2020\.html\S* TABLE_EMPTY: .*表二/);
    const { stdout, code } = await cli(['import', page, junk, '--office', 'weihai-huancui-jingyuan', '--json'], env);
    expect(code).toBe(1);
    const files = JSON.parse(stdout).files as any[];
    const byName = (name: string) => files.find((f) => f.file.endsWith(name));
    expect(byName('jingyuan-2020.html')).toMatchObject({ outcome: 'REFUSED', readingStatus: 'unreadable', problem: { code: 'UNREADABLE' } });
    // A notice with a year and no table: the parser calls it unreadable, which is refused first.
    expect(byName('notice.txt')).toMatchObject({ outcome: 'REFUSED', readingStatus: 'unreadable', problem: { code: 'UNREADABLE' } });
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
    const report = await app.gql<any>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { readingStatus metrics(keys: ["applications.received.total"]) { value } } }`);
    expect(report.data.report.metrics[0].value).toBe(0);
  });

  it('stores the page with --force, saying it was forced', async () => {
    const { stdout, code } = await cli(['import', page, '--office', 'weihai-huancui-jingyuan', '--force'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('(强制 forced)');
    expect(stdout).toContain('revised 1');
    const report = await app.gql<any>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { readingStatus metrics(keys: ["applications.received.total"]) { value } } }`);
    expect(report.data.report).toEqual({ readingStatus: 'UNREADABLE', metrics: [{ value: null }] });
  });
});
