/**
 * Subtree sizes for the cost limit: counted with constant prefixes (an index range), remembered
 * per root for a short while so that a paged comparison's pages do not each count again, and
 * forgotten on an office change.
 */
import { SubtreeCounts, subtreeSizes } from '../../src/analysis/analysis-cost';
import { withStatementScope } from '../../src/db/query-stats';
import { createOfficeLoaders } from '../../src/offices/office.loader';
import { loadDistrict } from '../support/analysis-data';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('subtree sizes for pricing', (db) => {
  beforeAll(() => loadDistrict(db().dataSource));

  it('counts each subtree, its root included, and leaves unknown codes out', async () => {
    const sizes = await subtreeSizes(db().dataSource, ['demo-d', 'demo-d-s1', 'nowhere']);
    const offices = (await db().dataSource.query('SELECT code, path FROM offices')) as { code: string; path: string }[];
    const under = (code: string) => offices.filter((o) => o.path.startsWith(offices.find((r) => r.code === code)!.path)).length;
    expect(under('demo-d')).toBeGreaterThan(3);
    expect([...sizes.entries()].sort()).toEqual([
      ['demo-d', under('demo-d')],
      ['demo-d-s1', under('demo-d-s1')],
    ]);
  });

  it('remembers a count per root until it expires or an office changes', async () => {
    const counts = new SubtreeCounts(db().dataSource, 60_000);
    const statements = async (work: () => Promise<unknown>) => {
      const { scope, result } = withStatementScope(work);
      await result;
      return scope.count;
    };
    const ask = () => counts.sizes(['demo-d'], createOfficeLoaders(db().dataSource).officeByCode);
    const first = await statements(ask);
    const again = await statements(ask);
    expect(first - again).toBe(1);
    expect(await ask()).toEqual(await subtreeSizes(db().dataSource, ['demo-d']));
    counts.forget();
    expect(await statements(ask)).toBe(first);
    const expiring = new SubtreeCounts(db().dataSource, 0);
    await expiring.sizes(['demo-d'], createOfficeLoaders(db().dataSource).officeByCode);
    expect(await statements(() => expiring.sizes(['demo-d'], createOfficeLoaders(db().dataSource).officeByCode))).toBe(first);
  });
});
