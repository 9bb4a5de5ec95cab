/** What the benchmarks share: a server in its own process, GraphQL over HTTP, paired timings. */

export const ITERATIONS_DEFAULT = 60;

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export { freePort, peakRssMb, round, startServer } from './server';
import { round } from './server';

/**
 * One GraphQL request. The SQLite baseline runs synchronously and blocks this process's event loop
 * for seconds, so the client may not notice that the server closed an idle keep-alive connection
 * meanwhile; a request that fails that way is sent once more on a new connection.
 */
export async function gql(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, retry = true): Promise<{ data: any; statements: number; ms: number }> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  } catch (error) {
    if (!retry || (error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return gql(url, query, variables, headers, false);
  }
  const body = (await res.json()) as { data: any; errors?: unknown; extensions?: { sqlStatements?: number } };
  const ms = performance.now() - started;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { data: body.data, statements: body.extensions?.sqlStatements ?? -1, ms };
}

export async function measure(fn: () => Promise<{ ms: number }>, iterations = ITERATIONS_DEFAULT): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) times.push((await fn()).ms);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

/**
 * The service and its baseline, measured in alternation (which goes first alternates too), so
 * that whatever else the machine does in the meantime weighs on both alike.
 */
export async function measurePair(ours: () => Promise<{ ms: number }>, baseline: () => Promise<{ ms: number }>, iterations: number): Promise<{ ours: { p50: number; p95: number }; baseline: { p50: number; p95: number } }> {
  for (let i = 0; i < 5; i++) {
    await ours();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      a.push((await ours()).ms);
      b.push((await baseline()).ms);
    } else {
      b.push((await baseline()).ms);
      a.push((await ours()).ms);
    }
  }
  const summary = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
  return { ours: summary(a), baseline: summary(b) };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}


export interface Summary {
  readonly p50: number;
  readonly p95: number;
}

/**
 * The service against several hand-written forms of the same answer, in rotation (which goes first
 * rotates too). The baseline is the best form by p95: the best SQL for the data as it is.
 */
export async function measureAgainst(ours: () => Promise<{ ms: number }>, forms: Record<string, () => Promise<{ ms: number }>>, iterations: number): Promise<{ ours: Summary; forms: Record<string, Summary>; best: string; baseline: Summary }> {
  const runners = [ours, ...Object.values(forms)];
  const times: number[][] = runners.map(() => []);
  for (let i = 0; i < 3; i++) for (const run of runners) await run();
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < runners.length; j++) {
      const k = (i + j) % runners.length;
      times[k]!.push((await runners[k]!()).ms);
    }
  }
  const summary = (xs: number[]): Summary => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
  const names = Object.keys(forms);
  const measured = Object.fromEntries(names.map((name, i) => [name, summary(times[i + 1]!)]));
  const best = names.reduce((a, b) => (measured[b]!.p95 < measured[a]!.p95 ? b : a));
  return { ours: summary(times[0]!), forms: measured, best, baseline: measured[best]! };
}
