/**
 * Comparison results, cached and dropped when a report in their scope changes. Each entry is
 * filed under the materialised paths of its scope (a subtree's root, or each compared office);
 * a changed report invalidates every entry filed under any of its office's ancestors.
 *
 * In process by default; in Redis when REDIS_URL is set, so that replicas share entries and
 * invalidate each other's.
 *
 * With database replicas, an invalidation also records the write's GTID as the cache's *floor*: an
 * entry computed after it reads from replicas that have applied the write (or from the primary),
 * so that a lagging replica cannot refill the cache with what the write just made stale.
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { keepNewerGtid, lastCommittedWrite, newerGtid, readingAfter } from '../db/consistency';

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
  private floor: string | null = null;
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
    const value = await readingAfter(this.floor, compute);
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
    this.floor = newerGtid(this.floor, lastCommittedWrite());
    for (const scope of ancestorPaths(officePath)) {
      for (const key of [...(this.byScope.get(scope) ?? [])]) this.entries.delete(key);
      this.byScope.delete(scope);
    }
  }

  async invalidateSubtree(rootPath: string): Promise<void> {
    this.floor = newerGtid(this.floor, lastCommittedWrite());
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

/**
 * Redis unreachable: every request computes its answer (no caching, no error) and a write's
 * invalidation is lost — so when the connection comes back, this process drops every entry under
 * its prefix before it caches again (an entry may predate a write it did not hear of).
 */
export class RedisAnalysisCache implements AnalysisCache {
  readonly stats = { hits: 0, misses: 0, unavailable: 0 };
  /** Set while a reconnection's flush runs: nothing is read from or stored in Redis until it ends. */
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'dg:analysis:',
    private readonly ttlSeconds = 600,
    private readonly log?: Logger,
  ) {
    // Built after the first connection attempt: any later 'ready' follows a time without Redis.
    redis.on('ready', () => {
      this.log?.info('Redis answers again: dropping the cached comparisons, which may predate writes made while it was away');
      this.flushing = this.dropAll()
        .catch((error: unknown) => this.log?.warn({ err: error }, 'could not drop the cached comparisons after Redis came back'))
        .finally(() => {
          this.flushing = null;
        });
    });
  }

  private get floorKey(): string {
    return `${this.prefix}floor`;
  }

  async remember<T>(key: string, scopePaths: readonly string[], compute: () => Promise<T>): Promise<T> {
    const redisKey = `${this.prefix}entry:${key}`;
    if (this.flushing || this.redis.status !== 'ready') {
      // The cache is an optimisation: with Redis away, answers come from the database.
      this.stats.unavailable += 1;
      return compute();
    }
    let cached: string | null;
    let floor: string | null;
    try {
      [cached, floor] = await this.redis.mget(redisKey, this.floorKey);
    } catch {
      this.stats.unavailable += 1;
      return compute();
    }
    if (cached !== null) {
      this.stats.hits += 1;
      return JSON.parse(cached) as T;
    }
    this.stats.misses += 1;
    const value = await readingAfter(floor, compute);
    if (this.flushing) return value;
    const multi = this.redis.multi().set(redisKey, JSON.stringify(value), 'EX', this.ttlSeconds);
    for (const scope of scopePaths) multi.sadd(`${this.prefix}scope:${scope}`, redisKey).expire(`${this.prefix}scope:${scope}`, this.ttlSeconds * 2);
    await multi.exec().catch(() => undefined);
    return value;
  }

  private async raiseFloor(): Promise<void> {
    const gtid = lastCommittedWrite();
    if (gtid) await keepNewerGtid(this.redis, this.floorKey, gtid, this.ttlSeconds * 2);
  }

  async invalidate(officePath: string): Promise<void> {
    await this.raiseFloor();
    for (const scope of ancestorPaths(officePath)) {
      const setKey = `${this.prefix}scope:${scope}`;
      const keys = await this.redis.smembers(setKey);
      if (keys.length > 0) await this.redis.del(...keys);
      await this.redis.del(setKey);
    }
  }

  async invalidateSubtree(rootPath: string): Promise<void> {
    await this.raiseFloor();
    // Paths are digits and slashes: nothing in them is a glob character.
    await this.dropMatching(`${this.prefix}scope:${rootPath}*`);
  }

  private async dropMatching(pattern: string): Promise<void> {
    const stream = this.redis.scanStream({ match: pattern, count: 500 });
    for await (const setKeys of stream as AsyncIterable<string[]>) {
      for (const setKey of setKeys) {
        const keys = await this.redis.smembers(setKey);
        if (keys.length > 0) await this.redis.del(...keys);
        await this.redis.del(setKey);
      }
    }
  }

  /** Every entry and scope under this prefix (the GTID floor stays). */
  private async dropAll(): Promise<void> {
    await this.dropMatching(`${this.prefix}scope:*`);
    const stream = this.redis.scanStream({ match: `${this.prefix}entry:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await this.redis.del(...keys);
  }

  async keepSnapshot(): Promise<void> {}
  async snapshot<T>(): Promise<T | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.redis.quit().catch(() => this.redis.disconnect());
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

/**
 * `degrade`: a Redis that does not answer at start is not an error (the server); without it (the
 * CLI) the command stops, as a write it made could not invalidate the other processes' entries.
 */
export async function createAnalysisCache(redisUrl: string | undefined, prefix?: string, enabled = true, log?: Logger, degrade = false): Promise<AnalysisCache> {
  if (!enabled) return new NoAnalysisCache();
  if (!redisUrl) return new MemoryAnalysisCache();
  const { default: IORedis } = await import('ioredis');
  // No offline queue: with Redis away a command fails at once (and the answer is computed) instead
  // of waiting for a reconnection; ioredis keeps reconnecting in the background.
  const redis = new IORedis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 100, 1000) });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) log?.warn({ err: error }, 'Redis unreachable: comparisons are not cached until it answers');
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    if (!degrade) {
      redis.disconnect();
      throw error;
    }
  }
  return new RedisAnalysisCache(redis, prefix, 600, log);
}
