/**
 * The national benchmark's bulk loader writes what the demo generator writes through the service's
 * write path (same seed, same layout): the same offices, reports, metric values and findings — so
 * that figures measured on bulk-loaded data are figures for the data the service itself would hold.
 * Both of its paths: multi-row INSERTs (SQLite, and MariaDB on request) and LOAD DATA LOCAL INFILE
 * with the metric index built after the load (MariaDB), which must leave every table defined
 * exactly as the migrations define it.
 */
import { bulkLoadDemoData, type BulkLoadMethod } from '../../src/analysis/demo/bulk-load';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases';

const YEARS = [2021, 2022, 2023];

const QUERIES = {
  offices: 'SELECT id, code, name, kind, parentId, region, path, depth FROM offices ORDER BY id',
  reports: 'SELECT id, officeId, year, templateFormat, title, publishedAt, overview, problems, improvements, otherMatters FROM annual_reports ORDER BY id',
  values: 'SELECT reportId, metricKey, officeId, year, value, approximate FROM metric_values ORDER BY reportId, metricKey',
  findings: 'SELECT reportId, code, scope, leftKeys, rightKeys, left_value, right_value, difference, message FROM report_findings ORDER BY reportId, code, scope, leftKeys',
  years: 'SELECT * FROM reporting_years ORDER BY year',
};

/** Every table's definition, as MariaDB states it, without the AUTO_INCREMENT counter that rows move. */
async function definitions(db: TestDatabase): Promise<Record<string, string>> {
  const tables = ((await db.dataSource.query('SHOW TABLES')) as Record<string, string>[]).map((r) => Object.values(r)[0]!);
  const out: Record<string, string> = {};
  for (const table of tables.sort()) {
    const [row] = (await db.dataSource.query(`SHOW CREATE TABLE \`${table}\``)) as Record<string, string>[];
    out[table] = row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, '');
  }
  return out;
}

describeEachDatabase('the bulk loader writes what the write path writes', (db) => {
  const loaded = new Map<BulkLoadMethod, TestDatabase>();
  const counted = new Map<BulkLoadMethod, number>();
  const methods = (): BulkLoadMethod[] => (db().kind === 'sqlite' ? ['insert'] : ['insert', 'infile']);
  let migrated: Record<string, string> = {};

  beforeAll(async () => {
    if (db().kind === 'mariadb') migrated = await definitions(db());
    await generateDemoData(db().dataSource, { offices: 60, years: YEARS, seed: 5, layout: 'late-additions' });
    for (const method of methods()) {
      const target = await createTestDatabase(db().kind);
      loaded.set(method, target);
      const result = await bulkLoadDemoData(target.dataSource, { offices: 60, years: YEARS, seed: 5, layout: 'late-additions', method });
      expect(result.method).toBe(method);
      counted.set(method, result.metricValues);
    }
  }, 240000);

  afterAll(async () => {
    for (const target of loaded.values()) await target.drop();
  });

  describe.each(Object.entries(QUERIES))('%s', (_name, sql) => {
    it.each(['insert', 'infile'] as const)('as written by the %s path', async (method) => {
      const target = loaded.get(method);
      if (!target) return expect(db().kind).toBe('sqlite');
      const written = await db().dataSource.query(sql);
      const got = await target.dataSource.query(sql);
      expect(written.length).toBeGreaterThan(0);
      expect(got).toEqual(written);
    });
  });

  it('counts the metric values it wrote', async () => {
    for (const [method, target] of loaded) {
      const [row] = (await target.dataSource.query('SELECT COUNT(*) AS n FROM metric_values')) as { n: number | string }[];
      expect(counted.get(method)).toBe(Number(row!.n));
    }
  });

  it('leaves every table defined as the migrations define it (MariaDB: SHOW CREATE TABLE before and after)', async () => {
    if (db().kind !== 'mariadb') return;
    expect(Object.keys(migrated)).toContain('metric_values');
    // A freshly migrated database before, each loaded one after.
    for (const [, target] of loaded) expect(await definitions(target)).toEqual(migrated);
    // The metric index is there and used by name, as the read plans expect.
    const infile = loaded.get('infile')!;
    const indexes = (await infile.dataSource.query(`SHOW INDEX FROM metric_values WHERE Key_name = 'IDX_metric_values_year_key_office_value'`)) as unknown[];
    expect(indexes).toHaveLength(4);
  });

  it('refuses LOAD DATA on SQLite', async () => {
    if (db().kind !== 'sqlite') return;
    await expect(bulkLoadDemoData(db().dataSource, { offices: 5, years: YEARS, method: 'infile' })).rejects.toThrow(/LOAD DATA/);
  });
});
