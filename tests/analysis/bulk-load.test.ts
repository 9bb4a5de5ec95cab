/**
 * The national benchmark's bulk loader writes what the demo generator writes through the service's
 * write path (same seed, same layout): the same offices, reports, metric values and findings — so
 * that figures measured on bulk-loaded data are figures for the data the service itself would hold.
 */
import { bulkLoadDemoData } from '../../src/analysis/demo/bulk-load';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases';

const YEARS = [2021, 2022, 2023];

const QUERIES = {
  offices: 'SELECT id, code, name, kind, parentId, region, path, depth FROM offices ORDER BY id',
  reports: 'SELECT id, officeId, year, templateFormat, publishedAt, overview, problems, improvements, otherMatters FROM annual_reports ORDER BY id',
  values: 'SELECT reportId, metricKey, officeId, year, value, approximate FROM metric_values ORDER BY reportId, metricKey',
  findings: 'SELECT reportId, code, scope, leftKeys, rightKeys, left_value, right_value, difference FROM report_findings ORDER BY reportId, code, scope, leftKeys',
  years: 'SELECT * FROM reporting_years ORDER BY year',
};

describeEachDatabase('the bulk loader writes what the write path writes', (db) => {
  let bulk: TestDatabase;

  beforeAll(async () => {
    bulk = await createTestDatabase(db().kind);
    await generateDemoData(db().dataSource, { offices: 60, years: YEARS, seed: 5, layout: 'late-additions' });
    await bulkLoadDemoData(bulk.dataSource, { offices: 60, years: YEARS, seed: 5, layout: 'late-additions' });
  }, 180000);

  afterAll(async () => {
    await bulk?.drop();
  });

  it.each(Object.entries(QUERIES))('%s', async (_name, sql) => {
    const written = await db().dataSource.query(sql);
    const loaded = await bulk.dataSource.query(sql);
    expect(written.length).toBeGreaterThan(0);
    expect(loaded).toEqual(written);
  });
});
