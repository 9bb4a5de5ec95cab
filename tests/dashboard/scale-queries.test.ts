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
const DOCUMENT = ['pickers.graphql', 'group.graphql', 'district.graphql'].map((f) => fs.readFileSync(path.join(QUERIES, f), 'utf8')).join('\n');
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

  it('summarises each district without rows, and the districts add up to the city', async () => {
    type Summary = { compareOffices: { officeCount: number; reportedCount: number; missingCount: number; groups: { metric: string; sum: number | null }[] } };
    const districts = Array.from({ length: 10 }, (_, i) => `${CITY}-d${String(i + 1).padStart(2, '0')}`);
    // One after another: a client may have at most 2 analysis requests in flight (the dashboard queues them too).
    const parts: Summary[] = [];
    for (const district of districts) parts.push(await run<Summary>('GroupSummary', { district, year: YEAR, metrics: KEYS }));
    const city = await run<Summary>('GroupSummary', { district: CITY, year: YEAR, metrics: KEYS });
    for (const part of parts) {
      expect(part.compareOffices.officeCount).toBe(5);
      expect(part.compareOffices.reportedCount + part.compareOffices.missingCount).toBe(5);
    }
    // The districts' offices plus the districts' own governments' reports make the city.
    const own = await Promise.all(districts.map((code) => run<{ report: { metrics: { key: string; value: number | null }[] } | null }>('OfficeReport', { code, year: YEAR })));
    for (const key of KEYS) {
      const total = parts.reduce((a, p) => a + (p.compareOffices.groups.find((g) => g.metric === key)!.sum ?? 0), 0);
      const governments = own.reduce((a, r) => a + (r.report?.metrics.find((m) => m.key === key)?.value ?? 0), 0);
      expect(total).toBeGreaterThan(0);
      expect(total + governments).toBe(city.compareOffices.groups.find((g) => g.metric === key)!.sum);
    }
    // The city counts its districts too (offices under it, not itself); the districts count only theirs.
    expect(city.compareOffices.officeCount).toBe(10 + parts.reduce((a, p) => a + p.compareOffices.officeCount, 0));
  });

  it("gives each office's overview figures as its own report states them", async () => {
    const district = `${CITY}-d01`;
    type Values = { compareOffices: { rows: { pageInfo: { hasNextPage: boolean }; edges: { node: { office: { code: string }; values: { metric: string; value: number | null }[] } }[] } } };
    const data = await run<Values>('DistrictValues', { under: district, year: YEAR, keys: KEYS });
    const rows = data.compareOffices.rows.edges.map((e) => e.node);
    expect(rows).toHaveLength(5);
    for (const row of rows.slice(0, 2)) {
      const report = await run<{ report: { metrics: { key: string; value: number | null }[] } | null }>('OfficeReport', { code: row.office.code, year: YEAR });
      for (const key of KEYS) {
        const stated = report.report!.metrics.find((m) => m.key === key)?.value ?? null;
        expect([row.office.code, key, row.values.find((v) => v.metric === key)!.value]).toEqual([row.office.code, key, stated]);
      }
    }
    // The reports' dates, channels and findings come without their metrics.
    const reports = await run<{ offices: { totalCount: number; edges: { node: { report: { channels: unknown[] } | null } }[] } }>('DistrictReports', { under: district, year: YEAR, previousYear: YEAR - 1 });
    expect(reports.offices.totalCount).toBe(5);
    expect(reports.offices.edges.filter((e) => e.node.report).length).toBe(rows.length);
  });
});
