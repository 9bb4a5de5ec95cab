/**
 * The analysis answers against an independent computation (tests/analysis/oracle.ts: plain
 * TypeScript over simple SELECTs, sharing nothing with the service's SQL), on a generated province
 * with blanks (absent cells), explicit zeros and offices that filed nothing: the service's
 * compareOffices (every page), rollup and timeSeries, and the benchmark's hand-written SQL
 * (bench/baseline.ts), which must follow the same rules for its ratios to mean anything.
 */
import { compareDifference, COMPARE_QUERY, yearOverYearDifference, YEAR_OVER_YEAR_QUERY } from '../../bench/answers';
import { baselineCompare, baselineRollup, baselineYearOverYear, mysqlRaw, sqliteRaw, type RawSql } from '../../bench/baseline';
import { compareOffices, type CompareDeps } from '../../src/analysis/compare.service';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { Role } from '../../src/auth/roles';
import { createOfficeLoaders } from '../../src/offices/office.loader';
import { STORED_METRIC_KEYS } from '../../src/metrics/catalog';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { oracleCompare, oracleRollup, readOracleData, type OracleComparison, type OracleData } from './oracle';

const YEARS = [2020, 2021, 2022];
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];

const close = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined ? b === null || b === undefined : b !== null && b !== undefined && Math.abs(a - b) < 1e-6);

const FULL_COMPARE = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!, $first: Int, $after: String) {
  compareOffices(under: $under, year: $year, metrics: $metrics, first: $first, after: $after, missingFirst: 20) {
    officeCount reportedCount missingCount missing { code }
    groups { metric sum mean median statedCount blankCount }
    rows { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { office { code } values { metric value rank share differenceFromMean differenceFromMedian previousValue change } } } }
  } }`;

/** Where the answer's rows (a page from `from`) differ from the oracle's, or null. */
function rowsDifference(edges: any[], expected: OracleComparison, from = 0): string | null {
  for (const [n, edge] of edges.entries()) {
    const row = expected.rows[from + n];
    if (!row) return `row ${from + n}: not expected`;
    if (edge.node.office.code !== row.code) return `row ${from + n}: office ${edge.node.office.code} ≠ ${row.code}`;
    for (const [j, e] of row.values.entries()) {
      const v = edge.node.values[j];
      for (const field of ['value', 'rank', 'share', 'differenceFromMean', 'differenceFromMedian', 'previousValue', 'change'] as const) {
        if (!close(v[field], e[field])) return `row ${from + n} (${row.code}) metric ${j} ${field}: ${v[field]} ≠ ${e[field]}`;
      }
    }
  }
  return null;
}

function groupsDifference(answer: any, expected: OracleComparison): string | null {
  if (answer.officeCount !== expected.officeCount || answer.reportedCount !== expected.reportedCount) return `counts ${answer.officeCount}/${answer.reportedCount}`;
  if (JSON.stringify(answer.missing.map((o: any) => o.code)) !== JSON.stringify(expected.missing)) return 'missing offices';
  for (const [j, e] of expected.groups.entries()) {
    const g = answer.groups[j];
    if (!close(g.sum, e.sum) || !close(g.mean, e.mean) || !close(g.median, e.median) || g.statedCount !== e.statedCount || g.blankCount !== e.blankCount) return `group ${e.metric}: ${JSON.stringify(g)} ≠ ${JSON.stringify(e)}`;
  }
  return null;
}

describeEachDatabase('analysis statistics against an independent computation (blank is not zero)', (db) => {
  let app: TestApp;
  let raw: RawSql;
  let data: OracleData;

  beforeAll(async () => {
    const { dataSource, config } = db();
    await generateDemoData(dataSource, { offices: 120, years: YEARS, seed: 7 });
    // Three offices that filed nothing for the last year, so that missing offices are compared too.
    await dataSource.query(`DELETE FROM annual_reports WHERE year = 2022 AND officeId IN (SELECT id FROM offices WHERE code IN ('demo-p-c01-d02-s001', 'demo-p-c01-d03-b004', 'demo-p-c01-d05-s002'))`);
    // Blanks: cells left empty (absent) this year and last; and explicit zeros, which are stated.
    await dataSource.query(`DELETE FROM metric_values WHERE year = 2022 AND metricKey = 'applications.received.total' AND officeId % 5 = 0`);
    await dataSource.query(`DELETE FROM metric_values WHERE year = 2022 AND metricKey = 'proactive.licensing.decisions' AND officeId % 7 = 0`);
    await dataSource.query(`DELETE FROM metric_values WHERE year = 2021 AND metricKey = 'applications.received.total' AND officeId % 4 = 1`);
    await dataSource.query(`UPDATE metric_values SET value = 0 WHERE year = 2022 AND metricKey = 'proactive.licensing.decisions' AND officeId % 6 = 1`);
    app = await startTestApp(db(), { analysisCache: false });
    raw = config.type === 'sqlite' ? sqliteRaw(config.path) : mysqlRaw(config.url);
    data = await readOracleData(dataSource, METRICS);
  }, 120000);

  afterAll(async () => {
    await raw?.close();
    await app?.close();
  });

  it.each([
    ['a city', 'demo-p-c01'],
    ['a district', 'demo-p-c01-d02'],
  ])('compareOffices over %s: blanks unranked and left out of mean, median and share; counts stated / blank', async (_label, under) => {
    const expected = oracleCompare(data, under, 2022, METRICS);
    // The data has what the rules are about: blanks, zeros and missing offices in the group.
    expect(expected.groups[0]!.blankCount).toBeGreaterThan(0);
    expect(expected.groups[2]!.blankCount).toBeGreaterThan(0);
    expect(expected.rows.some((r) => r.values[2]!.value === 0)).toBe(true);
    expect(expected.missing.length).toBeGreaterThan(0);
    const res = await app.gql<any>(FULL_COMPARE, { under, year: 2022, metrics: METRICS, first: 1000 });
    expect(res.errors).toBeUndefined();
    const answer = res.data!.compareOffices;
    expect(answer.rows.edges).toHaveLength(expected.rows.length);
    expect(groupsDifference(answer, expected)).toBeNull();
    expect(rowsDifference(answer.rows.edges, expected)).toBeNull();
    // The blank offices come last, without a rank.
    const last = answer.rows.edges[answer.rows.edges.length - 1].node.values[0];
    expect(last).toMatchObject({ value: null, rank: null, share: null, differenceFromMedian: null });
  });

  it('pages of 7 read with their cursors are the whole comparison, and later pages do not recompute the group', async () => {
    const expected = oracleCompare(data, 'demo-p-c01', 2022, METRICS);
    let after: string | null = null;
    let from = 0;
    const statements: number[] = [];
    do {
      const res: any = await app.gql<any>(FULL_COMPARE, { under: 'demo-p-c01', year: 2022, metrics: METRICS, first: 7, after });
      expect(res.errors).toBeUndefined();
      const c = res.data.compareOffices;
      expect(groupsDifference(c, expected)).toBeNull();
      expect(rowsDifference(c.rows.edges, expected, from)).toBeNull();
      expect(c.rows.totalCount).toBe(expected.rows.length);
      statements.push(res.extensions.sqlStatements as number);
      from += c.rows.edges.length;
      after = c.rows.pageInfo.hasNextPage ? c.rows.pageInfo.endCursor : null;
    } while (after);
    expect(from).toBe(expected.rows.length);
    expect(statements.length).toBeGreaterThan(3);
    // The first page measures the group and computes it with its missing offices (two statements);
    // the others slice the snapshot their cursor names and only load their offices.
    for (const n of statements.slice(1)) expect(n).toBeLessThanOrEqual(statements[0]! - 2);
  });

  it('caps a page by role: 100 rows for the public, the whole city for an analyst', async () => {
    const expected = oracleCompare(data, 'demo-p-c01', 2022, METRICS);
    expect(expected.rows.length).toBeGreaterThan(100);
    const anonymous = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FULL_COMPARE, variables: { under: 'demo-p-c01', year: 2022, metrics: METRICS, first: 5000 } }),
    }).then((r) => r.json() as Promise<any>);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data.compareOffices.rows.edges).toHaveLength(100);
    expect(anonymous.data.compareOffices.rows.pageInfo.hasNextPage).toBe(true);
    const analyst = await app.gql<any>(FULL_COMPARE, { under: 'demo-p-c01', year: 2022, metrics: METRICS, first: 5000 }, { authorization: `Bearer ${await app.createToken('analyst')}` });
    expect(analyst.errors).toBeUndefined();
    expect(analyst.data!.compareOffices.rows.edges).toHaveLength(expected.rows.length);
    expect(rowsDifference(analyst.data!.compareOffices.rows.edges, expected)).toBeNull();
  });

  it('a page that holds most of its group reads the group\'s offices beside the group: the same answer when that read is short, fails, or is not done', async () => {
    const expected = oracleCompare(data, 'demo-p-c01', 2022, METRICS);
    const analysis = app.app.services.analysis as unknown as { compareDeps: CompareDeps };
    const deps = analysis.compareDeps;
    const scopeReads: number[] = [];
    const run = async (officesInScope: CompareDeps['officesInScope'], first: number) => {
      const request = { loaders: createOfficeLoaders(app.app.dataSource), role: Role.ANALYST };
      const answer = await compareOffices({ ...deps, officesInScope }, { under: 'demo-p-c01', year: 2022, metrics: METRICS, first, missingFirst: 20 }, request);
      const edges = answer.rows.edges.map((e) => ({ node: { office: { code: e.node.office.code }, values: e.node.values } }));
      return { edges, missing: answer.missing.map((o) => o.code) };
    };
    const counted: CompareDeps['officesInScope'] = async (scope) => {
      const offices = await deps.officesInScope(scope);
      scopeReads.push(offices.length);
      return offices;
    };
    const whole = await run(counted, 5000);
    // Read once, the whole group (the filed offices and the ones that filed nothing).
    expect(scopeReads).toEqual([expected.officeCount]);
    expect(rowsDifference(whole.edges, expected)).toBeNull();
    expect(whole.missing).toEqual(expected.missing);
    // An office created between the two reads is not in the first: it is read by id.
    const short = await run(async (scope) => (await deps.officesInScope(scope)).filter((_, i) => i % 3 !== 0), 5000);
    expect(short).toEqual(whole);
    const failed = await run(() => Promise.reject(new Error('connection lost')), 5000);
    expect(failed).toEqual(whole);
    // A page that holds most of the group reads it whole too; a small page reads its own offices.
    scopeReads.length = 0;
    const most = await run(counted, 101);
    expect(scopeReads).toEqual([expected.officeCount]);
    expect(most.edges).toEqual(whole.edges.slice(0, 101));
    scopeReads.length = 0;
    const small = await run(counted, 10);
    expect(expected.officeCount).toBeGreaterThan(2 * (10 + 20));
    expect(scopeReads).toEqual([]);
    expect(small.edges).toEqual(whole.edges.slice(0, 10));
    expect(small.missing).toEqual(whole.missing);
  });

  it('prices a page by its rows and metrics, after the role’s cap: twelve metrics × 5,000 rows are refused for an analyst, served capped for the public', async () => {
    const twelve = STORED_METRIC_KEYS.slice(0, 12);
    const query = `query($m: [MetricKey!]!) { compareOffices(under: "demo-p-c01-d02", year: 2022, metrics: $m, first: 5000) { rows { edges { node { office { code } } } } } }`;
    const analyst = await app.gql<any>(query, { m: twelve }, { authorization: `Bearer ${await app.createToken('analyst')}` });
    expect(analyst.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(analyst.errors![0]!.extensions!.cost).toBeGreaterThanOrEqual(5000 * 13);
    const anonymous = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { m: twelve } }) }).then(
      (r) => r.json() as Promise<any>,
    );
    expect(anonymous.errors).toBeUndefined();
    // Three metrics × 2,000 rows fit an analyst's request.
    const three = await app.gql<any>(query, { m: METRICS }, { authorization: `Bearer ${await app.createToken('analyst')}` });
    expect(three.errors).toBeUndefined();
  });

  it('rollup: totals count blanks as 0, means are over the offices that stated the metric', async () => {
    const expected = oracleRollup(data, 'demo-p', YEARS, METRICS, true);
    const res = await app.gql<any>(
      `query($under: String!, $years: [Int!]!, $metrics: [MetricKey!]!) { rollup(under: $under, years: $years, metrics: $metrics, groupBy: KIND) { groups { year group officeCount reportedCount values { total mean statedCount blankCount } } totals { year group officeCount reportedCount values { total mean statedCount blankCount } } } }`,
      { under: 'demo-p', years: YEARS, metrics: METRICS },
    );
    expect(res.errors).toBeUndefined();
    const groups = res.data!.rollup.groups;
    // Each year's total over every office of the province, as the oracle adds it up from scratch.
    const rounded = (g: any) => ({ ...g, values: g.values.map((v: any) => ({ ...v, mean: v.mean === null ? null : Number(v.mean.toFixed(6)) })) });
    expect(res.data!.rollup.totals.map(rounded)).toEqual(oracleRollup(data, 'demo-p', YEARS, METRICS, false).map(rounded));
    expect(groups).toHaveLength(expected.length);
    expect(expected.some((g) => g.values[0]!.blankCount > 0)).toBe(true);
    for (const e of expected) {
      const g = groups.find((x: any) => x.year === e.year && x.group === e.group);
      expect(rounded(g)).toEqual(rounded(e));
    }
    // The benchmark's hand-written rollup gives the same totals.
    const bench = await baselineRollup(raw, 'demo-p', YEARS, METRICS);
    for (const b of bench) expect(b.totals).toEqual(expected.find((e) => e.year === b.year && e.group === b.kind)!.values.map((v) => v.total));
  });

  it('timeSeries over a subtree: totals, means over stated values, stated / blank counts', async () => {
    const expected = oracleRollup(data, 'demo-p-c01', YEARS, METRICS, false);
    const res = await app.gql<any>(
      `query($metrics: [MetricKey!]!) { timeSeries(under: "demo-p-c01", metrics: $metrics, fromYear: 2020, toYear: 2022) { metric points { year value mean reportedCount statedCount blankCount } } }`,
      { metrics: METRICS },
    );
    expect(res.errors).toBeUndefined();
    for (const [i, series] of res.data!.timeSeries.entries()) {
      for (const p of series.points) {
        const e = expected.find((x) => x.year === p.year)!;
        const v = e.values[i]!;
        expect(p.reportedCount).toBe(e.reportedCount);
        expect([p.value, p.statedCount, p.blankCount]).toEqual([v.total, v.statedCount, v.blankCount]);
        expect(close(p.mean, v.mean)).toBe(true);
      }
    }
  });

  it.each([
    ['a city', 'demo-p-c01'],
    ['a district', 'demo-p-c01-d02'],
  ])('the benchmark’s hand-written compareOffices SQL follows the same rules over %s', async (_label, under) => {
    const expected = oracleCompare(data, under, 2022, METRICS);
    const bench = await baselineCompare(raw, under, 2022, METRICS, 1000);
    expect(bench.officeCount).toBe(expected.officeCount);
    expect(bench.missing).toEqual(expected.missing);
    expect(bench.rows.map((r) => r.code)).toEqual(expected.rows.map((r) => r.code));
    for (const [n, row] of bench.rows.entries()) {
      const e = expected.rows[n]!;
      expect(row.values).toEqual(e.values.map((v) => v.value));
      expect(row.ranks).toEqual(e.values.map((v) => v.rank));
      expect(row.previous).toEqual(e.values.map((v) => v.previousValue));
      for (const j of [0, 1, 2]) {
        const g = expected.groups[j]!;
        expect([row.sums[j], row.stated[j]]).toEqual([g.sum, g.statedCount]);
        expect(close(row.means[j], g.mean) && close(row.medians[j], g.median)).toBe(true);
      }
    }
    // And the benchmark's equality check accepts the service's answer against it.
    const res = await app.gql<any>(COMPARE_QUERY, { under, year: 2022, metrics: METRICS, first: 100 });
    expect(compareDifference(res.data!.compareOffices, await baselineCompare(raw, under, 2022, METRICS, 100))).toBeNull();
  });

  it('yearOverYear for one office', async () => {
    const office = 'demo-p-c01-d01-s001';
    const res = await app.gql<any>(YEAR_OVER_YEAR_QUERY, { office, metrics: METRICS, from: 2021, to: 2022 });
    expect(res.errors).toBeUndefined();
    const expected = await baselineYearOverYear(raw, office, METRICS[0], 2021, 2022);
    expect(yearOverYearDifference(res.data!.yearOverYear.series[0].points, expected)).toBeNull();
  });

  it('a difference is reported, not hidden: a changed value makes the checks fail', async () => {
    const res = await app.gql<any>(FULL_COMPARE, { under: 'demo-p-c01-d02', year: 2022, metrics: METRICS, first: 100 });
    const expected = oracleCompare(data, 'demo-p-c01-d02', 2022, METRICS);
    expected.rows[0]!.values[0]!.rank = 2;
    expect(rowsDifference(res.data!.compareOffices.rows.edges, expected)).toMatch(/row 0 .* rank/);
    expected.groups[0]!.blankCount += 1;
    expect(groupsDifference(res.data!.compareOffices, expected)).toMatch(/group/);
    const bench = await baselineCompare(raw, 'demo-p-c01-d02', 2022, METRICS, 100);
    bench.rows[0]!.values[0] = (bench.rows[0]!.values[0] ?? 0) + 1;
    expect(compareDifference(res.data!.compareOffices, bench)).toMatch(/row 0/);
  });
});
