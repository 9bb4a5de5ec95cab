import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { assertMayWriteFor } from '../auth/office-scope';
import type { Viewer } from '../auth/viewer';
import type { InputProblem } from '../common/errors';
import { withTransaction } from '../db/transaction';
import { isChannelMetricKey } from '../metrics/catalog';
import type { Office } from '../offices/office.entity';
import type { OfficeService } from '../offices/office.service';
import type { ContentChannel, ContentMetric, ReportContent } from '../reports/report-content';
import { validateMetrics } from '../reports/report-content';
import type { ReportEvents } from '../reports/report-events';
import { writeReport, type WriteResult } from '../reports/report-writer';
import { matchOffice } from './office-matcher';
import { parseReport, type ParsedReport, type ParseWarning } from './parser';

export type ImportStatus = 'IMPORTED' | 'REVISED' | 'UNCHANGED' | 'FAILED';

export interface ImportProblemData {
  readonly code: 'NO_REPORT' | 'NO_YEAR' | 'UNKNOWN_OFFICE' | 'AMBIGUOUS_OFFICE' | 'NO_OFFICE' | 'INVALID_CONTENT';
  readonly message: string;
  readonly line: number | null;
  readonly field: string | null;
  readonly candidates: readonly string[];
}

export interface ImportOutcome {
  readonly status: ImportStatus;
  readonly problem: ImportProblemData | null;
  readonly parsed: ParsedReport | null;
  readonly write: WriteResult | null;
  readonly office: Office | null;
  readonly warnings: readonly ParseWarning[];
}

const OUTCOME_STATUS = { created: 'IMPORTED', revised: 'REVISED', unchanged: 'UNCHANGED' } as const;

function failed(problem: Omit<ImportProblemData, 'line' | 'field' | 'candidates'> & Partial<ImportProblemData>, parsed: ParsedReport | null = null): ImportOutcome {
  return {
    status: 'FAILED',
    problem: { line: null, field: null, candidates: [], ...problem },
    parsed,
    write: null,
    office: null,
    warnings: parsed?.warnings ?? [],
  };
}

/** The parsed report as the content a write stores; metrics the template rejects become warnings. */
export function contentFromParsed(parsed: ParsedReport, year: number): { content: ReportContent; warnings: ParseWarning[] } {
  const approximate = new Set(parsed.approximateKeys);
  const problems: InputProblem[] = [];
  const metrics: ContentMetric[] = validateMetrics(
    Object.entries(parsed.metrics)
      .filter(([key]) => !isChannelMetricKey(key))
      .map(([key, value]) => ({ key, value, approximate: approximate.has(key) })),
    parsed.templateFormat,
    problems,
  );
  const channels: ContentChannel[] = parsed.channels.map((c) => ({
    kind: c.kind,
    name: c.name?.trim() ?? '',
    url: null,
    items: c.items,
    devices: c.devices,
    queries: c.queries,
    approximate: c.approximate,
  }));
  const seen = new Set<string>();
  const uniqueChannels = channels.filter((c) => {
    const id = `${c.kind}\u0000${c.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return {
    content: {
      year,
      templateFormat: parsed.templateFormat,
      title: parsed.title?.slice(0, 300) ?? null,
      publishedAt: parsed.publishedAt,
      sourceUrl: null,
      contact: parsed.contact?.slice(0, 500) ?? null,
      sections: parsed.sections,
      metrics,
      channels: uniqueChannels,
    },
    warnings: problems.map((p) => ({ code: 'METRIC_REJECTED', message: `${p.metric ?? p.field}: ${p.problem}` })),
  };
}

export class ImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
    private readonly audit: AuditService,
    private readonly events?: ReportEvents,
  ) {}

  /**
   * Parses and stores one published report in one transaction. Expected failures (no report in
   * the text, an office that can't be told from the title) come back as a FAILED outcome naming
   * what was wrong and where; nothing is written then. An editor importing for an office outside
   * its subtree gets FORBIDDEN, before anything is written.
   */
  async importText(text: string, options: { viewer: Viewer; officeCode?: string | null; filename?: string }): Promise<ImportOutcome> {
    const viewer = options.viewer;
    const result = parseReport(text, { filename: options.filename });
    if (!result.ok) {
      return failed({ code: 'NO_REPORT', message: result.error.message, line: result.error.line });
    }
    const parsed = result.report;
    if (parsed.year === null) {
      return failed({ code: 'NO_YEAR', message: 'the year reported on could not be read from the title; is this an annual report?', field: 'text' }, parsed);
    }
    let office: Office | null = null;
    if (options.officeCode) {
      office = await this.offices.byCode(options.officeCode);
      if (!office) return failed({ code: 'UNKNOWN_OFFICE', message: `no office with code "${options.officeCode}"`, field: 'officeCode' }, parsed);
    } else if (!parsed.office) {
      return failed({ code: 'NO_OFFICE', message: 'the text does not name its office (e.g. 我局); give officeCode', field: 'officeCode' }, parsed);
    } else {
      const match = await matchOffice(this.dataSource, parsed.office);
      if (match.kind === 'unknown') {
        return failed({ code: 'UNKNOWN_OFFICE', message: `no stored office matches "${parsed.office}"; create it (upsertOffice) or give officeCode`, field: 'officeCode' }, parsed);
      }
      if (match.kind === 'ambiguous') {
        return failed(
          {
            code: 'AMBIGUOUS_OFFICE',
            message: `"${parsed.office}" matches ${match.candidates.length} offices (${match.candidates.map((o) => o.code).join(', ')}); give officeCode`,
            field: 'officeCode',
            candidates: match.candidates.map((o) => o.code),
          },
          parsed,
        );
      }
      office = match.office;
    }
    const { content, warnings } = contentFromParsed(parsed, parsed.year);
    const target = office;
    const write = await withTransaction(this.dataSource, async (manager) => {
      await assertMayWriteFor(manager, viewer, target);
      const written = await writeReport(manager, target, content, { origin: 'import', sourceText: text, author: viewer.subject });
      await this.audit.record(manager, viewer, {
        action: `report.import.${written.outcome}`,
        targetType: 'report',
        target: `${target.code}/${content.year}`,
        beforeRevisionId: written.previousRevision?.id ?? null,
        afterRevisionId: written.revision.id,
      });
      return written;
    });
    if (write.outcome !== 'unchanged') this.events?.reportChanged({ officeId: target.id, officePath: target.path, year: content.year });
    return { status: OUTCOME_STATUS[write.outcome], problem: null, parsed, write, office, warnings: [...parsed.warnings, ...warnings] };
  }
}
