/**
 * The comparison as a file against the comparison through the API: `GET
 * /exports/compare-offices.csv` over a city (every office, one response) against what a client
 * does without it, paging `compareOffices` 100 rows at a time until the end — both over HTTP to the
 * same server, alternated, in the same run. The ratio is the export's p95 over the paging's p95;
 * the answer must be the same rows in the same order with the same figures.
 */
import { parse } from 'csv-parse/sync';

export interface ExportBench {
  readonly name: string;
  readonly offices: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly baselineP95Ms: number;
  readonly ratio: number;
  readonly sameAnswer: boolean;
  readonly xlsxMs: number;
  readonly xlsxBytes: number;
}

const PAGE = `query($under: String!, $year: Int!, $metrics: [MetricKey!]!, $after: String) {
  compareOffices(under: $under, year: $year, metrics: $metrics, first: 100, after: $after) {
    rows { pageInfo { hasNextPage endCursor } edges { node { office { code } values { value rank share differenceFromMean differenceFromMedian previousValue change percentChange } } } }
  } }`;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 100) / 100;

type Row = (string | number | null)[];

async function allPages(server: string, under: string, year: number, metrics: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await fetch(`${server}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PAGE, variables: { under, year, metrics, after } }) });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    const page = body.data.compareOffices.rows;
    for (const edge of page.edges) {
      rows.push([edge.node.office.code, ...edge.node.values.flatMap((v: any) => [v.value, v.rank, v.share, v.differenceFromMean, v.differenceFromMedian, v.previousValue, v.change, v.percentChange])]);
    }
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

async function download(server: string, route: string): Promise<Buffer> {
  const res = await fetch(`${server}${route}`);
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

function csvRows(bytes: Buffer): Row[] {
  const [, ...rows] = parse(bytes.toString('utf8').slice(1)) as string[][];
  // The office's name (column 2) is not in the paged answer asked for above.
  return rows.map((r) => [r[0]!, ...r.slice(2).map((c) => (c === '' ? null : Number(c)))]);
}

export async function benchCompareExport(server: string, under: string, year: number, metrics: readonly string[], iterations: number): Promise<ExportBench> {
  const route = `/exports/compare-offices.csv?under=${encodeURIComponent(under)}&year=${year}&metrics=${metrics.join(',')}`;
  const ours: number[] = [];
  const paged: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let started = performance.now();
    await download(server, route);
    ours.push(performance.now() - started);
    started = performance.now();
    await allPages(server, under, year, metrics);
    paged.push(performance.now() - started);
  }
  const file = csvRows(await download(server, route));
  const api = await allPages(server, under, year, metrics);
  const started = performance.now();
  const xlsx = await download(server, route.replace('.csv?', '.xlsx?'));
  const xlsxMs = performance.now() - started;
  return {
    name: 'compare-offices.csv',
    offices: file.length,
    p50Ms: round(percentile(ours, 50)),
    p95Ms: round(percentile(ours, 95)),
    baselineP95Ms: round(percentile(paged, 95)),
    ratio: round(percentile(ours, 95) / percentile(paged, 95)),
    sameAnswer: JSON.stringify(file) === JSON.stringify(api),
    xlsxMs: round(xlsxMs),
    xlsxBytes: xlsx.byteLength,
  };
}
