import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_OFFICE, createOffice } from '../support/fixtures';

const OFFICES = `query($search: String, $filter: OfficeFilter, $first: Int, $after: String) {
  offices(search: $search, filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { code name } } pageInfo { hasNextPage endCursor }
  } }`;

type Page = { offices: { totalCount: number; edges: { cursor: string; node: { code: string; name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

describeEachDatabase('offices', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-prov', '示例省', null, 'GOVERNMENT');
    await createOffice(app, 'demo-city', '示例市', 'demo-prov', 'GOVERNMENT');
    await createOffice(app, 'demo-dist', '示例区', 'demo-city', 'GOVERNMENT');
    for (let i = 1; i <= 12; i++) await createOffice(app, `demo-dist-s${String(i).padStart(2, '0')}`, `示例第${i}街道办事处`, 'demo-dist');
    await createOffice(app, 'demo-other', '另一示例区', 'demo-city', 'GOVERNMENT');
    await createOffice(app, 'demo-other-edu', '另一示例区教育局', 'demo-other', 'DEPARTMENT');
  });
  afterAll(() => app.close());

  it('searches names and codes by substring, paginating with cursors', async () => {
    const first = await app.gql<Page>(OFFICES, { search: '街道', first: 5 });
    expect(first.data!.offices.totalCount).toBe(12);
    expect(first.data!.offices.edges.map((e) => e.node.code)).toEqual(['demo-dist-s01', 'demo-dist-s02', 'demo-dist-s03', 'demo-dist-s04', 'demo-dist-s05']);
    expect(first.data!.offices.pageInfo.hasNextPage).toBe(true);
    const codes = first.data!.offices.edges.map((e) => e.node.code);
    let after = first.data!.offices.pageInfo.endCursor;
    while (after) {
      const next = await app.gql<Page>(OFFICES, { search: '街道', first: 5, after });
      codes.push(...next.data!.offices.edges.map((e) => e.node.code));
      after = next.data!.offices.pageInfo.hasNextPage ? next.data!.offices.pageInfo.endCursor : null;
    }
    expect(codes).toHaveLength(12);
    expect(new Set(codes).size).toBe(12);

    const byCode = await app.gql<Page>(OFFICES, { search: 'other-ed' });
    expect(byCode.data!.offices.edges.map((e) => e.node.name)).toEqual(['另一示例区教育局']);
  });

  it('treats LIKE wildcards in the search literally', async () => {
    const res = await app.gql<Page>(OFFICES, { search: '%' });
    expect(res.data!.offices.totalCount).toBe(0);
  });

  it('caps first at 100 and rejects a non-positive first or a forged cursor', async () => {
    const capped = await app.gql<Page>(OFFICES, { first: 100000 });
    expect(capped.errors).toBeUndefined();
    const zero = await app.gql(OFFICES, { first: 0 });
    expect(zero.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(zero.errors![0]!.message).toContain('first');
    const forged = await app.gql(OFFICES, { after: 'not-a-cursor' });
    expect(forged.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters a whole subtree, a parent and a kind', async () => {
    const under = await app.gql<Page>(OFFICES, { filter: { under: 'demo-city' }, first: 100 });
    expect(under.data!.offices.totalCount).toBe(15);
    const children = await app.gql<Page>(OFFICES, { filter: { parentCode: 'demo-city' } });
    expect(children.data!.offices.edges.map((e) => e.node.code)).toEqual(['demo-dist', 'demo-other']);
    const departments = await app.gql<Page>(OFFICES, { filter: { kind: 'DEPARTMENT', under: 'demo-prov' } });
    expect(departments.data!.offices.edges.map((e) => e.node.code)).toEqual(['demo-other-edu']);
    const unknown = await app.gql(OFFICES, { filter: { under: 'nowhere' } });
    expect(unknown.errors![0]!.message).toContain('filter.under');
  });

  it('follows parent, children and ancestors', async () => {
    const res = await app.gql<{ office: { parent: { code: string }; ancestors: { code: string }[]; children: { code: string }[]; depth: number } }>(
      `{ office(code: "demo-dist") { depth parent { code } ancestors { code } children { code } } }`,
    );
    expect(res.data!.office.depth).toBe(2);
    expect(res.data!.office.parent.code).toBe('demo-city');
    expect(res.data!.office.ancestors.map((a) => a.code)).toEqual(['demo-prov', 'demo-city']);
    expect(res.data!.office.children).toHaveLength(12);
  });

  it('moves a subtree to a new parent, keeping paths and depths right', async () => {
    const moved = await app.gql(UPSERT_OFFICE, { input: { code: 'demo-other', name: '另一示例区', kind: 'GOVERNMENT', parentCode: 'demo-dist' } });
    expect(moved.errors).toBeUndefined();
    const res = await app.gql<{ office: { depth: number; ancestors: { code: string }[] } }>(`{ office(code: "demo-other-edu") { depth ancestors { code } } }`);
    expect(res.data!.office).toEqual({ depth: 4, ancestors: [{ code: 'demo-prov' }, { code: 'demo-city' }, { code: 'demo-dist' }, { code: 'demo-other' }] });
    const under = await app.gql<Page>(OFFICES, { filter: { under: 'demo-dist' }, first: 100 });
    expect(under.data!.offices.totalCount).toBe(14);
  });

  it('refuses to make an office its own ancestor, and an unknown parent, changing nothing', async () => {
    const cycle = await app.gql(UPSERT_OFFICE, { input: { code: 'demo-city', name: '示例市', kind: 'GOVERNMENT', parentCode: 'demo-other-edu' } });
    expect(cycle.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cycle.errors![0]!.message).toContain('own ancestor');
    const orphan = await app.gql(UPSERT_OFFICE, { input: { code: 'demo-x', name: 'X', kind: 'OTHER', parentCode: 'nowhere' } });
    expect(orphan.errors![0]!.message).toContain('input.parentCode');
    const badCode = await app.gql(UPSERT_OFFICE, { input: { code: 'bad code!', name: 'X', kind: 'OTHER' } });
    expect(badCode.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badCode.errors![0]!.message).toContain('input.code');
    const res = await app.gql<{ office: { parent: { code: string } } | null; x: null }>(`{ office(code: "demo-city") { parent { code } } x: office(code: "demo-x") { code } }`);
    expect(res.data!.office!.parent.code).toBe('demo-prov');
    // Nothing was created, and an unknown code is said to be unknown rather than answered with null.
    expect(res.data!.x).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ path: ['x'], extensions: expect.objectContaining({ code: 'NOT_FOUND', key: 'demo-x' }) })]);
  });

  it('tells an unknown office code (NOT_FOUND, naming it) from a known office without a report (null)', async () => {
    const res = await app.gql<{ known: null; unknown: null }>(`{ known: report(officeCode: "demo-city", year: 1999) { title } unknown: report(officeCode: "nope", year: 2020) { title } }`);
    expect(res.data).toEqual({ known: null, unknown: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['unknown']);
    expect(res.errors![0]!.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors![0]!.message).toContain('officeCode: no office with code "nope"');
  });
});
