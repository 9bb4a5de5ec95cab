import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusFile } from '../support/corpus';
import { buildCli, runCli } from '../support/cli';


const cli = runCli;

describe('the disclosure-graph CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-cli-'));

  beforeAll(async () => {
    await buildCli();
  }, 180000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parse --json prints office, year, format, flat metrics, channels, findings and warnings', async () => {
    const { stdout, code } = await cli(['parse', corpusFile('2020_weihai-huancui-jingyuan.txt'), '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed).toMatchObject({ office: '威海市环翠区鲸园街道办事处', year: 2020, templateFormat: '2019' });
    expect(parsed.metrics['proactive.items_total']).toBe(855);
    expect(parsed.metrics['channels.kiosk.queries']).toBe(1500);
    expect(Array.isArray(parsed.channels)).toBe(true);
    expect(Array.isArray(parsed.findings)).toBe(true);
    expect(Array.isArray(parsed.warnings)).toBe(true);
  });

  it('parse exits non-zero, naming the line, for a file with no report in it', async () => {
    const file = path.join(dir, 'not-a-report.txt');
    fs.writeFileSync(file, '购物清单\n苹果 3 个\n');
    const { code, stdout, stderr } = await cli(['parse', file, '--json']);
    expect(code).not.toBe(0);
    expect(`${stdout}${stderr}`).toMatch(/line/i);
  });

  it('import stores files into DATABASE_URL and prints a summary; a second run finds them unchanged', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}`, LOAD_SAMPLE: '0' };
    const file = corpusFile('2020_weihai-huancui-jingyuan.txt');
    const junk = path.join(dir, 'junk.txt');
    fs.writeFileSync(junk, 'nothing to see\n');
    // No offices yet: the title's office is unknown, so --office is needed… after creating it.
    await cli(['migrate'], env);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dir, 'cli.sqlite'));
    db.prepare(`INSERT INTO offices (code, name, kind, parentId, region, path, depth) VALUES ('demo-jy', '鲸园街道办事处', 'sub_district', NULL, NULL, '/1/', 0)`).run();
    db.close();
    const first = await cli(['import', file, junk], env);
    expect(first.stdout).toContain('imported 1, revised 0, unchanged 0, failed 1');
    expect(first.stdout).toContain('junk.txt');
    expect(first.code).toBe(1);
    const second = await cli(['import', file], env);
    expect(second.stdout).toContain('imported 0, revised 0, unchanged 1, failed 0');
    expect(second.code).toBe(0);
  });

  it('export writes the assessment workbook and the CSV sheets to real files', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'export.sqlite')}` };
    // An empty database gets the sample when the service starts; the CLI reads what is there.
    const { default: Database } = await import('better-sqlite3');
    await cli(['migrate'], env);
    const db = new Database(path.join(dir, 'export.sqlite'));
    db.prepare(`INSERT INTO offices (code, name, kind, parentId, region, path, depth) VALUES ('demo-e', '示例区', 'government', NULL, NULL, '/1/', 0)`).run();
    db.prepare(`INSERT INTO offices (code, name, kind, parentId, region, path, depth) VALUES ('demo-e-a', '示例街道', 'sub_district', 1, NULL, '/1/2/', 1)`).run();
    db.close();
    const xlsx = path.join(dir, 'out', 'assessment.xlsx');
    const done = await cli(['export', '--year', '2022', '--under', 'demo-e', '--format', 'xlsx', '--out', xlsx], env);
    expect(done.code).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    // Below the title block and the header: the office under the district that filed nothing (not the district itself).
    expect(workbook.getWorksheet('未报送')!.getRow(6).getCell(1).value).toBe('demo-e-a');
    const csvDir = path.join(dir, 'out', 'csv');
    expect((await cli(['export', '--year', '2022', '--under', 'demo-e', '--format', 'csv', '--out', csvDir], env)).code).toBe(0);
    expect(fs.readdirSync(csvDir).sort()).toEqual(['applications.csv', 'channels.csv', 'findings.csv', 'missing.csv', 'proactive.csv', 'reviews.csv', 'summary.csv']);
    const bad = await cli(['export', '--year', '2022', '--under', 'nowhere', '--out', xlsx], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no office with code "nowhere"');
  });

  it('token create/list/revoke manage API tokens: the secret printed once, only its hash stored', async () => {
    const file = path.join(dir, 'tokens.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}`, LOAD_SAMPLE: '0' };
    const created = await cli(['token', 'create', '--name', '示例 dashboard', '--role', 'analyst'], env);
    expect(created.code).toBe(0);
    const secret = /secret \(store it now; it is not kept\): (dg_\S+)/.exec(created.stdout)?.[1];
    expect(secret).toMatch(/^dg_[A-Za-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    const id = /created token (\d+) \(analyst\)/.exec(created.stdout)?.[1];
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(Number(id)) as Record<string, unknown>;
    const audit = db.prepare(`SELECT actor, action FROM audit_log WHERE targetType = 'token'`).all();
    db.close();
    expect(JSON.stringify(row)).not.toContain(secret!.slice(14));
    expect(audit).toEqual([{ actor: expect.stringMatching(/^cli:/), action: 'token.created' }]);

    const editorWithoutOffice = await cli(['token', 'create', '--name', 'x', '--role', 'editor'], env);
    expect(editorWithoutOffice.code).not.toBe(0);
    expect(editorWithoutOffice.stderr).toContain('an editor token needs the code of the office');

    const listed = await cli(['token', 'list'], env);
    expect(listed.stdout).toContain(`${id}\tdg_${secret!.slice(3, 13)}_…\tanalyst\t-\t示例 dashboard`);
    expect(listed.stdout).not.toContain(secret!.slice(14));
    expect((await cli(['token', 'revoke', id!], env)).stdout).toContain(`revoked token ${id} (示例 dashboard)`);
    expect((await cli(['token', 'list'], env)).stdout.trim()).toBe('no tokens');
    expect((await cli(['token', 'list', '--all'], env)).stdout).toMatch(/\trevoked \d{4}-/);
    const notAnId = await cli(['token', 'revoke', 'abc'], env);
    expect(notAnId.code).not.toBe(0);
    expect(notAnId.stderr).toContain('"abc" is not a token id');
  });

  it('emit-schema --check passes on the checked-in schema', async () => {
    const { code, stderr } = await cli(['emit-schema', '--check']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
