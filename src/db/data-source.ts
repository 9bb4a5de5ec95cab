import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/config';
import { CountingLogger } from './query-stats';
import { ENTITIES, MIGRATIONS } from './registry';
import { DEFAULT_REPLICATION, routeReplicaReads } from './replication';

/**
 * TypeORM's `mysql` type reports false schema drift against MariaDB; ask the server which one it
 * is and use `mariadb` there, whatever the URL scheme says.
 */
async function detectMysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection({ uri: url, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0]?.version ?? '');
    return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** Connections in each MySQL/MariaDB pool; analysis statements may use half of them (src/analysis/analysis-reads.ts). */
export const POOL_CONNECTIONS = 10;

export async function dataSourceOptions(config: DatabaseConfig, log?: Logger): Promise<DataSourceOptions> {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: true,
    logger: new CountingLogger(log),
    maxQueryExecutionTime: 1000,
  } as const;
  if (config.type === 'sqlite') {
    if (config.path !== ':memory:') fs.mkdirSync(path.dirname(config.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.path,
      // WAL lets readers run beside the writer; the busy timeout covers two processes on one file.
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        if (config.path !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        // In WAL mode NORMAL loses no committed transaction on a crash of the process, only on power loss.
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  const type = await detectMysqlFlavour(config.url);
  // mysql2 returns DECIMAL as strings unless asked; SUM() over DECIMAL is DECIMAL too.
  const extra = { decimalNumbers: true, connectionLimit: POOL_CONNECTIONS, charset: 'utf8mb4_unicode_ci' };
  const base = { ...common, type, charset: 'utf8mb4_unicode_ci', timezone: 'Z', extra, connectTimeout: 5000 } as const;
  if (config.replicaUrls.length > 0) {
    // A replica that fails a connection is left out for a moment (src/db/replication.ts chooses,
    // and falls back to the primary); never removed for good, so that it rejoins when it is back.
    const cluster = { canRetry: false, removeNodeErrorCount: 1, restoreNodeTimeout: (config.replication ?? DEFAULT_REPLICATION).retryMs || 1000 };
    return { ...base, replication: { master: { url: config.url }, slaves: config.replicaUrls.map((url) => ({ url })), ...cluster } };
  }
  return { ...base, url: config.url };
}

export async function createDataSource(config: DatabaseConfig, log?: Logger): Promise<DataSource> {
  const dataSource = new DataSource(await dataSourceOptions(config, log));
  await dataSource.initialize();
  if (config.type !== 'sqlite' && config.replicaUrls.length > 0) routeReplicaReads(dataSource, config.replication ?? DEFAULT_REPLICATION, log);
  return dataSource;
}

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
