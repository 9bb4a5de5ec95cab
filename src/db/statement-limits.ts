/**
 * MySQL/MariaDB statements never outlive their request: every pooled connection gets a session
 * statement time limit equal to the request time limit, and a statement whose request has ended
 * is stopped with `KILL QUERY` on its own connection's server thread.
 */
import { createConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** The parts of a mysql2 (callback API) pool connection used here. */
export interface PooledConnection {
  readonly threadId: number | null;
  readonly config: { host?: string; port?: number; user?: string; password?: string; database?: string; socketPath?: string; ssl?: unknown };
  query(sql: string, callback: (error: Error | null) => void): void;
}

interface Pool {
  on(event: 'acquire', listener: (connection: PooledConnection) => void): void;
}

type Flavour = 'mysql' | 'mariadb';

/** MariaDB limits any statement (seconds); MySQL limits SELECTs (milliseconds), which is what analysis runs. */
export function statementTimeLimitSql(flavour: Flavour, ms: number): string {
  return flavour === 'mariadb' ? `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}` : `SET SESSION MAX_EXECUTION_TIME = ${Math.round(ms)}`;
}

const poolLimits = new WeakMap<Pool, number>();
const connectionLimits = new WeakMap<PooledConnection, number>();

function poolsOf(dataSource: DataSource): Pool[] {
  const driver = dataSource.driver as unknown as { pool?: Pool; poolCluster?: { _nodes?: Record<string, { pool: Pool }> } };
  if (driver.pool) return [driver.pool];
  // Replication: mysql2's cluster keeps one pool per server (primary and replicas).
  return Object.values(driver.poolCluster?._nodes ?? {}).map((node) => node.pool);
}

/**
 * Sets the limit on every connection as the pool hands it out, new or reused, before the borrower's
 * first statement (mysql2 runs a connection's commands in order). Connections opened before this
 * call get it on their next use. Calling it again with another limit changes it for all of them.
 */
export function limitStatementTime(dataSource: DataSource, ms: number, log?: Logger): void {
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return;
  for (const pool of poolsOf(dataSource)) {
    const registered = poolLimits.has(pool);
    poolLimits.set(pool, ms);
    if (registered) continue;
    pool.on('acquire', (connection) => {
      const wanted = poolLimits.get(pool)!;
      if (connectionLimits.get(connection) === wanted) return;
      connectionLimits.set(connection, wanted);
      connection.query(statementTimeLimitSql(type, wanted), (error) => {
        if (!error) return;
        connectionLimits.delete(connection);
        log?.warn({ err: error }, 'could not set the statement time limit on a database connection');
      });
    });
  }
}

/**
 * `KILL QUERY` for the statement running on `connection`, sent over a connection of its own to the
 * same server (the pool may have none free). The connection itself stays open and usable.
 */
export async function killQuery(connection: PooledConnection): Promise<void> {
  const threadId = connection.threadId;
  if (threadId === null) return;
  const { host, port, user, password, database, socketPath, ssl } = connection.config;
  const killer = await createConnection({ host, port, user, password, database, socketPath, ssl: ssl as never, connectTimeout: 5000 });
  try {
    await killer.query(`KILL QUERY ${Number(threadId)}`);
  } finally {
    await killer.end().catch(() => undefined);
  }
}
