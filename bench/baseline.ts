/**
 * Hand-written SQL for the benchmark's queries, run on the drivers directly (better-sqlite3,
 * mysql2): what the same answers cost without the service. The benchmark divides the service's
 * latency by these; a test checks the answers are the same.
 */
import Database from 'better-sqlite3';
import { createPool, type Pool } from 'mysql2/promise';

export interface RawSql {
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export function sqliteRaw(file: string): RawSql {
  const db = new Database(file, { readonly: true });
  return {
    all: async (sql, params) => db.prepare(sql).all(...(params as never[])) as Record<string, unknown>[],
    close: async () => {
      db.close();
    },
  };
}

export function mysqlRaw(url: string): RawSql {
  const pool: Pool = createPool({ uri: url, decimalNumbers: true, connectionLimit: 4 });
  return {
    all: async (sql, params) => (await pool.query(sql, params))[0] as Record<string, unknown>[],
    close: () => pool.end(),
  };
}

/** Offices under a root (exclusive), one year, three stored metrics: ranks, shares, sums, means, medians, last year. */
export async function baselineCompare(raw: RawSql, rootCode: string, year: number, metrics: [string, string, string], limit: number) {
  const [root] = await raw.all('SELECT id, path FROM offices WHERE code = ?', [rootCode]);
  const m = (k: string, y: number) => `SUM(CASE WHEN r.year = ${Number(y)} AND mv.metricKey = '${k.replace(/'/g, '')}' THEN mv.value END)`;
  const rows = await raw.all(
    `WITH v AS (
       SELECT o.id AS officeId, o.code AS code, MAX(CASE WHEN r.year = ${year} THEN 1 ELSE 0 END) AS reported,
         ${m(metrics[0], year)} AS a, ${m(metrics[1], year)} AS b, ${m(metrics[2], year)} AS c,
         ${m(metrics[0], year - 1)} AS pa, ${m(metrics[1], year - 1)} AS pb, ${m(metrics[2], year - 1)} AS pc
       FROM offices o
       LEFT JOIN annual_reports r ON r.officeId = o.id AND r.year IN (${year}, ${year - 1})
       LEFT JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey IN ('${metrics.join("','")}')
       WHERE o.path LIKE ? AND o.id <> ?
       GROUP BY o.id, o.code),
     s AS (
       SELECT v.*, COUNT(*) OVER () AS n,
         DENSE_RANK() OVER (ORDER BY COALESCE(a, 0) DESC) AS ra, DENSE_RANK() OVER (ORDER BY COALESCE(b, 0) DESC) AS rb, DENSE_RANK() OVER (ORDER BY COALESCE(c, 0) DESC) AS rc,
         SUM(COALESCE(a, 0)) OVER () AS sa, SUM(COALESCE(b, 0)) OVER () AS sb, SUM(COALESCE(c, 0)) OVER () AS sc,
         AVG(COALESCE(a, 0)) OVER () AS ma, AVG(COALESCE(b, 0)) OVER () AS mb, AVG(COALESCE(c, 0)) OVER () AS mc,
         ROW_NUMBER() OVER (ORDER BY COALESCE(a, 0)) AS ka, ROW_NUMBER() OVER (ORDER BY COALESCE(b, 0)) AS kb, ROW_NUMBER() OVER (ORDER BY COALESCE(c, 0)) AS kc
       FROM v WHERE reported = 1),
     t AS (
       SELECT s.*,
         AVG(CASE WHEN 2 * ka BETWEEN n AND n + 2 THEN COALESCE(a, 0) END) OVER () AS mda,
         AVG(CASE WHEN 2 * kb BETWEEN n AND n + 2 THEN COALESCE(b, 0) END) OVER () AS mdb,
         AVG(CASE WHEN 2 * kc BETWEEN n AND n + 2 THEN COALESCE(c, 0) END) OVER () AS mdc
       FROM s)
     SELECT code, a, b, c, pa, pb, pc, ra, rb, rc, sa, sb, sc, ma, mb, mc, n, mda, mdb, mdc
     FROM t ORDER BY COALESCE(a, 0) DESC, code LIMIT ${Number(limit)}`,
    [`${root!.path}%`, root!.id],
  );
  return rows.map((r) => ({
    code: String(r.code),
    values: [r.a, r.b, r.c].map((v) => (v === null ? null : Number(v))),
    ranks: [r.ra, r.rb, r.rc].map(Number),
    sums: [r.sa, r.sb, r.sc].map(Number),
    medians: [r.mda, r.mdb, r.mdc].map(Number),
    previous: [r.pa, r.pb, r.pc].map((v) => (v === null ? null : Number(v))),
  }));
}

/** Totals by office kind over a whole subtree (root included) for some years and one metric. */
export async function baselineRollup(raw: RawSql, rootCode: string, years: number[], metric: string) {
  const [root] = await raw.all('SELECT path FROM offices WHERE code = ?', [rootCode]);
  const rows = await raw.all(
    `SELECT r.year AS year, o.kind AS kind, SUM(mv.value) AS total
     FROM offices o JOIN annual_reports r ON r.officeId = o.id AND r.year IN (${years.map(Number).join(', ')})
     JOIN metric_values mv ON mv.reportId = r.id AND mv.metricKey = ?
     WHERE o.path LIKE ? GROUP BY r.year, o.kind ORDER BY r.year, o.kind`,
    [metric, `${root!.path}%`],
  );
  return rows.map((r) => ({ year: Number(r.year), kind: String(r.kind), total: Number(r.total) }));
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
