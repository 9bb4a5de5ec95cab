import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import type { ReplicaRouter } from '../db/replication';

const CHECK_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `/healthz`: the process is alive and serving HTTP; says nothing about the database. */
export const liveness: RequestHandler = (_req, res) => {
  res.json({ status: 'ok' });
};

/**
 * `/readyz`: the database answers and every migration has been applied; 503 otherwise. With
 * replicas, each one's state and lag is listed (`replicas`); a replica that is down or behind does
 * not make the service unready — its reads go to the primary — but `replication` says `degraded`.
 */
export function readiness(dataSource: DataSource, replicas: ReplicaRouter | null = null): RequestHandler {
  return async (_req, res) => {
    try {
      await within(dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS, 'the database');
    } catch (error) {
      res.status(503).json({ status: 'unavailable', database: 'unreachable', detail: (error as Error).message.slice(0, 200) });
      return;
    }
    try {
      const pending = await within(dataSource.showMigrations(), CHECK_TIMEOUT_MS, 'the migration check');
      if (pending) {
        res.status(503).json({ status: 'unavailable', database: 'ok', migrations: 'pending' });
        return;
      }
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable', migrations: 'unknown' });
      return;
    }
    if (!replicas) {
      res.json({ status: 'ok', database: 'ok', migrations: 'current' });
      return;
    }
    const statuses = await replicas.check(CHECK_TIMEOUT_MS);
    const replication = statuses.every((r) => r.state === 'ok') ? 'ok' : 'degraded';
    res.json({ status: 'ok', database: 'ok', migrations: 'current', replication, replicas: statuses });
  };
}
