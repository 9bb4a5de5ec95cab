/**
 * Comparison results, cached and dropped when a report in their scope changes. Each entry is
 * filed under the materialised paths of its scope (a subtree's root, or each compared office);
 * a changed report invalidates every entry filed under any of its office's ancestors.
 *
 * In process by default; in Redis when REDIS_URL is set, so that replicas share entries and
 * invalidate each other's.
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

export interface AnalysisCache {
  remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>): Promise<T>;
  /** Drops every entry whose scope contains the office at `officePath`. */
  invalidate(officePath: string): Promise<void>;
  /**
   * Drops every entry filed under `rootPath` or anywhere below it: after a subtree moved, entries
   * filed under its old paths would otherwise never be reached by an invalidation again.
   */
  invalidateSubtree(rootPath: string): Promise<void>;
  readonly stats: { hits: number; misses: number };
  close(): Promise<void>;
  /**
   * A computed comparison group kept for the cursors that name it (`id`), when `remember` does not
   * keep results (ANALYSIS_CACHE=off): paging then costs one computation per snapshot, not one
   * per page. Filed under `scopePaths` and dropped by the same invalidations as every entry.
   * Where `remember` keeps results, the remembered group is the snapshot and these do nothing.
   */
  keepSnapshot(id: string, scopePaths: readonly string[], value: unknown): Promise<void>;
  /** A kept snapshot, read-only (not copied: callers must not change it); undefined when gone. */
  snapshot<T>(id: string): Promise<T | undefined>;
}

/**
 * An entry's weight in the in-process cache: 1, plus one per thousand cells of a comparison group
 * (`cells`), so that a handful of province-wide groups cannot fill the heap the way 500 pages would not.
 */
function weightOf(value: unknown): number {
  const cells = (value as { cells?: unknown } | null)?.cells;
  return 1 + (Array.isArray(cells) ? Math.ceil(cells.length / 1000) : 0);
}

/** `/1/5/23/` → `/1/`, `/1/5/`, `/1/5/23/`: the scopes a change there falls in. */
export function ancestorPaths(officePath: string): string[] {
  const ids = officePath.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}

export class MemoryAnalysisCache implements AnalysisCache {
  private readonly entries: LRUCache<string, { value: unknown; scopes: readonly string[] }>;
  private readonly byScope = new Map<string, Set<string>>();
  readonly stats = { hits: 0, misses: 0 };

  constructor(maxWeight = 500, ttlMs = 10 * 60 * 1000) {
    this.entries = new LRUCache({
      maxSize: maxWeight,
      sizeCalculation: (entry) => weightOf(entry.value),
      ttl: ttlMs,
      dispose: (entry, key) => {
        for (const scope of entry.scopes) this.byScope.get(scope)?.delete(key);
      },
    });
  }

  async remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.stats.hits += 1;
      return structuredClone(hit.value) as T;
    }
    this.stats.misses += 1;
    const value = await compute();
    this.file(key, scopePaths, structuredClone(value));
    return value;
  }

  private file(key: string, scopePaths: readonly string[], value: unknown): void {
    this.entries.set(key, { value, scopes: scopePaths });
    for (const scope of scopePaths) {
      const keys = this.byScope.get(scope) ?? new Set<string>();
      keys.add(key);
      this.byScope.set(scope, keys);
    }
  }

  /** Where results are remembered, the remembered group is the snapshot. */
  async keepSnapshot(): Promise<void> {}
  async snapshot<T>(): Promise<T | undefined> {
    return undefined;
  }

  /** Snapshots for NoAnalysisCache: kept as they are, read-only, without the copies of `remember`. */
  keepAsIs(key: string, scopePaths: readonly string[], value: unknown): void {
    this.file(key, scopePaths, value);
  }

  peek<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  async invalidate(officePath: string): Promise<void> {
    for (const scope of ancestorPaths(officePath)) {
      for (const key of [...(this.byScope.get(scope) ?? [])]) this.entries.delete(key);
      this.byScope.delete(scope);
    }
  }

  async invalidateSubtree(rootPath: string): Promise<void> {
    for (const [scope, keys] of [...this.byScope]) {
      if (!scope.startsWith(rootPath)) continue;
      for (const key of [...keys]) this.entries.delete(key);
      this.byScope.delete(scope);
    }
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

export class RedisAnalysisCache implements AnalysisCache {
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'dg:analysis:',
    private readonly ttlSeconds = 600,
  ) {}

  async remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>): Promise<T> {
    const redisKey = `${this.prefix}entry:${key}`;
    // The cache is an optimisation: with Redis down, answers come from the database.
    const cached = await this.redis.get(redisKey).catch(() => null);
    if (cached !== null) {
      this.stats.hits += 1;
      return JSON.parse(cached) as T;
    }
    this.stats.misses += 1;
    const value = await compute();
    const multi = this.redis.multi().set(redisKey, JSON.stringify(value), 'EX', this.ttlSeconds);
    for (const scope of scopePaths) multi.sadd(`${this.prefix}scope:${scope}`, redisKey).expire(`${this.prefix}scope:${scope}`, this.ttlSeconds * 2);
    await multi.exec().catch(() => undefined);
    return value;
  }

  async invalidate(officePath: string): Promise<void> {
    for (const scope of ancestorPaths(officePath)) {
      const setKey = `${this.prefix}scope:${scope}`;
      const keys = await this.redis.smembers(setKey);
      if (keys.length > 0) await this.redis.del(...keys);
      await this.redis.del(setKey);
    }
  }

  async invalidateSubtree(rootPath: string): Promise<void> {
    // Paths are digits and slashes: nothing in them is a glob character.
    const stream = this.redis.scanStream({ match: `${this.prefix}scope:${rootPath}*`, count: 500 });
    for await (const setKeys of stream as AsyncIterable<string[]>) {
      for (const setKey of setKeys) {
        const keys = await this.redis.smembers(setKey);
        if (keys.length > 0) await this.redis.del(...keys);
        await this.redis.del(setKey);
      }
    }
  }

  async keepSnapshot(): Promise<void> {}
  async snapshot<T>(): Promise<T | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

/**
 * No caching (ANALYSIS_CACHE=off): what the benchmark measures, every request hitting SQL. Only
 * the snapshots that cursors name are kept (in process, a few minutes, invalidated by writes), so
 * that the next page of a comparison is a slice, not a new computation.
 */
export class NoAnalysisCache implements AnalysisCache {
  readonly stats = { hits: 0, misses: 0 };
  private readonly snapshots = new MemoryAnalysisCache(100, 5 * 60 * 1000);
  async remember<T>(_key: string, _scopes: readonly string[], compute: () => Promise<T>): Promise<T> {
    this.stats.misses += 1;
    return compute();
  }
  async keepSnapshot(id: string, scopePaths: readonly string[], value: unknown): Promise<void> {
    this.snapshots.keepAsIs(id, scopePaths, value);
  }
  async snapshot<T>(id: string): Promise<T | undefined> {
    return this.snapshots.peek<T>(id);
  }
  invalidate(officePath: string): Promise<void> {
    return this.snapshots.invalidate(officePath);
  }
  invalidateSubtree(rootPath: string): Promise<void> {
    return this.snapshots.invalidateSubtree(rootPath);
  }
  close(): Promise<void> {
    return this.snapshots.close();
  }
}

export async function createAnalysisCache(redisUrl: string | undefined, prefix?: string, enabled = true): Promise<AnalysisCache> {
  if (!enabled) return new NoAnalysisCache();
  if (!redisUrl) return new MemoryAnalysisCache();
  const { default: IORedis } = await import('ioredis');
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  return new RedisAnalysisCache(redis, prefix);
}
