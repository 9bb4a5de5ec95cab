/**
 * Reads on replicas, with the primary as the fallback.
 *
 * TypeORM's replication mode sends query-builder reads and the analysis statements to a replica
 * ("slave" query runners) and everything else — writes, every statement of a transaction, and
 * `dataSource.query()` — to the primary. Its own replica choice fails the read when the replica is
 * down; here the replica connection is obtained instead so that:
 * - a replica that refuses connections, is stopped, or lags more than `maxLagSeconds` is passed
 *   over and the read runs on the primary, without an error; the replica is tried again after
 *   `retryMs` (it rejoins by itself when it is back);
 * - a read for a client that has just written waits for the replica to apply the write's GTID
 *   (at most `waitMs`), else runs on the primary (src/db/consistency.ts).
 * The lag check (`SHOW REPLICA STATUS`, run every `checkIntervalMs` and by /readyz) logs a warning
 * when a replica passes `warnLagSeconds`, and again when it is back under.
 */
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { currentConsistencyScope } from './consistency';
import { isDatabaseUnavailable } from './unavailable';

export interface ReplicationOptions {
  /** REPLICA_WAIT_MS: how long a read waits for a replica to apply the client's own write. */
  readonly waitMs: number;
  /** REPLICA_LAG_WARN_SECONDS: lag past this is logged and shown as `lagging` in /readyz. */
  readonly warnLagSeconds: number;
  /** REPLICA_MAX_LAG_SECONDS: a replica further behind takes no reads until it catches up. */
  readonly maxLagSeconds: number;
  /** REPLICA_CHECK_INTERVAL_MS: how often replication lag is checked (0: only by /readyz). */
  readonly checkIntervalMs: number;
  /** How long a replica that failed a connection is left out before it is tried again. */
  readonly retryMs: number;
}

export const DEFAULT_REPLICATION: ReplicationOptions = { waitMs: 250, warnLagSeconds: 5, maxLagSeconds: 30, checkIntervalMs: 5000, retryMs: 1000 };

export type ReplicaState = 'ok' | 'lagging' | 'too_far_behind' | 'stopped' | 'unreachable';

export interface ReplicaStatus {
  /** host:port, as configured (no credentials). */
  readonly replica: string;
  readonly state: ReplicaState;
  /** Seconds behind the primary as the replica reports it; null when replication is not running or it is unreachable. */
  readonly lagSeconds: number | null;
  readonly detail?: string;
}

/** The parts of mysql2's callback connection and pool cluster used here. */
interface RawConnection {
  _clusterId?: string;
  threadId?: number | null;
  config: { host?: string; port?: number };
  query(...args: unknown[]): unknown;
  release(): void;
}
interface PoolCluster {
  getConnection(pattern: string, callback: (error: Error | null, connection?: RawConnection) => void): void;
  _nodes: Record<string, { pool: { config: { connectionConfig: { host?: string; port?: number } } } }>;
}
interface Driver {
  poolCluster?: PoolCluster;
  obtainMasterConnection(): Promise<RawConnection>;
  obtainSlaveConnection(): Promise<RawConnection>;
  prepareDbConnection(connection: RawConnection): RawConnection;
}

interface Node {
  readonly id: string;
  readonly name: string;
  /** Monotonic ms before which no read is sent here (a failed connection). */
  downUntil: number;
  status: ReplicaStatus;
}

function query(connection: RawConnection, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => connection.query({ sql, values }, (error: Error | null, rows?: unknown) => (error ? reject(error) : resolve(rows as Record<string, unknown>[]))));
}

/**
 * The replica went away under a statement (not a statement stopped by KILL QUERY or its time
 * limit, whose request has ended: that one must not run again elsewhere).
 */
const LOST = new Set(['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ETIMEDOUT']);
function replicaLost(error: unknown): boolean {
  const e = error as { code?: unknown; fatal?: unknown } | null;
  if (!e || e.code === 'ER_QUERY_INTERRUPTED' || e.code === 'ER_STATEMENT_TIMEOUT') return false;
  return e.fatal === true || (typeof e.code === 'string' && LOST.has(e.code));
}

/** Replica connections whose `query` already re-runs a read on the primary when the replica goes away under it. */
const retrying = new WeakSet<RawConnection>();

export class ReplicaRouter {
  private readonly nodes: Node[];
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly originalSlave: () => Promise<RawConnection>;
  /** Reads that ran on the primary for want of a usable replica, and replica reads: for tests and the load report. */
  readonly counts = { replicaReads: 0, primaryFallbacks: 0, waits: 0, waitTimeouts: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ReplicationOptions,
    private readonly log?: Logger,
  ) {
    const driver = dataSource.driver as unknown as Driver;
    const cluster = driver.poolCluster;
    if (!cluster) throw new Error('ReplicaRouter needs TypeORM replication (DATABASE_REPLICA_URLS)');
    this.nodes = Object.keys(cluster._nodes)
      .filter((id) => id.startsWith('SLAVE'))
      .map((id) => {
        const c = cluster._nodes[id]!.pool.config.connectionConfig;
        const name = `${c.host ?? 'localhost'}:${c.port ?? 3306}`;
        return { id, name, downUntil: 0, status: { replica: name, state: 'ok', lagSeconds: null } };
      });
    this.originalSlave = driver.obtainSlaveConnection.bind(driver);
    driver.obtainSlaveConnection = () => this.obtainRead();
    if (options.checkIntervalMs > 0) {
      this.timer = setInterval(() => void this.check().catch(() => undefined), options.checkIntervalMs);
      this.timer.unref();
    }
  }

  private get driver(): Driver {
    return this.dataSource.driver as unknown as Driver;
  }

  private get flavour(): 'mysql' | 'mariadb' {
    return this.dataSource.options.type === 'mariadb' ? 'mariadb' : 'mysql';
  }

  private connectionTo(node: Node): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      this.driver.poolCluster!.getConnection(node.id, (error, connection) => (error || !connection ? reject(error ?? new Error('no connection')) : resolve(this.driver.prepareDbConnection(connection))));
    });
  }

  /** Whether the replica on `connection` has applied `gtid`, waiting at most `waitMs`. */
  private async caughtUp(connection: RawConnection, gtid: string): Promise<boolean> {
    this.counts.waits += 1;
    const seconds = this.options.waitMs / 1000;
    const sql = this.flavour === 'mariadb' ? 'SELECT MASTER_GTID_WAIT(?, ?) AS w' : 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS w';
    const rows = await query(connection, sql, [gtid, seconds]);
    // 0: applied; -1 (MariaDB) / 1 (MySQL): timed out; NULL: not a replica or bad argument.
    const ok = Number(rows[0]?.w) === 0 && rows[0]?.w !== null;
    if (!ok) this.counts.waitTimeouts += 1;
    return ok;
  }

  private usable(node: Node, now: number): boolean {
    return node.downUntil <= now && node.status.state !== 'too_far_behind' && node.status.state !== 'stopped';
  }

  /** A replica connection that may serve the current scope's read, else a primary one. */
  async obtainRead(): Promise<RawConnection> {
    const scope = currentConsistencyScope();
    const now = performance.now();
    for (let tried = 0; tried < this.nodes.length; tried++) {
      const node = this.nodes[this.next++ % this.nodes.length]!;
      if (!this.usable(node, now)) continue;
      // One wait per request and replica: a replica that did not catch up is not asked again.
      if (scope?.readAfter && scope.behind.has(node.id)) continue;
      let connection: RawConnection;
      try {
        connection = await this.connectionTo(node);
      } catch (error) {
        this.markDown(node, error);
        continue;
      }
      const gtid = scope?.readAfter;
      // Per server connection, not per configured replica: behind one URL (a reader endpoint) may be several servers.
      const seen = `${node.id}:${connection.threadId ?? ''}`;
      if (gtid && !scope.caughtUp.has(seen)) {
        let ok = false;
        try {
          ok = await this.caughtUp(connection, gtid);
        } catch (error) {
          connection.release();
          if (isDatabaseUnavailable(error)) this.markDown(node, error);
          continue;
        }
        if (!ok) {
          connection.release();
          if (scope.readAfter === gtid) scope.behind.add(node.id);
          continue;
        }
        if (scope.readAfter === gtid) scope.caughtUp.add(seen);
      }
      this.counts.replicaReads += 1;
      this.retryOnPrimary(node, connection);
      return connection;
    }
    this.counts.primaryFallbacks += 1;
    return this.driver.obtainMasterConnection();
  }

  /**
   * A replica stopped while a read was on its way fails that read with a lost connection: the read
   * (only reads use replica connections) is run again on the primary, so the client sees no error.
   * Installed once per pooled connection; mysql2 calls back with (error, rows, fields).
   */
  private retryOnPrimary(node: Node, connection: RawConnection): void {
    if (retrying.has(connection)) return;
    retrying.add(connection);
    const original = connection.query.bind(connection);
    connection.query = (...args: unknown[]) => {
      const at = args.findIndex((arg) => typeof arg === 'function');
      if (at < 0) return original(...args);
      const callback = args[at] as (error: Error | null, ...rest: unknown[]) => void;
      const retry = (error: Error | null, ...rest: unknown[]) => {
        if (!error || !replicaLost(error)) return callback(error, ...rest);
        this.markDown(node, error);
        this.counts.primaryFallbacks += 1;
        this.driver.obtainMasterConnection().then(
          (primary) => {
            const again = [...args];
            again[at] = (e: Error | null, ...r: unknown[]) => {
              primary.release();
              callback(e, ...r);
            };
            primary.query(...again);
          },
          () => callback(error, ...rest),
        );
      };
      const wrapped = [...args];
      wrapped[at] = retry;
      return original(...wrapped);
    };
  }

  private markDown(node: Node, error: unknown): void {
    const wasUp = node.status.state !== 'unreachable';
    node.downUntil = performance.now() + this.options.retryMs;
    node.status = { replica: node.name, state: 'unreachable', lagSeconds: null, detail: String((error as Error)?.message ?? error).slice(0, 200) };
    if (wasUp) this.log?.warn({ replica: node.name, err: error }, 'replica unreachable: its reads go to the primary until it answers again');
  }

  private async checkNode(node: Node): Promise<ReplicaStatus> {
    let connection: RawConnection;
    try {
      connection = await this.connectionTo(node);
    } catch (error) {
      this.markDown(node, error);
      return node.status;
    }
    let rows: Record<string, unknown>[];
    try {
      rows = await query(connection, 'SHOW REPLICA STATUS').catch(() => query(connection, 'SHOW SLAVE STATUS'));
    } catch (error) {
      connection.release();
      if (isDatabaseUnavailable(error)) this.markDown(node, error);
      else node.status = { replica: node.name, state: 'ok', lagSeconds: null, detail: `replication status not readable: ${(error as Error).message.slice(0, 160)}` };
      return node.status;
    }
    connection.release();
    // It answered: it takes reads again now, not when the back-off of an earlier failure ends (a
    // check that failed during its restart would otherwise keep /readyz's "ok" replica unused).
    node.downUntil = 0;
    const row = rows[0];
    const lagValue = row?.Seconds_Behind_Master ?? row?.Seconds_Behind_Source;
    const running = row && (row.Slave_SQL_Running ?? row.Replica_SQL_Running) === 'Yes' && (row.Slave_IO_Running ?? row.Replica_IO_Running) === 'Yes';
    const lag = lagValue === null || lagValue === undefined ? null : Number(lagValue);
    const previous = node.status;
    let state: ReplicaState;
    if (!row || !running || lag === null) state = 'stopped';
    else if (lag > this.options.maxLagSeconds) state = 'too_far_behind';
    else if (lag > this.options.warnLagSeconds) state = 'lagging';
    else state = 'ok';
    const detail = row && !running ? String(row.Last_SQL_Error || row.Last_IO_Error || 'replication threads not running').slice(0, 200) || undefined : undefined;
    node.status = { replica: node.name, state, lagSeconds: lag, ...(detail ? { detail } : {}) };
    if (state !== previous.state) {
      if (state === 'ok') this.log?.info({ replica: node.name, lagSeconds: lag, was: previous.state }, 'replica caught up: it takes reads again');
      else this.log?.warn({ replica: node.name, lagSeconds: lag, state, warnLagSeconds: this.options.warnLagSeconds, maxLagSeconds: this.options.maxLagSeconds, detail }, `replication lag: replica ${state}${state === 'lagging' ? '' : ', its reads go to the primary'}`);
    }
    return node.status;
  }

  /** Checks every replica now (a slow or frozen one counts as unreachable after `timeoutMs`). */
  async check(timeoutMs = 2000): Promise<ReplicaStatus[]> {
    return Promise.all(
      this.nodes.map((node) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ReplicaStatus>((resolve) => {
          timer = setTimeout(() => resolve({ replica: node.name, state: 'unreachable', lagSeconds: null, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
        });
        return Promise.race([this.checkNode(node), timeout]).finally(() => clearTimeout(timer));
      }),
    );
  }

  get statuses(): ReplicaStatus[] {
    return this.nodes.map((n) => n.status);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.driver.obtainSlaveConnection = this.originalSlave;
  }
}

const routers = new WeakMap<DataSource, ReplicaRouter>();

/** Installs the router on a data source with replicas (once); null without replicas. */
export function routeReplicaReads(dataSource: DataSource, options: ReplicationOptions = DEFAULT_REPLICATION, log?: Logger): ReplicaRouter | null {
  const existing = routers.get(dataSource);
  if (existing) return existing;
  if (!(dataSource.driver as unknown as Driver).poolCluster) return null;
  const router = new ReplicaRouter(dataSource, options, log);
  routers.set(dataSource, router);
  // The lag check's timer ends with the pools.
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    router.close();
    routers.delete(dataSource);
    await destroy();
  };
  return router;
}

export function replicaRouterOf(dataSource: DataSource): ReplicaRouter | null {
  return routers.get(dataSource) ?? null;
}

/** The GTID the session's last commit wrote (after COMMIT, on the same connection); null when not known. */
export function lastGtidSql(flavour: 'mysql' | 'mariadb'): string {
  // MySQL keeps no per-session last GTID without session tracking; the executed set is a superset of it.
  return flavour === 'mariadb' ? 'SELECT @@last_gtid AS gtid' : 'SELECT @@global.gtid_executed AS gtid';
}
