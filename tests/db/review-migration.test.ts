/**
 * The review migration on a database that already holds reports: every report is kept and starts
 * unreviewed, its findings open; the migration reverts, keeping the rows.
 */
import { DataSource } from 'typeorm';
import { Review1764036600000 } from '../../migrations/1764036600000-Review';
import { dataSourceOptions } from '../../src/db/data-source';
import { MIGRATIONS } from '../../src/db/registry';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/databases';

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Review1764036600000));

for (const kind of testDatabaseKinds()) {
  describe(`the review migration on a database with reports [${kind}]`, () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase(kind, { migrate: false });
      const earlier = new DataSource({ ...(await dataSourceOptions(db.config)), migrations: BEFORE } as never);
      await earlier.initialize();
      await earlier.runMigrations({ transaction: 'each' });
      await earlier.query(`INSERT INTO offices (code, name, kind, parentId, region, path, depth) VALUES ('demo-r', '示例审核街道', 'sub_district', NULL, NULL, '/1/', 0)`);
      await earlier.query(`INSERT INTO reporting_years (year, templateFormat, deadline) VALUES (2020, '2019', '2021-01-31')`);
      await earlier.query(`INSERT INTO annual_reports (officeId, year, templateFormat, title) VALUES (1, 2020, '2019', '示例')`);
      await earlier.query(
        `INSERT INTO report_findings (reportId, code, scope, leftKeys, rightKeys, left_value, right_value, difference, message) VALUES (1, 'T4_SUM', 'total', '["a"]', '["b"]', 1, 2, -1, 'm')`,
      );
      await earlier.destroy();
    }, 120000);
    afterAll(() => db.drop());

    it('keeps every report, unreviewed, with its findings open', async () => {
      const { migrate } = await import('../../src/db/data-source');
      expect(await migrate(db.dataSource)).toEqual(['Review1764036600000', ...MIGRATIONS.slice(MIGRATIONS.indexOf(Review1764036600000) + 1).map((m) => m.name)]);
      expect(await db.dataSource.query(`SELECT title, reviewState, reviewedBy, reviewedAt FROM annual_reports`)).toEqual([{ title: '示例', reviewState: 'unreviewed', reviewedBy: null, reviewedAt: null }]);
      expect(await db.dataSource.query(`SELECT code, resolution FROM report_findings`)).toEqual([{ code: 'T4_SUM', resolution: null }]);
      expect(Number((await db.dataSource.query(`SELECT COUNT(*) AS n FROM metric_corrections`))[0].n)).toBe(0);
    });

    it('can be reverted, keeping the rows', async () => {
      const runner = db.dataSource.createQueryRunner();
      await runner.beforeMigration();
      try {
        await new Review1764036600000().down(runner);
        expect((await runner.getTable('annual_reports'))!.columns.map((c) => c.name)).not.toContain('reviewState');
        expect(await runner.hasTable('metric_corrections')).toBe(false);
        expect(Number((await runner.query(`SELECT COUNT(*) AS n FROM report_findings`))[0].n)).toBe(1);
        await new Review1764036600000().up(runner);
      } finally {
        await runner.afterMigration();
        await runner.release();
      }
    });
  });
}
