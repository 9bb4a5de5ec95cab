import type { DataSource } from 'typeorm';
import { STORED_METRIC_KEYS, metricDefinition } from '../metrics/catalog';
import { FINDING_CODE_LABELS, type FindingCode } from '../metrics/consistency';
import { TEMPLATE_FORMATS, type TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';
import { deadlineFor } from '../years/reporting-year.service';
import type { Rubric } from './rubric';
import { assess, type Assessment, type CompletenessPart } from './scoring';
import { repeatedShare } from './text-repetition';

/** Offices per batch: bounds the rows held at once (a batch of reports with all their metrics). */
export const BATCH = 200;

export interface AssessedOffice {
  readonly office: Office;
  readonly reportId: number | null;
  /** Findings a reviewer accepted as the report's own error, recorded as published: not deducted. */
  readonly acceptedFindings: number;
  readonly templateFormat: TemplateFormat | null;
  readonly publishedAt: string | null;
  readonly channelItems: number | null;
  readonly channelItemsPrevious: number | null;
  readonly repeatedShare: number | null;
  readonly assessment: Assessment;
}

export interface AssessmentSummary {
  offices: number;
  filed: number;
  onTime: number;
  late: number;
  dateUnknown: number;
  missing: number;
  averageScore: number | null;
  commonFindings: { code: FindingCode; label: string; labelEn: string; count: number }[];
}

/** How many cells each table has in each format: what "filled" is measured against. */
const CELLS: Readonly<Record<TemplateFormat, Record<'table2' | 'table3' | 'table4', number>>> = Object.fromEntries(
  TEMPLATE_FORMATS.map((f) => {
    const count = (table: string) => STORED_METRIC_KEYS.filter((k) => metricDefinition(k)!.table === table && metricDefinition(k)!.formats.includes(f)).length;
    return [f, { table2: count('proactive'), table3: count('applications'), table4: count('reviews') }];
  }),
) as never;

const textOf = (r: Record<string, unknown>) => ['overview', 'problems', 'improvements', 'otherMatters'].map((k) => (r[k] as string | null) ?? '').join('\n');
const ids = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');

export class AssessmentService {
  constructor(
    readonly dataSource: DataSource,
    readonly rubric: Rubric,
  ) {}

  query<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }

  /**
   * The offices assessed under `root`, in code order: its whole subtree without the root itself —
   * a district assesses its departments and sub-districts, not its own government — the same set
   * the dashboard and compareOffices(under) compare.
   */
  async *officeBatches(root: Office, size = BATCH): AsyncGenerator<Office[]> {
    let after = '';
    for (;;) {
      const batch = await this.dataSource
        .getRepository(Office)
        .createQueryBuilder('o')
        .where('o.path LIKE :prefix AND o.id <> :rootId AND o.code > :after', { prefix: `${root.path}%`, rootId: root.id, after })
        .orderBy('o.code', 'ASC')
        .take(size)
        .getMany();
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.code;
      if (batch.length < size) return;
    }
  }

  /** Assessments of one batch of offices: four statements, whatever the batch size. */
  async assessBatch(offices: readonly Office[], year: number): Promise<AssessedOffice[]> {
    if (offices.length === 0) return [];
    const officeIds = offices.map((o) => o.id);
    const reports: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, officeId, year, templateFormat, publishedAt, overview, problems, improvements, otherMatters FROM annual_reports WHERE officeId IN (${ids(officeIds)}) AND year IN (?, ?)`,
      [...officeIds, year, year - 1],
    );
    const reportIds = reports.map((r) => Number(r.id));
    const [counts, findings]: Record<string, unknown>[][] = reportIds.length
      ? [
          await this.dataSource.query(
            `SELECT reportId,
              SUM(CASE WHEN metricKey LIKE 'proactive.%' AND metricKey <> 'proactive.items_total' THEN 1 ELSE 0 END) AS table2,
              SUM(CASE WHEN metricKey LIKE 'applications.%' THEN 1 ELSE 0 END) AS table3,
              SUM(CASE WHEN metricKey LIKE 'review.%' OR metricKey LIKE 'litigation%' THEN 1 ELSE 0 END) AS table4,
              SUM(CASE WHEN metricKey LIKE 'channels.%.items' THEN value END) AS channelItems
             FROM metric_values WHERE reportId IN (${ids(reportIds)}) GROUP BY reportId`,
            reportIds,
          ),
          // Only open findings are deducted; those a reviewer resolved are counted apart (review/).
          await this.dataSource.query(`SELECT reportId, code, resolution, COUNT(*) AS n FROM report_findings WHERE reportId IN (${ids(reportIds)}) GROUP BY reportId, code, resolution`, reportIds),
        ]
      : [[], []];
    const countsOf = new Map(counts.map((c) => [Number(c.reportId), c]));
    const findingsOf = new Map<number, Partial<Record<FindingCode, number>>>();
    const acceptedOf = new Map<number, number>();
    for (const f of findings) {
      if (f.resolution !== null) {
        if (f.resolution === 'accepted-as-published') acceptedOf.set(Number(f.reportId), (acceptedOf.get(Number(f.reportId)) ?? 0) + Number(f.n));
        continue;
      }
      const m = findingsOf.get(Number(f.reportId)) ?? {};
      m[f.code as FindingCode] = Number(f.n);
      findingsOf.set(Number(f.reportId), m);
    }
    const reportOf = new Map(reports.map((r) => [`${r.officeId}:${r.year}`, r]));
    return offices.map((office) => {
      const current = reportOf.get(`${office.id}:${year}`);
      const previous = reportOf.get(`${office.id}:${year - 1}`);
      const format = (current?.templateFormat as TemplateFormat | undefined) ?? null;
      const c = current ? countsOf.get(Number(current.id)) : undefined;
      const p = previous ? countsOf.get(Number(previous.id)) : undefined;
      const share = (n: unknown, of: number) => Math.min(1, Number(n ?? 0) / of);
      const present = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? 1 : 0);
      const parts: Record<CompletenessPart, number> = current && format
        ? {
            section1: present(current.overview),
            table2: share(c?.table2, CELLS[format].table2),
            table3: share(c?.table3, CELLS[format].table3),
            table4: share(c?.table4, CELLS[format].table4),
            section5: Math.max(present(current.problems), present(current.improvements)),
            section6: present(current.otherMatters),
          }
        : { section1: 0, table2: 0, table3: 0, table4: 0, section5: 0, section6: 0 };
      const channelItems = c?.channelItems === null || c?.channelItems === undefined ? null : Number(c.channelItems);
      const channelItemsPrevious = p?.channelItems === null || p?.channelItems === undefined ? null : Number(p.channelItems);
      const repeated = current && previous ? repeatedShare(textOf(current), textOf(previous)) : null;
      const publishedAt = (current?.publishedAt as string | null | undefined) ?? null;
      return {
        office,
        reportId: current ? Number(current.id) : null,
        acceptedFindings: current ? (acceptedOf.get(Number(current.id)) ?? 0) : 0,
        templateFormat: format,
        publishedAt,
        channelItems,
        channelItemsPrevious,
        repeatedShare: repeated,
        assessment: assess(
          { filed: Boolean(current), publishedAt, deadline: deadlineFor(year), parts, findings: current ? (findingsOf.get(Number(current.id)) ?? {}) : {}, channelItems, channelItemsPrevious, repeatedShare: repeated },
          this.rubric,
        ),
      };
    });
  }

  async *assessedBatches(root: Office, year: number): AsyncGenerator<AssessedOffice[]> {
    for await (const batch of this.officeBatches(root)) yield this.assessBatch(batch, year);
  }

  async commonFindings(root: Office, year: number, limit = 5): Promise<AssessmentSummary['commonFindings']> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT f.code AS code, COUNT(*) AS n FROM report_findings f JOIN annual_reports r ON r.id = f.reportId JOIN offices o ON o.id = r.officeId
       WHERE o.path LIKE ? AND o.id <> ? AND r.year = ? AND f.resolution IS NULL GROUP BY f.code ORDER BY n DESC, f.code LIMIT ${Number(limit)}`,
      [`${root.path}%`, root.id, year],
    );
    return rows.map((r) => ({ code: r.code as FindingCode, label: FINDING_CODE_LABELS[r.code as FindingCode].zh, labelEn: FINDING_CODE_LABELS[r.code as FindingCode].en, count: Number(r.n) }));
  }

  /** The district's assessment: one page of rows in code order, and the summary over all. */
  async assessment(root: Office, year: number, page: { first: number; after: string | null }): Promise<{ rows: AssessedOffice[]; hasNextPage: boolean; summary: AssessmentSummary }> {
    const rows: AssessedOffice[] = [];
    let hasNextPage = false;
    const summary: AssessmentSummary = { offices: 0, filed: 0, onTime: 0, late: 0, dateUnknown: 0, missing: 0, averageScore: null, commonFindings: [] };
    let scoreSum = 0;
    for await (const batch of this.assessedBatches(root, year)) {
      for (const a of batch) {
        summary.offices += 1;
        if (a.reportId === null) summary.missing += 1;
        else {
          summary.filed += 1;
          scoreSum += a.assessment.score;
          if (a.assessment.onTime === true) summary.onTime += 1;
          else if (a.assessment.onTime === false) summary.late += 1;
          else summary.dateUnknown += 1;
        }
        if (page.after === null || a.office.code > page.after) {
          if (rows.length < page.first) rows.push(a);
          else hasNextPage = true;
        }
      }
    }
    summary.averageScore = summary.filed ? Math.round((scoreSum / summary.filed) * 100) / 100 : null;
    summary.commonFindings = await this.commonFindings(root, year);
    return { rows, hasNextPage, summary };
  }
}
