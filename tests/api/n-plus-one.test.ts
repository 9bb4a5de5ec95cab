import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

/** Everything an office list can follow: a resolver that loads per row would multiply statements. */
const NESTED = `query($first: Int) {
  offices(filter: { under: "demo-root" }, first: $first) {
    edges { node {
      code parent { code } children { code } ancestors { code }
      channels { kind name office { code } }
      reports {
        year office { code } reportingYear { deadline }
        channels { kind name items channel { kind office { code } } }
        metrics(keys: ["applications.received.total", "channels.wechat.items", "applications.grant_rate"]) { key value }
        findings { code }
        proactiveDisclosure { item cells { value } }
        applications { rows { outcome values } }
        reviewsAndLitigation { group total }
      }
      report(year: 2022) { metrics { key value } }
    } }
  } }`;

describeEachDatabase('DataLoader batching', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    // The query follows every relation on purpose: far over the default cost limit for 50 offices.
    app = await startTestApp(db(), { security: { maxCost: 10_000_000 } });
    await createOffice(app, 'demo-root', '示例区', null, 'GOVERNMENT');
    for (let i = 0; i < 50; i++) {
      const code = `demo-n${String(i).padStart(2, '0')}`;
      await createOffice(app, code, `示例第${i}街道`, 'demo-root');
      for (const year of [2021, 2022]) {
        const res = await app.gql(UPSERT_REPORT, { input: consistentReport2021(code, year, i) });
        if (res.errors) throw new Error(JSON.stringify(res.errors));
      }
    }
  });
  afterAll(() => app.close());

  async function statementsFor(first: number): Promise<number> {
    const res = await app.gql<{ offices: { edges: unknown[] } }>(NESTED, { first });
    expect(res.errors).toBeUndefined();
    expect(res.data!.offices.edges).toHaveLength(first);
    return res.extensions!.sqlStatements as number;
  }

  it('runs as many SQL statements for 50 offices with channels, reports and metrics as for 5', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(five).toBeGreaterThan(0);
    expect(fifty).toBe(five);
  });
});
