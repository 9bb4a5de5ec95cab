/**
 * `npm run load -- --replicas`: the scale-out setup under load. A MariaDB primary and a replica
 * (their own mariadbd processes, GTID replication, as the replication tests start them), two
 * service processes on one Redis (REDIS_URL, LOAD_REDIS_URL or redis://127.0.0.1:6379, under a
 * prefix of the run's own), and a small round-robin TCP proxy in front of them (each new client
 * connection goes to the next service, as an L4 load balancer does).
 *
 * Through the proxy, autocannon sends `load.ts`'s comparison mix; beside it, one writer client
 * writes a report of the compared district every second (upsertReport, the service's report write
 * path) through one service and at once reads it back through the other — the report and a
 * comparison of that office — counting every answer that does not show its own write (a stale
 * read). Both services' /readyz are sampled every second for the replica's state and lag.
 *
 *   npm run load -- --replicas [--duration 30 --connections 50 --out bench/results/replicas-load.json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import IORedis from 'ioredis';
import { generateDemoData } from '../src/analysis/demo/generator';
import { SYSTEM_VIEWER } from '../src/auth/viewer';
import { createDataSource, migrate } from '../src/db/data-source';
import { createServices } from '../src/server/context';
import { Office } from '../src/offices/office.entity';
import { loadSampleIfEmpty } from '../src/sample/load-sample';
import { ReplicationPair } from '../tests/support/mariadb-instance';
import { SERVER_NODE_FLAGS } from '../src/config/node-flags';

export interface ReplicaLoadOptions {
  readonly duration: number;
  readonly connections: number;
  readonly out: string | null;
  readonly queries: readonly { query: string; variables: Record<string, unknown> }[];
  readonly district: string;
  readonly offices: number;
  readonly years: readonly number[];
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

/** Each accepted connection is piped to the next backend in turn. */
function roundRobinProxy(ports: number[]): Promise<{ port: number; counts: number[]; close: () => Promise<void> }> {
  const counts = ports.map(() => 0);
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const at = next++ % ports.length;
    counts[at]! += 1;
    const upstream = net.connect(ports[at]!, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        counts,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}

async function startService(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(__dirname, '../src/server/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = /"port":(\d+)/.exec(output);
      if (match) return resolve(Number(match[1]));
      if (Date.now() - started > 30_000 || child.exitCode !== null) return reject(new Error(`server did not start:\n${output}`));
      setTimeout(check, 50);
    };
    check();
  });
  return { child, port };
}

/** The read-back query's answer (and whatever else a query answers: only these fields are read). */
interface Answer {
  data?: {
    report?: { metrics?: { value: number | null }[] } | null;
    compareOffices?: { rows?: { edges?: { node?: { values?: { value: number | null }[] } }[] } } | null;
  } | null;
  errors?: unknown[];
}

async function gql(port: number, token: string, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as Answer };
}

const UPSERT = `mutation($input: ReportInput!) { upsertReport(input: $input) { id } }`;
const READ_BACK = `query($code: String!, $year: Int!) {
  report(officeCode: $code, year: $year) { metrics(keys: ["applications.received.total"]) { value } }
  compareOffices(offices: [$code], year: $year, metrics: ["applications.received.total"]) { rows { edges { node { values { value } } } } } }`;

function reportInput(code: string, year: number, received: number) {
  return {
    officeCode: code,
    year,
    title: `示例负载${year}年政府信息公开工作年度报告`,
    metrics: [
      { key: 'applications.received.natural_person', value: received },
      { key: 'applications.received.total', value: received },
      { key: 'applications.granted.total', value: received },
      { key: 'applications.results_total.total', value: received },
    ],
  };
}

interface Tokens {
  readonly writerToken: string;
  readonly readerToken: string;
  readonly targets: { code: string }[];
}

async function stopService(s: { child: ChildProcess }): Promise<void> {
  if (s.child.exitCode !== null) return;
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('close', r));
}

/** One measured phase: `count` service processes behind the proxy, the mix and the writer. */
async function phase(
  label: string,
  options: ReplicaLoadOptions,
  env: NodeJS.ProcessEnv,
  count: number,
  proxyRef: { current: Awaited<ReturnType<typeof roundRobinProxy>> | null },
  services: { child: ChildProcess; port: number }[],
  { writerToken, readerToken, targets }: Tokens,
) {
  for (let i = 0; i < count; i++) services.push(await startService(env));
  const proxy = await roundRobinProxy(services.map((s) => s.port));
  proxyRef.current = proxy;
  console.log(`   ${label}: services on ${services.map((s) => `:${s.port}`).join(' and ')}, round-robin proxy on :${proxy.port}`);

  for (const q of options.queries) {
    const res = await gql(proxy.port, readerToken, q.query, q.variables);
    if (res.body.errors) throw new Error(`warm-up query failed: ${JSON.stringify(res.body.errors)}`);
  }

  // The writer: one write a second whatever the answers take (open loop), alternating services,
  // each read back at once through the other one.
  const year = options.years[options.years.length - 1]!;
  const writes = { done: 0, failed: 0, stale: 0, latencies: [] as number[], readBackLatencies: [] as number[], staleDetail: [] as string[], failedDetail: [] as string[] };
  const inFlight: Promise<void>[] = [];
  let n = 0;
  const writeOnce = async (i: number) => {
    const started = Date.now();
    const target = targets[i % targets.length]!.code;
    const value = 100_000 + i + (label === 'baseline' ? 50_000 : 0);
    const via = services[i % services.length]!.port;
    const back = services[(i + 1) % services.length]!.port;
    const write = await gql(via, writerToken, UPSERT, { input: reportInput(target, year, value) }).catch((error: unknown) => ({ status: 0, body: { errors: [String(error)] } as Answer }));
    const wrote = Date.now();
    if (write.status !== 200 || write.body.errors) {
      writes.failed += 1;
      if (writes.failedDetail.length < 5) writes.failedDetail.push(`${wrote - started} ms, HTTP ${write.status}: ${JSON.stringify(write.body.errors).slice(0, 300)}`);
      return;
    }
    writes.done += 1;
    writes.latencies.push(wrote - started);
    const read = await gql(back, writerToken, READ_BACK, { code: target, year }).catch(() => null);
    writes.readBackLatencies.push(Date.now() - wrote);
    const seen = [read?.body.data?.report?.metrics?.[0]?.value, read?.body.data?.compareOffices?.rows?.edges?.[0]?.node?.values?.[0]?.value];
    if (seen.some((v) => typeof v !== 'number' || v < value)) {
      writes.stale += 1;
      if (writes.staleDetail.length < 5) writes.staleDetail.push(`${target}: wrote ${value}, read back ${JSON.stringify(seen)} ${read?.body.errors ? JSON.stringify(read.body.errors).slice(0, 200) : ''}`);
    }
  };
  // Values only grow, so a later write to the same office (20 s later) read back here is not stale; an older one is.
  const ticker = setInterval(() => inFlight.push(writeOnce(n++)), 1000);

  // Each service's view of the replica, every second.
  const replication: { service: number; state: string; lagSeconds: number | null }[] = [];
  const sampler = setInterval(() => {
    services.forEach((s, i) =>
      void fetch(`http://127.0.0.1:${s.port}/readyz`)
        .then((r) => r.json() as Promise<{ replicas?: { state: string; lagSeconds: number | null }[] }>)
        .then((body) => replication.push({ service: i, state: body.replicas?.[0]?.state ?? 'no replica', lagSeconds: body.replicas?.[0]?.lagSeconds ?? null }))
        .catch(() => replication.push({ service: i, state: 'readyz failed', lagSeconds: null })),
    );
  }, 1000);

  const statuses = new Map<number, number>();
  let graphqlErrors = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${proxy.port}/graphql`,
    connections: options.connections,
    duration: options.duration,
    // As long as the service's own request limit (15 s) and a little more: a slow answer on a
    // loaded host is measured, not cut off by the client.
    timeout: 20,
    requests: options.queries.map((q) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readerToken}` },
      body: JSON.stringify(q),
      onResponse: (status: number, body: string) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200 && body.includes('"errors"')) graphqlErrors += 1;
      },
    })),
  });
  clearInterval(ticker);
  await Promise.all(inFlight);
  clearInterval(sampler);

  const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const lags = replication.map((r) => r.lagSeconds).filter((v): v is number => v !== null);
  const summary = {
    service_processes: count,
    connections_per_service: proxy.counts,
    requests: result.requests.total,
    throughput_req_s: Math.round(result.requests.average),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statuses: Object.fromEntries(statuses),
    errors: { transport: result.errors, timeouts: result.timeouts, http_5xx: fiveXX, graphql_errors_in_200: graphqlErrors },
    writes: {
      done: writes.done,
      failed: writes.failed,
      write_ms: { p50: percentile(writes.latencies, 50), p99: percentile(writes.latencies, 99) },
      read_back_on_other_service_ms: { p50: percentile(writes.readBackLatencies, 50), p99: percentile(writes.readBackLatencies, 99) },
      stale_reads_after_own_write: writes.stale,
      stale_examples: writes.staleDetail,
      failed_examples: writes.failedDetail,
    },
    replica: {
      samples: replication.length,
      states: replication.reduce<Record<string, number>>((m, r) => ({ ...m, [r.state]: (m[r.state] ?? 0) + 1 }), {}),
      lag_seconds_max: lags.length ? Math.max(...lags) : null,
    },
  };
  const problems: string[] = [];
  if (fiveXX > 0) problems.push(`${fiveXX} responses were 5xx`);
  if (result.errors > 0 || result.timeouts > 0) problems.push(`${result.errors} transport errors, ${result.timeouts} timeouts`);
  if (graphqlErrors > 0) problems.push(`${graphqlErrors} GraphQL errors`);
  if (writes.failed > 0) problems.push(`${writes.failed} writes failed`);
  if (writes.stale > 0) problems.push(`${writes.stale} stale reads after the client's own write`);
  if (writes.done < options.duration * 0.8) problems.push(`only ${writes.done} writes in ${options.duration} s`);
  await proxy.close();
  proxyRef.current = null;
  for (const s of services.splice(0)) await stopService(s);
  return { summary, problems };
}

export async function runReplicaLoad(options: ReplicaLoadOptions): Promise<string[]> {
  console.log('\n== replicas: starting a MariaDB primary and replica (GTID replication)…');
  const pair = await ReplicationPair.create('dg_load');
  const redisUrl = process.env.LOAD_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `dg:load-replicas:${process.pid}:`;
  const services: { child: ChildProcess; port: number }[] = [];
  const proxyRef: { current: Awaited<ReturnType<typeof roundRobinProxy>> | null } = { current: null };
  try {
    console.log('   seeding the fictional province on the primary: %d offices × %d years…', options.offices, options.years.length);
    const dataSource = await createDataSource({ type: 'mysql', url: pair.primaryUrl, replicaUrls: [] });
    await migrate(dataSource);
    const app = createServices(dataSource);
    // The Jingyuan sample too: one of the mix's queries reads it.
    await loadSampleIfEmpty(app, () => dataSource.getRepository(Office).count());
    const seeded = await generateDemoData(dataSource, { offices: options.offices, years: [...options.years] });
    console.log('   %d offices, %d reports in %s s', seeded.offices, seeded.reports, seeded.seconds.toFixed(1));
    const writerToken = (await app.tokens.create({ name: 'load writer', role: 'admin' }, SYSTEM_VIEWER)).secret;
    const readerToken = (await app.tokens.create({ name: 'load reader', role: 'analyst' }, SYSTEM_VIEWER)).secret;
    const targets: { code: string }[] = await dataSource.query('SELECT code FROM offices WHERE code LIKE ? ORDER BY id LIMIT 20', [`${options.district}-%`]);
    await dataSource.destroy();
    await pair.caughtUp(120);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: pair.primaryUrl,
      DATABASE_REPLICA_URLS: pair.replicaUrl,
      REDIS_URL: redisUrl,
      ANALYSIS_CACHE_PREFIX: prefix,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOAD_SAMPLE: '0',
      // One address and two tokens send everything: the per-client limits would turn most of it away.
      RATE_LIMIT_PER_ADDRESS: '100000000',
      RATE_LIMIT_PER_TOKEN: '100000000',
      ANALYSIS_MAX_IN_FLIGHT: '100000000',
      REPLICA_CHECK_INTERVAL_MS: '1000',
    };
    const replicated = await phase('replicas', options, env, 2, proxyRef, services, { writerToken, readerToken, targets });
    // The baseline, in the same run on the same data: one service process on the primary alone.
    const baseline = await phase('baseline', options, { ...env, DATABASE_REPLICA_URLS: '', ANALYSIS_CACHE_PREFIX: `${prefix}baseline:` }, 1, proxyRef, services, { writerToken, readerToken, targets });
    const ratio = (x: number, y: number) => (y > 0 ? Math.round((x / y) * 100) / 100 : null);
    const summary = {
      setup: 'MariaDB primary + 1 replica (GTID), 2 service processes (production, 192 MB heap), 1 Redis, round-robin TCP proxy; baseline: 1 service process on the primary alone, same proxy, same Redis',
      offices: options.offices,
      years: options.years,
      duration_s: options.duration,
      connections: options.connections,
      replicas: replicated.summary,
      baseline: baseline.summary,
      ratios_replicas_to_baseline: {
        throughput: ratio(replicated.summary.throughput_req_s, baseline.summary.throughput_req_s),
        p50: ratio(replicated.summary.latency_ms.p50, baseline.summary.latency_ms.p50),
        p99: ratio(replicated.summary.latency_ms.p99, baseline.summary.latency_ms.p99),
      },
      cpu: { cores: os.availableParallelism(), loadavg_1m_at_end: Math.round(os.loadavg()[0]! * 100) / 100 },
    };
    console.log(JSON.stringify(summary, null, 2));
    if (options.out) {
      fs.mkdirSync(path.dirname(options.out), { recursive: true });
      fs.writeFileSync(options.out, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...summary }, null, 2)}\n`);
      console.log(`   written to ${options.out}`);
    }
    const problems = [...replicated.problems, ...baseline.problems.map((p) => `baseline: ${p}`)];
    console.log(problems.length ? `replicas: targets missed: ${problems.join('; ')}` : `replicas: no 5xx, no errors, no stale read after a client's own write; p99 ${replicated.summary.latency_ms.p99} ms (baseline ${baseline.summary.latency_ms.p99} ms)`);
    return problems.map((p) => `replicas: ${p}`);
  } finally {
    await proxyRef.current?.close();
    for (const s of services) await stopService(s);
    const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis
      .connect()
      .then(async () => {
        for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
      })
      .catch(() => undefined);
    redis.disconnect();
    await pair.destroy();
  }
}
