/**
 * `npm run load`: a bounded loopback load run, on SQLite and on MariaDB (when one answers at
 * LOAD_MYSQL_URL, default mysql://root@127.0.0.1:3306/). Generates the fictional province (虚构省,
 * 1000 offices, three years of reports) in a fresh SQLite file / MariaDB database beside the Jingyuan
 * sample, starts the built server in a child process, drives it with autocannon (a mix of comparison,
 * report, office and year-over-year queries) and prints throughput, latency percentiles, errors and
 * the server's memory; then the abuse phase (scripts/load-abuse.ts). Not part of `npm test`:
 * figures belong in a benchmark, never in a timed test.
 *
 *   npm run load -- --duration 30 --connections 50 [--rate-limited] [--databases sqlite,mariadb]
 *                   [--abuse-duration 30 --abusers 20 --victims 10]
 *   npm run load -- --replicas [--duration 30 --connections 50 --out FILE]   (scripts/load-replicas.ts)
 *
 * `--rate-limited` keeps the default rate limits, so 429s are expected; without it the limits are
 * raised out of the way to measure the service itself.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { generateDemoData } from '../src/analysis/demo/generator';
import { SYSTEM_VIEWER } from '../src/auth/viewer';
import type { DatabaseConfig } from '../src/config/config';
import { DEFAULT_SECURITY } from '../src/config/config';
import { createDataSource, migrate } from '../src/db/data-source';
import { loadSampleIfEmpty } from '../src/sample/load-sample';
import { createServices } from '../src/server/context';
import { Office } from '../src/offices/office.entity';
import { abusePhase, mostExpensiveAccepted } from './load-abuse';
import { runReplicaLoad } from './load-replicas';
import { SERVER_NODE_FLAGS } from '../src/config/node-flags';

type Kind = 'sqlite' | 'mariadb';

interface Options {
  duration: number;
  connections: number;
  rateLimited: boolean;
  databases: Kind[];
  abuseDuration: number;
  abusers: number;
  victims: number;
  replicas: boolean;
  out: string | null;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { duration: 30, connections: 50, rateLimited: false, databases: ['sqlite', 'mariadb'], abuseDuration: 30, abusers: 20, victims: 10, replicas: false, out: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--duration') options.duration = Number(argv[++i]);
    else if (argv[i] === '--connections') options.connections = Number(argv[++i]);
    else if (argv[i] === '--rate-limited') options.rateLimited = true;
    else if (argv[i] === '--databases') options.databases = argv[++i]!.split(',').map((s) => s.trim()) as Kind[];
    else if (argv[i] === '--abuse-duration') options.abuseDuration = Number(argv[++i]);
    else if (argv[i] === '--abusers') options.abusers = Number(argv[++i]);
    else if (argv[i] === '--victims') options.victims = Number(argv[++i]);
    else if (argv[i] === '--replicas') options.replicas = true;
    else if (argv[i] === '--out') options.out = argv[++i]!;
  }
  return options;
}

const MYSQL_URL = process.env.LOAD_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

const YEARS = [2021, 2022, 2023];
const OFFICES = 1000;
const DISTRICT = 'demo-p-c01-d01';

interface Seeded {
  /** One analyst token per abusive client. */
  tokens: string[];
  districtOffices: number;
  reportTargets: { code: string; year: number }[];
}

/** The fictional province generator's data (虚构省, codes demo-…), beside the Jingyuan sample. */
async function seed(config: DatabaseConfig, abusers: number): Promise<Seeded> {
  const dataSource = await createDataSource(config);
  await migrate(dataSource);
  const services = createServices(dataSource);
  await loadSampleIfEmpty(services, () => dataSource.getRepository(Office).count());
  const generated = await generateDemoData(dataSource, { offices: OFFICES, years: YEARS });
  console.log('  %d offices, %d reports in %s s', generated.offices, generated.reports, generated.seconds.toFixed(1));
  const tokens: string[] = [];
  for (let i = 0; i < abusers; i++) tokens.push((await services.tokens.create({ name: `load abuser ${i + 1}`, role: 'analyst' }, SYSTEM_VIEWER)).secret);
  const offices: { code: string }[] = await dataSource.query("SELECT code FROM offices WHERE code LIKE 'demo-p-c%' ORDER BY id");
  const districtOffices = offices.filter((o) => o.code.startsWith(DISTRICT)).length;
  const reportTargets = offices.filter((_, i) => i % 7 === 0).flatMap((o, i) => [{ code: o.code, year: YEARS[i % YEARS.length]! }]);
  await dataSource.destroy();
  return { tokens, districtOffices, reportTargets };
}

/** A fresh MariaDB database for the run, or null when none answers. */
async function mariadbDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const name = `dg_load_${process.pid}`;
  let admin;
  try {
    admin = await createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
  } catch {
    return null;
  }
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const conn = await createConnection({ uri: MYSQL_URL });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

const METRICS = '["applications.received.total", "applications.grant_rate", "proactive.items_total"]';

const QUERIES = [
  {
    query: `query($under: String!, $year: Int!) { compareOffices(under: $under, year: $year, metrics: ${METRICS}, first: 20) {
      officeCount reportedCount missingCount rows { edges { node { office { code name } values { metric value rank share differenceFromMean percentChange } } } } } }`,
    variables: { under: DISTRICT, year: 2023 },
  },
  {
    query: `query($under: String!, $year: Int!) { compareOffices(under: $under, year: $year, metrics: ${METRICS}, first: 10) { officeCount groups { sum median } } }`,
    variables: { under: 'demo-p-c01', year: 2023 },
  },
  {
    query: `query($code: String!) { report(officeCode: $code, year: 2023) { title templateFormat
      applications { rows { outcome values } } proactiveDisclosure { item cells { value } } reviewsAndLitigation { group total } findings { code message } channels { kind name items } } }`,
    variables: { code: `${DISTRICT}-s001` },
  },
  {
    query: `query($under: String!) { offices(filter: { under: $under }, first: 20) { totalCount edges { node { code name reports { year } } } } }`,
    variables: { under: DISTRICT },
  },
  {
    query: `query($code: String!) { yearOverYear(officeCode: $code, fromYear: 2021, toYear: 2023, metrics: ${METRICS}) { series { metric points { year value change comparable } } } }`,
    variables: { code: `${DISTRICT}-s002` },
  },
  {
    query: `{ report(officeCode: "weihai-huancui-jingyuan", year: 2020) { title metrics { key value } } }`,
    variables: {},
  },
];

function rssOf(pid: number): { rss: number; peak: number } {
  if (!fs.existsSync(`/proc/${pid}`)) throw new Error(`the server (pid ${pid}) is gone: it exited during the run (its output is above)`);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** One database: seed, start the server, the mixed load, then the abuse phase. Returns the targets missed. */
async function runOn(kind: Kind, options: Options): Promise<string[]> {
  let databaseUrl: string;
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  let mysql: { url: string; database: string } | undefined;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-load-'));
    const file = path.join(dir, 'load.sqlite');
    databaseUrl = `sqlite:${file}`;
    config = { type: 'sqlite', path: file };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const created = await mariadbDatabase();
    if (!created) {
      console.log(`\n== mariadb: nothing answers at ${MYSQL_URL.replace(/\/\/[^@]*@/, '//***@')}; skipped`);
      return [];
    }
    databaseUrl = created.url;
    config = { type: 'mysql', url: created.url, replicaUrls: [] };
    cleanup = created.drop;
    mysql = { url: created.url, database: new URL(created.url).pathname.slice(1) };
  }
  // A run that fails (the server crashing included) leaves no database behind either.
  try {
    return await loadAndAbuse(kind, options, databaseUrl, config, mysql);
  } finally {
    await cleanup();
  }
}

/** Seed `config`'s database, start the server on it, the mixed load, then the abuse phase. */
async function loadAndAbuse(kind: Kind, options: Options, databaseUrl: string, config: DatabaseConfig, mysql: { url: string; database: string } | undefined): Promise<string[]> {
  console.log(`\n== ${kind}: seeding the fictional province (虚构省): %d offices × %d years…`, OFFICES, YEARS.length);
  const seeded = await seed(config, options.abusers);

  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  // The mixed load comes from one address: the per-client analysis limit would turn most of it away.
  if (!options.rateLimited) Object.assign(env, { RATE_LIMIT_PER_ADDRESS: '100000000', RATE_LIMIT_PER_TOKEN: '100000000', ANALYSIS_MAX_IN_FLIGHT: '100000000' });
  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(__dirname, '../src/server/main.js')], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  // Whatever happens to this script, the server it started goes with it.
  process.once('exit', () => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = /"port":(\d+)/.exec(output);
      if (match) return resolve(Number(match[1]));
      if (Date.now() - started > 30_000 || server.exitCode !== null) return reject(new Error(`server did not start:\n${output}`));
      setTimeout(check, 50);
    };
    check();
  });

  // Warm up (schema, statement caches, JIT) before measuring.
  for (const q of QUERIES) {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q) });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`warm-up query failed: ${JSON.stringify(body.errors)}`);
  }

  const memory: number[] = [];
  let peak = 0;
  // A server that dies mid-run ends sampling; the run then fails with why (below), not from a timer.
  let gone: Error | null = null;
  const sampler = setInterval(() => {
    try {
      const m = rssOf(server.pid!);
      memory.push(m.rss);
      peak = Math.max(peak, m.peak);
    } catch (error) {
      gone = error as Error;
      clearInterval(sampler);
    }
  }, 1000);
  const before = rssOf(server.pid!);
  let graphqlErrors = 0;
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: options.connections,
    duration: options.duration,
    requests: QUERIES.map((q) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(q),
      onResponse: (status: number, body: string) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200 && body.includes('"errors"')) graphqlErrors += 1;
      },
    })),
  });
  clearInterval(sampler);
  if (gone) throw gone;
  const after = rssOf(server.pid!);

  const expensive = await mostExpensiveAccepted(DISTRICT, seeded.districtOffices, YEARS);
  console.log(`  abuse: ${options.abusers} clients × rollup of 12 derived metrics (81 stored keys) × ${YEARS.length} years over ${DISTRICT} (${seeded.districtOffices} offices), ${expensive.count} aliases = cost ${expensive.cost} of ${DEFAULT_SECURITY.maxCost}; ${options.victims} connections asking for report(officeCode, year)`);
  const abuse = await abusePhase({
    url: `http://127.0.0.1:${port}`,
    duration: options.abuseDuration,
    abusers: options.abusers,
    victims: options.victims,
    abuserTokens: seeded.tokens,
    expensive: expensive.query,
    reportTargets: seeded.reportTargets,
    mysql,
    requestTimeoutMs: DEFAULT_SECURITY.requestTimeoutMs,
  });
  const afterAbuse = rssOf(server.pid!);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('close', r));

  const third = Math.max(1, Math.floor(memory.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const limited = statuses.get(429) ?? 0;
  const summary = {
    database: kind,
    duration_s: options.duration,
    connections: options.connections,
    requests: result.requests.total,
    throughput_req_s: Math.round(result.requests.average),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statuses: Object.fromEntries(statuses),
    errors: { transport: result.errors, timeouts: result.timeouts, http_5xx: fiveXX, rate_limited_429: limited, graphql_errors_in_200: graphqlErrors },
    memory_mb: {
      rss_before: Math.round(before.rss),
      rss_first_third_avg: Math.round(avg(memory.slice(0, third))),
      rss_last_third_avg: Math.round(avg(memory.slice(-third))),
      rss_after: Math.round(after.rss),
      peak_rss: Math.round(Math.max(peak, after.peak)),
      // RSS every 5 s of the run: flat once the caches and the heap have warmed up.
      rss_every_5s: memory.filter((_, i) => i % 5 === 4).map((m) => Math.round(m)),
    },
    abuse: { duration_s: options.abuseDuration, expensive_query: { aliases: expensive.count, cost: expensive.cost }, ...abuse, peak_rss_mb: Math.round(afterAbuse.peak) },
  };
  console.log(JSON.stringify(summary, null, 2));
  const problems: string[] = [];
  if (fiveXX > 0) problems.push(`${fiveXX} responses were 5xx`);
  if (result.errors > 0 || result.timeouts > 0) problems.push(`${result.errors} transport errors, ${result.timeouts} timeouts`);
  if (graphqlErrors > 0) problems.push(`${graphqlErrors} GraphQL errors`);
  if (!options.rateLimited && limited > 0) problems.push(`${limited} rate-limited responses`);
  if (result.latency.p99 >= 500) problems.push(`p99 ${result.latency.p99} ms is not under 500 ms`);
  problems.push(...abuse.problems.map((p) => `abuse phase: ${p}`));
  console.log(problems.length ? `${kind}: targets missed: ${problems.join('; ')}` : `${kind}: targets met: no 5xx, no errors, p99 under 500 ms, also under abuse; no statement outlived its request`);
  return problems.map((p) => `${kind}: ${p}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const problems: string[] = [];
  if (options.replicas) {
    problems.push(...(await runReplicaLoad({ duration: options.duration, connections: options.connections, out: options.out, queries: QUERIES, district: DISTRICT, offices: OFFICES, years: YEARS })));
    process.exitCode = problems.length ? 1 : 0;
    return;
  }
  for (const kind of options.databases) problems.push(...(await runOn(kind, options)));
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
