/**
 * The provenance migration on a database that already holds reports: every row survives (on
 * SQLite, adding columns rebuilds the tables), the new columns read "not recorded", the covering
 * index is the one it was, and the migration can be reverted.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/db/data-source';
import { MIGRATIONS } from '../../src/db/registry';
import { Provenance1764036413000 } from '../../migrations/1764036413000-Provenance';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/databases';

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Provenance1764036413000));

async function indexColumns(db: TestDatabase, name: string): Promise<string[]> {
  if (db.kind === 'sqlite') {
    const rows = (await db.dataSource.query(`SELECT name FROM pragma_index_info('${name}') ORDER BY seqno`)) as { name: string }[];
    return rows.map((r) => r.name);
  }
  const rows = (await db.dataSource.query(`SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'metric_values' AND INDEX_NAME = ? ORDER BY SEQ_IN_INDEX`, [name])) as { name: string }[];
  return rows.map((r) => r.name);
}

for (const kind of testDatabaseKinds()) {
  describe(`the provenance migration on a database with reports [${kind}]`, () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase(kind, { migrate: false });
      // The schema as it was before provenance, with a report in it.
      const earlier = new DataSource({ ...(await dataSourceOptions(db.config)), migrations: BEFORE } as never);
      await earlier.initialize();
      await earlier.runMigrations({ transaction: 'each' });
      await earlier.query(`INSERT INTO offices (code, name, kind, parentId, region, path, depth) VALUES ('demo-m', '示例迁移街道', 'sub_district', NULL, NULL, '/1/', 0)`);
      await earlier.query(`INSERT INTO reporting_years (year, templateFormat, deadline) VALUES (2020, '2019', '2021-01-31')`);
      await earlier.query(`INSERT INTO annual_reports (officeId, year, templateFormat, title) VALUES (1, 2020, '2019', '示例')`);
      await earlier.query(`INSERT INTO metric_values (reportId, metricKey, officeId, year, value, approximate) VALUES (1, 'proactive.items_total', 1, 2020, 855, 0), (1, 'applications.received.total', 1, 2020, 3, 0)`);
      await earlier.query(`INSERT INTO report_revisions (reportId, number, contentHash, origin) VALUES (1, 1, 'h', 'import')`);
      await earlier.destroy();
    }, 120000);
    afterAll(() => db.drop());

    it('keeps every row, reads the new columns as not recorded, and leaves the covering index as it was', async () => {
      const before = await indexColumns(db, 'IDX_metric_values_year_key_office_value');
      expect(before).toEqual(['year', 'metricKey', 'officeId', 'value']);
      const { migrate } = await import('../../src/db/data-source');
      expect(await migrate(db.dataSource)).toEqual(['Provenance1764036413000', ...MIGRATIONS.slice(MIGRATIONS.indexOf(Provenance1764036413000) + 1).map((m) => m.name)]);
      const values = (await db.dataSource.query(`SELECT metricKey, value, sourceLine, sourceMethod, sourceRow FROM metric_values ORDER BY metricKey`)) as Record<string, unknown>[];
      expect(values.map((v) => ({ ...v, value: Number(v.value) }))).toEqual([
        { metricKey: 'applications.received.total', value: 3, sourceLine: null, sourceMethod: null, sourceRow: null },
        { metricKey: 'proactive.items_total', value: 855, sourceLine: null, sourceMethod: null, sourceRow: null },
      ]);
      expect(await db.dataSource.query(`SELECT readingStatus FROM annual_reports`)).toEqual([{ readingStatus: null }]);
      expect(await db.dataSource.query(`SELECT readingStatus FROM report_revisions`)).toEqual([{ readingStatus: null }]);
      expect(await indexColumns(db, 'IDX_metric_values_year_key_office_value')).toEqual(before);
    });

    it('can be reverted, keeping the rows', async () => {
      const runner = db.dataSource.createQueryRunner();
      // As TypeORM runs migrations: on SQLite with foreign keys off, or rebuilding annual_reports would cascade.
      await runner.beforeMigration();
      try {
        await new Provenance1764036413000().down(runner);
        const columns = (await runner.getTable('metric_values'))!.columns.map((c) => c.name);
        expect(columns).not.toContain('sourceLine');
        expect(Number((await runner.query(`SELECT COUNT(*) AS n FROM metric_values`))[0].n)).toBe(2);
        await new Provenance1764036413000().up(runner);
      } finally {
        await runner.afterMigration();
        await runner.release();
      }
    });
  });
}
