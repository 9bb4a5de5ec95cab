/**
 * The abuse phase of `npm run load` (issue 12 §1): while `abusers` clients, each with a credential
 * of its own (so the per-client limit of 2 in flight does not simply turn them away), send the most
 * expensive analysis query the cost limit accepts in a loop — varied so the comparison cache never
 * answers it — `victims` connections ask for `report(officeCode, year)`. The victims' p99 must stay
 * under 500 ms with no 5xx; on MariaDB, `information_schema.PROCESSLIST` is sampled throughout: no
 * statement may run longer than the request limit, and none may be left once the abusers stop.
 */
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { parse } from 'graphql';
import { storedKeysOf } from '../src/analysis/metric-sql';
import { METRIC_DEFINITIONS } from '../src/metrics/catalog';
import { DEFAULT_SECURITY } from '../src/config/config';
import { queryCost } from '../src/server/limits';
import { getSchema } from '../src/server/schema';

/** The twelve derived metrics with the most stored keys (81 between them): the reviewer's query. */
export const HEAVY_METRICS = METRIC_DEFINITIONS.filter((m) => m.derivation)
  .map((m) => ({ key: m.key, parts: storedKeysOf(m.key).length }))
  .sort((a, b) => b.parts - a.parts || a.key.localeCompare(b.key))
  .slice(0, 12)
  .map((m) => m.key);

function rollups(under: string, years: readonly number[], count: number, variant: number): string {
  // Rotating the metrics and moving missingFirst give every request its own cache key.
  const metrics = HEAVY_METRICS.map((_, i) => HEAVY_METRICS[(i + variant) % HEAVY_METRICS.length]);
  return `{ ${Array.from(
    { length: count },
    (_, n) => `r${n}: rollup(under: "${under}", years: ${JSON.stringify(years)}, metrics: ${JSON.stringify(metrics)}, groupBy: ${n % 2 ? 'LEVEL' : 'KIND'}, missingFirst: ${(variant + n) % 200}) { groups { year group officeCount values { metric total } } totals { values { total } } }`,
  ).join(' ')} }`;
}

/**
 * The costliest document of district rollups (as many aliases as fit) within the default limit,
 * priced by the server's own cost function with the district's real size.
 */
export async function mostExpensiveAccepted(district: string, districtOffices: number, years: readonly number[]): Promise<{ count: number; cost: number; query: (variant: number) => string }> {
  const schema = await getSchema();
  const sizes = new Map([[district, districtOffices]]);
  let best = { count: 0, cost: 0 };
  for (let count = 1; count <= DEFAULT_SECURITY.maxAliases; count++) {
    const cost = queryCost(parse(rollups(district, years, count, 0)), schema, {}, undefined, sizes);
    if (cost > DEFAULT_SECURITY.maxCost) break;
    best = { count, cost };
  }
  if (best.count === 0) throw new Error(`even one heavy rollup of ${district} is over the cost limit`);
  return { ...best, query: (variant) => rollups(district, years, best.count, variant) };
}

export interface AbuseOptions {
  readonly url: string;
  readonly duration: number;
  readonly abusers: number;
  readonly victims: number;
  readonly abuserTokens: readonly string[];
  readonly expensive: (variant: number) => string;
  readonly reportTargets: readonly { code: string; year: number }[];
  /** MariaDB: the service's database, watched in PROCESSLIST. */
  readonly mysql?: { url: string; database: string };
  readonly requestTimeoutMs: number;
}

export interface AbuseResult {
  readonly victims: { requests: number; p50: number; p99: number; max: number; statuses: Record<string, number>; http5xx: number; errors: number };
  readonly abusers: { requests: number; statuses: Record<string, number>; p50: number; max: number };
  readonly processlist?: { samples: number; longestSeconds: number; overLimit: number; leftAfter: number };
  readonly problems: string[];
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function abusePhase(o: AbuseOptions): Promise<AbuseResult> {
  const deadline = Date.now() + o.duration * 1000;
  const abuserStatuses = new Map<number, number>();
  const abuserTimes: number[] = [];
  let variant = 0;
  const abuser = async (token: string) => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const res = await fetch(`${o.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: o.expensive(variant++) }),
      }).catch(() => null);
      abuserTimes.push(performance.now() - started);
      const status = res?.status ?? 0;
      abuserStatuses.set(status, (abuserStatuses.get(status) ?? 0) + 1);
      if (res) await res.arrayBuffer();
      // Refused: the client's two slots are busy; come straight back, as an attacker would.
    }
  };

  let watching = Boolean(o.mysql);
  const watch = { samples: 0, longestSeconds: 0, overLimit: 0, leftAfter: 0 };
  const watcher = o.mysql ? await createConnection({ uri: o.mysql.url }) : null;
  const running = async () => {
    const [rows] = await watcher!.query(`SELECT TIME_MS FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND ID <> CONNECTION_ID()`, [o.mysql!.database]);
    return (rows as { TIME_MS: number }[]).map((r) => Number(r.TIME_MS) / 1000);
  };
  const sampling = (async () => {
    while (watching) {
      const times = await running();
      watch.samples += 1;
      watch.longestSeconds = Math.max(watch.longestSeconds, ...times, 0);
      watch.overLimit += times.filter((t) => t > o.requestTimeoutMs / 1000 + 0.5).length;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  const victimStatuses = new Map<number, number>();
  const [victims] = await Promise.all([
    autocannon({
      url: `${o.url}/graphql`,
      connections: o.victims,
      duration: o.duration,
      requests: o.reportTargets.map((t) => ({
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query($c: String!, $y: Int!) { report(officeCode: $c, year: $y) { title templateFormat metrics(keys: ["applications.received.total"]) { key value } } }`, variables: { c: t.code, y: t.year } }),
        onResponse: (status: number) => void victimStatuses.set(status, (victimStatuses.get(status) ?? 0) + 1),
      })),
    }),
    ...o.abuserTokens.slice(0, o.abusers).map((t) => abuser(t)),
  ]);

  watching = false;
  await sampling;
  if (watcher) {
    // Whatever the abusers started has ended with their requests: nothing of theirs may be left.
    await new Promise((r) => setTimeout(r, 1000));
    watch.leftAfter = (await running()).length;
    await watcher.end();
  }

  const fiveXX = [...victimStatuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const problems: string[] = [];
  if (victims.latency.p99 >= 500) problems.push(`report p99 ${victims.latency.p99} ms is not under 500 ms`);
  if (fiveXX > 0) problems.push(`${fiveXX} report responses were 5xx`);
  if (victims.errors > 0 || victims.timeouts > 0) problems.push(`${victims.errors} report transport errors, ${victims.timeouts} timeouts`);
  if (watch.overLimit > 0) problems.push(`${watch.overLimit} statement samples ran past the request limit`);
  if (watch.leftAfter > 0) problems.push(`${watch.leftAfter} statements still running after the abusers stopped`);
  if ((abuserStatuses.get(200) ?? 0) === 0) problems.push('no abusive query was ever served: the phase measured nothing');
  return {
    victims: {
      requests: victims.requests.total,
      p50: victims.latency.p50,
      p99: victims.latency.p99,
      max: victims.latency.max,
      statuses: Object.fromEntries(victimStatuses),
      http5xx: fiveXX,
      errors: victims.errors + victims.timeouts,
    },
    abusers: { requests: abuserTimes.length, statuses: Object.fromEntries(abuserStatuses), p50: Math.round(percentile(abuserTimes, 50)), max: Math.round(Math.max(0, ...abuserTimes)) },
    ...(o.mysql ? { processlist: watch } : {}),
    problems,
  };
}
