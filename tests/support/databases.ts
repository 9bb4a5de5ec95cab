/**
 * Test databases. Every suite that touches SQL runs on each database named in TEST_DATABASES
 * (default: SQLite, plus MariaDB/MySQL when one answers at MYSQL_TEST_URL). With REQUIRE_MYSQL=1
 * (CI), a MySQL that does not answer fails the run instead of skipping its suites.
 *
 * Each test file gets its own database (a fresh SQLite file, or a MariaDB database named after the
 * worker and file), so suites and parallel runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/config';
import { createDataSource, migrate } from '../../src/db/data-source';

export type TestDatabaseKind = 'sqlite' | 'mariadb';

export const MYSQL_TEST_URL = process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Set by the global setup, which probes MySQL once per run. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const wanted = (process.env.TEST_DATABASES ?? 'sqlite,mariadb').split(',').map((s) => s.trim());
  const kinds: TestDatabaseKind[] = [];
  if (wanted.includes('sqlite')) kinds.push('sqlite');
  if (wanted.includes('mariadb') || wanted.includes('mysql')) {
    if (process.env.DG_MYSQL_AVAILABLE === '1' || process.env.REQUIRE_MYSQL === '1') kinds.push('mariadb');
  }
  return kinds;
}

/**
 * Every MariaDB database the suites make starts with this, and the suites drop only databases
 * they created themselves (never one that was already there, whatever its name).
 */
export const TEST_DATABASE_PREFIX = 'dg_test_';

function databaseNameFor(): string {
  const file = path.basename(expect.getState().testPath ?? 'suite').replace(/\.test\.ts$/, '').replace(/\W+/g, '_').slice(0, 30);
  // Random, not pid-based: parallel runs by several developers on one server must not collide.
  return `${TEST_DATABASE_PREFIX}${randomBytes(5).toString('hex')}_${file}`.slice(0, 64);
}

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  readonly config: DatabaseConfig;
  readonly dataSource: DataSource;
  drop(): Promise<void>;
}

/** A new, empty, migrated database of the given kind. */
export async function createTestDatabase(kind: TestDatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-test-'));
    config = { type: 'sqlite', path: path.join(dir, 'test.sqlite') };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = databaseNameFor();
    const admin = await createConnection({ uri: MYSQL_TEST_URL });
    try {
      // No DROP first: if the name were taken, CREATE fails and nothing of anyone else's is lost.
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.end();
    }
    const url = new URL(MYSQL_TEST_URL);
    url.pathname = `/${name}`;
    config = { type: 'mysql', url: url.toString(), replicaUrls: [] };
    cleanup = async () => {
      const conn = await createConnection({ uri: MYSQL_TEST_URL });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    };
  }
  const dataSource = await createDataSource(config);
  if (options.migrate !== false) await migrate(dataSource);
  return {
    kind,
    config,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await cleanup();
    },
  };
}

/** `describe` once per configured database, with a fresh migrated database for the block. */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  for (const kind of testDatabaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let db: TestDatabase | undefined;
      beforeAll(async () => {
        db = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await db?.drop();
      });
      body(() => {
        if (!db) throw new Error('test database not ready');
        return db;
      });
    });
  }
}
