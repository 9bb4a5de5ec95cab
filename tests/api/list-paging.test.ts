/**
 * Lists that used to come back whole (an office's children, reports and channels, a report's
 * revisions, the API tokens) are paged with `first` (capped at 100) and `offset`, and the query
 * cost counts them by the page they can return: a province root has thousands of children, not
 * the ten the cost estimate used to assume.
 */
import { SYSTEM_VIEWER } from '../../src/auth/viewer';
import { startTestApp, type TestApp } from '../support/app';
import { describeEachDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021 } from '../support/fixtures';

const CHILDREN = `query($first: Int, $offset: Int) { office(code: "demo-p") { children(first: $first, offset: $offset) { code } } }`;

describeEachDatabase('paged lists', (db) => {
  let app: TestApp;
  const codes = Array.from({ length: 105 }, (_, i) => `demo-p-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    app = await startTestApp(db());
    const offices = app.app.services.offices;
    await offices.upsert({ code: 'demo-p', name: '示例省', kind: 'government', parentCode: null }, SYSTEM_VIEWER);
    for (const [i, code] of codes.entries()) await offices.upsert({ code, name: `示例第${i}区`, kind: 'government', parentCode: 'demo-p' }, SYSTEM_VIEWER);
    for (let n = 1; n <= 3; n++) {
      const res = await app.gql(UPSERT_REPORT, { input: consistentReport2021('demo-p-000', 2022, n) });
      expect(res.errors).toBeUndefined();
    }
  }, 120_000);
  afterAll(() => app.close());

  it("gives an office's children 100 at a time, by code, and the rest with offset", async () => {
    const all = await app.gql<any>(`{ office(code: "demo-p") { children { code } } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data.office.children.map((c: any) => c.code)).toEqual(codes.slice(0, 100));
    const rest = await app.gql<any>(CHILDREN, { first: 100, offset: 100 });
    expect(rest.data.office.children.map((c: any) => c.code)).toEqual(codes.slice(100));
    const capped = await app.gql<any>(CHILDREN, { first: 100000 });
    expect(capped.data.office.children).toHaveLength(100);
  });

  it('names the argument when first or offset is out of range', async () => {
    const zero = await app.gql(CHILDREN, { first: 0 });
    expect(zero.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(zero.errors![0]!.message).toBe('first: must be a positive integer, got 0');
    const negative = await app.gql(CHILDREN, { offset: -1 });
    expect(negative.errors![0]!.message).toBe('offset: must be zero or a positive integer, got -1');
  });

  it('costs nested lists by their page size, so children of children of a page of offices is refused before it runs', async () => {
    const res = await app.gql(`{ offices(first: 100) { edges { node { children { children { code name kind } } } } } }`);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 50000 });
    // A page that fits the budget is served.
    const small = await app.gql<any>(`{ office(code: "demo-p") { children(first: 5) { code reports(first: 2) { year } channels(first: 3) { kind } } } }`);
    expect(small.errors).toBeUndefined();
    expect(small.data.office.children).toHaveLength(5);
  });

  it("pages a report's revisions (newest first) and the API tokens", async () => {
    const revisions = await app.gql<any>(`{ report(officeCode: "demo-p-000", year: 2022) { all: revisions { number } page: revisions(first: 1, offset: 1) { number } } }`);
    expect(revisions.errors).toBeUndefined();
    expect(revisions.data.report.all.map((r: any) => r.number)).toEqual([3, 2, 1]);
    expect(revisions.data.report.page.map((r: any) => r.number)).toEqual([2]);
    for (const role of ['analyst', 'analyst', 'analyst'] as const) await app.createToken(role);
    const all = await app.gql<any>(`{ apiTokens { id } }`);
    const page = await app.gql<any>(`{ apiTokens(first: 2, offset: 1) { id } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data.apiTokens).toEqual(all.data.apiTokens.slice(1, 3));
  });
});
