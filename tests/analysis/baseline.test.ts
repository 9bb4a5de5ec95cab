/**
 * The benchmark's answers, checked (not timed) on a small generated province: compareOffices,
 * rollup and yearOverYear through GraphQL give what the hand-written SQL of bench/baseline.ts
 * gives on the same database.
 */
import { compareDifference, COMPARE_QUERY, rollupDifference, ROLLUP_QUERY, yearOverYearDifference, YEAR_OVER_YEAR_QUERY } from '../../bench/answers';
import { baselineCompare, baselineRollup, baselineYearOverYear, mysqlRaw, sqliteRaw, type RawSql } from '../../bench/baseline';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';

const YEARS = [2020, 2021, 2022];
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];

describeEachDatabase('the benchmark’s baseline SQL and the service agree', (db) => {
  let app: TestApp;
  let raw: RawSql;

  beforeAll(async () => {
    const { dataSource, config } = db();
    await generateDemoData(dataSource, { offices: 120, years: YEARS, seed: 7 });
    // Three offices that filed nothing for the last year, so that missing offices are compared too.
    await dataSource.query(`DELETE FROM annual_reports WHERE year = 2022 AND officeId IN (SELECT id FROM offices WHERE code IN ('demo-p-c01-d02-s001', 'demo-p-c01-d03-b004', 'demo-p-c01-d05-s002'))`);
    app = await startTestApp(db(), { analysisCache: false });
    raw = config.type === 'sqlite' ? sqliteRaw(config.path) : mysqlRaw(config.url);
  }, 120000);

  afterAll(async () => {
    await raw?.close();
    await app?.close();
  });

  it.each([
    ['a city', 'demo-p-c01'],
    ['a district', 'demo-p-c01-d02'],
  ])('compareOffices over %s', async (_label, under) => {
    const res = await app.gql<any>(COMPARE_QUERY, { under, year: 2022, metrics: METRICS, first: 100 });
    expect(res.errors).toBeUndefined();
    const expected = await baselineCompare(raw, under, 2022, METRICS, 100);
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(expected.missing.length).toBeGreaterThan(0);
    expect(compareDifference(res.data!.compareOffices, expected)).toBeNull();
  });

  it('rollup over the province by office kind', async () => {
    const res = await app.gql<any>(ROLLUP_QUERY, { under: 'demo-p', years: YEARS, metrics: METRICS });
    expect(res.errors).toBeUndefined();
    const expected = await baselineRollup(raw, 'demo-p', YEARS, METRICS);
    expect(expected.length).toBeGreaterThanOrEqual(YEARS.length * 2);
    expect(rollupDifference(res.data!.rollup, expected)).toBeNull();
  });

  it('yearOverYear for one office', async () => {
    const office = 'demo-p-c01-d01-s001';
    const res = await app.gql<any>(YEAR_OVER_YEAR_QUERY, { office, metrics: METRICS, from: 2021, to: 2022 });
    expect(res.errors).toBeUndefined();
    const expected = await baselineYearOverYear(raw, office, METRICS[0], 2021, 2022);
    expect(expected.every((p) => p.value !== null)).toBe(true);
    expect(yearOverYearDifference(res.data!.yearOverYear.series[0].points, expected)).toBeNull();
  });

  it('a difference is reported, not hidden: a changed value makes the check fail', async () => {
    const res = await app.gql<any>(COMPARE_QUERY, { under: 'demo-p-c01-d02', year: 2022, metrics: METRICS, first: 100 });
    const expected = await baselineCompare(raw, 'demo-p-c01-d02', 2022, METRICS, 100);
    expected.rows[0]!.values[0] = (expected.rows[0]!.values[0] ?? 0) + 1;
    expect(compareDifference(res.data!.compareOffices, expected)).toMatch(/row 0/);
  });
});
