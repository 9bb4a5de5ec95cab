/**
 * `node dist/bench/national-district.js --large DB [--small-offices 2000] [--iterations 60]`: a
 * district's comparison in a large database (DB, left by `npm run bench -- --national --keep`)
 * against the same district in a small one (loaded here, dropped at the end), measured in
 * alternation in one run, so that what else the machine does weighs on both sizes alike — the
 * issue's "a district's comparison costs the same (within 1.3×) in the 100,000-office database as
 * in a 2,000-office one". Each size: the request over HTTP to a server of its own, the service's
 * computation in this process (uncached), and the hand-written join form. Prints JSON.
 */
import 'reflect-metadata';
import os from 'node:os';
import { createConnection } from 'mysql2/promise';
import { NoAnalysisCache } from '../src/analysis/cache';
import { bulkLoadDemoData } from '../src/analysis/demo/bulk-load';
import { parseDatabaseUrl } from '../src/config/config';
import { createDataSource, migrate } from '../src/db/data-source';
import { createServices } from '../src/server/context';
import { createLoaders } from '../src/server/loaders';
import { COMPARE_QUERY } from './answers';
import { baselineCompare, mysqlRaw } from './baseline';
import { gql, percentile, round, startServer, timed } from './harness';

const YEAR = 2023;
const METRICS: [string, string, string] = ['applications.received.total', 'proactive.items_total', 'proactive.licensing.decisions'];
const DISTRICT = 'demo-p-c01-d01';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const large = option('--large');
  if (!large || !/^\w+$/.test(large)) throw new Error('--large DATABASE (letters, digits, _)');
  const smallOffices = Number(option('--small-offices') ?? 2000);
  const iterations = Number(option('--iterations') ?? 60);
  const base = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/dg_bench';
  const urlOf = (db: string) => {
    const u = new URL(base);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const small = `${large}_small`;
  const admin = await createConnection({ uri: base.replace(new URL(base).pathname, '/') });
  await admin.query(`DROP DATABASE IF EXISTS \`${small}\``);
  await admin.query(`CREATE DATABASE \`${small}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const cleanups: (() => Promise<unknown>)[] = [async () => admin.query(`DROP DATABASE IF EXISTS \`${small}\``), () => admin.end()];
  try {
    const loading = await createDataSource(parseDatabaseUrl(urlOf(small)));
    await migrate(loading);
    await bulkLoadDemoData(loading, { offices: smallOffices, years: [2021, 2022, 2023], layout: 'late-additions' });
    await loading.destroy();
    const sizes = [];
    for (const db of [small, large]) {
      const { child, url } = await startServer(urlOf(db));
      const raw = mysqlRaw(urlOf(db));
      const local = await createDataSource(parseDatabaseUrl(urlOf(db)));
      cleanups.unshift(async () => child.kill('SIGTERM'), () => raw.close(), () => local.destroy());
      const [[count]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${db}\`.offices`)) as unknown as [{ n: number }[]];
      const analysis = createServices(local, new NoAnalysisCache()).analysis;
      sizes.push({
        db,
        offices: Number(count!.n),
        runners: {
          http: () => gql(url, COMPARE_QUERY, { under: DISTRICT, year: YEAR, metrics: METRICS, first: 100 }),
          inProcess: () => timed(() => analysis.compareOffices({ year: YEAR, metrics: [...METRICS], under: DISTRICT, first: 100, missingFirst: 20 }, { loaders: createLoaders(local), role: 'public' })),
          join: () => timed(() => baselineCompare(raw, DISTRICT, YEAR, METRICS, 100, 20, 'join')),
        } as Record<string, () => Promise<{ ms: number }>>,
      });
    }
    // One rotation: every runner of both sizes, the order rotating each round.
    const all = sizes.flatMap((s) => Object.entries(s.runners).map(([name, run]) => ({ key: `${s.offices}:${name}`, run })));
    const times = new Map<string, number[]>(all.map((r) => [r.key, []]));
    for (let i = 0; i < 3; i++) for (const r of all) await r.run();
    const loadBefore = os.loadavg().map(round);
    for (let i = 0; i < iterations; i++) {
      for (let j = 0; j < all.length; j++) {
        const r = all[(i + j) % all.length]!;
        times.get(r.key)!.push((await r.run()).ms);
      }
    }
    const summary = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
    const measured = Object.fromEntries([...times].map(([k, xs]) => [k, summary(xs)]));
    const [s, l] = sizes.map((x) => x.offices) as [number, number];
    const ratios = Object.fromEntries(['http', 'inProcess', 'join'].map((name) => [name, { p50: round(measured[`${l}:${name}`]!.p50 / measured[`${s}:${name}`]!.p50), p95: round(measured[`${l}:${name}`]!.p95 / measured[`${s}:${name}`]!.p95) }]));
    console.log(JSON.stringify({ district: DISTRICT, iterations, measuredAt: new Date().toISOString(), loadAverage: { before: loadBefore, after: os.loadavg().map(round) }, measured, largeOverSmall: ratios }, null, 2));
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
