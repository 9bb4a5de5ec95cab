/**
 * `npm run bench -- --national [--sizes 2000,10000,100000] [--layout late-additions]`: the cost of
 * the analyses against database size, on MariaDB (BENCH_MYSQL_URL), 3 years. Each size is loaded
 * by the bulk loader (src/analysis/demo/bulk-load.ts: by default LOAD DATA LOCAL INFILE of rows
 * generated in process, the metric index built after the load; no revisions or channel rows),
 * then measured through the HTTP endpoint of a server in its own process (production mode, cache
 * off) against the faster of the hand-written forms of each answer, in rotation. Writes
 * bench/results/national.json after every size, so that a run stopped midway keeps what it
 * measured; runs of sizes not measured this time are kept from the file (each says when).
 *
 *   --database NAME        the database each size is loaded into, dropped and made again per
 *                          size and dropped at the end (default dg_bench_national; --keep keeps it)
 *   --method infile|insert the bulk loader's path (default infile)
 *   --buffer-pool-mb N     SET GLOBAL innodb_buffer_pool_size for the run, restored afterwards
 *   --log-file-mb N        SET GLOBAL innodb_log_file_size (the redo log; dynamic from MariaDB
 *                          10.9) for the run, restored afterwards
 *   --iterations N         samples per measured query (default 40; the rollup a quarter of it)
 *   --load-only            load each size, report the load, measure nothing
 *   --reuse                measure the data a --keep run left in --database if it has the size's offices (no load)
 *   --index-during-load    infile: keep the metric index during the load instead of building it after
 *   --out FILE             instead of bench/results/national.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { bulkLoadDemoData, type BulkLoadMethod } from '../src/analysis/demo/bulk-load';
import { DEMO_LAYOUTS, type DemoLayout } from '../src/analysis/demo/generator';
import { parseDatabaseUrl } from '../src/config/config';
import { PROJECT_ROOT } from '../src/config/paths';
import { SYSTEM_VIEWER } from '../src/auth/viewer';
import { createDataSource, migrate } from '../src/db/data-source';
import { createServices } from '../src/server/context';
import { createLoaders } from '../src/server/loaders';
import { NoAnalysisCache } from '../src/analysis/cache';
import { Office } from '../src/offices/office.entity';
import { COMPARE_QUERY, ROLLUP_QUERY, compareDifference, rollupDifference } from './answers';
import { baselineCompare, baselineRollup, mysqlRaw, type RawSql } from './baseline';
import { gql, measureAgainst, measure, peakRssMb, round, startServer, timed, type Summary } from './harness';

const YEARS = [2021, 2022, 2023];
const YEAR = 2023;
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];
const ITERATIONS_DEFAULT = 40;
const MAX_COST = 10_000_000;

const TIME_SERIES = `query($under: String!, $metrics: [MetricKey!]!, $from: Int!, $to: Int!) { timeSeries(under: $under, metrics: $metrics, fromYear: $from, toYear: $to) { metric points { year value reportedCount } } }`;
const ASSESSMENT = `query($under: String!, $year: Int!) { assessment(under: $under, year: $year, first: 50) { summary { offices filed onTime late } rows { edges { node { office { code } } } } } }`;

/** A subtree's per-year totals of three metrics, written by hand: `join` from its offices, `scan` each year and key's whole index range filtered by the subtree. */
async function baselineTimeSeries(raw: RawSql, rootCode: string, form: 'join' | 'scan') {
  const [root] = await raw.all('SELECT path FROM offices WHERE code = ?', [rootCode]);
  const under = `${root!.path}%`;
  const values =
    form === 'join'
      ? METRICS.flatMap((_, n) => YEARS.map((y) => `SELECT ${n} AS slot, mv.year AS year, mv.value AS value FROM offices o JOIN metric_values mv ON mv.year = ${y} AND mv.metricKey = ? AND mv.officeId = o.id WHERE o.path LIKE ?`))
      : METRICS.map((_, n) => `SELECT ${n} AS slot, mv.year AS year, mv.value AS value FROM metric_values mv JOIN offices o ON o.id = mv.officeId WHERE mv.year IN (${YEARS.join(', ')}) AND mv.metricKey = ? AND o.path LIKE ?`);
  const params = form === 'join' ? METRICS.flatMap((k) => YEARS.flatMap(() => [k, under])) : METRICS.flatMap((k) => [k, under]);
  const [totals, counts] = await Promise.all([
    raw.all(`SELECT year, ${METRICS.map((_, n) => `SUM(CASE WHEN slot = ${n} THEN value END) AS m${n}`).join(', ')} FROM (${values.join(' UNION ALL ')}) x GROUP BY year ORDER BY year`, params),
    raw.all(`SELECT r.year AS year, COUNT(*) AS n FROM offices o JOIN annual_reports r ON r.officeId = o.id WHERE o.path LIKE ? AND r.year IN (${YEARS.join(', ')}) GROUP BY r.year ORDER BY r.year`, [under]),
  ]);
  return { totals, counts };
}

interface Measured {
  name: string;
  offices: number;
  p50Ms: number;
  p95Ms: number;
  baselineP95Ms: number | null;
  baselineP50Ms: number | null;
  baselineForm: string | null;
  ratio: number | null;
  statementsPerRequest: number;
  sameAnswer: boolean | null;
  /** The service's own computation called in the measuring process (no HTTP, no GraphQL, no page of office rows), in the same rotation. */
  inProcessP50Ms?: number;
  inProcessP95Ms?: number;
  /** The same request answered from the analysis cache of a second server (the request path alone, no SQL), in the same rotation. */
  requestPathP50Ms?: number;
  requestPathP95Ms?: number;
}

function row(name: string, offices: number, ours: Summary, baseline: Summary | null, form: string | null, statements: number, same: boolean | null, inProcess?: Summary, requestPath?: Summary): Measured {
  const measured: Measured = { name, offices, p50Ms: ours.p50, p95Ms: ours.p95, baselineP95Ms: baseline?.p95 ?? null, baselineP50Ms: baseline?.p50 ?? null, baselineForm: form, ratio: baseline ? round(ours.p95 / baseline.p95) : null, statementsPerRequest: statements, sameAnswer: same };
  return {
    ...measured,
    ...(inProcess ? { inProcessP50Ms: inProcess.p50, inProcessP95Ms: inProcess.p95 } : {}),
    ...(requestPath ? { requestPathP50Ms: requestPath.p50, requestPathP95Ms: requestPath.p95 } : {}),
  };
}

const IN_PROCESS = 'service in process';
const REQUEST_PATH = 'request path alone (from the cache)';

/**
 * measureAgainst with the hand-written forms, the in-process service and (optionally) the request
 * answered from a cache in one rotation; the baseline is the best hand-written form.
 */
async function measureWithInProcess(ours: () => Promise<{ ms: number }>, hand: Record<string, () => Promise<{ ms: number }>>, inProcess: () => Promise<{ ms: number }>, iterations: number, fromCache?: () => Promise<{ ms: number }>) {
  const m = await measureAgainst(ours, { ...hand, [IN_PROCESS]: inProcess, ...(fromCache ? { [REQUEST_PATH]: fromCache } : {}) }, iterations);
  const best = Object.keys(hand).reduce((a, b) => (m.forms[b]!.p95 < m.forms[a]!.p95 ? b : a));
  return { ours: m.ours, forms: m.forms, best, baseline: m.forms[best]!, inProcess: m.forms[IN_PROCESS]!, requestPath: fromCache ? m.forms[REQUEST_PATH] : undefined };
}

interface NationalOptions {
  readonly url: string;
  readonly database: string;
  readonly layout: DemoLayout;
  readonly method: BulkLoadMethod;
  readonly iterations: number;
  readonly loadOnly: boolean;
  readonly indexDuringLoad: boolean;
  readonly reuse: boolean;
}

const loadAverage = () => os.loadavg().map(round);

/** Data and index sizes of the loaded tables, from InnoDB's statistics (approximate). */
async function tableSizes(admin: Connection, database: string): Promise<Record<string, { dataMb: number; indexMb: number }>> {
  const [rows] = (await admin.query(`SELECT TABLE_NAME AS name, DATA_LENGTH AS data, INDEX_LENGTH AS idx FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('offices', 'annual_reports', 'metric_values', 'report_findings')`, [database])) as unknown as [{ name: string; data: number; idx: number }[]];
  return Object.fromEntries(rows.map((r) => [r.name, { dataMb: round(Number(r.data) / 2 ** 20), indexMb: round(Number(r.idx) / 2 ** 20) }]));
}

async function benchSize(admin: Connection, offices: number, o: NationalOptions) {
  const target = new URL(o.url);
  target.pathname = `/${o.database}`;
  const measuredAt = new Date().toISOString();
  const loadAverageBefore = loadAverage();
  const [existing] = (await admin.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [o.database])) as unknown as [{ n: number }[]];
  const reuse = o.reuse && Number(existing[0]?.n) === 1 && Number(((await admin.query(`SELECT COUNT(*) AS n FROM \`${o.database}\`.offices`)) as unknown as [{ n: number }[]])[0][0]?.n) === offices;
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS \`${o.database}\``);
    await admin.query(`CREATE DATABASE \`${o.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  const dataSource = await createDataSource(parseDatabaseUrl(target.toString()));
  await migrate(dataSource);
  console.log(`\n== national: ${offices} offices × ${YEARS.length} years, layout ${o.layout}, ${reuse ? 'data of an earlier load reused' : `bulk loader (${o.method})`}; load average ${loadAverageBefore.join(' ')}`);
  let shown = 0;
  const loaded = reuse
    ? null
    : await bulkLoadDemoData(dataSource, {
        offices,
        years: YEARS,
        layout: o.layout,
        method: o.method,
        indexesAfterLoad: !o.indexDuringLoad,
        onProgress: (done, total) => {
          if (done - shown >= total / 10) {
            shown = done;
            process.stdout.write(` ${Math.round((100 * done) / total)}%`);
          }
        },
      });
  const loadAverageAfterLoad = loadAverage();
  await admin.query(`ANALYZE TABLE \`${o.database}\`.offices, \`${o.database}\`.annual_reports, \`${o.database}\`.metric_values, \`${o.database}\`.report_findings`);
  const sizes = await tableSizes(admin, o.database);
  const [[counted]] = (await admin.query(`SELECT (SELECT COUNT(*) FROM \`${o.database}\`.annual_reports) AS reports, (SELECT COUNT(*) FROM \`${o.database}\`.metric_values) AS metricValues`)) as unknown as [{ reports: number; metricValues: number }[]];
  // The assessment is for analysts: its requests present this token.
  const analyst = { authorization: `Bearer ${(await createServices(dataSource).tokens.create({ name: 'bench', role: 'analyst' }, SYSTEM_VIEWER)).secret}` };
  await dataSource.destroy();
  const load = loaded
    ? {
        method: o.method === 'infile' ? 'LOAD DATA LOCAL INFILE, rows generated in process, metric index built after the load (src/analysis/demo/bulk-load.ts)' : 'multi-row INSERTs (src/analysis/demo/bulk-load.ts)',
        seconds: round(loaded.seconds),
        rowsSeconds: loaded.phases ? round(loaded.phases.rowsSeconds) : null,
        indexSeconds: loaded.phases ? round(loaded.phases.indexSeconds) : null,
        metricValuesPerSecond: Math.round(loaded.metricValues / loaded.seconds),
        loadAverageBefore,
        loadAverageAfter: loadAverageAfterLoad,
      }
    : null;
  console.log(`\n  ${load ? `loaded in ${load.seconds} s (rows ${load.rowsSeconds} s, index ${load.indexSeconds} s)` : 'reused'}: ${counted!.reports} reports, ${counted!.metricValues} metric values; tables ${JSON.stringify(sizes)}; load average ${loadAverageAfterLoad.join(' ')}`);
  const base = { offices, years: YEARS.length, layout: o.layout, measuredAt, load, loadSeconds: load?.seconds ?? null, reports: Number(counted!.reports), metricValues: Number(counted!.metricValues), tableSizes: sizes, graphqlMaxCost: MAX_COST };
  if (o.loadOnly) return { ...base, serverPeakRssMb: null, queries: [] as Measured[], loadAverageAfterQueries: null };

  // The default GRAPHQL_MAX_COST (50,000) refuses a whole-province rollup at 100,000 offices (its
  // price grows with the subtree): the bench raises it to measure the work, the results say so.
  const { child, url: server } = await startServer(target.toString(), { GRAPHQL_MAX_COST: String(MAX_COST) });
  // Its twin with the analysis cache on: a comparison answered with no SQL, what the request path costs alone.
  const cached = await startServer(target.toString(), { GRAPHQL_MAX_COST: String(MAX_COST), ANALYSIS_CACHE: 'on' });
  const raw = mysqlRaw(target.toString());
  // The service's computation in this process, uncached, beside the HTTP requests: how much of a
  // request's time is SQL and computation, how much the request path around it.
  const local = await createDataSource(parseDatabaseUrl(target.toString()));
  const analysis = createServices(local, new NoAnalysisCache()).analysis;
  const officeByCode = async (code: string) => local.getRepository(Office).findOneByOrFail({ code });
  const queries: Measured[] = [];
  const n = o.iterations;
  try {
    const district = 'demo-p-c01-d01';
    const city = 'demo-p-c01';
    for (const [under, label] of [[district, 'compareOffices district'], [city, 'compareOffices city']] as const) {
      const askAt = (at: string) => () => gql(at, COMPARE_QUERY, { under, year: YEAR, metrics: METRICS, first: 100 });
      const ask = askAt(server);
      await askAt(cached.url)();
      const inProcess = () => timed(() => analysis.compareOffices({ year: YEAR, metrics: [...METRICS], under, first: 100, missingFirst: 20 }, { loaders: createLoaders(local), role: 'public' }));
      const m = await measureWithInProcess(ask, { range: () => timed(() => baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'range')), join: () => timed(() => baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'join')) }, inProcess, n, askAt(cached.url));
      const answer = await ask();
      const same = compareDifference(answer.data.compareOffices, await baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'join')) === null;
      queries.push(row(label, answer.data.compareOffices.officeCount, m.ours, m.baseline, m.best, answer.statements, same, m.inProcess, m.requestPath));
      console.log(`  ${label}: ${JSON.stringify(queries.at(-1))} forms ${JSON.stringify(m.forms)}`);
    }
    const province = await officeByCode('demo-p');
    const rollup = () => gql(server, ROLLUP_QUERY, { under: 'demo-p', years: YEARS, metrics: METRICS });
    // In process as over HTTP: a request's signal (its independent statements may run side by side)
    // and no missing offices (ROLLUP_QUERY does not select them).
    const r = await measureWithInProcess(rollup, { scan: () => timed(() => baselineRollup(raw, 'demo-p', YEARS, METRICS)) }, () => timed(() => analysis.rollup(province, YEARS, [...METRICS], 'KIND', 0, new AbortController().signal)), Math.ceil(n / 4));
    const rolled = await rollup();
    queries.push(row('rollup province', offices, r.ours, r.baseline, r.best, rolled.statements, rollupDifference(rolled.data.rollup, await baselineRollup(raw, 'demo-p', YEARS, METRICS)) === null, r.inProcess));
    console.log(`  rollup: ${JSON.stringify(queries.at(-1))}`);

    const cityOffice = await officeByCode(city);
    const series = () => gql(server, TIME_SERIES, { under: city, metrics: METRICS, from: YEARS[0], to: YEAR });
    const t = await measureWithInProcess(series, { join: () => timed(() => baselineTimeSeries(raw, city, 'join')), scan: () => timed(() => baselineTimeSeries(raw, city, 'scan')) }, () => timed(() => analysis.timeSeries({ root: cityOffice }, [...METRICS], YEARS[0]!, YEAR)), n);
    const got = (await series()).data.timeSeries as { metric: string; points: { year: number; value: number | null }[] }[];
    const expected = await baselineTimeSeries(raw, city, 'join');
    const sameSeries = expected.totals.every((e) => METRICS.every((_, k) => Math.abs(Number(got[k]!.points.find((p) => p.year === Number(e.year))?.value) - Number(e[`m${k}`])) < 1e-6));
    queries.push(row('timeSeries city', 2000, t.ours, t.baseline, t.best, (await series()).statements, sameSeries, t.inProcess));
    console.log(`  timeSeries: ${JSON.stringify(queries.at(-1))}`);

    const assess = () => gql(server, ASSESSMENT, { under: district, year: YEAR }, analyst);
    const a = await measure(assess, n);
    queries.push(row('assessment district', (await assess()).data.assessment.summary.offices, a, null, null, (await assess()).statements, null));
    console.log(`  assessment: ${JSON.stringify(queries.at(-1))}`);
    return { ...base, serverPeakRssMb: peakRssMb(child.pid!), queries, loadAverageAfterQueries: loadAverage() };
  } finally {
    await raw.close();
    await local.destroy();
    child.kill('SIGTERM');
    cached.child.kill('SIGTERM');
  }
}

/** SET GLOBAL innodb_buffer_pool_size, then wait for InnoDB's resize to finish. */
async function resizeBufferPool(admin: Connection, bytes: number): Promise<void> {
  await admin.query('SET GLOBAL innodb_buffer_pool_size = ?', [bytes]);
  for (let i = 0; i < 600; i++) {
    const [[status]] = (await admin.query(`SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'`)) as unknown as [{ Value: string }[]];
    const [[now]] = (await admin.query('SELECT @@GLOBAL.innodb_buffer_pool_size AS b')) as unknown as [{ b: number | string }[]];
    if (Number(now?.b) === bytes && !/resiz|withdraw|allocat/i.test(status?.Value ?? '')) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`innodb_buffer_pool_size did not reach ${bytes} bytes`);
}

export async function benchNational(args: readonly string[]): Promise<void> {
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const sizes = (option('--sizes') ?? '2000,10000,100000').split(',').map(Number);
  const layout = (option('--layout') ?? 'late-additions') as DemoLayout;
  if (!DEMO_LAYOUTS.includes(layout)) throw new Error(`--layout: one of ${DEMO_LAYOUTS.join(', ')}`);
  const method = (option('--method') ?? 'infile') as BulkLoadMethod;
  if (method !== 'infile' && method !== 'insert') throw new Error('--method: infile or insert');
  const url = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/dg_bench';
  const database = option('--database') ?? 'dg_bench_national';
  if (!/^\w+$/.test(database)) throw new Error('--database: letters, digits and _ only');
  const bufferPoolMb = option('--buffer-pool-mb') ? Number(option('--buffer-pool-mb')) : null;
  const logFileMb = option('--log-file-mb') ? Number(option('--log-file-mb')) : null;
  const o: NationalOptions = { url, database, layout, method, iterations: Number(option('--iterations') ?? ITERATIONS_DEFAULT), loadOnly: args.includes('--load-only'), indexDuringLoad: args.includes('--index-during-load'), reuse: args.includes('--reuse') };
  const out = option('--out') ?? path.join(PROJECT_ROOT, 'bench', 'results', 'national.json');

  const admin = await createConnection({ uri: url.replace(new URL(url).pathname, '/') });
  const [[server]] = (await admin.query('SELECT VERSION() AS version, @@GLOBAL.innodb_buffer_pool_size AS pool, @@GLOBAL.innodb_log_file_size AS log, @@GLOBAL.local_infile AS infileOn')) as unknown as [{ version: string; pool: number | string; log: number | string; infileOn: number }[]];
  const poolBefore = Number(server!.pool);
  const infileBefore = Number(server!.infileOn);
  const logBefore = Number(server!.log);
  try {
    if (bufferPoolMb !== null) {
      await resizeBufferPool(admin, bufferPoolMb * 2 ** 20);
      console.log(`innodb_buffer_pool_size ${poolBefore / 2 ** 20} MB → ${bufferPoolMb} MB for this run`);
    }
    if (logFileMb !== null) {
      await admin.query('SET GLOBAL innodb_log_file_size = ?', [logFileMb * 2 ** 20]);
      console.log(`innodb_log_file_size ${logBefore / 2 ** 20} MB → ${logFileMb} MB for this run`);
    }
    if (method === 'infile' && infileBefore !== 1) await admin.query('SET GLOBAL local_infile = 1');
    const [[pool]] = (await admin.query('SELECT @@GLOBAL.innodb_buffer_pool_size AS b, @@GLOBAL.innodb_log_file_size AS log')) as unknown as [{ b: number | string; log: number | string }[]];
    const conditions = {
      server: `MariaDB ${server!.version}`,
      innodbBufferPoolMb: Number(pool!.b) / 2 ** 20,
      innodbBufferPoolMbOutsideTheRun: poolBefore / 2 ** 20,
      innodbLogFileMb: Number(pool!.log) / 2 ** 20,
      innodbLogFileMbOutsideTheRun: logBefore / 2 ** 20,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 1024 ** 3), node: process.version },
      iterations: o.iterations,
    };
    // Runs of other sizes measured earlier stay, each with its own date and load.
    const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as { runs?: ({ offices: number } & Record<string, unknown>)[] }).runs ?? [] : [];
    const runs: ({ offices: number } & Record<string, unknown>)[] = previous.filter((r) => !sizes.includes(r.offices));
    for (const offices of sizes) {
      runs.push({ ...(await benchSize(admin, offices, o)), conditions });
      runs.sort((x, y) => x.offices - y.offices);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify({ database: 'mariadb', sizes: runs.map((r) => r.offices), runs }, null, 2)}\n`);
      console.log(`  wrote ${out}`);
    }
  } finally {
    if (!args.includes('--keep')) await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    if (method === 'infile' && infileBefore !== 1) await admin.query('SET GLOBAL local_infile = 0');
    if (logFileMb !== null) {
      await admin.query('SET GLOBAL innodb_log_file_size = ?', [logBefore]);
      console.log(`innodb_log_file_size restored to ${logBefore / 2 ** 20} MB`);
    }
    if (bufferPoolMb !== null) {
      await resizeBufferPool(admin, poolBefore);
      console.log(`innodb_buffer_pool_size restored to ${poolBefore / 2 ** 20} MB`);
    }
    await admin.end();
  }
}
