/**
 * Where the analysis statements run. They are the service's only long statements, so they are
 * kept apart from everything else: on SQLite in read-only worker threads, one fewer than the cores
 * (the event loop stays free), on MySQL/MariaDB on a few of the pool's 10 connections at once
 * (DEFAULT_MYSQL_CONCURRENT: cheap queries always find one, and a core; a request's independent
 * statements side by side only while no one else waits: SPARE_MYSQL_SLOTS).
 * Every statement belongs to a request's AbortSignal: a statement not started when its request
 * ends is dropped, and a MySQL/MariaDB one still running is killed (`KILL QUERY`).
 */
import os from 'node:os';
import type { DataSource } from 'typeorm';
import { POOL_CONNECTIONS } from '../db/data-source';
import { countStatement } from '../db/query-stats';
import { ReadAbortedError, SqliteReaderPool } from '../db/sqlite-readers';
import { killQuery, type PooledConnection } from '../db/statement-limits';
import type { SqlFragment } from './metric-sql';
import { AnalysisGate, timedOut } from './analysis-gate';

export interface AnalysisReads {
  rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]>;
  /** Gets ready for the first statement (SQLite: starts the reader threads); the server calls it when it starts listening. */
  warm(): void;
  close(): Promise<void>;
}

/** Error numbers of a statement stopped by KILL QUERY or by the session's statement time limit. */
const STOPPED_ERRNOS = new Set([1317 /* ER_QUERY_INTERRUPTED */, 1969 /* MariaDB ER_STATEMENT_TIMEOUT */, 3024 /* MySQL ER_QUERY_TIMEOUT */]);

function stopped(error: unknown): boolean {
  const e = error as { errno?: unknown; driverError?: { errno?: unknown } } | null;
  return STOPPED_ERRNOS.has(Number(e?.driverError?.errno ?? e?.errno));
}

class SqliteWorkerReads implements AnalysisReads {
  constructor(private readonly pool: SqliteReaderPool) {}

  async rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    countStatement();
    try {
      return await this.pool.rows(q.sql, q.params, signal);
    } catch (error) {
      if (error instanceof ReadAbortedError) throw timedOut();
      throw error;
    }
  }

  warm(): void {
    this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

class MysqlReads implements AnalysisReads {
  private readonly gate: AnalysisGate;

  constructor(
    private readonly dataSource: DataSource,
    concurrent: number,
  ) {
    this.gate = new AnalysisGate(concurrent, SPARE_MYSQL_SLOTS);
  }

  async rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const leave = await this.gate.enter(signal);
    const runner = this.dataSource.createQueryRunner('slave');
    let killing: Promise<void> | null = null;
    const kill = () => {
      killing = killQuery((runner as unknown as { databaseConnection: PooledConnection }).databaseConnection).catch(() => undefined);
    };
    try {
      await runner.connect();
      if (signal?.aborted) throw timedOut();
      signal?.addEventListener('abort', kill, { once: true });
      return (await runner.query(q.sql, q.params)) as Record<string, unknown>[];
    } catch (error) {
      if (signal?.aborted || stopped(error)) throw timedOut();
      throw error;
    } finally {
      signal?.removeEventListener('abort', kill);
      // The connection goes back to the pool only once a KILL sent for it has landed, so that
      // the kill can never reach the next borrower's statement.
      if (killing) await killing;
      await runner.release();
      leave();
    }
  }

  warm(): void {}

  async close(): Promise<void> {}
}

/** The main thread's own connection: for in-memory SQLite databases, which a worker cannot open. */
class InlineReads implements AnalysisReads {
  constructor(private readonly dataSource: DataSource) {}

  async rows(q: SqlFragment, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    if (signal?.aborted) throw timedOut();
    return this.dataSource.query(q.sql, q.params);
  }

  warm(): void {}

  async close(): Promise<void> {}
}

export interface AnalysisReadOptions {
  /** SQLite: worker threads (each its own read-only connection). */
  readonly sqliteWorkers?: number;
  /** MySQL/MariaDB: analysis statements at once, out of the pool's connections. */
  readonly mysqlConcurrent?: number;
  /** SQLite: niceness of the reader threads (Linux). */
  readonly sqliteNice?: number;
}

/**
 * Analysis statements at once per process on MySQL/MariaDB: one fewer than the cores (at least 1,
 * at most half the pool), so that the database server keeps a core for everyone else's short
 * statements (measured on a 2-core host running MariaDB beside the service, 20 abusive clients:
 * report(officeCode, year) p99 0.9 s with 5 or 2 at once) and cheap queries always find a
 * connection. The host's cores stand in for the database server's: they are the same machine in the
 * usual single-host deployment (docker-compose.yml).
 */
export const DEFAULT_MYSQL_CONCURRENT = Math.max(1, Math.min(POOL_CONNECTIONS / 2, os.availableParallelism() - 1));

/**
 * One more statement of a request that already runs one, while nobody else waits (analysis-gate.ts):
 * a rollup's counts and totals side by side on an idle service (province of 10,000 offices:
 * see bench/results/national.md), never more than its share under load.
 */
export const SPARE_MYSQL_SLOTS = 1;

/**
 * The reader threads keep the process's priority by default. Measured on the shared 2-core test
 * host (other jobs running): at nice 19 the benchmark's compareOffices p95 went to 4.1× its SQL
 * baseline (1.8× at nice 0, 1.9× on main in the same conditions), because every other process
 * outranked the readers; at nice 0 with one reader the abuse phase's report p99 was 476 ms. On a
 * host of its own, ANALYSIS_READER_NICE=19 favours the event loop further at no such cost.
 */
export const DEFAULT_SQLITE_NICE = 0;

/** Leaves a core to the event loop: one worker on two cores, two from three on. */
export const DEFAULT_SQLITE_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

export function createAnalysisReads(dataSource: DataSource, options: AnalysisReadOptions = {}): AnalysisReads {
  const type = dataSource.options.type;
  if (type === 'mysql' || type === 'mariadb') return new MysqlReads(dataSource, options.mysqlConcurrent ?? DEFAULT_MYSQL_CONCURRENT);
  const file = String((dataSource.options as { database?: unknown }).database ?? ':memory:');
  if (type !== 'better-sqlite3' || file === ':memory:' || file === '') return new InlineReads(dataSource);
  const nice = options.sqliteNice ?? Number(process.env.ANALYSIS_READER_NICE ?? DEFAULT_SQLITE_NICE);
  return new SqliteWorkerReads(new SqliteReaderPool(file, options.sqliteWorkers ?? DEFAULT_SQLITE_WORKERS, Number.isInteger(nice) ? Math.min(19, Math.max(0, nice)) : DEFAULT_SQLITE_NICE));
}
