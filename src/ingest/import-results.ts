/**
 * One row per file of a people's import (the CLI's `import DIR…` and `POST /imports`): what was
 * read from it and what happened to it. The CLI's `--json` and the upload route print the same
 * rows (import-contract.ts), so scripts and the dashboard read one shape.
 */
import { DocumentError, type DocumentReader } from './documents';
import type { ImportFileResult, ImportSummary } from './import-contract';
import type { ImportOutcome } from './import.service';

export { FILE_OUTCOME_LABELS, type FileOutcome, type FileProblem, type ImportFileResult, type ImportResponse, type ImportSummary } from './import-contract';

/** A file's reading (which reader, its warnings) together with the import service's outcome. */
export function fileResultOf(file: string, reader: DocumentReader, readerWarnings: readonly string[], outcome: ImportOutcome): ImportFileResult {
  const parsed = outcome.parsed;
  const report = outcome.write?.report ?? null;
  return {
    file,
    outcome: outcome.status,
    office: outcome.office ? { code: outcome.office.code, name: outcome.office.name } : null,
    officeNamed: parsed?.office ?? null,
    year: parsed?.year ?? null,
    reader,
    // h4-provenance: when ImportOutcome carries its own reading status, read it here instead.
    readingStatus: parsed?.status ?? null,
    metricsRead: parsed ? Object.keys(parsed.metrics).length : 0,
    warnings: [
      ...readerWarnings.map((message) => ({ code: 'DOCUMENT', message, line: null })),
      ...outcome.warnings.map((w) => ({ code: w.code, message: w.message, line: w.line ?? null })),
    ],
    problem: outcome.problem ? { code: outcome.problem.code, message: outcome.problem.message, line: outcome.problem.line, field: outcome.problem.field } : null,
    report: report && outcome.office && outcome.write ? { officeCode: outcome.office.code, year: report.year, revision: outcome.write.revision.number } : null,
  };
}

/** A file that never reached the parser: unsupported or unreadable as a document, or not readable from disk. */
export function fileResultOfError(file: string, error: unknown): ImportFileResult {
  const unsupported = error instanceof DocumentError && error.code === 'UNSUPPORTED_FORMAT';
  const code = error instanceof DocumentError ? error.code : 'UNREADABLE_FILE';
  // DocumentError's message starts with the file name, which the row shows already.
  const message = error instanceof DocumentError ? error.message.slice(error.filename.length + 2) : error instanceof Error ? error.message : String(error);
  return {
    file,
    outcome: unsupported ? 'UNSUPPORTED' : 'FAILED',
    office: null,
    officeNamed: null,
    year: null,
    reader: null,
    readingStatus: null,
    metricsRead: 0,
    warnings: [],
    problem: { code, message, line: null, field: null },
    report: null,
  };
}

/** A whole batch whose commit failed (e.g. the database went away): none of it is stored. */
export function fileResultNotStored(file: string, reader: DocumentReader, error: unknown): ImportFileResult {
  return { ...fileResultOfError(file, error), reader, problem: { code: 'NOT_STORED', message: error instanceof Error ? error.message : String(error), line: null, field: null } };
}

export function summarize(results: readonly ImportFileResult[]): ImportSummary {
  const summary: ImportSummary = { IMPORTED: 0, REVISED: 0, UNCHANGED: 0, REFUSED: 0, FAILED: 0, UNSUPPORTED: 0 };
  for (const r of results) summary[r.outcome] += 1;
  return summary;
}

/** Failed or refused files make a run unsuccessful; unsupported files are listed but are not failures. */
export function anyFailed(results: readonly ImportFileResult[]): boolean {
  return results.some((r) => r.outcome === 'FAILED' || r.outcome === 'REFUSED');
}
