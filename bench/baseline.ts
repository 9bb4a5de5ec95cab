/**
 * Hand-written SQL for the benchmark's queries, run on the drivers directly (better-sqlite3,
 * mysql2): what the same answers cost without the service. The benchmark divides the service's
 * latency by these; a test checks the answers are the same.
 */
import Database from 'better-sqlite3';
import { createPool, type Pool } from 'mysql2/promise';

export interface RawSql {
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** MariaDB has MEDIAN() as a window function; a hand-written query there would use it. */
  hasMedian(): Promise<boolean>;
  close(): Promise<void>;
}

export function sqliteRaw(file: string): RawSql {
  const db = new Database(file, { readonly: true });
  return {
    all: async (sql, params) => db.prepare(sql).all(...(params as never[])) as Record<string, unknown>[],
    hasMedian: async () => false,
    close: async () => {
      db.close();
    },
  };
}

export function mysqlRaw(url: string): RawSql {
  const pool: Pool = createPool({ uri: url, decimalNumbers: true, connectionLimit: 4 });
  let mariadb: Promise<boolean> | undefined;
  return {
    all: async (sql, params) => (await pool.query(sql, params))[0] as Record<string, unknown>[],
    hasMedian: () => (mariadb ??= pool.query('SELECT VERSION() AS v').then(([rows]) => /mariadb/i.test(String((rows as { v: string }[])[0]?.v)))),
    close: () => pool.end(),
  };
}

/**
 * How the hand-written comparison reads the values: `range` — each metric and year as one range of
 * the covering (year, metricKey, officeId, value) index between the group's lowest and highest id
 * (what a DBA writes when a group's offices were created together); `join` — the group's offices,
 * each metric and year a LEFT JOIN on that index's full prefix (what a DBA writes when they are
 * scattered). The benchmark runs both and takes the faster as the baseline: the best SQL for the
 * data as it is, whichever plan the service chose.
 */
export type BaselineForm = 'range' | 'join';

/**
 * Offices under a root (exclusive), one year, three stored metrics: ranks, shares, sums, means,
 * medians, last year, and the offices that filed nothing. A blank is not 0: sums add the stated
 * values, ranks, means and medians are over the offices that stated the value (NULL sorts last
 * descending on both databases), blanks come last unranked. `limit` null: every row in one go.
 */
export async function baselineCompare(raw: RawSql, rootCode: string, year: number, metrics: [string, string, string], limit: number | null, missingLimit = 20, form: BaselineForm = 'range') {
  const [root] = await raw.all('SELECT id, path FROM offices WHERE code = ?', [rootCode]);
  const group = [`${root!.path}%`, root!.id];
  const [span] = await raw.all('SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM offices WHERE path LIKE ? AND id <> ?', group);
  const slots = metrics.flatMap((key) => [
    [key, year],
    [key, year - 1],
  ]) as [string, number][];
  const ranges = slots
    .map(([, y], n) => `SELECT ${n} AS slot, officeId, value FROM metric_values WHERE year = ${y} AND metricKey = ? AND officeId BETWEEN ${Number(span!.lo)} AND ${Number(span!.hi)}`)
    .join(' UNION ALL ');
  const native = await raw.hasMedian();
  const median = (x: string, w: string) => (native ? `MEDIAN(${x}) OVER () AS md${x}` : `ROW_NUMBER() OVER ${w} AS k${x}`);
  const rank = (x: string, w: string) => `CASE WHEN ${x} IS NULL THEN NULL ELSE DENSE_RANK() OVER ${w} END AS r${x}`;
  const columns = ['a', 'pa', 'b', 'pb', 'c', 'pc'];
  const valuesCte =
    form === 'range'
      ? `m AS (
         SELECT officeId, ${columns.map((name, n) => `SUM(CASE WHEN slot = ${n} THEN value END) AS ${name}`).join(', ')}
         FROM (${ranges}) x GROUP BY officeId),
       v AS (
         SELECT o.code AS code, m.a, m.b, m.c, m.pa, m.pb, m.pc
         FROM offices o JOIN annual_reports r ON r.officeId = o.id AND r.year = ${Number(year)}
         LEFT JOIN m ON m.officeId = o.id
         WHERE o.path LIKE ? AND o.id <> ?),`
      : `v AS (
         SELECT o.code AS code, ${columns.map((name) => `${name}.value AS ${name}`).join(', ')}
         FROM offices o JOIN annual_reports r ON r.officeId = o.id AND r.year = ${Number(year)}
         ${columns.map((name, n) => `LEFT JOIN metric_values ${name} ON ${name}.year = ${slots[n]![1]} AND ${name}.metricKey = ? AND ${name}.officeId = o.id`).join('\n         ')}
         WHERE o.path LIKE ? AND o.id <> ?),`;
  const [rows, missing] = await Promise.all([
    raw.all(
      `WITH ${valuesCte}
       s AS (
         SELECT v.*,
           ${rank('a', 'wa')}, ${median('a', 'wa')}, SUM(a) OVER () AS sa, COUNT(a) OVER () AS na,
           ${rank('b', 'wb')}, ${median('b', 'wb')}, SUM(b) OVER () AS sb, COUNT(b) OVER () AS nb,
           ${rank('c', 'wc')}, ${median('c', 'wc')}, SUM(c) OVER () AS sc, COUNT(c) OVER () AS nc
         FROM v
         WINDOW wa AS (ORDER BY a DESC), wb AS (ORDER BY b DESC), wc AS (ORDER BY c DESC)),
       t AS (
         SELECT s.*${native ? '' : `,
           AVG(CASE WHEN 2 * ka BETWEEN na AND na + 2 THEN a END) OVER () AS mda,
           AVG(CASE WHEN 2 * kb BETWEEN nb AND nb + 2 THEN b END) OVER () AS mdb,
           AVG(CASE WHEN 2 * kc BETWEEN nc AND nc + 2 THEN c END) OVER () AS mdc`}
         FROM s)
       SELECT code, a, b, c, pa, pb, pc, ra, rb, rc, sa, sb, sc, na, nb, nc, sa * 1.0 / na AS ma, sb * 1.0 / nb AS mb, sc * 1.0 / nc AS mc, mda, mdb, mdc
       FROM t ORDER BY CASE WHEN a IS NULL THEN 1 ELSE 0 END, a DESC, code${limit === null ? '' : ` LIMIT ${Number(limit)}`}`,
      [...slots.map(([key]) => key), ...group],
    ),
    raw.all(
      `SELECT o.code AS code FROM offices o WHERE o.path LIKE ? AND o.id <> ?
       AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.officeId = o.id AND r.year = ?) ORDER BY o.code LIMIT ${Number(missingLimit)}`,
      [...group, year],
    ),
  ]);
  const nullable = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    officeCount: Number(span!.n),
    missing: missing.map((r) => String(r.code)),
    rows: rows.map((r) => ({
      code: String(r.code),
      values: [r.a, r.b, r.c].map(nullable),
      ranks: [r.ra, r.rb, r.rc].map(nullable),
      sums: [r.sa, r.sb, r.sc].map((v) => nullable(v) ?? 0),
      stated: [r.na, r.nb, r.nc].map(Number),
      means: [r.ma, r.mb, r.mc].map(nullable),
      medians: [r.mda, r.mdb, r.mdc].map(nullable),
      previous: [r.pa, r.pb, r.pc].map(nullable),
    })),
  };
}

/**
 * Per year and office kind over a whole subtree (root included): how many offices there are, how
 * many filed, and three stored metrics' totals (from the covering metric index).
 */
export async function baselineRollup(raw: RawSql, rootCode: string, years: number[], metrics: [string, string, string]) {
  const [root] = await raw.all('SELECT path FROM offices WHERE code = ?', [rootCode]);
  const yearList = years.map(Number).join(', ');
  const [counts, totals] = await Promise.all([
    raw.all(
      `SELECT y.year AS year, o.kind AS kind, COUNT(*) AS officeCount, COUNT(r.id) AS reportedCount
       FROM offices o CROSS JOIN (${years.map((y) => `SELECT ${Number(y)} AS year`).join(' UNION ALL ')}) y
       LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year = y.year
       WHERE o.path LIKE ? GROUP BY y.year, o.kind`,
      [`${root!.path}%`],
    ),
    raw.all(
      `SELECT x.year AS year, o.kind AS kind,
         SUM(CASE WHEN x.slot = 0 THEN x.value END) AS a, SUM(CASE WHEN x.slot = 1 THEN x.value END) AS b, SUM(CASE WHEN x.slot = 2 THEN x.value END) AS c
       FROM (${metrics.map((_, n) => `SELECT ${n} AS slot, year, officeId, value FROM metric_values WHERE year IN (${yearList}) AND metricKey = ?`).join(' UNION ALL ')}) x
       JOIN offices o ON o.id = x.officeId
       WHERE o.path LIKE ? GROUP BY x.year, o.kind`,
      [...metrics, `${root!.path}%`],
    ),
  ]);
  const totalOf = new Map(totals.map((t) => [`${t.year}:${t.kind}`, t]));
  return counts
    .map((c) => {
      const t = totalOf.get(`${c.year}:${c.kind}`);
      return {
        year: Number(c.year),
        kind: String(c.kind),
        officeCount: Number(c.officeCount),
        reportedCount: Number(c.reportedCount),
        totals: [t?.a, t?.b, t?.c].map((v) => (v === null || v === undefined ? null : Number(v))),
      };
    })
    .sort((x, y) => x.year - y.year || x.kind.localeCompare(y.kind));
}

/** One office's values per year for a metric, with the change from the year before. */
export async function baselineYearOverYear(raw: RawSql, officeCode: string, metric: string, fromYear: number, toYear: number) {
  const rows = await raw.all(
    `SELECT r.year AS year, mv.value AS value FROM offices o JOIN annual_reports r ON r.officeId = o.id
     JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey = ?
     WHERE o.code = ? AND r.year BETWEEN ? AND ? ORDER BY r.year`,
    [metric, officeCode, fromYear - 1, toYear],
  );
  const byYear = new Map(rows.map((r) => [Number(r.year), Number(r.value)]));
  const out = [];
  for (let y = fromYear; y <= toYear; y++) {
    const v = byYear.get(y) ?? null;
    const p = byYear.get(y - 1) ?? null;
    out.push({ year: y, value: v, change: v !== null && p !== null ? v - p : null });
  }
  return out;
}
