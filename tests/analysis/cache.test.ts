import { MemoryAnalysisCache, NoAnalysisCache, type RedisAnalysisCache, ancestorPaths, createAnalysisCache, type AnalysisCache } from '../../src/analysis/cache';
import { REDIS_TEST_URL as REDIS_URL, describeWithRedis, dropRedisPrefix, testRedisPrefix } from '../support/redis';

function exercise(name: string, make: () => Promise<[AnalysisCache, AnalysisCache]>) {
  it(`${name}: shares entries and invalidates them by scope`, async () => {
    const [a, b] = await make();
    try {
      let computed = 0;
      const compute = async () => ({ n: ++computed });
      expect(await a.remember('q1', ['/1/5/'], compute)).toEqual({ n: 1 });
      expect(await a.remember('q2', ['/1/9/'], compute)).toEqual({ n: 2 });
      // The second replica (or the same process) is served the first one's result.
      expect(await b.remember('q1', ['/1/5/'], compute)).toEqual({ n: 1 });
      // A report of office /1/5/23/ changes: scope /1/5/ is dropped, /1/9/ is not.
      await b.invalidate('/1/5/23/');
      expect(await a.remember('q1', ['/1/5/'], compute)).toEqual({ n: 3 });
      expect(await a.remember('q2', ['/1/9/'], compute)).toEqual({ n: 2 });
    } finally {
      await a.close();
      if (b !== a) await b.close();
    }
  });
}

describe('the analysis cache', () => {
  it('knows which scopes a change falls in', () => {
    expect(ancestorPaths('/1/5/23/')).toEqual(['/1/', '/1/5/', '/1/5/23/']);
  });

  it('off: computes every time, but keeps the snapshots cursors name until a write in their scope or below', async () => {
    const cache = new NoAnalysisCache();
    let computed = 0;
    await cache.remember('q', ['/1/5/'], async () => ++computed);
    await cache.remember('q', ['/1/5/'], async () => ++computed);
    expect(computed).toBe(2);
    const group = { cells: [1, null, 2] };
    await cache.keepSnapshot('s1', ['/1/5/'], group);
    await cache.keepSnapshot('s2', ['/1/9/'], { cells: [] });
    // Kept as it is: pages read it without copying the whole group.
    expect(await cache.snapshot('s1')).toBe(group);
    await cache.invalidate('/1/5/23/');
    expect(await cache.snapshot('s1')).toBeUndefined();
    expect(await cache.snapshot('s2')).toEqual({ cells: [] });
    await cache.invalidateSubtree('/1/');
    expect(await cache.snapshot('s2')).toBeUndefined();
    await cache.close();
  });

  it('in process: a large comparison group weighs by its cells, so a few cannot fill the heap', async () => {
    const cache = new MemoryAnalysisCache(30);
    const big = { cells: new Array<number>(20_000).fill(1) };
    await cache.remember('big1', ['/1/'], async () => big);
    await cache.remember('big2', ['/2/'], async () => big);
    let computed = 0;
    // Each weighs 21: the second evicts the first.
    await cache.remember('big1', ['/1/'], async () => (computed++, big));
    expect(computed).toBe(1);
  });

  exercise('in process', async () => {
    const cache = new MemoryAnalysisCache();
    return [cache, cache];
  });

  // Skipped (and reported as skipped) without Redis; REQUIRE_REDIS=1 makes it mandatory.
  describeWithRedis('in Redis', () => {
    const prefix = testRedisPrefix('cache');
    afterAll(() => dropRedisPrefix(prefix));
    it('two replicas share entries and invalidate each other', async () => {
      // As the server builds them: connected before the first use (a cache whose Redis is not ready
      // answers from the database and stores nothing).
      const a = (await createAnalysisCache(REDIS_URL, prefix)) as RedisAnalysisCache;
      const b = (await createAnalysisCache(REDIS_URL, prefix)) as RedisAnalysisCache;
      let computed = 0;
      const compute = async () => ({ n: ++computed });
      try {
        expect(await a.remember('q1', ['/1/5/'], compute)).toEqual({ n: 1 });
        expect(await b.remember('q1', ['/1/5/'], compute)).toEqual({ n: 1 });
        expect(b.stats.hits).toBe(1);
        await b.invalidate('/1/5/23/');
        expect(await a.remember('q1', ['/1/5/'], compute)).toEqual({ n: 2 });
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
