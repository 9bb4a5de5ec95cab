/**
 * `disclosure-graph import DIR…` as users run it (the built bin, a child process) against a real
 * SQLite file and a real MariaDB database: folders walked, one row per file, `--json` for scripts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseConfig } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/app';
import { corpusFile } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';
import { buildCli, runCli } from '../support/cli';


const cli = (args: string[], env: Record<string, string>) => runCli(args, { LOAD_SAMPLE: '0', ...env });

function databaseUrl(config: DatabaseConfig): string {
  return config.type === 'sqlite' ? `sqlite:${config.path}` : config.url;
}

interface Row {
  file: string;
  outcome: string;
  office: { code: string } | null;
  year: number | null;
  reader: string | null;
  readingStatus: string | null;
  metricsRead: number;
  problem: { code: string; message: string } | null;
  report: { officeCode: string; year: number; revision: number } | null;
}

beforeAll(async () => {
  await buildCli();
}, 180000);

describeEachDatabase('disclosure-graph import DIR', (db) => {
  let app: TestApp;
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-import-dir-'));
  const reports = path.join(dir, 'reports');

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'dawuli', '大五里镇', null, 'TOWN');
    env = { DATABASE_URL: databaseUrl(db().config) };
    // A folder as people keep them: reports in subfolders, a scan, notes, a hidden file.
    fs.mkdirSync(path.join(reports, '2020', 'towns'), { recursive: true });
    fs.copyFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt'), path.join(reports, '2020', '鲸园街道.txt'));
    fs.copyFileSync(corpusFile('2020_dawuli-zhen.txt'), path.join(reports, '2020', 'towns', 'dawuli.TXT'));
    // A phone photo in a format no reader takes (pictures in PNG/JPEG/TIFF are read through OCR).
    fs.writeFileSync(path.join(reports, '2020', 'towns', 'scan.heic'), Buffer.from([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0, 0, 0]));
    fs.writeFileSync(path.join(reports, '2020', 'readme.md'), '# 说明\n');
    fs.writeFileSync(path.join(reports, '2020', 'notice.htm'), '<html><body><p>网站维护通知</p></body></html>');
    fs.writeFileSync(path.join(reports, '.DS_Store'), Buffer.from([0, 0, 0, 1]));
  }, 60000);
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('walks the folder and ends with a table per file and a summary; exit 1 because one failed', async () => {
    const { stdout, code } = await cli(['import', reports], env);
    expect(code).toBe(1);
    const line = (file: string) => stdout.split('\n').find((l) => l.includes(file)) ?? '';
    expect(line('鲸园街道.txt')).toMatch(/鲸园街道办事处\s*│ 2020\s*│ text\s*│ verified\s*│ \d+\s*│ 0\s*│ 已导入 imported/);
    expect(line('dawuli.TXT')).toMatch(/大五里镇\s*│ 2020\s*│ text .*已导入 imported/);
    expect(line('scan.heic')).toContain('不支持 unsupported');
    expect(line('readme.md')).toContain('不支持 unsupported');
    expect(line('notice.htm')).toMatch(/html .*失败 failed\s*│ NO_REPORT/);
    expect(stdout).not.toContain('.DS_Store');
    expect(stdout).toContain('imported 2, revised 0, unchanged 0, failed 1, refused 0, unsupported 2');
    // The reasons, in full, under the table.
    expect(stdout).toMatch(/reports\/2020\/readme\.md: .*not a report file type \(\.md\)/);
    expect(stdout).toMatch(/reports\/2020\/towns\/scan\.heic: .*not a report file type \(\.heic\)/);
    expect(await rowCount(app, 'annual_reports')).toBe(2);
  });

  it('--json prints the same rows and nothing else on stdout; a second run finds the reports unchanged', async () => {
    const { stdout, code } = await cli(['import', '--json', path.join(reports, '2020', '鲸园街道.txt'), path.join(reports, '2020', 'towns')], env);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { files: Row[]; summary: Record<string, number> };
    expect(out.files.map((r) => [r.file, r.outcome])).toEqual([
      [path.join(reports, '2020', '鲸园街道.txt'), 'UNCHANGED'],
      ['towns/dawuli.TXT', 'UNCHANGED'],
      ['towns/scan.heic', 'UNSUPPORTED'],
    ]);
    expect(out.files[0]).toMatchObject({ office: { code: 'weihai-huancui-jingyuan' }, year: 2020, reader: 'text', readingStatus: 'verified', report: { officeCode: 'weihai-huancui-jingyuan', year: 2020, revision: 1 } });
    expect(out.files[2]!.problem!.code).toBe('UNSUPPORTED_FORMAT');
    expect(out.summary).toEqual({ IMPORTED: 0, REVISED: 0, UNCHANGED: 2, REFUSED: 0, FAILED: 0, UNSUPPORTED: 1 });
  });

  it('lists a path that does not exist as failed, and keeps --batch 1 (each report its own commit)', async () => {
    const revised = path.join(dir, 'revised.txt');
    fs.writeFileSync(revised, `${fs.readFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt'), 'utf8')}\n附：本报告已更正。\n`);
    const { stdout, code } = await cli(['import', '--json', '--batch', '1', revised, path.join(dir, 'nowhere')], env);
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { files: Row[] };
    expect(out.files.map((r) => [r.outcome, r.problem?.code ?? null])).toEqual([
      ['REVISED', null],
      ['FAILED', 'UNREADABLE_FILE'],
    ]);
    expect(out.files[0]!.report!.revision).toBe(2);
    expect(out.files[1]!.problem!.message).toContain('no such file or folder');
    expect(await rowCount(app, 'report_revisions')).toBe(3);
  });
});
