/**
 * The benchmark: a fictional province loaded through the service's write path, then the analysis
 * queries measured through the real HTTP endpoint of a server in its own process, each against a
 * hand-written SQL baseline run in the same process on the same data.
 *
 *   npm run bench                      10,000 offices × 7 years on SQLite and MariaDB
 *   npm run bench -- --quick --out F   2,000 offices × 3 years on DATABASE_URL (or SQLite)
 *   --layout tight|shuffled|late-additions   the order offices are created in (generator.ts)
 *   npm run bench -- --national [--sizes 2000,10000,100000]   MariaDB, bulk-loaded (bench/national.ts)
 *   --offices N --years 2024,2025      another size; --only compare: only the comparison figures
 *   --databases mariadb                one database of the full run (sqlite, mariadb)
 *   --reuse                            MariaDB: keep the data of a previous run of the same size
 *   --iterations N                     samples per measured pair (default 60, quick 30)
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DEMO_LAYOUTS, generateDemoData, type DemoLayout } from '../src/analysis/demo/generator';
import { parseDatabaseUrl, type DatabaseConfig } from '../src/config/config';
import { PROJECT_ROOT } from '../src/config/paths';
import { measureParserThroughput, printParserThroughput } from './parser-throughput';
import { SYSTEM_VIEWER } from '../src/auth/viewer';
import { createDataSource, migrate } from '../src/db/data-source';
import { createServices } from '../src/server/context';
import { COMPARE_QUERY as COMPARE, ROLLUP_QUERY as ROLLUP, YEAR_OVER_YEAR_QUERY as YOY, compareDifference, rollupDifference, yearOverYearDifference } from './answers';
import { baselineCompare, baselineRollup, baselineYearOverYear, mysqlRaw, sqliteRaw, type RawSql } from './baseline';
import { benchDocuments } from './documents';
import { benchCompareExport, type ExportBench } from './exports';
import { gql, measure, measureAgainst, measurePair, peakRssMb, round, startServer, timed } from './harness';
import { benchNational } from './national';

interface QueryResult {
  name: string;
  offices: number;
  p50Ms: number;
  p95Ms: number;
  baselineP95Ms: number | null;
  /** Which hand-written form was the faster (bench/baseline.ts BaselineForm). */
  baselineForm?: string;
  ratio: number | null;
  statementsPerRequest: number;
  sameAnswer: boolean | null;
}

/**
 * All rows of a city's comparison (issue 20), cold: every walk starts without a cursor, so nothing
 * of that query is kept yet. Ratios against a 100-row request and against the hand-written SQL
 * returning every row in one go, measured in the same run.
 */
interface AllRows {
  groupRows: number;
  /** One public request: 100 rows and the group's statistics. */
  onePageP50Ms: number;
  onePageP95Ms: number;
  /** Every row, paging at 100 with `after`. */
  pages: number;
  pagingP50Ms: number;
  pagingP95Ms: number;
  pagingOverOnePage: number;
  /** Every row in one analyst request (`first` at the group's size). */
  analystP50Ms: number;
  analystP95Ms: number;
  analystOverOnePage: number;
  baselineAllP95Ms: number;
  analystOverBaseline: number;
  /**
   * The same analyst request answered from the analysis cache (a server with the cache on, the
   * group computed once before): the request path alone — HTTP, GraphQL, the page's offices, the
   * answer's JSON and the client's parsing of it — against the same hand-written SQL, alternating.
   */
  requestPathP50Ms: number;
  requestPathP95Ms: number;
  requestPathOverBaseline: number;
  sameAnswer: boolean;
}

interface Run {
  database: string;
  allRows?: AllRows;
  offices: number;
  years: number;
  importReportsPerSecond: number;
  peakRssMb: number;
  statementsConstant: boolean;
  exportSeconds: number | null;
  exportPeakRssMb: number | null;
  /** The comparison of a city as one CSV download against paging compareOffices through the API. */
  compareExport?: ExportBench;
  layout: DemoLayout;
  /** late-additions: a district that gained offices late against a tight one of the same size. */
  lateDistrict?: { late: { p50: number; p95: number }; tight: { p50: number; p95: number }; ratioP50: number; ratioP95: number };
  queries: QueryResult[];
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : path.join(PROJECT_ROOT, 'bench', 'results', 'latest.json');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const OFFICES = Number(option('--offices') ?? (quick ? 2000 : 10000));
const YEARS = option('--years')?.split(',').map(Number) ?? (quick ? [2021, 2022, 2023] : [2019, 2020, 2021, 2022, 2023, 2024, 2025]);
const ONLY_COMPARE = option('--only') === 'compare';
const DATABASES = option('--databases')?.split(',') ?? ['sqlite', 'mariadb'];
const REUSE = args.includes('--reuse');
const ITERATIONS = Number(option('--iterations') ?? (quick ? 30 : 60));
// The comparison has a target on its p95 and ratio: enough samples that the tail is a tail.
const COMPARE_ITERATIONS = Math.max(ITERATIONS, quick ? 100 : 200);
const layoutIndex = args.indexOf('--layout');
const LAYOUT = (layoutIndex >= 0 ? args[layoutIndex + 1] : 'tight') as DemoLayout;
if (!DEMO_LAYOUTS.includes(LAYOUT)) throw new Error(`--layout: one of ${DEMO_LAYOUTS.join(', ')}, not ${LAYOUT}`);
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];

/**
 * The case: a district that gained offices years later (d01, ids at the far end) against
 * one created in one go (d02, the same size), both compared in alternation on the same server.
 */
async function measureLateDistrict(server: string, year: number): Promise<Run['lateDistrict']> {
  const late = 'demo-p-c01-d01';
  const tight = 'demo-p-c01-d02';
  const pair = await measureAgainst(() => gql(server, COMPARE, { under: late, year, metrics: METRICS, first: 100 }), { tight: () => gql(server, COMPARE, { under: tight, year, metrics: METRICS, first: 100 }) }, COMPARE_ITERATIONS);
  const result = { late: pair.ours, tight: pair.baseline, ratioP50: round(pair.ours.p50 / pair.baseline.p50), ratioP95: round(pair.ours.p95 / pair.baseline.p95) };
  console.log(`  late-addition district ${late} against tight ${tight}: ${JSON.stringify(result)}`);
  return result;
}

const DASHBOARD = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!) {
  offices(filter: { under: $under }, first: 20) { edges { node { code name parent { code } report(year: $year) { templateFormat metrics(keys: $metrics) { key value } channels { kind name items } findings { code } } } } }
  compareOffices(under: $under, year: $year, metrics: $metrics, first: 10) { groups { sum median } rows { edges { node { office { code name } values { value rank share } } } } }
  timeSeries(under: $under, metrics: $metrics, fromYear: ${YEARS[0]}, toYear: ${YEARS[YEARS.length - 1]}) { metric points { year value } } }`;

async function benchDatabase(label: string, config: DatabaseConfig, url: string, raw: () => RawSql): Promise<Run> {
  console.log(`\n== ${label}: loading ${OFFICES} offices × ${YEARS.length} years, layout ${LAYOUT}`);
  const dataSource = await createDataSource(config);
  await migrate(dataSource);
  let last = 0;
  // --reuse: the data a previous run of the same size loaded (MariaDB), not loaded again.
  const [loaded] = (await dataSource.query('SELECT COUNT(*) AS n FROM offices')) as { n: unknown }[];
  const reuse = REUSE && Number(loaded?.n) === OFFICES;
  if (reuse) console.log('  reusing the loaded data');
  const generated = reuse ? { reports: 0, seconds: 1 } : await generateDemoData(dataSource, {
    offices: OFFICES,
    years: YEARS,
    layout: LAYOUT,
    onProgress: (done, total) => {
      if (done - last >= total / 20) {
        last = done;
        process.stdout.write(`  ${Math.round((100 * done) / total)}%`);
      }
    },
  });
  // Exports are for analysts: the download below presents this token.
  const analystToken = (await createServices(dataSource).tokens.create({ name: 'bench', role: 'analyst' }, SYSTEM_VIEWER)).secret;
  await dataSource.destroy();
  const importRate = generated.reports / generated.seconds;
  console.log(`\n  imported ${generated.reports} reports in ${generated.seconds.toFixed(1)} s: ${importRate.toFixed(0)} reports/s`);

  const { child, url: server } = await startServer(url);
  const db = raw();
  const year = YEARS[YEARS.length - 1]!;
  const city = 'demo-p-c01';
  const district = 'demo-p-c01-d01';
  const queries: QueryResult[] = [];
  try {
    const rssAt = (phase: string) => console.log(`  server peak RSS after ${phase}: ${peakRssMb(child.pid!)} MB`);
    rssAt('start');
    const cityOffices = (await gql(server, COMPARE, { under: city, year, metrics: METRICS, first: 100 })).data.compareOffices.officeCount as number;

    // compareOffices over a city (~2,000 offices), three metrics with ranks, shares, sums, means, medians.
    const compared = await measureAgainst(
      () => gql(server, COMPARE, { under: city, year, metrics: METRICS, first: 100 }),
      { range: () => timed(() => baselineCompare(db, city, year, METRICS, 100, 20, 'range')), join: () => timed(() => baselineCompare(db, city, year, METRICS, 100, 20, 'join')) },
      COMPARE_ITERATIONS,
    );
    const { ours, baseline: base } = compared;
    console.log(`  compareOffices over ${city}: hand-written forms ${JSON.stringify(compared.forms)}, the service ${JSON.stringify(ours)}`);
    const answer = (await gql(server, COMPARE, { under: city, year, metrics: METRICS, first: 100 })).data.compareOffices;
    const expected = await baselineCompare(db, city, year, METRICS, 100, 20, compared.best as 'range' | 'join');
    const difference = compareDifference(answer, expected);
    if (difference) console.error(`  compareOffices differs from the baseline: ${difference}`);
    const same = difference === null;
    // Each asked twice, so that both are counted the same way (the cost limit remembers a subtree's
    // size for a while: a first request counts it, the next ones do not).
    await gql(server, COMPARE, { under: district, year, metrics: METRICS, first: 100 });
    const small = await gql(server, COMPARE, { under: district, year, metrics: METRICS, first: 100 });
    await gql(server, COMPARE, { under: city, year, metrics: METRICS, first: 100 });
    const large = await gql(server, COMPARE, { under: city, year, metrics: METRICS, first: 100 });
    queries.push({ name: 'compareOffices', offices: cityOffices, p50Ms: ours.p50, p95Ms: ours.p95, baselineP95Ms: base.p95, baselineForm: compared.best, ratio: round(ours.p95 / base.p95), statementsPerRequest: large.statements, sameAnswer: same });
    const lateDistrict = LAYOUT === 'late-additions' ? await measureLateDistrict(server, year) : undefined;

    rssAt('compareOffices');
    const allRows = await benchAllRows(server, db, city, year, cityOffices, analystToken, url);
    rssAt('all rows');
    if (ONLY_COMPARE) return { database: label, layout: LAYOUT, allRows, offices: OFFICES, years: YEARS.length, importReportsPerSecond: round(importRate), peakRssMb: peakRssMb(child.pid!), statementsConstant: small.statements === large.statements, exportSeconds: null, exportPeakRssMb: null, queries };
    const { ours: rollupOurs, baseline: rollupBase } = await measurePair(
      () => gql(server, ROLLUP, { under: 'demo-p', years: YEARS, metrics: METRICS }),
      () => timed(() => baselineRollup(db, 'demo-p', YEARS, METRICS)),
      ITERATIONS,
    );
    const rollup = (await gql(server, ROLLUP, { under: 'demo-p', years: YEARS, metrics: METRICS })).data.rollup;
    const rollupExpected = await baselineRollup(db, 'demo-p', YEARS, METRICS);
    const rollupSame = rollupDifference(rollup, rollupExpected) === null;
    queries.push({ name: 'rollup', offices: OFFICES, p50Ms: rollupOurs.p50, p95Ms: rollupOurs.p95, baselineP95Ms: rollupBase.p95, ratio: round(rollupOurs.p95 / rollupBase.p95), statementsPerRequest: (await gql(server, ROLLUP, { under: 'demo-p', years: YEARS, metrics: METRICS })).statements, sameAnswer: rollupSame });

    rssAt('rollup');
    const office = `${district}-s001`;
    const { ours: yoyOurs, baseline: yoyBase } = await measurePair(
      () => gql(server, YOY, { office, metrics: METRICS, from: YEARS[1], to: year }),
      () => timed(() => baselineYearOverYear(db, office, METRICS[0], YEARS[1]!, year)),
      ITERATIONS,
    );
    const yoy = (await gql(server, YOY, { office, metrics: METRICS, from: YEARS[1], to: year })).data.yearOverYear.series[0].points;
    const yoyExpected = await baselineYearOverYear(db, office, METRICS[0], YEARS[1]!, year);
    const yoySame = yearOverYearDifference(yoy, yoyExpected) === null;
    queries.push({ name: 'yearOverYear', offices: 1, p50Ms: yoyOurs.p50, p95Ms: yoyOurs.p95, baselineP95Ms: yoyBase.p95, ratio: round(yoyOurs.p95 / yoyBase.p95), statementsPerRequest: (await gql(server, YOY, { office, metrics: METRICS, from: YEARS[1], to: year })).statements, sameAnswer: yoySame });

    const dash = await measure(() => gql(server, DASHBOARD, { under: district, year, metrics: METRICS }), ITERATIONS);
    queries.push({ name: 'dashboard', offices: 20, p50Ms: dash.p50, p95Ms: dash.p95, baselineP95Ms: null, ratio: null, statementsPerRequest: (await gql(server, DASHBOARD, { under: district, year, metrics: METRICS })).statements, sameAnswer: null });

    rssAt('yearOverYear and dashboard');
    const before = peakRssMb(child.pid!);
    const exportTimed = await timed(async () => {
      const res = await fetch(`${server}/exports/assessment.xlsx?year=${year}&under=demo-p`, { headers: { authorization: `Bearer ${analystToken}` } });
      return (await res.arrayBuffer()).byteLength;
    });
    console.log(`  export of ${OFFICES} offices: ${(exportTimed.value / 1e6).toFixed(1)} MB in ${(exportTimed.ms / 1000).toFixed(1)} s`);
    rssAt('export');
    const compareExport = await benchCompareExport(server, city, year, METRICS, quick ? 10 : 20);
    console.log(`  compare-offices.csv over ${compareExport.offices} offices: p95 ${compareExport.p95Ms} ms, paging compareOffices ${compareExport.baselineP95Ms} ms (ratio ${compareExport.ratio}), same answer: ${compareExport.sameAnswer}; .xlsx ${compareExport.xlsxMs} ms, ${compareExport.xlsxBytes} bytes`);
    const statementsConstant = small.statements === large.statements;
    const peak = peakRssMb(child.pid!);
    return {
      database: label,
      allRows,
      offices: OFFICES,
      years: YEARS.length,
      layout: LAYOUT,
      lateDistrict,
      importReportsPerSecond: round(importRate),
      peakRssMb: before,
      statementsConstant,
      exportSeconds: round(exportTimed.ms / 1000),
      exportPeakRssMb: peak,
      compareExport,
      queries,
    };
  } finally {
    await db.close();
    child.kill('SIGTERM');
  }
}

/** Every row of the city: paging at 100 (public), in one analyst request, and by hand-written SQL. */
async function benchAllRows(server: string, db: RawSql, city: string, year: number, cityOffices: number, analystToken: string, databaseUrl: string): Promise<AllRows> {
  const ask = (at: string, after: string | null, first: number, token?: string) => gql(at, COMPARE, { under: city, year, metrics: METRICS, first, after }, token ? { authorization: `Bearer ${token}` } : {});
  const page = (after: string | null, first: number, token?: string) => ask(server, after, first, token);
  let pages = 0;
  const walk = async () => {
    const started = performance.now();
    const rows: any[] = [];
    let after: string | null = null;
    pages = 0;
    do {
      const { data } = await page(after, 100);
      rows.push(...data.compareOffices.rows.edges);
      pages += 1;
      // A cursor that does not move would page for ever (the query must pass `after` on).
      if (pages > Math.ceil(cityOffices / 100) + 1) throw new Error(`paging ${city} did not end after ${pages} pages`);
      after = data.compareOffices.rows.pageInfo.hasNextPage ? data.compareOffices.rows.pageInfo.endCursor : null;
    } while (after);
    return { ms: performance.now() - started, rows };
  };
  const all = () => page(null, Math.max(cityOffices, 100), analystToken);
  // The one-page request and the paging walk alternate, like the pairs above.
  const { ours: paging, baseline: onePage } = await measurePair(walk, () => page(null, 100), ITERATIONS);
  // A single request is cheap to repeat: three times the samples, for a steadier p95.
  const handAll = () => timed(() => baselineCompare(db, city, year, METRICS, null));
  const { ours: analyst, baseline: hand } = await measurePair(all, handAll, 3 * ITERATIONS);
  const cached = await startServer(databaseUrl, { ANALYSIS_CACHE: 'on' });
  let requestPath: Awaited<ReturnType<typeof measurePair>>;
  try {
    const fromCache = () => ask(cached.url, null, Math.max(cityOffices, 100), analystToken);
    await fromCache();
    requestPath = await measurePair(fromCache, handAll, 3 * ITERATIONS);
  } finally {
    cached.child.kill('SIGTERM');
  }
  // The three ways give the same rows as the hand-written SQL.
  const expected = await baselineCompare(db, city, year, METRICS, null);
  const walked = (await walk()).rows;
  const whole = (await all()).data.compareOffices;
  const sameAnswer =
    compareDifference(whole, expected) === null && compareDifference({ ...whole, rows: { edges: walked } }, expected) === null && walked.length === expected.rows.length;
  if (!sameAnswer) console.error('  all rows differ from the baseline');
  return {
    groupRows: expected.rows.length,
    onePageP50Ms: onePage.p50,
    onePageP95Ms: onePage.p95,
    pages,
    pagingP50Ms: paging.p50,
    pagingP95Ms: paging.p95,
    pagingOverOnePage: round(paging.p95 / onePage.p95),
    analystP50Ms: analyst.p50,
    analystP95Ms: analyst.p95,
    analystOverOnePage: round(analyst.p95 / onePage.p95),
    baselineAllP95Ms: hand.p95,
    analystOverBaseline: round(analyst.p95 / hand.p95),
    requestPathP50Ms: requestPath.ours.p50,
    requestPathP95Ms: requestPath.ours.p95,
    requestPathOverBaseline: round(requestPath.ours.p95 / requestPath.baseline.p95),
    sameAnswer,
  };
}

function printTable(runs: Run[]): void {
  for (const run of runs) {
    console.log(`\n${run.database}: ${run.offices} offices × ${run.years} years, layout ${run.layout}; import ${run.importReportsPerSecond} reports/s; server peak RSS ${run.peakRssMb} MB; statements constant: ${run.statementsConstant}; export ${run.exportSeconds} s`);
    console.log('query            offices   p50 ms   p95 ms   baseline p95   ratio   statements   same answer');
    for (const q of run.queries) {
      console.log(`${q.name.padEnd(16)} ${String(q.offices).padStart(7)} ${String(q.p50Ms).padStart(8)} ${String(q.p95Ms).padStart(8)} ${String(q.baselineP95Ms ?? '-').padStart(14)} ${String(q.ratio ?? '-').padStart(7)} ${String(q.statementsPerRequest).padStart(12)}   ${q.sameAnswer ?? '-'}`);
    }
    const a = run.allRows;
    if (a) {
      console.log(`all ${a.groupRows} rows of a city (p95, cold): one 100-row request ${a.onePageP95Ms} ms; paging at 100 (${a.pages} requests) ${a.pagingP95Ms} ms = ${a.pagingOverOnePage}× one request (target ≤ 5×)`);
      console.log(`  one analyst request ${a.analystP95Ms} ms = ${a.analystOverOnePage}× one 100-row request (target ≤ 3×), ${a.analystOverBaseline}× the hand-written SQL's ${a.baselineAllP95Ms} ms (target ≤ 1.5×); same answer: ${a.sameAnswer}`);
      console.log(`  the same request from the analysis cache (request path alone, no SQL) ${a.requestPathP95Ms} ms = ${a.requestPathOverBaseline}× the hand-written SQL`);
    }
  }
}

async function main(): Promise<void> {
  if (args.includes('--national')) {
    await benchNational(args);
    return;
  }
  if (args.includes('--documents')) {
    console.log(JSON.stringify(await benchDocuments(), null, 2));
    return;
  }
  const parser = ONLY_COMPARE ? null : measureParserThroughput();
  if (parser) printParserThroughput(parser);
  const runs: Run[] = [];
  const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/dg_bench';
  const targets: string[] = quick ? [process.env.DATABASE_URL || 'sqlite'] : DATABASES.map((d) => (d === 'sqlite' ? 'sqlite' : mysqlUrl));
  for (const target of targets) {
    if (target === 'sqlite' || target.startsWith('sqlite:')) {
      const file = target === 'sqlite' ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dg-bench-')), 'bench.sqlite') : parseDatabaseUrl(target).type === 'sqlite' ? (parseDatabaseUrl(target) as { path: string }).path : '';
      runs.push(await benchDatabase('sqlite', { type: 'sqlite', path: file }, `sqlite:${file}`, () => sqliteRaw(file)));
    } else {
      const url = new URL(target);
      const name = url.pathname.slice(1) || 'dg_bench';
      const admin = await createConnection({ uri: target.replace(url.pathname, '/') });
      if (!REUSE) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const [[version]] = (await admin.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]];
      await admin.end();
      runs.push(await benchDatabase(`mariadb/mysql ${version?.v ?? ''}`.trim(), parseDatabaseUrl(target), target, () => mysqlRaw(target)));
    }
  }
  printTable(runs);
  const documents = ONLY_COMPARE ? null : await benchDocuments();
  const result = {
    documents,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.type()} ${os.release()}` },
    mode: ONLY_COMPARE ? `compare only, ${OFFICES} offices × ${YEARS.length} years` : quick ? 'quick' : 'full',
    layout: LAYOUT,
    parserThroughput: parser,
    runs,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
