/**
 * The CLI import as a new user runs it: each file's status, reading status and warnings are
 * printed; a file that would blank a stored report is refused, the run exits non-zero and the
 * database is unchanged; `--force` stores it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { imageTablePage, JUNK_WITH_YEAR } from '../ingest/never-worse.fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { corpusFile, readCorpus } from '../support/corpus';
import { describeEachDatabase, type TestDatabase } from '../support/databases';
import { databaseSnapshot } from '../support/db-snapshot';
import { createJingyuanOffices } from '../support/fixtures';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'disclosure-graph.js');

function databaseUrl(db: TestDatabase): string {
  return db.config.type === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url;
}

async function cli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
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
    const first = await cli(['import', corpusFile('2020_weihai-huancui-jingyuan.txt')], env);
    expect(first.stdout).toMatch(/2020_weihai-huancui-jingyuan\.txt: IMPORTED, reading (verified|read-with-findings|partial)/);
    expect(first.stdout).toContain('imported 1, revised 0, unchanged 0, failed 0, refused 0');
    expect(first.code).toBe(0);
  });

  it('refuses an image-table page and a stray notice for the stored report, says why, exits non-zero and changes nothing', async () => {
    const before = await databaseSnapshot(db().dataSource);
    const { stdout, code } = await cli(['import', page, junk, '--office', 'weihai-huancui-jingyuan'], env);
    expect(code).toBe(1);
    expect(stdout).toContain('jingyuan-2020.html: REFUSED, reading unreadable');
    expect(stdout).toMatch(/ {2}UNREADABLE: .*--force/);
    expect(stdout).toMatch(/ {2}warning TABLE_EMPTY: .*表二/);
    expect(stdout).toContain('notice.txt: REFUSED');
    expect(stdout).toMatch(/ {2}NO_VALUES: /);
    expect(stdout).toContain('imported 0, revised 0, unchanged 0, failed 0, refused 2');
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
    const report = await app.gql<any>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { readingStatus metrics(keys: ["applications.received.total"]) { value } } }`);
    expect(report.data.report.metrics[0].value).toBe(0);
  });

  it('stores the page with --force, saying it was forced', async () => {
    const { stdout, code } = await cli(['import', page, '--office', 'weihai-huancui-jingyuan', '--force'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('jingyuan-2020.html: REVISED (forced), reading unreadable');
    const report = await app.gql<any>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { readingStatus metrics(keys: ["applications.received.total"]) { value } } }`);
    expect(report.data.report).toEqual({ readingStatus: 'UNREADABLE', metrics: [{ value: null }] });
  });
});
