import type { DataSource, EntityManager } from 'typeorm';
import { noteCommittedWrite } from './consistency';
import { lastGtidSql, replicaRouterOf } from './replication';

/**
 * One write transaction, safe under concurrent requests on every database.
 *
 * TypeORM's better-sqlite3 driver has a single connection and turns a second concurrent
 * `transaction()` into a savepoint inside the first, so two requests would share one transaction;
 * SQLite writes are therefore queued here, one at a time. On MySQL/MariaDB each transaction has
 * its own connection; a deadlock or a unique-key race (two first writes of the same report) is
 * retried, and the retry sees the other writer's committed row. With replicas, the GTID a commit
 * wrote is noted before the write answers, for read-your-writes (src/db/consistency.ts).
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY', 'SQLITE_BUSY']);

/** A conflict with a concurrent writer: the whole transaction may be run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export async function withTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
  const type = dataSource.options.type;
  if (type === 'better-sqlite3' || type === 'sqlite') {
    const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => dataSource.transaction(work));
    sqliteQueues.set(dataSource, run);
    return run;
  }
  const replicated = replicaRouterOf(dataSource) !== null;
  for (let attempt = 1; ; attempt++) {
    try {
      return replicated ? await transactionNotingGtid(dataSource, work) : await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
    }
  }
}

/** `dataSource.transaction`, then the commit's GTID read on the same connection. */
async function transactionNotingGtid<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  let result: T;
  let gtid: unknown = null;
  try {
    await runner.connect();
    await runner.startTransaction();
    try {
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
    // Committed: a failure to read the position only costs read-your-writes, not the write.
    gtid = await runner
      .query(lastGtidSql(dataSource.options.type === 'mariadb' ? 'mariadb' : 'mysql'))
      .then((rows: { gtid?: unknown }[]) => rows[0]?.gtid)
      .catch(() => null);
  } finally {
    await runner.release();
  }
  if (typeof gtid === 'string' && gtid !== '') await noteCommittedWrite(gtid);
  return result;
}
