import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { corpusFile } from '../support/corpus';
import { buildCli } from '../support/cli';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'disclosure-graph.js');

async function parseJson(file: string): Promise<{ code: number; json: Record<string, unknown> }> {
  const { stdout } = await run(process.execPath, [BIN, 'parse', file, '--json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return { code: 0, json: JSON.parse(stdout) as Record<string, unknown> };
}

describe('disclosure-graph parse FILE --json: status and sources beside the flat metrics', () => {
  beforeAll(async () => {
    await buildCli();
  }, 180000);

  it.each([
    [corpusFile('2020_weihai-huancui-jingyuan.txt'), ['verified', 'read-with-findings']],
    [path.join(ROOT, 'tests/fixtures/corpus-runs/2023_pingtan-shiyanqu.txt'), ['partial']],
    [corpusFile('2020_guihuaping-jiedao.txt'), ['unreadable']],
  ])('%s', async (file, statuses) => {
    const { json } = await parseJson(file);
    const metrics = json.metrics as Record<string, number>;
    const sources = json.sources as Record<string, Record<string, unknown>>;
    // The contract of issue 4: metrics stay a flat {key: number}.
    for (const value of Object.values(metrics)) expect(typeof value).toBe('number');
    expect(statuses).toContain(json.status);
    expect(Object.keys(sources).sort()).toEqual(Object.keys(metrics).sort());
    for (const source of Object.values(sources)) {
      expect(Object.keys(source)).toEqual(expect.arrayContaining(['line', 'start', 'end', 'method']));
      expect(['cell', 'row-by-position', 'split-by-sums', 'prose', 'ocr']).toContain(source.method);
      expect(source.line).toBeGreaterThanOrEqual(1);
      expect(source.end).toBeGreaterThan(source.start as number);
    }
  }, 60000);
});
