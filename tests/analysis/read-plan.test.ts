/**
 * The read plan follows the group's shape, not the order offices were created in: on a province
 * whose districts gain offices years later (ids far from their district's) and on one created in
 * shuffled order, compareOffices, rollup and timeSeries give what the hand-written SQL gives, and
 * both plans give the same rows.
 */
import { compareDifference, COMPARE_QUERY, rollupDifference, ROLLUP_QUERY } from '../../bench/answers';
import { baselineCompare, baselineRollup, mysqlRaw, sqliteRaw, type RawSql } from '../../bench/baseline';
import { rollupValuesSql } from '../../src/analysis/analysis.sql';
import { AnalysisService, readPlan } from '../../src/analysis/analysis.service';
import { compareSql, groupSpanSql, type GroupSpan } from '../../src/analysis/compare.sql';
import { demoCreationOrder, demoTree, generateDemoData, gainsLateOffices, type DemoLayout } from '../../src/analysis/demo/generator';
import type { ReadPlan } from '../../src/analysis/metric-sql';
import type { Office } from '../../src/offices/office.entity';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';

const YEARS = [2021, 2022, 2023];
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];

describe('demo layouts', () => {
  const tree = demoTree(300);

  it('shuffled: every office after its parent, in an order far from the tree’s', () => {
    const order = demoCreationOrder(tree, 'shuffled', YEARS, 1).map((p) => p.office);
    expect(new Set(order.map((o) => o.code)).size).toBe(tree.length);
    const at = new Map(order.map((o, i) => [o.code, i]));
    for (const o of order) if (o.parentCode) expect(at.get(o.parentCode)!).toBeLessThan(at.get(o.code)!);
    const inPlace = tree.filter((o, i) => order[i]!.code === o.code).length;
    expect(inPlace).toBeLessThan(tree.length / 10);
  });

  it('late-additions: every third district gains two offices last, reporting from the middle year', () => {
    const placed = demoCreationOrder(tree, 'late-additions', YEARS, 1);
    const late = placed.filter((p) => p.fromYear !== YEARS[0]);
    expect(late.length).toBeGreaterThan(0);
    expect(placed.slice(-late.length)).toEqual(late);
    for (const p of late) {
      expect(gainsLateOffices(p.office.parentCode!)).toBe(true);
      expect(p.fromYear).toBe(2022);
    }
  });
});

async function withLayout(layout: DemoLayout) {
  describeEachDatabase(`read plans on the ${layout} layout`, (db) => {
    let app: TestApp;
    let raw: RawSql;

    beforeAll(async () => {
      const { dataSource, config } = db();
      await generateDemoData(dataSource, { offices: 120, years: YEARS, seed: 11, layout });
      app = await startTestApp(db(), { analysisCache: false });
      raw = config.type === 'sqlite' ? sqliteRaw(config.path) : mysqlRaw(config.url);
    }, 180000);

    afterAll(async () => {
      await raw?.close();
      await app?.close();
    });

    const rootOf = async (code: string) => (await db().dataSource.query('SELECT * FROM offices WHERE code = ?', [code]))[0] as Office;
    const spanOf = async (root: Office, includeRoot = false): Promise<GroupSpan> => {
      const q = groupSpanSql(AnalysisService.scopeOf({ root, includeRoot }));
      const [s] = await db().dataSource.query(q.sql, q.params);
      return { lowestId: Number(s.lowestId), highestId: Number(s.highestId), officeCount: Number(s.officeCount) };
    };
    const bothPlans = (span: GroupSpan, root: Office, includeRoot = false): ReadPlan[] => [
      { kind: 'range', lowestId: span.lowestId, highestId: span.highestId },
      { kind: 'offices', scope: AnalysisService.scopeOf({ root, includeRoot }) },
    ];

    it.each([['demo-p-c01-d01'], ['demo-p-c01-d02'], ['demo-p-c01']])('compareOffices over %s: the baseline’s answer, both plans the same rows', async (under) => {
      const res = await app.gql<any>(COMPARE_QUERY, { under, year: 2023, metrics: METRICS, first: 100 });
      expect(res.errors).toBeUndefined();
      for (const form of ['range', 'join'] as const) {
        const expected = await baselineCompare(raw, under, 2023, METRICS, 100, 20, form);
        expect(expected.rows.length).toBeGreaterThan(5);
        expect(compareDifference(res.data!.compareOffices, expected)).toBeNull();
      }
      const root = await rootOf(under);
      const span = await spanOf(root);
      const scope = AnalysisService.scopeOf({ root });
      const [byRange, byOffices] = await Promise.all(
        bothPlans(span, root).map((read) => {
          const q = compareSql({ scope, read, year: 2023, metrics: [...METRICS, 'applications.grant_rate'], orderBy: 1, descending: false, dialect: db().kind === 'sqlite' ? 'sqlite' : 'mariadb' });
          // Decoded: which row carries the group's figures is the database's choice.
          return db().dataSource.query(q.sql, q.params).then((rows: Record<string, unknown>[]) => q.decode(rows));
        }),
      );
      expect(byRange!.officeIds.length).toBeGreaterThan(5);
      expect(byOffices).toEqual(byRange);
    });

    it('rollup over the province and a district, both plans the same totals', async () => {
      const res = await app.gql<any>(ROLLUP_QUERY, { under: 'demo-p', years: YEARS, metrics: METRICS });
      expect(res.errors).toBeUndefined();
      expect(rollupDifference(res.data!.rollup, await baselineRollup(raw, 'demo-p', YEARS, METRICS))).toBeNull();
      const district = await rootOf('demo-p-c01-d01');
      const span = await spanOf(district, true);
      const scope = AnalysisService.scopeOf({ root: district, includeRoot: true });
      const [byRange, byOffices] = await Promise.all(
        bothPlans(span, district, true).map((read) => {
          const q = rollupValuesSql(scope, read, YEARS, [...METRICS, 'applications.grant_rate'], { sql: 'o.kind', params: [] });
          return db().dataSource.query(`${q.sql} ORDER BY year, grp`, q.params);
        }),
      );
      // The district itself (government), its sub-districts and its departments, per year.
      expect(byRange.length).toBe(YEARS.length * 3);
      expect(byOffices).toEqual(byRange);
    });

    // Shown where a tight district and one that gained offices late sit side by side.
    if (layout === 'late-additions')
      it('chooses the plan from the group’s shape', async () => {
      const tight = await spanOf(await rootOf('demo-p-c01-d02'));
      expect(readPlan(tight, { sql: '1 = 1', params: [] }).kind).toBe('range');
      const late = await spanOf(await rootOf('demo-p-c01-d01'));
      expect(readPlan(late, { sql: '1 = 1', params: [] }).kind).toBe('offices');
      const province = await spanOf(await rootOf('demo-p'), true);
      expect(readPlan(province, { sql: '1 = 1', params: [] }).kind).toBe('range');
    });
  });
}

void withLayout('late-additions');
void withLayout('shuffled');
