import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { DISTRICT, loadDistrict } from '../support/analysis-data';

const COMPARE = `query($under: String, $offices: [String!], $year: Int!, $metrics: [MetricKey!]!, $orderBy: CompareOrder, $first: Int, $after: String) {
  compareOffices(under: $under, offices: $offices, year: $year, metrics: $metrics, orderBy: $orderBy, first: $first, after: $after) {
    year officeCount reportedCount missingCount missing { code }
    groups { metric sum mean median statedCount blankCount }
    rows { totalCount pageInfo { hasNextPage endCursor } edges { node { office { code } values { metric value rank share differenceFromMean differenceFromMedian previousValue change percentChange } } } }
  } }`;

/**
 * What a person would compute from the inputs: the oracle the SQL must agree with. A blank is not
 * 0: it has no rank, share or difference, and is left out of the mean and median.
 */
function expectedComparison(codes: string[], year: number, metric: string) {
  const reported = codes.filter((c) => DISTRICT[c]!.years[year] !== undefined);
  const value = (c: string, y: number) => DISTRICT[c]!.years[y]?.[metric] ?? null;
  const xs = reported.map((c) => value(c, year)).filter((v): v is number => v !== null);
  const sum = xs.reduce((a, b) => a + b, 0);
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sum / xs.length;
  const distinct = [...new Set(xs)].sort((a, b) => b - a);
  return {
    sum,
    mean,
    median,
    statedCount: xs.length,
    blankCount: reported.length - xs.length,
    missing: codes.filter((c) => !reported.includes(c)).sort(),
    rows: new Map(
      reported.map((c) => {
        const v = value(c, year);
        const p = value(c, year - 1);
        const change = v !== null && p !== null ? v - p : null;
        const stated = v !== null;
        return [
          c,
          {
            value: v,
            rank: stated ? distinct.indexOf(v) + 1 : null,
            share: stated && sum ? v / sum : null,
            differenceFromMean: stated ? v - mean : null,
            differenceFromMedian: stated ? v - median : null,
            previousValue: p,
            change,
            percentChange: change !== null && p ? (change / p) * 100 : null,
          },
        ];
      }),
    ),
  };
}

describeEachDatabase('analysis queries', (db) => {
  let app: TestApp;
  const under = Object.keys(DISTRICT).filter((c) => c !== 'demo-d');

  beforeAll(async () => {
    app = await startTestApp(db());
    await loadDistrict(app.app.dataSource);
  });
  afterAll(() => app.close());

  it('compareOffices: value, dense rank, share, mean, median, differences and year-over-year per office over the stated values; blanks unranked; missing offices listed', async () => {
    const metric = 'applications.received.total';
    const res = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: [metric, 'applications.grant_rate'] });
    expect(res.errors).toBeUndefined();
    const c = res.data.compareOffices;
    const expected = expectedComparison(under, 2022, metric);
    expect(c).toMatchObject({ officeCount: under.length, reportedCount: expected.rows.size, missingCount: expected.missing.length });
    expect(c.missing.map((o: { code: string }) => o.code)).toEqual(expected.missing);
    expect(c.groups[0].sum).toBe(expected.sum);
    expect(c.groups[0].mean).toBeCloseTo(expected.mean, 6);
    expect(c.groups[0].median).toBeCloseTo(expected.median, 6);
    // demo-d-s4 filed a report with the cell blank: stated by the others, not by it.
    expect(c.groups[0]).toMatchObject({ statedCount: expected.statedCount, blankCount: 1 });
    for (const edge of c.rows.edges) {
      const want = expected.rows.get(edge.node.office.code)!;
      const got = edge.node.values[0];
      const rounded = (x: number | null) => (x === null ? null : Number(x.toFixed(6)));
      expect({ ...got, share: rounded(got.share), differenceFromMean: rounded(got.differenceFromMean) }).toEqual({
        metric,
        ...want,
        share: rounded(want.share),
        differenceFromMean: rounded(want.differenceFromMean),
        percentChange: want.percentChange,
      });
    }
    // Ordered by the first metric, highest first; ties in code order share a dense rank; the blank last, unranked.
    const ranks = c.rows.edges.map((e: any) => e.node.values[0].rank);
    expect(ranks[ranks.length - 1]).toBeNull();
    const ranked = ranks.slice(0, -1);
    expect(ranked).toEqual([...ranked].sort((a: number, b: number) => a - b));
    // The grant rate is the office's granted / results total, from the catalog's definition.
    const s3 = c.rows.edges.find((e: any) => e.node.office.code === 'demo-d-s3').node.values[1];
    expect(s3.value).toBeCloseTo(0.25, 6);
  });

  it('compareOffices: pages with cursors, orders ascending, takes a list of offices', async () => {
    const metric = 'applications.received.total';
    const first = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: [metric], first: 2, orderBy: { metric, direction: 'ASC' } });
    const page1 = first.data.compareOffices.rows;
    // Stated values in the asked order, then demo-d-s4's blank (not a 0 at the top of an ascending order).
    expect(page1.edges.map((e: any) => e.node.values[0].value)).toEqual([1, 5]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: [metric], first: 2, after: page1.pageInfo.endCursor, orderBy: { metric, direction: 'ASC' } });
    expect(second.data.compareOffices.rows.edges.map((e: any) => e.node.values[0].value)).toEqual([5, 10]);
    const third = await app.gql<any>(COMPARE, { under: 'demo-d', year: 2022, metrics: [metric], first: 2, after: second.data.compareOffices.rows.pageInfo.endCursor, orderBy: { metric, direction: 'ASC' } });
    expect(third.data.compareOffices.rows.edges.map((e: any) => [e.node.office.code, e.node.values[0].value, e.node.values[0].rank])).toEqual([
      ['demo-d-edu', 20, 1],
      ['demo-d-s4', null, null],
    ]);

    const listed = await app.gql<any>(COMPARE, { offices: ['demo-d-s2', 'demo-d-s3', 'demo-d-s5'], year: 2022, metrics: [metric] });
    expect(listed.data.compareOffices).toMatchObject({ officeCount: 3, reportedCount: 2, missing: [{ code: 'demo-d-s5' }] });
    expect(listed.data.compareOffices.groups[0]).toMatchObject({ sum: 10, mean: 5, median: 5 });
  });

  it('yearOverYear: change and percentage, null on a zero base, and the 2021 template change marked not comparable', async () => {
    const res = await app.gql<any>(
      `{ yearOverYear(officeCode: "demo-d-s1", metrics: ["proactive.rules.made", "proactive.licensing.decisions", "applications.received.total"], fromYear: 2020, toYear: 2022) {
          office { code } series { metric points { year key value previousKey previousValue change percentChange comparable note templateFormat } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const [made, licensing, received] = res.data.yearOverYear.series;
    expect(made.points[1]).toMatchObject({ year: 2021, key: 'proactive.rules.issued', value: 3, previousKey: 'proactive.rules.made', previousValue: 2, change: null, percentChange: null, comparable: false });
    expect(made.points[1].note).toContain('口径不同');
    expect(made.points[2]).toMatchObject({ year: 2022, key: 'proactive.rules.issued', value: 1, previousValue: 3, change: -2, comparable: true });
    expect(licensing.points.map((p: any) => [p.value, p.change, p.comparable])).toEqual([
      [40, null, true],
      [50, 10, true],
      [60, 10, true],
    ]);
    expect(licensing.points[1].percentChange).toBeCloseTo(25, 6);
    expect(received.points[2]).toMatchObject({ value: 10, previousValue: 0, change: 10, percentChange: null });
  });

  it('rollup: totals by kind and by level over the whole subtree, means at each group\'s level, who did not report', async () => {
    const res = await app.gql<any>(
      `{ rollup(under: "demo-d", years: [2022], metrics: ["applications.received.total", "applications.grant_rate"], groupBy: KIND) {
          groups { year group label officeCount reportedCount missingCount missing { code } values { metric total mean statedCount blankCount } }
          totals { group officeCount reportedCount values { metric total mean statedCount blankCount } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const groups = Object.fromEntries(res.data.rollup.groups.map((g: any) => [g.group, g]));
    expect(groups.sub_district).toMatchObject({ officeCount: 6, reportedCount: 5, missingCount: 1, missing: [{ code: 'demo-d-s5' }] });
    expect(groups.sub_district.values[0]).toMatchObject({ metric: 'applications.received.total', total: 21 });
    // demo-d-s4 filed with the cell blank: the mean is over the four that stated it.
    expect(groups.sub_district.values[0]).toMatchObject({ statedCount: 4, blankCount: 1 });
    expect(groups.sub_district.values[0].mean).toBeCloseTo(21 / 4, 6);
    expect(groups.department.values[0]).toMatchObject({ metric: 'applications.received.total', total: 20 });
    expect(groups.department.values[0].mean).toBeCloseTo(20, 6);
    const [total] = res.data.rollup.totals;
    expect(total).toMatchObject({ group: 'ALL', officeCount: 8, reportedCount: 7 });
    expect(total.values[0]).toMatchObject({ metric: 'applications.received.total', total: 44 });
    expect(total.values[0]).toMatchObject({ statedCount: 6, blankCount: 1 });
    expect(total.values[0].mean).toBeCloseTo(44 / 6, 6);
    // The grant rate of a group is its granted over its results, not an average of rates.
    expect(total.values[1].total).toBeCloseTo((3 + 6 + 5 + 1 + 15) / (3 + 10 + 5 + 4 + 20), 6);
    expect(total.values[1].mean).toBeNull();

    // Without `missing` in the selection, the offices that filed nothing are not read (a statement fewer).
    const rollupOf = (missing: string) => `{ rollup(under: "demo-d", years: [2020], metrics: ["proactive.rules.issued"], groupBy: LEVEL) { groups { year group missingCount ${missing} } } }`;
    const without = await app.gql<any>(rollupOf(''));
    const listed = await app.gql<any>(rollupOf('missing { code }'));
    expect(listed.data.rollup.groups.some((g: any) => g.missing.length > 0)).toBe(true);
    expect(without.data.rollup.groups).toEqual(listed.data.rollup.groups.map(({ missing: _, ...g }: any) => g));
    expect(listed.extensions!.sqlStatements).toBeGreaterThan(without.extensions!.sqlStatements as number);

    const byLevel = await app.gql<any>(`{ rollup(under: "demo-d", years: [2021, 2022], metrics: ["applications.received.total"], groupBy: LEVEL) { groups { year group officeCount reportedCount values { total } } } }`);
    const level = byLevel.data.rollup.groups.map((g: any) => `${g.year}:${g.group}:${g.officeCount}:${g.reportedCount}:${g.values[0].total}`);
    expect(level).toEqual(['2021:0:1:0:null', '2021:1:6:5:12', '2021:2:1:0:null', '2022:0:1:1:3', '2022:1:6:5:40', '2022:2:1:1:1']);
  });

  it('timeSeries: per office and for a whole subtree', async () => {
    const res = await app.gql<any>(
      `{ a: timeSeries(officeCodes: ["demo-d-s1"], metrics: ["proactive.licensing.decisions"], fromYear: 2020, toYear: 2022) { office { code } points { year value templateFormat comparableWithPrevious } }
         b: timeSeries(under: "demo-d", metrics: ["applications.received.total", "proactive.rules.issued"], fromYear: 2020, toYear: 2022) { under { code } metric points { year value mean reportedCount statedCount blankCount comparableWithPrevious } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.a[0].points.map((p: any) => p.value)).toEqual([40, 50, 60]);
    expect(res.data.b[0].points.map((p: any) => [p.value, p.reportedCount, p.statedCount, p.blankCount])).toEqual([
      [8, 1, 1, 0],
      [12, 5, 5, 0],
      [44, 7, 6, 1],
    ]);
    expect(res.data.b[0].points[2].mean).toBeCloseTo(44 / 6, 6);
    expect(res.data.b[1].points.map((p: any) => p.comparableWithPrevious)).toEqual([true, false, true]);
  });

  it('names an unknown metric key, a bad orderBy and a missing scope', async () => {
    const unknown = await app.gql(COMPARE, { under: 'demo-d', year: 2022, metrics: ['applications.recieved.total'] });
    expect(unknown.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0]!.message).toContain('"applications.recieved.total"');
    const order = await app.gql(COMPARE, { under: 'demo-d', year: 2022, metrics: ['review.total'], orderBy: { metric: 'review.upheld' } });
    expect(order.errors![0]!.message).toContain('orderBy.metric');
    const neither = await app.gql(COMPARE, { year: 2022, metrics: ['review.total'] });
    expect(neither.errors![0]!.message).toContain('either under or officeCodes');
  });

  it('serves repeated comparisons from the cache and drops them when a report in scope changes', async () => {
    const stats = app.app.services.analysis.cache.stats;
    const args = { under: 'demo-d', year: 2022, metrics: ['proactive.licensing.decisions'] };
    const before = await app.gql<any>(COMPARE, args);
    const hits = stats.hits;
    const again = await app.gql<any>(COMPARE, args);
    expect(stats.hits).toBe(hits + 1);
    expect(again.data).toEqual(before.data);
    const edit = await app.gql(`mutation($input: ReportInput!) { upsertReport(input: $input) { id } }`, {
      input: { officeCode: 'demo-d-s2', year: 2022, metrics: [{ key: 'proactive.licensing.decisions', value: 100 }] },
    });
    expect(edit.errors).toBeUndefined();
    const after = await app.gql<any>(COMPARE, args);
    expect(after.data.compareOffices.groups[0].sum).toBe(before.data.compareOffices.groups[0].sum - 12 + 100);
  });

  it('runs as many SQL statements for a large group as for a small one', async () => {
    // Both by subtree: a subtree is measured before the query runs (its cost), a list of offices is not.
    // Each subtree priced first by another year's comparison (the cost limit remembers a subtree's
    // size for a while), so that both counted requests compute their group and neither counts it.
    const ask = async (variables: Record<string, unknown>) => {
      await app.gql<any>(COMPARE, { ...variables, year: 2020 });
      return app.gql<any>(COMPARE, variables);
    };
    const small = await ask({ under: 'demo-d-s1', year: 2021, metrics: ['applications.received.total', 'review.total'] });
    const large = await ask({ under: 'demo-d', year: 2021, metrics: ['applications.received.total', 'review.total'], first: 100 });
    expect(small.extensions!.sqlStatements).toBe(large.extensions!.sqlStatements);
  });
});

describeEachDatabase('compareOffices paging with the analysis cache off', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db(), { analysisCache: false });
    await loadDistrict(app.app.dataSource);
  });
  afterAll(() => app.close());

  it('a cursor names its snapshot; a write in scope drops it, and the next page is computed afresh', async () => {
    const metric = 'proactive.licensing.decisions';
    const args = { under: 'demo-d', year: 2022, metrics: [metric], first: 1 };
    const page1 = await app.gql<any>(COMPARE, args);
    expect(page1.errors).toBeUndefined();
    const cursor = page1.data.compareOffices.rows.pageInfo.endCursor;
    // The next page slices the kept group: fewer statements than the first page's.
    const page2 = await app.gql<any>(COMPARE, { ...args, after: cursor });
    expect(page2.extensions!.sqlStatements).toBeLessThan(page1.extensions!.sqlStatements as number);
    expect(page2.data.compareOffices.groups).toEqual(page1.data.compareOffices.groups);

    const edit = await app.gql(`mutation($input: ReportInput!) { upsertReport(input: $input) { id } }`, {
      input: { officeCode: 'demo-d-s2', year: 2022, metrics: [{ key: metric, value: 100 }] },
    });
    expect(edit.errors).toBeUndefined();
    const after = await app.gql<any>(COMPARE, { ...args, after: cursor });
    expect(after.data.compareOffices.groups[0].sum).toBe(page1.data.compareOffices.groups[0].sum - 12 + 100);
    expect(after.extensions!.sqlStatements).toBeGreaterThan(page2.extensions!.sqlStatements as number);
    // A cursor from before this release (an offset alone) still pages.
    const old = await app.gql<any>(COMPARE, { ...args, after: Buffer.from('c:0').toString('base64url') });
    expect(old.data.compareOffices.rows.edges.map((e: any) => e.node.office.code)).toEqual(after.data.compareOffices.rows.edges.map((e: any) => e.node.office.code));
  });
});
