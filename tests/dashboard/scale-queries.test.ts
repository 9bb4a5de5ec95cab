/**
 * The operations the dashboard runs at real sizes, as it sends them (read from
 * dashboard/src/queries), through Apollo on SQLite and MariaDB: the governments first (the tree's
 * structure), a city summarised per district without rows, and each office's overview figures
 * from compareOffices — agreeing with one another and with the offices' own reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateDemoData } from '../../src/analysis/demo/generator';
import { PROJECT_ROOT } from '../../src/config/paths';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';

const QUERIES = path.join(PROJECT_ROOT, 'dashboard', 'src', 'queries');
const DOCUMENT = ['pickers.graphql', 'group.graphql', 'district.graphql', 'ranking.graphql'].map((f) => fs.readFileSync(path.join(QUERIES, f), 'utf8')).join('\n');
/** One operation's text, as the dashboard's generated document holds it (the service allows a few per request). */
function operation(name: string): string {
  const start = DOCUMENT.search(new RegExp(`^query ${name}\\b`, 'm'));
  if (start < 0) throw new Error(`no operation ${name} in dashboard/src/queries`);
  const next = DOCUMENT.slice(start + 1).search(/^query /m);
  return next < 0 ? DOCUMENT.slice(start) : DOCUMENT.slice(start, start + 1 + next);
}
const YEAR = 2024;
const CITY = 'demo-p-c01';
const KEYS = ['proactive.items_total', 'applications.received.total'];

describeEachDatabase('the dashboard\'s queries for a city and its districts', (db) => {
  let app: TestApp;
  const run = async <T>(operationName: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation(operationName), variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown };
    if (body.errors) throw new Error(`${operationName}: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };

  beforeAll(async () => {
    // One city of ten districts, five offices each.
    await generateDemoData(db().dataSource, { offices: 62, years: [YEAR] });
    app = await startTestApp(db());
  }, 120000);

  afterAll(async () => {
    await app?.close();
  });

  it('lists the governments alone first: the province, its city and the ten districts', async () => {
    const data = await run<{ offices: { totalCount: number; edges: { node: { code: string; kind: string } }[] } }>('OfficeTree', { kind: 'GOVERNMENT' });
    const codes = data.offices.edges.map((e) => e.node.code);
    expect(codes).toContain('demo-p');
    expect(codes).toContain(CITY);
    expect(codes.filter((c) => /^demo-p-c01-d\d\d$/.test(c))).toHaveLength(10);
    expect(new Set(data.offices.edges.map((e) => e.node.kind))).toEqual(new Set(['GOVERNMENT']));
    const all = await run<{ offices: { totalCount: number } }>('OfficeTree', {});
    expect(all.offices.totalCount).toBeGreaterThan(data.offices.totalCount);
  });

  it('summarises the city and its districts in one request without rows, and the districts add up to the city', async () => {
    type Stats = { officeCount: number; reportedCount: number; missingCount: number; groups: { metric: string; sum: number | null }[] };
    type Children = { whole: Stats | null; childSummaries: (Stats & { office: { code: string; name: string } })[] };
    const districts = Array.from({ length: 10 }, (_, i) => `${CITY}-d${String(i + 1).padStart(2, '0')}`);
    const data = await run<Children>('GroupChildren', { district: CITY, year: YEAR, metrics: KEYS, whole: true });
    const city = data.whole!;
    const parts = data.childSummaries;
    expect(parts.map((p) => p.office.code)).toEqual(districts);
    for (const part of parts) {
      expect(part.officeCount).toBe(5);
      expect(part.reportedCount + part.missingCount).toBe(5);
    }
    // The districts' offices plus the districts' own governments' reports make the city.
    const own = await Promise.all(districts.map((code) => run<{ report: { metrics: { key: string; value: number | null }[] } | null }>('OfficeReport', { code, year: YEAR })));
    for (const key of KEYS) {
      const total = parts.reduce((a, p) => a + (p.groups.find((g) => g.metric === key)!.sum ?? 0), 0);
      const governments = own.reduce((a, r) => a + (r.report?.metrics.find((m) => m.key === key)?.value ?? 0), 0);
      expect(total).toBeGreaterThan(0);
      expect(total + governments).toBe(city.groups.find((g) => g.metric === key)!.sum);
    }
    // The city counts its districts too (offices under it, not itself); the districts count only theirs.
    expect(city.officeCount).toBe(10 + parts.reduce((a, p) => a + p.officeCount, 0));
    // Without the whole (the ranking's and channels' load) only the districts come.
    const without = await run<Children>('GroupChildren', { district: CITY, year: YEAR, metrics: KEYS, whole: false });
    expect(without.whole ?? null).toBeNull();
    expect(without.childSummaries).toEqual(parts);
  });

  it("gives each office's overview figures as its own report states them", async () => {
    const district = `${CITY}-d01`;
    type Values = { compareOffices: { rows: { pageInfo: { hasNextPage: boolean }; edges: { node: { office: { code: string }; figures: { metric: string; value: number | null }[]; values: { metric: string; value: number | null; rank: number }[] } }[] } } };
    // The ranking's comparison over the overview's metrics (ordered by the first) is the overview's source.
    const data = await run<Values>('CompareOffices', { district, year: YEAR, metrics: KEYS, orderBy: KEYS[0], after: null });
    const rows = data.compareOffices.rows.edges.map((e) => e.node);
    expect(rows).toHaveLength(5);
    // Every metric's value; the rank and the rest of the ordering metric only, in its rank order.
    expect(rows.map((r) => r.figures.map((f) => f.metric))).toEqual(rows.map(() => KEYS));
    expect(rows.map((r) => r.values.map((v) => v.metric))).toEqual(rows.map(() => [KEYS[0]]));
    expect(rows.map((r) => r.values[0]!.rank)).toEqual([...rows.map((r) => r.values[0]!.rank)].sort((a, b) => a - b));
    for (const row of rows.slice(0, 2)) {
      const report = await run<{ report: { metrics: { key: string; value: number | null }[] } | null }>('OfficeReport', { code: row.office.code, year: YEAR });
      for (const key of KEYS) {
        const stated = report.report!.metrics.find((m) => m.key === key)?.value ?? null;
        expect([row.office.code, key, row.figures.find((v) => v.metric === key)!.value]).toEqual([row.office.code, key, stated]);
      }
    }
    // The reports' dates, channels and findings come without their metrics.
    const reports = await run<{ offices: { totalCount: number; edges: { node: { report: { channels: unknown[] } | null } }[] } }>('DistrictReports', { under: district, year: YEAR, previousYear: YEAR - 1 });
    expect(reports.offices.totalCount).toBe(5);
    expect(reports.offices.edges.filter((e) => e.node.report).length).toBe(rows.length);
  });

  it("lists the overview's offices and filing dates (DistrictOffices) as the channels' and findings' query does (DistrictReports)", async () => {
    const district = `${CITY}-d01`;
    type Listed = { offices: { totalCount: number; edges: { node: { code: string; name: string; report: { id: string; publishedAt: string | null } | null } }[] } };
    const light = await run<Listed>('DistrictOffices', { under: district, year: YEAR });
    const full = await run<Listed>('DistrictReports', { under: district, year: YEAR, previousYear: YEAR - 1 });
    expect(light.offices.totalCount).toBe(full.offices.totalCount);
    const pick = (data: Listed) => data.offices.edges.map(({ node }) => [node.code, node.name, node.report?.id ?? null, node.report?.publishedAt ?? null]);
    expect(pick(light)).toEqual(pick(full));
    expect(pick(light).filter((o) => o[2] !== null).length).toBeGreaterThan(0);
  });
});
