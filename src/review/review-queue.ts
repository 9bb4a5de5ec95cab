import { In, type DataSource } from 'typeorm';
import { BadUserInputError } from '../common/errors';
import { connectionOf, decodeCursor, pageSize } from '../common/pagination';
import { METRIC_DEFINITIONS } from '../metrics/catalog';
import { TEMPLATE_FORMATS, type TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';
import type { OfficeService } from '../offices/office.service';
import type { ReadingStatus } from '../provenance/provenance';
import { AnnualReport } from '../reports/annual-report.entity';
import { REVIEW_STATES, type ReviewState } from './review-state';
import type { ReviewQueue, ReviewQueueItem } from './review.types';

const TABLE_PREFIXES = ['proactive', 'applications', 'reviews'] as const;

/** Cells of tables 二 三 四 each format has (stored, not derived). */
const TABLE_CELLS: Readonly<Record<TemplateFormat, number>> = Object.fromEntries(
  TEMPLATE_FORMATS.map((f) => [f, METRIC_DEFINITIONS.filter((d) => !d.derivation && (TABLE_PREFIXES as readonly string[]).includes(d.table) && d.formats.includes(f)).length]),
) as Record<TemplateFormat, number>;

/**
 * What needs a look first: anything not yet confirmed before what is; a returned report or one with
 * corrections a new text contradicts; then by how badly it was read, then by open findings.
 */
const ORDER = `CASE WHEN r.reviewState = 'confirmed' THEN 1 ELSE 0 END,
  conflicts DESC,
  CASE r.readingStatus WHEN 'unreadable' THEN 0 WHEN 'partial' THEN 1 WHEN 'read-with-findings' THEN 2 WHEN 'verified' THEN 4 ELSE 3 END,
  openFindings DESC, lowConfidence DESC, o.code`;

export class ReviewQueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
  ) {}

  async queue(args: { under: string; year: number; state?: ReviewState | null; first?: number | null; after?: string | null }): Promise<ReviewQueue> {
    const root = await this.offices.requireByCode(args.under, 'under');
    const limit = pageSize(args.first);
    const offset = args.after ? Number(decodeCursor(args.after)) + 1 : 0;
    if (!Number.isInteger(offset) || offset < 0) throw BadUserInputError.of('after', `not a cursor from reviewQueue: "${args.after}"`);
    const scope = `o.path LIKE ? AND o.id <> ? AND r.year = ?`;
    const scopeParams = [`${root.path}%`, root.id, args.year];
    const stateFilter = args.state ? ' AND r.reviewState = ?' : '';
    const params = [...scopeParams, ...(args.state ? [args.state] : [])];
    const tableKeys = TABLE_PREFIXES.map(() => 'm.metricKey LIKE ?').join(' OR ');
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.id AS id, r.templateFormat AS templateFormat,
        (SELECT MAX(v.number) FROM report_revisions v WHERE v.reportId = r.id) AS revision,
        (SELECT COUNT(*) FROM report_findings f WHERE f.reportId = r.id AND f.resolution IS NULL) AS openFindings,
        (SELECT COUNT(*) FROM report_findings f WHERE f.reportId = r.id AND f.resolution IS NOT NULL) AS resolvedFindings,
        (SELECT COUNT(*) FROM metric_values m WHERE m.reportId = r.id AND m.approximate = 1) AS approximate,
        (SELECT COUNT(*) FROM metric_values m WHERE m.reportId = r.id AND (m.sourceMethod IS NULL OR m.sourceMethod IN ('split-by-sums', 'ocr'))) AS lowConfidence,
        (SELECT COUNT(*) FROM metric_values m WHERE m.reportId = r.id AND (${tableKeys})) AS tableValues,
        (SELECT COUNT(*) FROM metric_corrections c WHERE c.reportId = r.id AND c.status = 'active') AS corrections,
        (SELECT COUNT(*) FROM metric_corrections c WHERE c.reportId = r.id AND c.status = 'conflict') AS conflicts
       FROM annual_reports r JOIN offices o ON o.id = r.officeId
       WHERE ${scope}${stateFilter}
       ORDER BY ${ORDER}
       LIMIT ${limit + 1} OFFSET ${offset}`,
      [...TABLE_PREFIXES.map((p) => `${p}.%`), ...params],
    );
    const [counted, totalRow, missing] = await Promise.all([
      this.dataSource.query(`SELECT r.reviewState AS state, COUNT(*) AS n FROM annual_reports r JOIN offices o ON o.id = r.officeId WHERE ${scope} GROUP BY r.reviewState`, scopeParams) as Promise<Record<string, unknown>[]>,
      this.dataSource.query(`SELECT COUNT(*) AS n FROM annual_reports r JOIN offices o ON o.id = r.officeId WHERE ${scope}${stateFilter}`, params) as Promise<Record<string, unknown>[]>,
      this.dataSource
        .getRepository(Office)
        .createQueryBuilder('o')
        .where('o.path LIKE :path AND o.id <> :rootId', { path: `${root.path}%`, rootId: root.id })
        .andWhere('NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.officeId = o.id AND r.year = :year)', { year: args.year })
        .orderBy('o.code')
        .getMany(),
    ]);
    const reports = await this.dataSource.getRepository(AnnualReport).findBy({ id: In(rows.map((r) => Number(r.id))) });
    const reportById = new Map(reports.map((r) => [r.id, r]));
    const officeById = new Map((await this.dataSource.getRepository(Office).findBy({ id: In(reports.map((r) => r.officeId)) })).map((o) => [o.id, o]));
    const items = rows.map((row, i): ReviewQueueItem & { position: number } => {
      const report = reportById.get(Number(row.id))!;
      return {
        position: offset + i,
        office: officeById.get(report.officeId)!,
        report,
        reviewState: report.reviewState,
        readingStatus: report.readingStatus as ReadingStatus | null,
        revision: Number(row.revision ?? 0),
        openFindings: Number(row.openFindings),
        resolvedFindings: Number(row.resolvedFindings),
        approximateValues: Number(row.approximate),
        lowConfidenceValues: Number(row.lowConfidence),
        emptyCells: Math.max(0, (TABLE_CELLS[report.templateFormat] ?? 0) - Number(row.tableValues)),
        corrections: Number(row.corrections),
        correctionConflicts: Number(row.conflicts),
      };
    });
    const byState = new Map(counted.map((c) => [String(c.state), Number(c.n)]));
    return {
      year: args.year,
      counts: REVIEW_STATES.map((state) => ({ state, count: byState.get(state) ?? 0 })),
      missing,
      reports: connectionOf(items, limit, (item) => String(item.position), Number(totalRow[0]?.n ?? 0), offset > 0),
    };
  }
}
