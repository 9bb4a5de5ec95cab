import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { createOffice } from '../support/fixtures';

const EXPORTS = ['/exports/assessment.xlsx', '/exports/assessment.json', '/exports/assessment/summary.csv'];

describeEachDatabase('access to exports', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-e', '示例导出区', null, 'GOVERNMENT');
  });
  afterAll(() => app.close());

  const download = (route: string, headers: Record<string, string> = {}) => fetch(`${app.url}${route}?year=2022&under=demo-e`, { headers });

  it('asks anonymous callers to sign in, whatever PUBLIC_ACCESS says', async () => {
    for (const route of EXPORTS) {
      const res = await download(route);
      expect([route, res.status]).toEqual([route, 401]);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0]!.message).toBe(`GET ${route}: sign in with a bearer token; it needs the analyst role.`);
    }
  });

  it('refuses credentials that do not verify, and serves analysts and above', async () => {
    expect((await download(EXPORTS[0]!, { authorization: 'Bearer dg_nope' })).status).toBe(401);
    const analyst = await app.createToken('analyst');
    const editor = await app.createToken('editor', 'demo-e');
    for (const token of [analyst, editor, app.adminToken]) {
      const res = await download(EXPORTS[1]!, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      await res.arrayBuffer();
    }
  });
});
