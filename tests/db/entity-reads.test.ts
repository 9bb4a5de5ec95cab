/**
 * The plain-statement entity read behind the office loaders returns exactly what TypeORM's find()
 * returns — the same class, dates as Dates, nulls as nulls — for ids and codes, missing keys
 * included, and across its statement chunks.
 */
import { In } from 'typeorm';
import { findByColumnIn } from '../../src/db/entity-reads';
import { Office } from '../../src/offices/office.entity';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/databases';

const byId = (a: Office, b: Office) => a.id - b.id;

for (const kind of testDatabaseKinds()) {
  describe(`findByColumnIn [${kind}]`, () => {
    let db: TestDatabase;
    let ids: number[];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      const repo = db.dataSource.getRepository(Office);
      const root = await repo.save(repo.create({ code: 'er-root', name: '根', kind: 'government', parentId: null, region: null, path: '/', depth: 0 }));
      await repo.update(root.id, { path: `/${root.id}/` });
      const children = await repo.save(
        Array.from({ length: 30 }, (_, i) => repo.create({ code: `er-${i}`, name: `街道${i}`, kind: 'sub_district', parentId: root.id, region: i % 2 ? '某区' : null, path: `/${root.id}/`, depth: 1 })),
      );
      ids = [root.id, ...children.map((c) => c.id)];
    }, 120000);
    afterAll(() => db.drop());

    it('reads by id what find() reads, instances and types alike', async () => {
      const wanted = [...ids, 999999];
      const fast = await findByColumnIn(db.dataSource, Office, 'id', wanted);
      const orm = await db.dataSource.getRepository(Office).findBy({ id: In(wanted) });
      expect(fast.length).toBe(ids.length);
      expect(fast.sort(byId)).toEqual(orm.sort(byId));
      for (const office of fast) {
        expect(office).toBeInstanceOf(Office);
        expect(office.createdAt).toBeInstanceOf(Date);
        expect(typeof office.id).toBe('number');
      }
      expect(fast.filter((o) => o.region === null).length).toBeGreaterThan(0);
      expect(fast.find((o) => o.code === 'er-root')!.parentId).toBeNull();
    });

    it('reads by code, and a list longer than one statement takes', async () => {
      const codes = ['er-root', 'er-3', 'er-29', 'no-such-office'];
      const fast = await findByColumnIn(db.dataSource, Office, 'code', codes);
      expect(fast.map((o) => o.code).sort()).toEqual(['er-29', 'er-3', 'er-root']);
      // 12,000 keys: three statements; only the stored ones come back, once each.
      const many = [...Array.from({ length: 12000 }, (_, i) => 500000 + i), ...ids];
      const read = await findByColumnIn(db.dataSource, Office, 'id', many);
      expect(read.map((o) => o.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    });

    it('names an unknown column', async () => {
      await expect(findByColumnIn(db.dataSource, Office, 'nope' as never, [1])).rejects.toThrow('Office has no column nope');
    });
  });
}
