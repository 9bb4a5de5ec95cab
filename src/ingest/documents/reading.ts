/**
 * A document's parse: readDocument, then the parser on what it produced, then what OCR changes.
 * Values read by OCR carry provenance method `ocr`, and a report read by OCR is `verified` only
 * when table 三 can actually be checked and balances: an OCR that dropped a figure can leave a
 * table with nothing to contradict it, which is not the same as a table that adds up.
 */
import { APPLICANT_PARTS, APPLICATION_ROW_DEFS } from '../../metrics/template';
import { metricKey } from '../../metrics/metric-key';
import { parseReport, type ParseResult, type ParsedReport, type ValueSource } from '../parser';
import { readDocument, type DocumentInput, type DocumentReading } from './index';

/** Whether every row of table 三 that was read has all its applicant columns and a total that is their sum. */
function table3Balances(metrics: Readonly<Record<string, number>>): boolean {
  let rows = 0;
  for (const row of APPLICATION_ROW_DEFS) {
    const keys = [...APPLICANT_PARTS, 'total' as const].map((a) => metricKey('applications', row.key, a));
    const present = keys.filter((k) => k in metrics);
    if (present.length === 0) continue;
    if (present.length !== keys.length) return false;
    const parts = APPLICANT_PARTS.reduce((sum, a) => sum + metrics[metricKey('applications', row.key, a)]!, 0);
    if (Math.abs(parts - metrics[metricKey('applications', row.key, 'total')]!) > 1e-9) return false;
    rows++;
  }
  return rows > 0 && ['received', 'carried_over', 'results_total', 'carried_forward'].every((r) => metricKey('applications', r, 'total') in metrics);
}

/** The parse of a document read by OCR: every value's method is `ocr`, and `verified` only if table 三 balances. */
export function markOcr(report: ParsedReport): ParsedReport {
  const sources: Record<string, ValueSource> = {};
  for (const key of Object.keys(report.metrics)) {
    // Where the parser placed the value in the rebuilt page; line 0 where it did not say.
    const source = report.sources[key];
    sources[key] = source ? { ...source, method: 'ocr' } : { line: 0, start: 0, end: 0, method: 'ocr' };
  }
  const status = report.status === 'verified' && !table3Balances(report.metrics) ? 'partial' : report.status;
  return { ...report, sources, status };
}

export interface DocumentParse {
  readonly reading: DocumentReading;
  readonly result: ParseResult;
}

export async function parseDocument(input: DocumentInput): Promise<DocumentParse> {
  const reading = await readDocument(input);
  const result = parseReport(reading.text, { format: reading.format, filename: input.filename });
  if (result.ok && reading.ocr) return { reading, result: { ok: true, report: markOcr(result.report) } };
  return { reading, result };
}
