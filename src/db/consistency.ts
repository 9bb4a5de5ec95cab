/**
 * Read-your-writes on a primary with replicas.
 *
 * Every write transaction on MySQL/MariaDB with replicas notes the GTID it committed (src/db/
 * transaction.ts). That GTID is remembered for the writing client — in Redis when REDIS_URL is set,
 * so that the client's next request, whichever service process it reaches, knows it — and a read
 * on a replica for that client first waits, briefly, for the replica to have applied it
 * (`MASTER_GTID_WAIT` on MariaDB, `WAIT_FOR_EXECUTED_GTID_SET` on MySQL); a replica that does not
 * catch up within the wait is passed over for the primary (src/db/replication.ts).
 *
 * The scope is per request (an AsyncLocalStorage entered when the request's context is built), and
 * carries the client, the GTID its reads must see, and which replicas were seen to have caught up.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface ConsistencyScope {
  /** Who is asking: the credential's subject, or `address:<ip>`; null outside a request. */
  readonly client: string | null;
  readonly store: CausalStore | null;
  /** Replica reads in this scope must see this GTID (the client's own last write, or a cache's floor). */
  readAfter: string | null;
  /** The last GTID this scope's own writes committed. */
  lastWrite: string | null;
  /** Replica connections (node id and server thread) seen to have applied `readAfter` already: no second wait on them. */
  readonly caughtUp: Set<string>;
  /** Replicas (node ids) that did not apply `readAfter` within the wait: the rest of the request reads from the primary. */
  readonly behind: Set<string>;
}

const scopes = new AsyncLocalStorage<ConsistencyScope>();
/** The last GTID any write of this process committed (the CLI has no request scope). */
let processLastWrite: string | null = null;

export function newConsistencyScope(client: string | null, store: CausalStore | null): ConsistencyScope {
  return { client, store, readAfter: null, lastWrite: null, caughtUp: new Set(), behind: new Set() };
}

/** Enters the scope for the rest of the current async context (as the statement counter does). */
export function enterConsistencyScope(scope: ConsistencyScope): void {
  scopes.enterWith(scope);
}

export function runInConsistencyScope<T>(scope: ConsistencyScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

export function currentConsistencyScope(): ConsistencyScope | undefined {
  return scopes.getStore();
}

/**
 * MariaDB GTIDs are `domain-server-sequence`; within one domain the higher sequence is the later
 * write whatever the server. Anything else (a MySQL GTID set, several domains) counts as newer, as
 * its writer saw it last.
 */
export function newerGtid(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  const pa = /^(\d+)-\d+-(\d+)$/.exec(a);
  const pb = /^(\d+)-\d+-(\d+)$/.exec(b);
  if (pa && pb && pa[1] === pb[1]) return BigInt(pa[2]!) >= BigInt(pb[2]!) ? a : b;
  return b;
}

/** Called by a write transaction once it committed `gtid`: this request's later reads see it, and so do the client's next requests. */
export async function noteCommittedWrite(gtid: string): Promise<void> {
  processLastWrite = newerGtid(processLastWrite, gtid);
  const scope = scopes.getStore();
  if (!scope) return;
  scope.lastWrite = newerGtid(scope.lastWrite, gtid);
  scope.readAfter = newerGtid(scope.readAfter, gtid);
  scope.caughtUp.clear();
  scope.behind.clear();
  if (scope.client && scope.store) await scope.store.noteWrite(scope.client, gtid);
}

/** The GTID the current request's (or, outside one, this process's) last write committed. */
export function lastCommittedWrite(): string | null {
  return scopes.getStore()?.lastWrite ?? processLastWrite;
}

/**
 * Runs `fn` with replica reads that see at least `gtid` (a shared cache filling an entry after an
 * invalidation: the entry must not be computed from a replica that has not applied the write).
 */
export function readingAfter<T>(gtid: string | null, fn: () => Promise<T>): Promise<T> {
  if (!gtid) return fn();
  const scope = scopes.getStore();
  if (scope) {
    const wanted = newerGtid(scope.readAfter, gtid);
    if (wanted !== scope.readAfter) {
      scope.readAfter = wanted;
      scope.caughtUp.clear();
      scope.behind.clear();
    }
    return fn();
  }
  const own = newConsistencyScope(null, null);
  own.readAfter = gtid;
  return scopes.run(own, fn);
}

/** Where a client's last write GTID is kept between its requests. */
export interface CausalStore {
  lastWrite(client: string): Promise<string | null>;
  noteWrite(client: string, gtid: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a client's write is remembered. A replica further behind than this is excluded from
 * reads by the lag check long before (REPLICA_MAX_LAG_SECONDS), so the GTID is not needed later.
 */
export const CAUSAL_TTL_SECONDS = 120;

export class MemoryCausalStore implements CausalStore {
  private readonly writes = new LRUCache<string, string>({ max: 10_000, ttl: CAUSAL_TTL_SECONDS * 1000 });

  async lastWrite(client: string): Promise<string | null> {
    return this.writes.get(client) ?? null;
  }

  async noteWrite(client: string, gtid: string): Promise<void> {
    this.writes.set(client, newerGtid(this.writes.get(client) ?? null, gtid)!);
  }

  async close(): Promise<void> {
    this.writes.clear();
  }
}

/** Keeps the newer of the stored and the given MariaDB GTID (same domain), else the given one. */
const KEEP_NEWER = `
local old = redis.call('GET', KEYS[1])
if old then
  local od, os = string.match(old, '^(%d+)%-%d+%-(%d+)$')
  local nd, ns = string.match(ARGV[1], '^(%d+)%-%d+%-(%d+)$')
  if od and nd and od == nd and (string.len(os) > string.len(ns) or (string.len(os) == string.len(ns) and os > ns)) then
    redis.call('EXPIRE', KEYS[1], ARGV[2])
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** Stores `gtid` at `key` unless a newer one of the same domain is there already. */
export async function keepNewerGtid(redis: Redis, key: string, gtid: string, ttlSeconds: number): Promise<void> {
  await redis.eval(KEEP_NEWER, 1, key, gtid, String(ttlSeconds));
}

/**
 * Shared by every service process on one Redis. Redis unreachable: the process's own memory
 * (its own clients' writes) still holds, so read-your-writes degrades only for a client whose
 * next request reaches another process during the outage.
 */
export class RedisCausalStore implements CausalStore {
  private readonly local = new MemoryCausalStore();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log?: Logger,
  ) {}

  private key(client: string): string {
    return `${this.prefix}rw:${client}`;
  }

  async lastWrite(client: string): Promise<string | null> {
    const local = await this.local.lastWrite(client);
    try {
      return newerGtid(await this.redis.get(this.key(client)), local);
    } catch {
      return local;
    }
  }

  async noteWrite(client: string, gtid: string): Promise<void> {
    await this.local.noteWrite(client, gtid);
    try {
      await keepNewerGtid(this.redis, this.key(client), gtid, CAUSAL_TTL_SECONDS);
    } catch (error) {
      this.log?.warn({ err: error, client }, 'could not share a write position in Redis; read-your-writes holds on this process only');
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export async function createCausalStore(redisUrl: string | undefined, prefix = 'dg:', log?: Logger): Promise<CausalStore> {
  if (!redisUrl) return new MemoryCausalStore();
  const { default: IORedis } = await import('ioredis');
  // No offline queue: with Redis down a lookup fails at once instead of waiting for reconnection.
  const redis = new IORedis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect().catch((error: unknown) => log?.warn({ err: error }, 'Redis unreachable at start: write positions kept in this process until it answers'));
  return new RedisCausalStore(redis, prefix, log);
}
