/**
 * A real MariaDB primary and replica (their own mariadbd processes, GTID replication configured by
 * tests/support/mariadb-instance.ts), two service instances on their own ports and data sources —
 * two service processes as a load balancer would see them — and a Redis of the test's own.
 *
 * Checked: where statements run (the servers' general logs), read-your-writes for the writing
 * client on either service while the replica lags, cached comparisons dropped on the other service
 * at once (and not refilled from the lagging replica), a stopped replica (reads on the primary, no
 * errors, the replica rejoins), replication lag in /readyz and the logs, and a Redis outage
 * (no caching, no errors, caching again when it is back).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { DatabaseConfig } from '../../src/config/config';
import { createDataSource, migrate } from '../../src/db/data-source';
import { replicaRouterOf } from '../../src/db/replication';
import { startTestApp, type TestApp } from '../support/app';
import type { TestDatabase } from '../support/databases';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';
import { ReplicationPair, mariadbBinaries } from '../support/mariadb-instance';
import { RedisInstance, redisServerBinary, testRedisPrefix } from '../support/redis';

const haveMariaDb = mariadbBinaries() !== null;
const haveRedis = redisServerBinary() !== null;
if (!haveMariaDb && process.env.REQUIRE_MYSQL === '1') throw new Error('REQUIRE_MYSQL=1 but mariadbd / mariadb-install-db are not installed: the replication tests cannot run');
if (!haveRedis && process.env.REQUIRE_REDIS === '1') throw new Error('REQUIRE_REDIS=1 but redis-server is not installed: the replication tests cannot run');
if (!haveMariaDb || !haveRedis) console.warn('mariadbd / mariadb-install-db or redis-server not found: the replication tests are skipped (install mariadb-server and redis-server to run them).');
const describeWithServers = haveMariaDb && haveRedis ? describe : describe.skip;

const READ_REPORT = `query($code: String!, $year: Int!) { report(officeCode: $code, year: $year) { metrics(keys: ["applications.received.total"]) { value } } }`;
const CORRECT = `mutation($input: CorrectMetricsInput!) { correctMetrics(input: $input) { revision } }`;
const REVISION = `query($code: String!, $year: Int!) { report(officeCode: $code, year: $year) { revision metrics(keys: ["proactive.licensing.decisions"]) { value } } }`;
const COMPARE = `query($under: String!, $year: Int!) { compareOffices(under: $under, year: $year, metrics: ["applications.received.total"]) { officeCount reportedCount groups { metric sum } } }`;
const OFFICE = `{ office(code: "repl-a") { name reports { year title } } }`;

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

async function until<T>(what: string, check: () => Promise<T | false | null | undefined>, ms = 20_000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < ms) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

describeWithServers('a MariaDB primary and replica, two service instances, one Redis [own servers]', () => {
  let pair: ReplicationPair;
  let redis: RedisInstance;
  const databases: TestDatabase[] = [];
  let a: TestApp;
  let b: TestApp;
  const logs = capturingLogger();
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  async function serviceDatabase(config: DatabaseConfig): Promise<TestDatabase> {
    const dataSource = await createDataSource(config, logs.log);
    const db: TestDatabase = { kind: 'mariadb', config, dataSource, drop: async () => void (dataSource.isInitialized && (await dataSource.destroy())) };
    databases.push(db);
    return db;
  }

  beforeAll(async () => {
    [pair, redis] = await Promise.all([ReplicationPair.create('dg_repl'), RedisInstance.create()]);
    await redis.start();
    // Lag is checked by /readyz here (no timer), so that the test decides when it is seen.
    const config: DatabaseConfig = {
      type: 'mysql',
      url: pair.primaryUrl,
      replicaUrls: [pair.replicaUrl],
      replication: { waitMs: 250, warnLagSeconds: 1, maxLagSeconds: 30, checkIntervalMs: 0, retryMs: 300 },
    };
    const dbA = await serviceDatabase(config);
    await migrate(dbA.dataSource);
    const dbB = await serviceDatabase(config);
    const shared = { redisUrl: redis.url, cachePrefix: testRedisPrefix('replicas') };
    a = await startTestApp(dbA, shared, { log: logs.log });
    b = await startTestApp(dbB, shared, { log: logs.log });
    await createOffice(a, 'repl-d', '示例复制区', null, 'GOVERNMENT');
    await createOffice(a, 'repl-a', '示例复制甲街道', 'repl-d');
    await createOffice(a, 'repl-b', '示例复制乙街道', 'repl-d');
    expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, 4) })).errors).toBeUndefined();
    expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-b', 2022, 6) })).errors).toBeUndefined();
    await pair.caughtUp();
  }, 240_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const db of databases) await db.drop().catch(() => undefined);
    await redis?.stop();
    await pair?.destroy();
  }, 60_000);

  /** The service user's statements in a server's general log since it was last cleared. */
  async function generalLog(on: 'primary' | 'replica'): Promise<{ thread: number; sql: string }[]> {
    const run = on === 'primary' ? pair.onPrimary.bind(pair) : pair.onReplica.bind(pair);
    const rows = await run("SELECT thread_id AS thread, CONVERT(argument USING utf8mb4) AS argument FROM mysql.general_log WHERE user_host LIKE 'dg[dg]%' AND command_type IN ('Query', 'Execute') ORDER BY event_time");
    return rows.map((r) => ({ thread: Number(r.thread), sql: String(r.argument) }));
  }

  async function clearGeneralLogs(on: boolean): Promise<void> {
    for (const run of [pair.onPrimary.bind(pair), pair.onReplica.bind(pair)]) {
      await run('SET GLOBAL general_log = OFF', "SET GLOBAL log_output = 'TABLE'", 'TRUNCATE TABLE mysql.general_log', ...(on ? ['SET GLOBAL general_log = ON'] : []));
    }
  }

  it('sends reads to the replica, and writes with every read inside their transaction to the primary', async () => {
    await clearGeneralLogs(true);
    try {
      const read = await a.gql<any>(OFFICE, undefined, { authorization: '' });
      expect(read.errors).toBeUndefined();
      expect(read.data.office.reports).toHaveLength(1);
      const compare = await b.gql<any>(COMPARE, { under: 'repl-d', year: 2022 }, { authorization: '' });
      expect(compare.errors).toBeUndefined();
      const readsOnReplica = await generalLog('replica');
      const readsOnPrimary = await generalLog('primary');
      // The office, its reports and the comparison's metric rows were read on the replica …
      expect(readsOnReplica.some((s) => /^SELECT .*FROM `offices`/s.test(s.sql))).toBe(true);
      expect(readsOnReplica.some((s) => /FROM `annual_reports`/.test(s.sql))).toBe(true);
      expect(readsOnReplica.some((s) => /metric_values/.test(s.sql))).toBe(true);
      // … and none of those tables on the primary.
      expect(readsOnPrimary.filter((s) => /annual_reports|metric_values/.test(s.sql))).toEqual([]);

      await clearGeneralLogs(true);
      const write = await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, 5) });
      expect(write.errors).toBeUndefined();
      const onReplica = await generalLog('replica');
      const onPrimary = await generalLog('primary');
      // Nothing was written on the replica (it is read-only for the service's user: a write there would have failed).
      expect(onReplica.filter((s) => /^\s*(INSERT|UPDATE|DELETE|START TRANSACTION|BEGIN)/i.test(s.sql))).toEqual([]);
      // The write's transaction — its reads included — ran on one primary connection.
      const begin = onPrimary.findIndex((s) => /^START TRANSACTION/i.test(s.sql));
      expect(begin).toBeGreaterThanOrEqual(0);
      const thread = onPrimary[begin]!.thread;
      const transaction = onPrimary.slice(begin).filter((s) => s.thread === thread);
      const commit = transaction.findIndex((s) => /^COMMIT/i.test(s.sql));
      const inside = transaction.slice(0, commit);
      expect(inside.some((s) => /^SELECT .*FROM `annual_reports`/s.test(s.sql))).toBe(true);
      expect(inside.some((s) => /^INSERT INTO `metric_values`/.test(s.sql) || /^DELETE FROM `metric_values`/.test(s.sql))).toBe(true);
      // The commit's GTID is read on the same connection, right after it.
      expect(transaction[commit + 1]!.sql).toBe('SELECT @@last_gtid AS gtid');
    } finally {
      await clearGeneralLogs(false);
    }
  }, 60_000);
});
