/** The per-file table `disclosure-graph import` ends with, and its one-line summary. */
import Table from 'cli-table3';
import { FILE_OUTCOME_LABELS, summarize, type ImportFileResult } from './import-results';

interface Column {
  readonly head: string;
  readonly cell: (r: ImportFileResult) => string;
}

const dash = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '-' : String(value));

/** One entry per column: a new field of the results is one more line here. */
export const IMPORT_TABLE_COLUMNS: readonly Column[] = [
  { head: '文件 file', cell: (r) => r.file },
  { head: '机关 office', cell: (r) => dash(r.office?.name ?? (r.officeNamed ? `${r.officeNamed}?` : null)) },
  { head: '年度 year', cell: (r) => dash(r.year) },
  { head: '读取 reader', cell: (r) => dash(r.reader) },
  { head: '读取状态 reading', cell: (r) => dash(r.readingStatus) },
  { head: '数值 numbers', cell: (r) => String(r.metricsRead) },
  { head: '提示 warnings', cell: (r) => String(r.warnings.length) },
  { head: '结果 outcome', cell: (r) => `${FILE_OUTCOME_LABELS[r.outcome].zh} ${FILE_OUTCOME_LABELS[r.outcome].en}` },
  // The message itself is listed under the table: wrapped inside a cell, mixed Chinese and English reads badly.
  { head: '问题 problem', cell: (r) => r.problem?.code ?? '' },
];

export function formatImportTable(results: readonly ImportFileResult[]): string {
  const table = new Table({
    head: IMPORT_TABLE_COLUMNS.map((c) => c.head),
    // No colour codes: the table is read in logs and pipes as often as in a terminal.
    style: { head: [], border: [] },
  });
  for (const r of results) table.push(IMPORT_TABLE_COLUMNS.map((c) => c.cell(r)));
  const problems = results.filter((r) => r.problem).map((r) => `  ${r.file}: ${r.problem!.message}${r.problem!.line ? ` (line ${r.problem!.line})` : ''}`);
  return problems.length > 0 ? `${table.toString()}\n问题 problems:\n${problems.join('\n')}` : table.toString();
}

/** `imported 3, revised 0, unchanged 1, failed 1, refused 0, unsupported 2` */
export function formatImportSummary(results: readonly ImportFileResult[]): string {
  const s = summarize(results);
  return `imported ${s.IMPORTED}, revised ${s.REVISED}, unchanged ${s.UNCHANGED}, failed ${s.FAILED}, refused ${s.REFUSED}, unsupported ${s.UNSUPPORTED}`;
}
