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
import fs from 'node:fs';
import path from 'node:path';
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
const IMPORT = `mutation($text: String!, $officeCode: String) { importReport(text: $text, officeCode: $officeCode) { status problem { message } revision { number } } }`;
const TEXT = fs.readFileSync(path.resolve(__dirname, '../parser/fixtures/2022_demo-pipe-full.txt'), 'utf8');

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
    // Timing is not under test here: a parse worker's first start on a loaded host must not hit the limit.
    const shared = { redisUrl: redis.url, cachePrefix: testRedisPrefix('replicas'), security: { requestTimeoutMs: 60_000 } };
    a = await startTestApp(dbA, shared, { log: logs.log });
    b = await startTestApp(dbB, shared, { log: logs.log });
    await createOffice(a, 'repl-d', '示例复制区', null, 'GOVERNMENT');
    await createOffice(a, 'repl-a', '示例复制甲街道', 'repl-d');
    await createOffice(a, 'repl-b', '示例复制乙街道', 'repl-d');
    expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, 4) })).errors).toBeUndefined();
    expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-b', 2022, 6) })).errors).toBeUndefined();
    // Starts service a's parse workers before the read-your-writes test imports under a lagging replica.
    await createOffice(a, 'repl-c', '示例复制丙街道', 'repl-d');
    expect((await a.gql<any>(IMPORT, { text: TEXT, officeCode: 'repl-c' })).data.importReport.problem).toBeNull();
    await pair.caughtUp();
  }, 240_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const db of databases) await db.drop().catch(() => undefined);
    await redis?.destroy();
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

  const received = async (app: TestApp, code: string, token: string): Promise<number> => {
    const res = await app.gql<any>(READ_REPORT, { code, year: 2022 }, as(token));
    expect(res.errors).toBeUndefined();
    return res.data.report.metrics[0].value;
  };

  it('lets a client read its own import and correction at once on either service while the replica lags; others see the replica', async () => {
    const writer = await a.createToken('admin');
    const other = await a.createToken('analyst');
    await pair.caughtUp();
    const routerB = replicaRouterOf(b.app.dataSource)!;
    await pair.startReplication(10);
    try {
      const before = { ...routerB.counts };
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-b', 2022, 9) }, as(writer))).errors).toBeUndefined();
      // The writer's next request reaches the other service: it still sees its write …
      expect(await received(b, 'repl-b', writer)).toBe(9);
      expect(await received(a, 'repl-b', writer)).toBe(9);
      // … which the replica has not applied yet, as another client's read (served by the replica) shows.
      expect(await received(b, 'repl-b', other)).toBe(6);
      // The replica did not catch up within REPLICA_WAIT_MS, so the writer's read ran on the primary.
      expect(routerB.counts.waitTimeouts).toBeGreaterThan(before.waitTimeouts);
      expect(routerB.counts.primaryFallbacks).toBeGreaterThan(before.primaryFallbacks);

      // An import of a published text over that report.
      const imported = await a.gql<any>(IMPORT, { text: TEXT, officeCode: 'repl-b' }, as(writer));
      expect(imported.errors).toBeUndefined();
      expect(imported.data.importReport.problem).toBeNull();
      const current = await b.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(writer));
      expect(current.errors).toBeUndefined();
      expect(current.data.report.revision).toBe(imported.data.importReport.revision.number);
      const othersBefore = await b.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(other));
      expect(othersBefore.data.report.revision).toBeLessThan(imported.data.importReport.revision.number);

      // A correction, through the other service this time.
      const correction = await b.gql<any>(CORRECT, { input: { officeCode: 'repl-b', year: 2022, revision: current.data.report.revision, changes: [{ key: 'proactive.licensing.decisions', value: 121, reason: '核对原文' }] } }, as(writer));
      expect(correction.errors).toBeUndefined();
      const seen = await a.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(writer));
      expect(seen.data.report).toEqual({ revision: correction.data.correctMetrics.revision, metrics: [{ value: 121 }] });
      const others = await a.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(other));
      expect(others.data.report.revision).toBeLessThan(correction.data.correctMetrics.revision);

      // Once the replica has applied the writes, everyone sees them, and the writer reads from the replica again.
      await pair.caughtUp();
      const settled = await b.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(other));
      expect(settled.data.report).toEqual(seen.data.report);
      const replicaReads = routerB.counts.replicaReads;
      const fallbacks = routerB.counts.primaryFallbacks;
      expect((await b.gql<any>(REVISION, { code: 'repl-b', year: 2022 }, as(writer))).data.report).toEqual(seen.data.report);
      expect(routerB.counts.replicaReads).toBeGreaterThan(replicaReads);
      expect(routerB.counts.primaryFallbacks).toBe(fallbacks);
    } finally {
      await pair.startReplication(0);
      await pair.caughtUp();
    }
  }, 60_000);

  const compare = async (app: TestApp, token: string) => {
    const res = await app.gql<any>(COMPARE, { under: 'repl-d', year: 2022 }, as(token));
    expect(res.errors).toBeUndefined();
    return { sum: res.data.compareOffices.groups[0].sum as number, statements: res.extensions!.sqlStatements as number };
  };

  it("drops the other service's cached comparison at once, and does not refill it from the lagging replica", async () => {
    const writer = await a.createToken('admin');
    const viewer = await a.createToken('analyst');
    await pair.caughtUp();
    const first = await compare(b, viewer);
    const cached = await compare(b, viewer);
    expect(cached.sum).toBe(first.sum);
    expect(cached.statements).toBeLessThan(first.statements);
    await pair.startReplication(10);
    try {
      const now = await received(a, 'repl-a', writer);
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, now + 10) }, as(writer))).errors).toBeUndefined();
      // Another client, on the other service, right after the write: the new sum, although the replica has not applied it.
      const after = await compare(b, viewer);
      expect(after.sum).toBe(first.sum + 10);
      expect(await received(b, 'repl-a', viewer)).toBe(now);
      // And that answer is what the cache now holds.
      // (Served from the cache: no comparison statement ran. The cost limit may count the subtree
      // once more in a process that has not priced it in the last 30 s.)
      const fromCache = await compare(a, viewer);
      expect(fromCache.sum).toBe(first.sum + 10);
      expect(fromCache.statements).toBeLessThanOrEqual(cached.statements + 1);
      expect(fromCache.statements).toBeLessThan(first.statements);
      // A correction drops it too: it answers only once the cached comparisons are gone.
      const current = await a.gql<any>(REVISION, { code: 'repl-a', year: 2022 }, as(writer));
      const correction = await a.gql<any>(CORRECT, { input: { officeCode: 'repl-a', year: 2022, revision: current.data.report.revision, changes: [{ key: 'applications.received.total', value: now + 20, reason: '核对原文' }] } }, as(writer));
      expect(correction.errors).toBeUndefined();
      expect((await compare(b, viewer)).sum).toBe(first.sum + 20);
    } finally {
      await pair.startReplication(0);
      await pair.caughtUp();
    }
  }, 60_000);

  it('reads from the primary without an error while the replica is stopped, and uses the replica again when it is back', async () => {
    const viewer = await a.createToken('analyst');
    const writer = await a.createToken('admin');
    await pair.caughtUp();
    const router = replicaRouterOf(a.app.dataSource)!;
    const outcomes: { status: number; errors: unknown }[] = [];
    let running = true;
    const worker = async (app: TestApp, query: string, variables?: Record<string, unknown>) => {
      while (running) {
        const res = await app.gql(query, variables, as(viewer));
        outcomes.push({ status: res.status, errors: res.errors ?? null });
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const traffic = [worker(a, OFFICE), worker(b, OFFICE), worker(a, READ_REPORT, { code: 'repl-a', year: 2022 }), worker(b, READ_REPORT, { code: 'repl-b', year: 2022 })];
    try {
      await new Promise((r) => setTimeout(r, 300));
      await pair.replica.stop();
      const stoppedAt = outcomes.length;
      const ready = await until('/readyz shows the replica unreachable', async () => {
        const res = await fetch(`${a.url}/readyz`);
        const body = (await res.json()) as any;
        return res.status === 200 && body.replicas[0].state === 'unreachable' && body;
      });
      expect(ready).toMatchObject({ status: 'ok', database: 'ok', replication: 'degraded', replicas: [{ replica: `127.0.0.1:${pair.replica.port}`, state: 'unreachable', lagSeconds: null }] });
      // A write while the replica is away.
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-b', 2022, 11) }, as(writer))).errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1000));
      expect(outcomes.length - stoppedAt).toBeGreaterThan(20);
    } finally {
      running = false;
      await Promise.all(traffic);
    }
    // Every read in the outage was answered, from the primary.
    expect(outcomes.filter((o) => o.status !== 200 || o.errors !== null)).toEqual([]);
    expect(await received(b, 'repl-b', viewer)).toBe(11);
    expect(logs.lines.some((l) => l.msg.startsWith('replica unreachable') && l.replica === `127.0.0.1:${pair.replica.port}`)).toBe(true);

    await pair.replica.start();
    // It replicates again (the write made while it was down included) and takes reads again.
    await pair.caughtUp();
    await until('/readyz shows the replica ok', async () => ((await (await fetch(`${a.url}/readyz`)).json()) as any).replication === 'ok');
    const replicaReads = router.counts.replicaReads;
    expect(await received(a, 'repl-b', viewer)).toBe(11);
    expect(router.counts.replicaReads).toBeGreaterThan(replicaReads);
  }, 120_000);

  it('shows replication lag in /readyz and logs it past the threshold, and when it is back under', async () => {
    const writer = await a.createToken('admin');
    await pair.caughtUp();
    await pair.startReplication(4);
    try {
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, 30) }, as(writer))).errors).toBeUndefined();
      const lagging = await until('/readyz shows the replica lagging', async () => {
        const body = (await (await fetch(`${b.url}/readyz`)).json()) as any;
        return body.replicas[0].state === 'lagging' && body;
      });
      expect(lagging).toMatchObject({ status: 'ok', replication: 'degraded', replicas: [{ state: 'lagging' }] });
      expect(lagging.replicas[0].lagSeconds).toBeGreaterThan(1);
      const warning = logs.lines.find((l) => l.msg.startsWith('replication lag: replica lagging'));
      expect(warning).toMatchObject({ level: 40, replica: `127.0.0.1:${pair.replica.port}`, state: 'lagging', warnLagSeconds: 1 });
      expect(warning!.lagSeconds).toBeGreaterThan(1);
      await pair.caughtUp();
      await until('/readyz shows the replica caught up', async () => ((await (await fetch(`${b.url}/readyz`)).json()) as any).replication === 'ok');
      expect(logs.lines.some((l) => l.msg.startsWith('replica caught up'))).toBe(true);
    } finally {
      await pair.startReplication(0);
      await pair.caughtUp();
    }
  }, 60_000);

  it('answers without caching, and without errors, while Redis is down, and caches again when it is back', async () => {
    const writer = await a.createToken('admin');
    const viewer = await a.createToken('analyst');
    await pair.caughtUp();
    const first = await compare(b, viewer);
    const cached = await compare(b, viewer);
    expect(cached.statements).toBeLessThan(first.statements);

    await redis.stop();
    const during = await compare(b, viewer);
    // Computed again, not cached (a subtree size the cost limit remembers may save one statement).
    expect(during.sum).toBe(first.sum);
    expect(during.statements).toBeGreaterThan(cached.statements);
    expect(during.statements).toBeGreaterThanOrEqual(first.statements - 1);
    // A write while Redis is away cannot drop the entry b cached before (it is still in Redis' file).
    const now = await received(a, 'repl-a', writer);
    expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('repl-a', 2022, now + 100) }, as(writer))).errors).toBeUndefined();
    const computed = await compare(a, viewer);
    expect(computed.sum).toBe(first.sum + 100);
    expect(computed.statements).toBeGreaterThan(cached.statements);
    expect(logs.lines.some((l) => l.msg.startsWith('could not invalidate the analysis cache'))).toBe(true);

    await redis.start();
    await pair.caughtUp();
    // Back: the entry from before the outage is not served (each service dropped its entries on reconnecting) …
    await until('both services reconnected to Redis', async () => logs.lines.filter((l) => l.msg.startsWith('Redis answers again')).length >= 2);
    const again = await until('comparisons are cached again', async () => {
      const fresh = await compare(b, viewer);
      expect(fresh.sum).toBe(first.sum + 100);
      const hit = await compare(a, viewer);
      return hit.statements < first.statements && hit;
    });
    // … and answers are cached again, shared by both services.
    expect(again.sum).toBe(first.sum + 100);
  }, 60_000);
});
