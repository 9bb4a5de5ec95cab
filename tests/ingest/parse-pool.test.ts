/**
 * The parse pool: the parser's result from a worker thread is the parser's result (nothing lost
 * in the structured clone), and a bulk import larger than the pool's queue is parsed in turn
 * rather than refused.
 */
import { SYSTEM_VIEWER } from '../../src/auth/viewer';
import { ParsePool } from '../../src/ingest/parse-pool';
import { parseReport } from '../../src/ingest/parser';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');

describe('the parse pool', () => {
  const pool = new ParsePool({ timeLimitMs: 10_000, workers: 2 });
  afterAll(() => pool.close());

  it("returns exactly what parseReport returns on the main thread, failures included", async () => {
    for (const [text, filename] of [[JINGYUAN, 'jingyuan.txt'], ['购物清单\n苹果 3 个\n', 'list.txt'], [`<html><body><p>${JINGYUAN}</p></body></html>`, 'page.html']] as const) {
      expect(await pool.parse(text, { filename })).toEqual(parseReport(text, { filename }));
    }
    expect(pool.stats.started).toBe(3);
  });
});

describeEachDatabase('bulk imports through the parse pool', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    // One worker: its queue holds 32 texts, fewer than the batch.
    app = await startTestApp(db(), { parse: { timeLimitMs: 10_000, workers: 1 } });
    await createJingyuanOffices(app);
  });
  afterAll(() => app.close());

  it('parses a batch larger than the queue in turn, storing every report', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => ({ text: i === 0 ? JINGYUAN : `${JINGYUAN}\n（第${i}次转载）`, filename: `copy-${i}.txt` }));
    const outcomes = await app.app.services.imports.importMany(texts, { viewer: SYSTEM_VIEWER });
    expect(outcomes.map((o) => o.problem)).toEqual(texts.map(() => null));
    expect(outcomes[0]!.status).toBe('IMPORTED');
    expect(outcomes.slice(1).every((o) => o.status === 'REVISED' || o.status === 'UNCHANGED')).toBe(true);
  });
});
