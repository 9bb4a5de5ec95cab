/**
 * The rows of a people's import as the CLI's `--json` prints them and `POST /imports` answers.
 * Kept free of imports: the dashboard (dashboard/src/views/import.ts) types its uploads and labels
 * its outcomes from this file, so the two cannot drift apart.
 */

/** What happened to one file: the import service's statuses, plus files that never reached the parser. */
export type FileOutcome = 'IMPORTED' | 'REVISED' | 'UNCHANGED' | 'REFUSED' | 'FAILED' | 'UNSUPPORTED';

export const FILE_OUTCOME_LABELS: Record<FileOutcome, { readonly zh: string; readonly en: string }> = {
  IMPORTED: { zh: '已导入', en: 'imported' },
  REVISED: { zh: '新版本', en: 'revised' },
  UNCHANGED: { zh: '未改动', en: 'unchanged' },
  REFUSED: { zh: '已拒绝', en: 'refused' },
  FAILED: { zh: '失败', en: 'failed' },
  UNSUPPORTED: { zh: '不支持', en: 'unsupported' },
};

export interface FileProblem {
  /** The import's codes (NO_REPORT, UNKNOWN_OFFICE, FORBIDDEN, …), the document readers' (UNSUPPORTED_FORMAT, CORRUPT, …), UNREADABLE_FILE or NOT_STORED. */
  readonly code: string;
  readonly message: string;
  readonly line: number | null;
  readonly field: string | null;
}

export interface ImportFileResult {
  /** As given: the path relative to the folder walked (CLI) or the uploaded file's name. */
  readonly file: string;
  readonly outcome: FileOutcome;
  readonly office: { readonly code: string; readonly name: string } | null;
  /** The office as the report's title names it (also when no stored office matched). */
  readonly officeNamed: string | null;
  readonly year: number | null;
  /** Which document reader produced the text: text, html, pdf, pdf-ocr, docx, doc, image-ocr, html-attachment. */
  readonly reader: string | null;
  /** How far the reading can be trusted: verified, read-with-findings, partial, unreadable. */
  readonly readingStatus: string | null;
  readonly metricsRead: number;
  readonly warnings: readonly { readonly code: string; readonly message: string; readonly line: number | null }[];
  readonly problem: FileProblem | null;
  /** The stored report, for a link: present when the file was imported, revised or found unchanged. */
  readonly report: { readonly officeCode: string; readonly year: number; readonly revision: number } | null;
}

export type ImportSummary = Record<FileOutcome, number>;

/** `import --json` and `POST /imports` (200, and 403 when every file is outside the editor's subtree, with `error`). */
export interface ImportResponse {
  readonly files: readonly ImportFileResult[];
  readonly summary: ImportSummary;
  readonly error?: { readonly code: string; readonly message: string };
}
