/**
 * A fictional province of any size, for demos and benchmarks: cities, districts, sub-districts
 * and departments, with a report per office and year (2019–2025 by default) on the template of
 * its year — some offices keep the 2019 template after 2021, as real ones do — every metric
 * filled, tables that add up, and a few deliberate inconsistencies. Deterministic for a seed.
 * Every name says it is fictional (虚构); codes start with `demo-`.
 */
import type { DataSource } from 'typeorm';
import { withTransaction } from '../../db/transaction';
import { STORED_METRIC_KEYS, metricDefinition } from '../../metrics/catalog';
import { APPLICANT_PARTS, APPLICATION_ROW_DEFS, REVIEW_GROUPS, templateFormatForYear, type TemplateFormat } from '../../metrics/template';
import { Office } from '../../offices/office.entity';
import type { OfficeKindKey } from '../../offices/office-kind';
import type { ContentChannel, ContentMetric, ReportContent } from '../../reports/report-content';
import { writeReport } from '../../reports/report-writer';
import { metricKey } from '../../metrics/metric-key';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOffice {
  readonly code: string;
  readonly name: string;
  readonly kind: OfficeKindKey;
  readonly parentCode: string | null;
}

/** The tree, parents before children: 1 province, cities of ~10 districts, districts of ~10 offices. */
export function demoTree(count: number): DemoOffice[] {
  const out: DemoOffice[] = [{ code: 'demo-p', name: '虚构省', kind: 'government', parentCode: null }];
  const cities = Math.max(1, Math.round(count / 2000));
  const districtsPerCity = 10;
  let c = 0;
  while (out.length < count) {
    const city = `demo-p-c${String(c + 1).padStart(2, '0')}`;
    out.push({ code: city, name: `虚构第${c + 1}市`, kind: 'government', parentCode: 'demo-p' });
    for (let d = 0; d < districtsPerCity && out.length < count; d++) {
      const district = `${city}-d${String(d + 1).padStart(2, '0')}`;
      out.push({ code: district, name: `虚构第${c + 1}市第${d + 1}区`, kind: 'government', parentCode: city });
      const perDistrict = Math.max(1, Math.floor(count / cities / districtsPerCity) - 1);
      for (let s = 0; s < perDistrict && out.length < count; s++) {
        const department = s % 4 === 3;
        out.push({
          code: `${district}-${department ? 'b' : 's'}${String(s + 1).padStart(3, '0')}`,
          name: department ? `虚构第${c + 1}市第${d + 1}区第${s + 1}局` : `虚构第${c + 1}市第${d + 1}区第${s + 1}街道`,
          kind: department ? 'department' : 'sub_district',
          parentCode: district,
        });
      }
    }
    c += 1;
  }
  return out.slice(0, count);
}

const int = (rand: () => number, max: number) => Math.floor(rand() * (max + 1));

/** One report's content: every cell of its template, adding up, unless `inconsistent`. */
export function demoReport(rand: () => number, year: number, format: TemplateFormat, inconsistent: boolean): ReportContent {
  const values = new Map<string, number>();
  for (const key of STORED_METRIC_KEYS) {
    const def = metricDefinition(key)!;
    if (def.table === 'proactive' && def.formats.includes(format)) values.set(key, def.unit === 'money' ? Math.round(rand() * 1000000) / 10000 : def.signed ? int(rand, 20) - 10 : int(rand, 500));
  }
  // Table 三, column by column: results add up to received + carried over − carried forward.
  const rows = APPLICATION_ROW_DEFS.filter((r) => r.formats.includes(format));
  const resultRows = rows.filter((r) => r.result && !(format === '2021' && r.key === 'other'));
  const totals = new Map<string, number>();
  for (const applicant of APPLICANT_PARTS) {
    const received = int(rand, applicant === 'natural_person' ? 40 : 4);
    const carriedOver = int(rand, 2);
    const carriedForward = Math.min(received + carriedOver, int(rand, 2));
    let left = received + carriedOver - carriedForward;
    const set = (row: string, v: number) => {
      values.set(metricKey('applications', row, applicant), v);
      totals.set(row, (totals.get(row) ?? 0) + v);
    };
    set('received', received);
    set('carried_over', carriedOver);
    set('carried_forward', carriedForward);
    set('results_total', left);
    resultRows.forEach((r, i) => {
      const v = i === resultRows.length - 1 ? left : Math.min(left, int(rand, Math.ceil(left / 3)));
      left -= v;
      set(r.key, v);
    });
    if (format === '2021') set('other', ['other.no_correction', 'other.no_fee', 'other.other'].reduce((s, k) => s + values.get(metricKey('applications', k, applicant))!, 0));
  }
  for (const [row, total] of totals) values.set(metricKey('applications', row, 'total'), total);
  for (const group of REVIEW_GROUPS) {
    const parts = (['upheld', 'corrected', 'other', 'pending'] as const).map((o) => [o, int(rand, 3)] as const);
    for (const [o, v] of parts) values.set(metricKey('reviews', group, o), v);
    values.set(metricKey('reviews', group, 'total'), parts.reduce((s, [, v]) => s + v, 0));
  }
  const website = 50 + int(rand, 400);
  const wechat = int(rand, 600);
  values.set('proactive.items_total', website + wechat);
  if (inconsistent) values.set('applications.results_total.total', (values.get('applications.results_total.total') ?? 0) + 1);
  const metrics: ContentMetric[] = [...values].map(([key, value]) => ({ key, value, approximate: false }));
  const channels: ContentChannel[] = [
    { kind: 'website', name: '', url: null, items: website, devices: null, queries: null, approximate: false },
    { kind: 'wechat', name: '虚构发布', url: null, items: wechat, devices: null, queries: null, approximate: false },
    { kind: 'kiosk', name: '', url: null, items: null, devices: 1 + int(rand, 3), queries: 100 + int(rand, 2000), approximate: rand() < 0.3 },
  ];
  return {
    year,
    templateFormat: format,
    title: null,
    // One in ten published late (February).
    publishedAt: `${year + 1}-${rand() < 0.1 ? '02' : '01'}-${String(5 + int(rand, 23)).padStart(2, '0')}`,
    sourceUrl: null,
    contact: null,
    sections: { overview: `虚构单位${year}年政府信息公开工作概述（演示数据）。`, problems: '演示数据。', improvements: '演示数据。', otherMatters: '无。' },
    metrics,
    channels,
  };
}

/**
 * The order offices come into being, which decides their ids. `tight`: a district's offices one
 * after another (the favourable case for an id-range read). `shuffled`: any order in which a parent
 * precedes its children. `late-additions`: tight, but every third district (d01, d04, …) gains two
 * offices after everything else exists, which report only from the middle year on — new
 * departments whose ids are far from their district's.
 */
export type DemoLayout = 'tight' | 'shuffled' | 'late-additions';

export const DEMO_LAYOUTS: readonly DemoLayout[] = ['tight', 'shuffled', 'late-additions'];

export interface PlacedOffice {
  readonly office: DemoOffice;
  /** The first year it reports. */
  readonly fromYear: number;
}

/** Late additions per district that gains them. */
const LATE_PER_DISTRICT = 2;

/** The district codes of `late-additions` that gain offices late. */
export function gainsLateOffices(districtCode: string): boolean {
  const m = /-d(\d+)$/.exec(districtCode);
  return m !== null && (Number(m[1]) - 1) % 3 === 0;
}

export function demoCreationOrder(tree: readonly DemoOffice[], layout: DemoLayout, years: readonly number[], seed: number): PlacedOffice[] {
  const first = years[0]!;
  if (layout === 'tight') return tree.map((office) => ({ office, fromYear: first }));
  if (layout === 'shuffled') {
    const rand = prng(seed ^ 0x5eed);
    const shuffled = [...tree];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    // An office whose parent does not exist yet waits for it, then follows it at once.
    const out: PlacedOffice[] = [];
    const created = new Set<string>();
    const waiting = new Map<string, DemoOffice[]>();
    const create = (o: DemoOffice) => {
      out.push({ office: o, fromYear: first });
      created.add(o.code);
      for (const child of waiting.get(o.code) ?? []) create(child);
      waiting.delete(o.code);
    };
    for (const o of shuffled) {
      if (o.parentCode === null || created.has(o.parentCode)) create(o);
      else waiting.set(o.parentCode, [...(waiting.get(o.parentCode) ?? []), o]);
    }
    return out;
  }
  const late = new Set<string>();
  const children = new Map<string, DemoOffice[]>();
  for (const o of tree) if (o.parentCode) children.set(o.parentCode, [...(children.get(o.parentCode) ?? []), o]);
  for (const [parent, kids] of children) {
    if (!gainsLateOffices(parent) || kids.length <= LATE_PER_DISTRICT) continue;
    for (const o of kids.slice(-LATE_PER_DISTRICT)) late.add(o.code);
  }
  const lateFrom = years[Math.floor(years.length / 2)]!;
  return [...tree.filter((o) => !late.has(o.code)).map((office) => ({ office, fromYear: first })), ...tree.filter((o) => late.has(o.code)).map((office) => ({ office, fromYear: lateFrom }))];
}

export interface GenerateOptions {
  readonly offices: number;
  readonly years: readonly number[];
  readonly seed?: number;
  readonly layout?: DemoLayout;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One office in twenty keeps the 2019 template after the change. */
export function demoFormat(officeId: number, year: number): TemplateFormat {
  return year >= 2021 && officeId % 20 === 7 ? '2019' : templateFormatForYear(year);
}

const REPORTS_PER_COMMIT = 50;

/** Writes the province through the service's own write path, committed as the bulk import commits. */
export async function generateDemoData(dataSource: DataSource, options: GenerateOptions): Promise<{ offices: number; reports: number; seconds: number }> {
  const seed = options.seed ?? 20261125;
  const rand = prng(seed);
  const placed = demoCreationOrder(demoTree(options.offices), options.layout ?? 'tight', options.years, seed);
  const byCode = new Map<string, Office>();
  // Offices in bulk (setup, not the measured import): parents first, paths from the parent.
  for (let i = 0; i < placed.length; i += 500) {
    await withTransaction(dataSource, async (manager) => {
      for (const { office: o } of placed.slice(i, i + 500)) {
        const parent = o.parentCode ? byCode.get(o.parentCode)! : null;
        const office = await manager.save(manager.create(Office, { code: o.code, name: o.name, kind: o.kind, parentId: parent?.id ?? null, region: '虚构省（演示）', path: '/', depth: parent ? parent.depth + 1 : 0 }));
        office.path = `${parent?.path ?? '/'}${office.id}/`;
        await manager.update(Office, { id: office.id }, { path: office.path });
        byCode.set(o.code, office);
      }
    });
  }
  const offices = placed.map((p) => ({ office: byCode.get(p.office.code)!, fromYear: p.fromYear }));
  const total = options.years.reduce((n, year) => n + offices.filter((o) => o.fromYear <= year).length, 0);
  const started = process.hrtime.bigint();
  let done = 0;
  // As the bulk import commits: fifty reports per transaction, each through the full write path.
  const pending: { office: Office; content: ReportContent }[] = [];
  const flush = async () => {
    const batch = pending.splice(0);
    await withTransaction(dataSource, async (manager) => {
      for (const { office, content } of batch) await writeReport(manager, office, content, { origin: 'upsert' });
    });
    done += batch.length;
    if (options.onProgress) options.onProgress(done, total);
  };
  for (const year of options.years) {
    for (const { office, fromYear } of offices) {
      if (year < fromYear) continue;
      pending.push({ office, content: demoReport(rand, year, demoFormat(office.id, year), rand() < 0.03) });
      if (pending.length >= REPORTS_PER_COMMIT) await flush();
    }
  }
  if (pending.length > 0) await flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { offices: offices.length, reports: total, seconds };
}
