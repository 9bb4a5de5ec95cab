/** `disclosure-graph parse FILE` on documents: the built CLI in a child process, as users run it. */
import path from 'node:path';
import { DOCUMENTS, textValues } from './support';
import { buildCli, runCli } from '../support/cli';


const cli = (args: string[]) => runCli(args);

describe('disclosure-graph parse on documents', () => {
  beforeAll(async () => {
    await buildCli();
  }, 180000);

  it('parse report.pdf --json names the reader and prints the values of the report', async () => {
    const report = '2022_hongqiao-zhengwufuwuban';
    const { stdout, code } = await cli(['parse', path.join(DOCUMENTS, `${report}.chromium.pdf`), '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed).toMatchObject({ reader: 'pdf', ocr: false, templateFormat: '2021' });
    expect(parsed.metrics).toEqual(textValues(report));
  }, 60000);

  it('parse report.docx prints which reader it used', async () => {
    const { stdout, code } = await cli(['parse', path.join(DOCUMENTS, '2020_dawuli-zhen.docx')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^reader 读取方式: Word \.docx/);
    expect(stdout).toMatch(/metrics 数值: 60/);
  }, 60000);

  it('a document that cannot be read: its typed error, the file and the reason, exit code 1', async () => {
    const { stdout, code } = await cli(['parse', path.join(DOCUMENTS, 'bad.encrypted.pdf'), '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'ENCRYPTED', file: 'bad.encrypted.pdf' } });
  }, 60000);
});
