/**
 * childSummaries: a group by its direct children in one request, each child exactly as
 * compareOffices(under: that child) sums it up (office, filed and missing counts; sum, mean and
 * median with a blank counted as 0), through Apollo on SQLite and MariaDB — with an office that
 * filed nothing, a report that leaves a metric blank, a derived metric and a ratio.
 */
import { generateDemoData } from '../../src/analysis/demo/generator';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';

const YEAR = 2024;
const PROVINCE = 'demo-p';
const CITY = 'demo-p-c01';
// Stored, derived (a sum of parts) and a ratio.
const METRICS = ['applications.received.total', 'proactive.items_total', 'applications.grant_rate'];

interface Stats {
  metric: string;
  label?: string;
  sum: number;
  mean: number | null;
  median: number | null;
  statedCount: number;
  blankCount: number;
}
interface Summary {
  office: { code: string };
  officeCount: number;
  reportedCount: number;
  missingCount: number;
  groups: Stats[];
}

const CHILDREN = `query ($under: String!, $year: Int!, $metrics: [MetricKey!]!) {
  childSummaries(under: $under, year: $year, metrics: $metrics) { office { code } officeCount reportedCount missingCount groups { metric label sum mean median statedCount blankCount } }
}`;
const COMPARE = `query ($under: String!, $year: Int!, $metrics: [MetricKey!]!) {
  compareOffices(under: $under, year: $year, metrics: $metrics, first: 1, missingFirst: 0) { officeCount reportedCount missingCount groups { metric sum mean median statedCount blankCount } }
}`;

describeEachDatabase('childSummaries: a group by its children in one request', (db) => {
  let app: TestApp;
  const children = async (under: string, metrics = METRICS) => {
    const res = await app.gql<{ childSummaries: Summary[] }>(CHILDREN, { under, year: YEAR, metrics });
    expect(res.errors).toBeUndefined();
    return res.data!.childSummaries;
  };
  const compare = async (under: string, metrics = METRICS) => {
    const res = await app.gql<{ compareOffices: Omit<Summary, 'office'> }>(COMPARE, { under, year: YEAR, metrics });
    expect(res.errors).toBeUndefined();
    return res.data!.compareOffices;
  };

  beforeAll(async () => {
    // One city of ten districts of five offices.
    await generateDemoData(db().dataSource, { offices: 62, years: [YEAR - 1, YEAR] });
    app = await startTestApp(db());
    // An office that filed nothing, under the first district.
    const added = await app.gql('mutation { upsertOffice(input: { code: "demo-new", name: "虚构新设机关", kind: DEPARTMENT, parentCode: "demo-p-c01-d01" }) { code } }');
    expect(added.errors).toBeUndefined();
    // A report that leaves a metric blank: the value is not stored.
    const [office] = (await db().dataSource.query("SELECT id FROM offices WHERE code = 'demo-p-c01-d02-s001'")) as { id: number }[];
    await db().dataSource.query('DELETE FROM metric_values WHERE officeId = ? AND year = ? AND metricKey = ?', [office!.id, YEAR, 'applications.received.total']);
  }, 180000);

  afterAll(async () => {
    await app?.close();
  });

  it("gives each district of a city what compareOffices gives for that district, in code order", async () => {
    const summaries = await children(CITY);
    expect(summaries.map((s) => s.office.code)).toEqual(Array.from({ length: 10 }, (_, i) => `${CITY}-d${String(i + 1).padStart(2, '0')}`));
    for (const summary of summaries) {
      const expected = await compare(summary.office.code);
      expect([summary.office.code, summary.officeCount, summary.reportedCount, summary.missingCount]).toEqual([summary.office.code, expected.officeCount, expected.reportedCount, expected.missingCount]);
      for (const metric of METRICS) {
        const ours = summary.groups.find((g) => g.metric === metric)!;
        const theirs = expected.groups.find((g) => g.metric === metric)!;
        expect(ours.sum).toBeCloseTo(theirs.sum, 6);
        expect(ours.mean).toBeCloseTo(theirs.mean!, 6);
        expect(ours.median).toBeCloseTo(theirs.median!, 6);
        expect([ours.statedCount, ours.blankCount]).toEqual([theirs.statedCount, theirs.blankCount]);
      }
    }
    // The office that filed nothing is counted under its district and missing there.
    const first = summaries[0]!;
    expect([first.officeCount, first.reportedCount, first.missingCount]).toEqual([6, 5, 1]);
    // A blank is not 0, as in compareOffices: five reports, four stated the value, the mean is over four.
    const second = summaries[1]!;
    const received = second.groups.find((g) => g.metric === 'applications.received.total')!;
    expect(second.reportedCount).toBe(5);
    expect([received.statedCount, received.blankCount]).toEqual([4, 1]);
    expect(received.mean).toBeCloseTo(received.sum / 4, 9);
    expect(received.sum).toBeGreaterThan(0);
  });

  it('lists a child with nothing under it (a district office seen from its district) with zero counts and no mean', async () => {
    const offices = await children(`${CITY}-d01`);
    expect(offices).toHaveLength(6);
    for (const office of offices) {
      expect([office.officeCount, office.reportedCount, office.missingCount]).toEqual([0, 0, 0]);
      expect(office.groups.map((g) => [g.sum, g.mean, g.median])).toEqual(METRICS.map(() => [0, null, null]));
    }
  });

  it('sums a province by its cities: the city is every office under it', async () => {
    const [city] = await children(PROVINCE);
    const expected = await compare(CITY);
    expect(city!.office.code).toBe(CITY);
    expect([city!.officeCount, city!.reportedCount]).toEqual([expected.officeCount, expected.reportedCount]);
    expect(city!.groups[0]!.sum).toBeCloseTo(expected.groups[0]!.sum, 6);
    expect(city!.groups[0]!.label).toBeTruthy();
  });

  it('refuses an unknown office and an unknown metric', async () => {
    const unknown = await app.gql(CHILDREN, { under: 'no-such-office', year: YEAR, metrics: METRICS });
    // As every query answers an unknown office (src/offices/office-lookup.ts).
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'under' });
    const metric = await app.gql(CHILDREN, { under: CITY, year: YEAR, metrics: ['no.such.metric'] });
    expect(metric.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
