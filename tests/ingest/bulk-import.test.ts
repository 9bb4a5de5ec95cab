/**
 * Bulk import (the CLI's `import` of many files): reports committed together, each in its own
 * savepoint, so that one report that can't be stored rolls back alone and the rest are kept.
 */
import { Role } from '../../src/auth/roles';
import type { Viewer } from '../../src/auth/viewer';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { createJingyuanOffices, createOffice, rowCount } from '../support/fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const DAWULI = readCorpus('2020_dawuli-zhen.txt');

describeEachDatabase('bulk import', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    await createOffice(app, 'dawuli', '大五里镇', null, 'TOWN');
  });
  afterAll(() => app.close());

  it('stores the good reports of a batch; a text with no report and a report the writer may not store fail alone', async () => {
    // An editor of 环翠区: 鲸园 is inside its subtree, 大五里镇 is not.
    const editor: Viewer = { role: Role.EDITOR, subject: 'test:editor', scopeOfficeCode: 'weihai-huancui' };
    const outcomes = await app.app.services.imports.importMany(
      [
        { text: JINGYUAN, filename: 'jingyuan.txt' },
        { text: '这不是一份年度报告。\n只有两行。', filename: 'junk.txt' },
        { text: DAWULI, filename: 'dawuli.txt' },
      ],
      { viewer: editor },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['IMPORTED', 'FAILED', 'FAILED']);
    expect(outcomes[1]!.problem!.code).toBe('NO_REPORT');
    expect(outcomes[2]!.problem).toMatchObject({ code: 'FORBIDDEN' });
    expect(outcomes[2]!.problem!.message).toMatch(/大五里镇|dawuli|subtree|下级/);
    // Only 鲸园's report, its one revision and its one audit entry: nothing of 大五里镇's half-written.
    expect(await rowCount(app, 'annual_reports')).toBe(1);
    expect(await rowCount(app, 'report_revisions')).toBe(1);
    const stored = await app.gql<any>(`{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { metrics(keys: ["proactive.items_total"]) { value } } }`);
    expect(stored.data!.report.metrics[0].value).toBe(855);
    const dawuli = await app.gql<any>(`{ report(officeCode: "dawuli", year: 2020) { id } }`);
    expect(dawuli.data!.report).toBeNull();
  });

  it('an administrator’s batch stores both; imported again, both are unchanged', async () => {
    const admin: Viewer = { role: Role.ADMIN, subject: 'test:admin' };
    const items = [
      { text: JINGYUAN, filename: 'jingyuan.txt' },
      { text: DAWULI, filename: 'dawuli.txt' },
    ];
    expect((await app.app.services.imports.importMany(items, { viewer: admin })).map((o) => o.status)).toEqual(['UNCHANGED', 'IMPORTED']);
    expect((await app.app.services.imports.importMany(items, { viewer: admin })).map((o) => o.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(await rowCount(app, 'annual_reports')).toBe(2);
  });
});
