/**
 * `npm run bench -- --national [--sizes 2000,10000,100000] [--layout late-additions]`: the cost of
 * the analyses against database size, on MariaDB (BENCH_MYSQL_URL, database dg_bench_national),
 * 3 years. Each size is loaded by the bulk loader (src/analysis/demo/bulk-load.ts: multi-row
 * INSERTs of offices, reports, metric values and findings; no revisions or channel rows), then
 * measured through the HTTP endpoint of a server in its own process (production mode, cache off)
 * against the faster of the hand-written forms of each answer, in rotation. Writes
 * bench/results/national.json after every size, so that a run stopped midway keeps what it
 * measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { bulkLoadDemoData } from '../src/analysis/demo/bulk-load';
import { DEMO_LAYOUTS, type DemoLayout } from '../src/analysis/demo/generator';
import { parseDatabaseUrl } from '../src/config/config';
import { PROJECT_ROOT } from '../src/config/paths';
import { SYSTEM_VIEWER } from '../src/auth/viewer';
import { createDataSource, migrate } from '../src/db/data-source';
import { createServices } from '../src/server/context';
import { COMPARE_QUERY, ROLLUP_QUERY, compareDifference, rollupDifference } from './answers';
import { baselineCompare, baselineRollup, mysqlRaw, type RawSql } from './baseline';
import { gql, measureAgainst, measure, peakRssMb, round, startServer, timed, type Summary } from './harness';

const YEARS = [2021, 2022, 2023];
const YEAR = 2023;
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];
const ITERATIONS = 40;

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
  baselineForm: string | null;
  ratio: number | null;
  statementsPerRequest: number;
  sameAnswer: boolean | null;
}

function row(name: string, offices: number, ours: Summary, baseline: Summary | null, form: string | null, statements: number, same: boolean | null): Measured {
  return { name, offices, p50Ms: ours.p50, p95Ms: ours.p95, baselineP95Ms: baseline?.p95 ?? null, baselineForm: form, ratio: baseline ? round(ours.p95 / baseline.p95) : null, statementsPerRequest: statements, sameAnswer: same };
}

async function benchSize(url: string, offices: number, layout: DemoLayout) {
  const target = new URL(url);
  const name = 'dg_bench_national';
  target.pathname = `/${name}`;
  const admin = await createConnection({ uri: url.replace(new URL(url).pathname, '/') });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const dataSource = await createDataSource(parseDatabaseUrl(target.toString()));
  await migrate(dataSource);
  console.log(`\n== national: ${offices} offices × ${YEARS.length} years, layout ${layout}, bulk loader`);
  let shown = 0;
  const loaded = await bulkLoadDemoData(dataSource, {
    offices,
    years: YEARS,
    layout,
    onProgress: (done, total) => {
      if (done - shown >= total / 10) {
        shown = done;
        process.stdout.write(` ${Math.round((100 * done) / total)}%`);
      }
    },
  });
  const [[size]] = [(await dataSource.query(`SELECT COUNT(*) AS n FROM metric_values`)) as { n: number }[]];
  // The assessment is for analysts: its requests present this token.
  const analyst = { authorization: `Bearer ${(await createServices(dataSource).tokens.create({ name: 'bench', role: 'analyst' }, SYSTEM_VIEWER)).secret}` };
  await dataSource.destroy();
  console.log(`\n  loaded ${loaded.reports} reports (${size?.n} metric values) in ${loaded.seconds.toFixed(0)} s`);

  const { child, url: server } = await startServer(target.toString());
  const raw = mysqlRaw(target.toString());
  const queries: Measured[] = [];
  try {
    const district = 'demo-p-c01-d01';
    const city = 'demo-p-c01';
    for (const [under, label] of [[district, 'compareOffices district'], [city, 'compareOffices city']] as const) {
      const ask = () => gql(server, COMPARE_QUERY, { under, year: YEAR, metrics: METRICS, first: 100 });
      const m = await measureAgainst(ask, { range: () => timed(() => baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'range')), join: () => timed(() => baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'join')) }, ITERATIONS);
      const answer = await ask();
      const same = compareDifference(answer.data.compareOffices, await baselineCompare(raw, under, YEAR, METRICS, 100, 20, 'join')) === null;
      queries.push(row(label, answer.data.compareOffices.officeCount, m.ours, m.baseline, m.best, answer.statements, same));
      console.log(`  ${label}: ${JSON.stringify(queries.at(-1))} forms ${JSON.stringify(m.forms)}`);
    }
    const rollup = () => gql(server, ROLLUP_QUERY, { under: 'demo-p', years: YEARS, metrics: METRICS });
    const r = await measureAgainst(rollup, { scan: () => timed(() => baselineRollup(raw, 'demo-p', YEARS, METRICS)) }, Math.ceil(ITERATIONS / 4));
    const rolled = await rollup();
    queries.push(row('rollup province', offices, r.ours, r.baseline, r.best, rolled.statements, rollupDifference(rolled.data.rollup, await baselineRollup(raw, 'demo-p', YEARS, METRICS)) === null));
    console.log(`  rollup: ${JSON.stringify(queries.at(-1))}`);

    const series = () => gql(server, TIME_SERIES, { under: city, metrics: METRICS, from: YEARS[0], to: YEAR });
    const t = await measureAgainst(series, { join: () => timed(() => baselineTimeSeries(raw, city, 'join')), scan: () => timed(() => baselineTimeSeries(raw, city, 'scan')) }, ITERATIONS);
    const got = (await series()).data.timeSeries as { metric: string; points: { year: number; value: number | null }[] }[];
    const expected = await baselineTimeSeries(raw, city, 'join');
    const sameSeries = expected.totals.every((e) => METRICS.every((_, n) => Math.abs(Number(got[n]!.points.find((p) => p.year === Number(e.year))?.value) - Number(e[`m${n}`])) < 1e-6));
    queries.push(row('timeSeries city', 2000, t.ours, t.baseline, t.best, (await series()).statements, sameSeries));
    console.log(`  timeSeries: ${JSON.stringify(queries.at(-1))}`);

    const assess = () => gql(server, ASSESSMENT, { under: district, year: YEAR }, analyst);
    const a = await measure(assess, ITERATIONS);
    queries.push(row('assessment district', (await assess()).data.assessment.summary.offices, a, null, null, (await assess()).statements, null));
    console.log(`  assessment: ${JSON.stringify(queries.at(-1))}`);
    return { offices, years: YEARS.length, layout, loader: 'bulk (src/analysis/demo/bulk-load.ts)', loadSeconds: round(loaded.seconds), reports: loaded.reports, metricValues: Number(size?.n), serverPeakRssMb: peakRssMb(child.pid!), queries };
  } finally {
    await raw.close();
    child.kill('SIGTERM');
  }
}

export async function benchNational(args: readonly string[]): Promise<void> {
  const sizesAt = args.indexOf('--sizes');
  const sizes = (sizesAt >= 0 ? args[sizesAt + 1]! : '2000,10000,100000').split(',').map(Number);
  const layoutAt = args.indexOf('--layout');
  const layout = (layoutAt >= 0 ? args[layoutAt + 1] : 'late-additions') as DemoLayout;
  if (!DEMO_LAYOUTS.includes(layout)) throw new Error(`--layout: one of ${DEMO_LAYOUTS.join(', ')}`);
  const url = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/dg_bench';
  const out = path.join(PROJECT_ROOT, 'bench', 'results', 'national.json');
  const runs = [];
  for (const offices of sizes) {
    runs.push(await benchSize(url, offices, layout));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify({ database: 'mariadb', sizes, runs }, null, 2)}\n`);
    console.log(`  wrote ${out}`);
  }
}
