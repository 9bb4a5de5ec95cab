/**
 * The dashboard's first view at real sizes (issue 19): the demo province of 10,000 offices on
 * SQLite and MariaDB, the service in its own process as `npm start` runs it (no comparison cache:
 * a first visit), Chromium at 1440×900 opening a 200-office district and the 2,000-office city.
 *
 * Ready: every panel inside the 1440×900 viewport (overview, ranking, trends: what the reader sees
 * first) holds its data or says it has none, timed in the page from the start of the navigation.
 * The panels further down (channels, findings) load when scrolled to or once those are drawn; the
 * time until all five views are done is recorded beside it (allViewsMs).
 * Baseline, in the same run: the page's own GraphQL requests, recorded, then replayed from Node
 * all at once (analysis operations two at a time, as the service allows a client) — what the
 * service needs to answer them; the ratio says how much the page adds (its sequencing, its
 * drawing). Also: the requests, their bytes, and the longest one.
 *
 *   npm run bench:first-view                       both databases, generated afresh
 *   npm run bench:first-view -- --reuse            keep the generated databases between runs
 *   npm run bench:first-view -- --databases sqlite --runs 3 --out F --waterfall   (each request's span)
 *   npm run bench:first-view -- --before-dist DIR  also the page built into DIR (e.g. from an earlier
 *                                                  commit), in alternation with this one: before/after
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { chromium, type Page } from 'playwright-core';
import { generateDemoData } from '../src/analysis/demo/generator';
import { parseDatabaseUrl, type DatabaseConfig } from '../src/config/config';
import { PROJECT_ROOT } from '../src/config/paths';
import { createDataSource, migrate } from '../src/db/data-source';
import { round, startServer } from './server';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const OFFICES = Number(option('--offices') ?? 10000);
const YEARS = [2023, 2024];
const YEAR = YEARS[YEARS.length - 1]!;
const RUNS = Number(option('--runs') ?? 5);
const REUSE = args.includes('--reuse');
const DATABASES = (option('--databases') ?? 'sqlite,mariadb').split(',');
const OUT = option('--out') ?? path.join(PROJECT_ROOT, 'bench', 'results', 'first-view.json');
/** Another build of the dashboard (e.g. of an earlier commit), measured in alternation with this one against the same service. */
const BEFORE_DIST = option('--before-dist');
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/dg_bench_first_view';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SELECTIONS = [
  { name: 'district', code: 'demo-p-c01-d01' },
  { name: 'city', code: 'demo-p-c01' },
] as const;
const VIEWS = ['overview', 'ranking', 'trends', 'channels', 'findings'];
const ANALYSIS_FIELDS = /\b(compareOffices|childSummaries|rollup|timeSeries|yearOverYear)\s*\(/;

interface Recorded {
  readonly operation: string;
  readonly body: string;
  readonly analysis: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

interface Visit {
  readonly readyMs: number;
  readonly allViewsMs: number;
  readonly firstViewPanels: string;
  readonly navigationStart: number;
  readonly requests: Recorded[];
}

interface SelectionResult {
  /** `dashboard/dist`, or the other build given with --before-dist. */
  readonly page: 'current' | 'before';
  readonly selection: string;
  readonly code: string;
  readonly offices: number;
  readonly readyMs: { median: number; min: number; max: number; runs: number[] };
  /** The panels inside the viewport when it was ready (the first view). */
  readonly firstViewPanels: string;
  /** Until all five views were done (channels and findings further down included), median. */
  readonly allViewsMs: number;
  readonly baselineMs: number;
  readonly ratio: number;
  readonly requests: number;
  readonly analysisRequests: number;
  readonly responseKb: number;
  readonly slowest: { operation: string; ms: number };
  readonly operations: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Strings: the bench's types have no DOM. FIRST_VIEW resolves to performance.now() once every panel
 * inside the viewport is done (and which those are); ALL_VIEWS once every one of the five is.
 */
const FIRST_VIEW = `(() => {
  const panels = [...document.querySelectorAll('section.panel')].filter((p) => !p.hidden);
  const seen = panels.filter((p) => { const r = p.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
  const done = seen.length > 0 && seen.every((p) => p.dataset.state && p.dataset.state !== 'loading' && p.dataset.state !== 'idle');
  return done ? { ms: performance.now(), panels: seen.map((p) => p.id).join(',') } : false;
})()`;
const ALL_VIEWS = `(() => {
  const views = ${JSON.stringify(VIEWS)}.map((id) => document.getElementById(id));
  const done = views.every((v) => v && v.dataset.state && v.dataset.state !== 'loading' && v.dataset.state !== 'idle');
  return done ? performance.now() : false;
})()`;

async function visit(page: Page, url: string): Promise<Visit> {
  const requests: Recorded[] = [];
  const pending: Promise<void>[] = [];
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
    pending.push(
      (async () => {
        const body = request.postData() ?? '';
        const timing = request.timing();
        const sizes = await request.sizes();
        const operation = (JSON.parse(body) as { operationName?: string }).operationName ?? 'GraphQL';
        // startTime is wall-clock ms; the other marks are relative to it.
        requests.push({ operation, body, analysis: ANALYSIS_FIELDS.test(body), startMs: timing.startTime, endMs: timing.startTime + timing.responseEnd, bytes: sizes.responseBodySize });
      })(),
    );
  });
  await page.goto('about:blank');
  const navigationStart = Date.now();
  await page.goto(url);
  const first = await page.waitForFunction(FIRST_VIEW, undefined, { polling: 'raf', timeout: 120000 });
  const { ms: readyMs, panels } = (await first.jsonValue()) as { ms: number; panels: string };
  const all = await page.waitForFunction(ALL_VIEWS, undefined, { polling: 'raf', timeout: 120000 });
  const allViewsMs = (await all.jsonValue()) as number;
  await Promise.all(pending);
  page.removeAllListeners('requestfinished');
  // Only the requests the first view waited for (the panels further down, the assessment and the rest of the tree follow it).
  const firstView = requests.filter((r) => r.startMs >= navigationStart && r.endMs - navigationStart <= readyMs);
  return { readyMs: Math.round(readyMs), allViewsMs: Math.round(allViewsMs), firstViewPanels: panels, navigationStart, requests: firstView };
}

/** The recorded requests, all at once, analysis operations two at a time: the service's share. */
async function replay(server: string, requests: readonly Recorded[]): Promise<number> {
  const started = performance.now();
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const slot = async () => {
    if (inFlight >= 2) await new Promise<void>((resolve) => queue.push(resolve));
    inFlight += 1;
  };
  const release = () => {
    inFlight -= 1;
    queue.shift()?.();
  };
  await Promise.all(
    requests.map(async (r) => {
      if (r.analysis) await slot();
      try {
        const res = await fetch(`${server}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: r.body });
        const body = (await res.json()) as { errors?: unknown };
        if (!res.ok || body.errors) throw new Error(`${r.operation}: HTTP ${res.status} ${JSON.stringify(body.errors)}`);
      } finally {
        if (r.analysis) release();
      }
    }),
  );
  return performance.now() - started;
}

async function officesUnder(server: string, code: string): Promise<number> {
  const res = await fetch(`${server}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query ($u: String!) { offices(filter: { under: $u }, first: 1) { totalCount } }', variables: { u: code } }),
  });
  return ((await res.json()) as { data: { offices: { totalCount: number } } }).data.offices.totalCount;
}

async function prepare(label: string, config: DatabaseConfig): Promise<void> {
  const dataSource = await createDataSource(config);
  await migrate(dataSource);
  const [row] = (await dataSource.query("SELECT COUNT(*) AS n FROM offices WHERE code LIKE 'demo-%'")) as { n: number | string }[];
  if (REUSE && Number(row?.n ?? 0) >= OFFICES) {
    console.log(`  ${label}: reusing ${row!.n} demo offices`);
  } else {
    const generated = await generateDemoData(dataSource, { offices: OFFICES, years: YEARS });
    console.log(`  ${label}: generated ${generated.offices} offices, ${generated.reports} reports in ${generated.seconds.toFixed(0)} s`);
  }
  await dataSource.destroy();
}

/** Serves the dashboard's files from another build: the same page as of another commit, against the same service. */
async function routeDist(page: Page, server: string, dist: string): Promise<void> {
  await page.route(`${server}/dashboard/**`, (route) => {
    const relative = new URL(route.request().url()).pathname.replace(/^\/dashboard\/?/, '') || 'index.html';
    const file = path.join(dist, relative);
    return fs.existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ path: path.join(dist, 'index.html') });
  });
}

function summarize(variant: 'current' | 'before', selection: (typeof SELECTIONS)[number], offices: number, visits: Visit[], baselines: number[]): SelectionResult {
  const readies = visits.map((v) => v.readyMs);
  const typical = visits.find((v) => v.readyMs === median(readies))!;
  const slowest = typical.requests.reduce((a, b) => (b.endMs - b.startMs > a.endMs - a.startMs ? b : a), typical.requests[0]!);
  const operations: Record<string, number> = {};
  for (const r of typical.requests) operations[r.operation] = (operations[r.operation] ?? 0) + 1;
  const baselineMs = median(baselines);
  if (args.includes('--waterfall')) {
    console.log(`  ${selection.name} (${variant}): first view (${typical.firstViewPanels}) ready at ${typical.readyMs} ms, all views at ${typical.allViewsMs} ms`);
    for (const r of [...typical.requests].sort((a, b) => a.startMs - b.startMs)) {
      console.log(`    ${r.operation.padEnd(20)} ${String(Math.round(r.startMs - typical.navigationStart)).padStart(6)} → ${String(Math.round(r.endMs - typical.navigationStart)).padStart(6)} ms  ${(r.bytes / 1024).toFixed(1)} KB`);
    }
  }
  return {
    page: variant,
    selection: selection.name,
    code: selection.code,
    offices,
    readyMs: { median: median(readies), min: Math.min(...readies), max: Math.max(...readies), runs: readies },
    firstViewPanels: typical.firstViewPanels,
    allViewsMs: median(visits.map((v) => v.allViewsMs)),
    baselineMs: Math.round(baselineMs),
    ratio: round(median(readies) / baselineMs),
    requests: typical.requests.length,
    analysisRequests: typical.requests.filter((r) => r.analysis).length,
    responseKb: round(typical.requests.reduce((a, r) => a + r.bytes, 0) / 1024),
    slowest: { operation: slowest.operation, ms: Math.round(slowest.endMs - slowest.startMs) },
    operations,
  };
}

async function benchDatabase(label: string, url: string): Promise<{ database: string; selections: SelectionResult[] }> {
  console.log(`\n== ${label}: ${OFFICES} offices × ${YEARS.length} years`);
  await prepare(label, parseDatabaseUrl(url));
  const { child, url: server } = await startServer(url);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-first-view-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const selections: SelectionResult[] = [];
  try {
    const page = await context.newPage();
    // The page's scripts into the browser's cache: every measured visit is a returning analyst's.
    await visit(page, `${server}/dashboard/#district=${SELECTIONS[0].code}&year=${YEAR}`);
    const variants: ('current' | 'before')[] = BEFORE_DIST ? ['current', 'before'] : ['current'];
    const serve = async (variant: 'current' | 'before') => {
      await page.unrouteAll();
      if (variant === 'before') await routeDist(page, server, BEFORE_DIST!);
    };
    if (BEFORE_DIST) {
      await serve('before');
      await visit(page, `${server}/dashboard/#district=${SELECTIONS[0].code}&year=${YEAR}`);
    }
    for (const selection of SELECTIONS) {
      const target = `${server}/dashboard/#district=${selection.code}&year=${YEAR}`;
      const visits = new Map(variants.map((v) => [v, [] as Visit[]]));
      const baselines = new Map(variants.map((v) => [v, [] as number[]]));
      for (let i = 0; i < RUNS; i++) {
        for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
          await serve(variant);
          const v = await visit(page, target);
          visits.get(variant)!.push(v);
          // In alternation with the visits, so that the machine's other load weighs on both alike.
          baselines.get(variant)!.push(await replay(server, v.requests));
        }
      }
      const offices = await officesUnder(server, selection.code);
      for (const variant of variants) selections.push(summarize(variant, selection, offices, visits.get(variant)!, baselines.get(variant)!));
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
  return { database: label, selections };
}

async function mariadbTarget(): Promise<{ label: string; url: string }> {
  const url = new URL(MYSQL_URL);
  const name = url.pathname.slice(1);
  const admin = await createConnection({ uri: MYSQL_URL.replace(url.pathname, '/') });
  if (!REUSE) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [[version]] = (await admin.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]];
  await admin.end();
  return { label: `mariadb ${version?.v ?? ''}`.trim(), url: MYSQL_URL };
}

function sqliteTarget(): { label: string; url: string } {
  const dir = path.join(os.tmpdir(), 'dg-bench-first-view');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'bench.sqlite');
  if (!REUSE) for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
  return { label: 'sqlite', url: `sqlite:${file}` };
}

const startLoad = os.loadavg().map((l) => Math.round(l * 100) / 100);

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'dashboard', 'dist', 'index.html'))) throw new Error('dashboard/dist is missing: run `npm run build` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const runs = [];
  for (const database of DATABASES) {
    const target = database === 'sqlite' ? sqliteTarget() : await mariadbTarget();
    runs.push(await benchDatabase(target.label, target.url));
  }
  console.log('\ndatabase      page     selection  offices  first view ms (median; min–max)  all views ms  baseline ms  ratio  requests (analysis)  response KB  slowest request');
  for (const run of runs) {
    for (const s of run.selections) {
      console.log(
        `${run.database.slice(0, 12).padEnd(13)} ${s.page.padEnd(8)} ${s.selection.padEnd(10)} ${String(s.offices).padStart(7)}  ${`${s.readyMs.median} (${s.readyMs.min}–${s.readyMs.max})`.padEnd(31)}  ${String(s.allViewsMs).padStart(12)}  ${String(s.baselineMs).padStart(11)}  ${String(s.ratio).padStart(5)}  ${`${s.requests} (${s.analysisRequests})`.padStart(19)}  ${String(s.responseKb).padStart(11)}  ${s.slowest.operation} ${s.slowest.ms} ms`,
      );
    }
  }
  const result = {
    what: 'time until every panel inside the 1440x900 viewport (the first view) is ready, in Chromium, from the start of the navigation (allViewsMs: until all five views are); baseline: the first view\'s GraphQL requests replayed from Node (two analysis operations at a time)',
    machine_load: { before: startLoad, after: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    target: { readyMs: 2000 },
    offices: OFFICES,
    years: YEARS,
    runsPerSelection: RUNS,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    runs,
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
