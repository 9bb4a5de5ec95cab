import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { assertMayWriteFor } from '../auth/office-scope';
import type { Viewer } from '../auth/viewer';
import { ForbiddenError, type InputProblem } from '../common/errors';
import { isRetryable, withTransaction } from '../db/transaction';
import { isChannelMetricKey } from '../metrics/catalog';
import type { Office } from '../offices/office.entity';
import type { OfficeService } from '../offices/office.service';
import type { ContentChannel, ContentMetric, ReportContent } from '../reports/report-content';
import { validateMetrics } from '../reports/report-content';
import { sourceProblem, type ReadingStatus, type ValueSource } from '../provenance/provenance';
import type { ReportEvents } from '../reports/report-events';
import { writeReport, type WriteResult } from '../reports/report-writer';
import { contentHash } from '../reports/revision-content';
import type { ImportProblemCode } from './import-codes';
import { currentReport, refusalOf, tableValueCount, type Reading, type Refusal } from './never-worse';
import { matchOffice } from './office-matcher';
import { markOcr } from './documents/reading';
import { ParseAbandoned, ParsePool } from './parse-pool';
import type { ParsedReport, ParseResult, ParseWarning } from './parser';
import { readingTextOf } from './reading-text';

/** REFUSED: read, but storing it would make the stored report worse (never-worse.ts); nothing stored. */
export type ImportStatus = 'IMPORTED' | 'REVISED' | 'UNCHANGED' | 'FAILED' | 'REFUSED';

export interface ImportProblemData {
  readonly code: ImportProblemCode;
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
  /** How far the reading can be trusted; null when the text could not be parsed at all. */
  readonly readingStatus: ReadingStatus | null;
  /** Stored although the rules of never-worse.ts would have refused it (force). */
  readonly forced: boolean;
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
    readingStatus: parsed?.status ?? null,
    forced: false,
  };
}

/**
 * The parsed report as the content a write stores; metrics the template rejects become warnings.
 * Each value keeps its source, checked against `readingText` (the normalised text the parser
 * read): a source that points outside it is dropped with a warning rather than stored wrong.
 */
export function contentFromParsed(parsed: ParsedReport, year: number, readingText: string): { content: ReportContent; warnings: ParseWarning[] } {
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
  const lines = readingText.split('\n');
  const sourceWarnings: ParseWarning[] = [];
  const sources: Record<string, ValueSource> = {};
  const kept = new Set([...metrics.map((m) => m.key), ...Object.keys(parsed.metrics).filter(isChannelMetricKey)]);
  for (const [key, source] of Object.entries(parsed.sources ?? {})) {
    if (!kept.has(key)) continue;
    const problem = sourceProblem(source, lines);
    if (problem) sourceWarnings.push({ code: 'SOURCE_DROPPED', message: `${key}: 来源无效，未保存 / source not stored: ${problem}`, line: Number.isInteger(source.line) ? source.line : undefined });
    else sources[key] = source;
  }
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
      sources,
      readingStatus: parsed.status,
    },
    warnings: [...problems.map((p) => ({ code: 'METRIC_REJECTED' as const, message: `${p.metric ?? p.field}: ${p.problem}` })), ...sourceWarnings],
  };
}

export class ImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
    private readonly audit: AuditService,
    private readonly events?: ReportEvents,
    private readonly parser: ParsePool = new ParsePool(),
  ) {}

  /**
   * Parses and stores one published report in one transaction. Expected failures (no report in
   * the text, an office that can't be told from the title) come back as a FAILED outcome naming
   * what was wrong and where; nothing is written then. An editor importing for an office outside
   * its subtree gets FORBIDDEN, before anything is written.
   */
  async importText(text: string, options: ImportOptions): Promise<ImportOutcome> {
    const prepared = await this.prepare(text, options);
    // One report over GraphQL: a refusal is an error (FORBIDDEN), as for upsertReport.
    if ('status' in prepared && prepared.problem?.code === 'FORBIDDEN') throw new ForbiddenError(prepared.problem.message);
    if ('status' in prepared) return prepared;
    const result = await withTransaction(this.dataSource, (manager) => this.store(manager, options, prepared, text));
    if ('refusal' in result) return refused(prepared, result.refusal);
    await this.announce(prepared.office, result);
    return stored(prepared, result);
  }

  /**
   * Many reports (a bulk import), committed together: a commit costs about as much for fifty
   * reports as for one. Each report is written in its own savepoint, so one that fails rolls back
   * alone and comes back FAILED with the reason; the others are stored.
   */
  async importMany(items: readonly ImportItem[], options: Omit<ImportOptions, 'filename'>): Promise<ImportOutcome[]> {
    // Parsed side by side, as many at a time as the pool has workers (a batch never floods its
    // queue); the offices are then looked up one by one.
    const parsed: (ParseResult | ImportOutcome)[] = new Array(items.length);
    let next = 0;
    const parseNext = async () => {
      for (let i = next++; i < items.length; i = next++) parsed[i] = await this.parse(items[i]!.text, { ...options, ...itemOptions(items[i]!) });
    };
    await Promise.all(Array.from({ length: Math.min(this.parser.options.workers, items.length) }, parseNext));
    const prepared: (Prepared | ImportOutcome)[] = [];
    for (const [i, item] of items.entries()) prepared.push(await this.prepare(item.text, { ...options, ...itemOptions(item) }, parsed[i]));
    const outcomes = await withTransaction(this.dataSource, async (manager) => {
      const out: ImportOutcome[] = [];
      for (const [i, p] of prepared.entries()) {
        if ('status' in p) {
          out.push(p);
          continue;
        }
        try {
          const result = await manager.transaction((savepoint) => this.store(savepoint, options, p, items[i]!.text));
          out.push('refusal' in result ? refused(p, result.refusal) : stored(p, result));
        } catch (error) {
          // A conflict with a concurrent writer runs the whole batch again; anything else fails this report only.
          if (isRetryable(error)) throw error;
          // FORBIDDEN (outside the editor's subtree) is told apart: the upload route answers 403 when every file is.
          out.push(failed({ code: error instanceof ForbiddenError ? 'FORBIDDEN' : 'NOT_STORED', message: error instanceof Error ? error.message : String(error) }, p.parsed));
        }
      }
      return out;
    });
    for (const outcome of outcomes) if (outcome.write && outcome.office) await this.announce(outcome.office, outcome.write);
    return outcomes;
  }

  /**
   * The text parsed on a worker, within the time limit. An editor naming an office outside its
   * subtree is refused before any parsing: a refused caller should cost nothing.
   */
  private async parse(text: string, options: ImportOptions): Promise<ParseResult | ImportOutcome> {
    if (options.officeCode) {
      const office = await this.offices.byCode(options.officeCode);
      if (!office) return failed({ code: 'UNKNOWN_OFFICE', message: `no office with code "${options.officeCode}"`, field: 'officeCode' });
      try {
        await assertMayWriteFor(this.dataSource.manager, options.viewer, office);
      } catch (error) {
        if (!(error instanceof ForbiddenError)) throw error;
        return failed({ code: 'FORBIDDEN', message: error.message, field: 'officeCode' });
      }
    }
    try {
      return await this.parser.parse(text, { filename: options.filename, format: options.format });
    } catch (error) {
      if (!(error instanceof ParseAbandoned)) throw error;
      if (error.reason === 'TIME_LIMIT') return failed({ code: 'PARSE_TIME_LIMIT', message: `${error.message}; nothing was stored`, field: 'text' });
      options.log?.error({ err: error.detail }, 'parse worker failed');
      return failed({ code: 'PARSE_FAILED', message: 'the text could not be read (the parser failed on it); nothing was stored', field: 'text' });
    }
  }

  /** Parsing and finding the office: everything before the write, outside any transaction. */
  private async prepare(text: string, options: ImportOptions, parsedAlready?: ParseResult | ImportOutcome): Promise<Prepared | ImportOutcome> {
    const result = parsedAlready ?? (await this.parse(text, options));
    if ('status' in result) return result;
    if (!result.ok) {
      // The parser turns its own defects (a stack overflow, a bug) into an error whose message
      // quotes the exception: that text is for the log, not for the client.
      if (PARSER_DEFECT.test(result.error.message)) {
        options.log?.error({ parseError: result.error.message, filename: options.filename }, 'the parser failed on a text');
        return failed({ code: 'PARSE_FAILED', message: 'the text could not be read (the parser failed on it); nothing was stored', line: null, field: 'text' });
      }
      return failed({ code: 'NO_REPORT', message: result.error.message, line: result.error.line });
    }
    // Values a document reader got by OCR say so, and such a reading is verified only if table 三 balances.
    const parsed = options.ocr ? markOcr(result.report) : result.report;
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
      let match = await matchOffice(this.dataSource, parsed.office);
      if (match.kind === 'unknown' && options.createOfficesUnder) {
        match = { kind: 'found', office: (await this.offices.createFromTitle(parsed.office, options.createOfficesUnder, options.viewer)).office };
      }
      if (match.kind === 'unknown') {
        return failed(
          {
            code: 'UNKNOWN_OFFICE',
            message: `no stored office matches "${parsed.office}": add it (\`disclosure-graph offices add\` or \`offices import offices.csv\`; upsertOffice in GraphQL), let the import create it (\`import --create-offices --under PARENT\`), or name the office (\`--office CODE\`; officeCode in GraphQL)`,
            field: 'officeCode',
          },
          parsed,
        );
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
    const readingText = readingTextOf(text, { filename: options.filename, format: options.format });
    const { content, warnings } = contentFromParsed(parsed, parsed.year, readingText);
    const reading: Reading = { status: parsed.status, values: Object.keys(parsed.metrics).length, tableValues: tableValueCount(content.metrics.map((m) => m.key)) };
    return { parsed, office, content, warnings, readingText, reading };
  }

  /**
   * Inside the write's transaction: a reading that would make the stored report worse is refused
   * (nothing written) unless forced; anything else is written with its audit entry.
   */
  private async store(manager: EntityManager, options: ImportOptions, prepared: Prepared, text: string): Promise<StoreResult> {
    const { office, content } = prepared;
    const { viewer } = options;
    await assertMayWriteFor(manager, viewer, office);
    const current = await currentReport(manager, office.id, content.year);
    // The very text already current (stored by force before) is unchanged, not refused again.
    const refusal = current?.contentHash === contentHash(content, text) ? null : refusalOf(prepared.reading, current?.tableValues ?? null);
    if (refusal && !options.force) return { refusal };
    const written = await writeReport(manager, office, content, { origin: 'import', sourceText: text, normalisedText: prepared.readingText, author: viewer.subject });
    await this.audit.record(manager, viewer, {
      action: `report.import.${written.outcome}${refusal ? '.forced' : ''}`,
      targetType: 'report',
      target: `${office.code}/${content.year}`,
      beforeRevisionId: written.previousRevision?.id ?? null,
      afterRevisionId: written.revision.id,
    });
    return { ...written, forced: refusal !== null };
  }

  /** After the commit: caches of the report's scope are invalidated. */
  private async announce(office: Office, write: WriteResult): Promise<void> {
    if (write.outcome !== 'unchanged') await this.events?.reportChanged({ officeId: office.id, officePath: office.path, year: write.report.year });
  }
}

/** How parseReport words an exception it caught: `the text could not be read (<exception message>)`. */
const PARSER_DEFECT = /^the text could not be read \(/;

/** One text of a bulk import: what a document reader produced from a file. */
export interface ImportItem {
  readonly text: string;
  readonly filename?: string;
  /** HTML when the reader rebuilt tables as <table> (PDF, Word); otherwise told from the text. */
  readonly format?: 'text' | 'html';
  /** The text was read by OCR. */
  readonly ocr?: boolean;
}

function itemOptions(item: ImportItem): Pick<ImportOptions, 'filename' | 'format' | 'ocr'> {
  return { filename: item.filename, format: item.format, ocr: item.ocr };
}

interface ImportOptions {
  readonly viewer: Viewer;
  readonly format?: 'text' | 'html';
  readonly ocr?: boolean;
  /** Where parser failures are logged (with the request id); their details never reach the client. */
  readonly log?: Logger;
  readonly officeCode?: string | null;
  /** A report whose title names no stored office creates it under this office (CLI `--create-offices --under`). */
  readonly createOfficesUnder?: string | null;
  readonly filename?: string;
  /** Store even a reading that never-worse.ts refuses (e.g. an office that really published no tables). */
  readonly force?: boolean;
}

interface Prepared {
  readonly parsed: ParsedReport;
  readonly office: Office;
  readonly content: ReportContent;
  readonly warnings: readonly ParseWarning[];
  /** The normalised text the parser read; sources point into it. */
  readonly readingText: string;
  readonly reading: Reading;
}

type StoreResult = (WriteResult & { readonly forced: boolean }) | { readonly refusal: Refusal };

function stored(prepared: Prepared, write: WriteResult & { readonly forced: boolean }): ImportOutcome {
  const { forced, ...result } = write;
  return {
    status: OUTCOME_STATUS[write.outcome],
    problem: null,
    parsed: prepared.parsed,
    write: result,
    office: prepared.office,
    warnings: [...prepared.parsed.warnings, ...prepared.warnings],
    readingStatus: prepared.parsed.status,
    forced,
  };
}

function refused(prepared: Prepared, refusal: Refusal): ImportOutcome {
  return {
    status: 'REFUSED',
    problem: { code: refusal.code, message: refusal.message, line: null, field: 'text', candidates: [] },
    parsed: prepared.parsed,
    write: null,
    office: prepared.office,
    warnings: [...prepared.parsed.warnings, ...prepared.warnings],
    readingStatus: prepared.parsed.status,
    forced: false,
  };
}
