/** What OCR changes in a parse: provenance `ocr`, and `verified` only for a table 三 that can be checked and balances. */
import { markOcr } from '../../src/ingest/documents/reading';
import { parseReport, type ParsedReport } from '../../src/ingest/parser';
import { readCorpus } from '../support/corpus';

function parsed(text: string): ParsedReport {
  const result = parseReport(text, { filename: 'r.txt' });
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

const APPLICANTS = ['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_organization', 'legal_service_organization', 'other_organization'];

function withTable3(report: ParsedReport, rows: Record<string, number[]>): ParsedReport {
  const metrics = { ...report.metrics };
  for (const [row, values] of Object.entries(rows)) {
    values.slice(0, 6).forEach((v, i) => (metrics[`applications.${row}.${APPLICANTS[i]}`] = v));
    if (values.length > 6) metrics[`applications.${row}.total`] = values[6]!;
  }
  return { ...report, metrics, status: 'verified' };
}

describe('markOcr', () => {
  const base = parsed(readCorpus('2020_weihai-huancui-jingyuan.txt'));

  it('marks every value as read by OCR', () => {
    const marked = markOcr(base);
    expect(Object.keys(marked.sources).sort()).toEqual(Object.keys(base.metrics).sort());
    expect(new Set(Object.values(marked.sources).map((s) => s.method))).toEqual(new Set(['ocr']));
  });

  it('keeps verified for a balanced table 三, and not for one missing a total or whose row does not add up', () => {
    const rows = { received: [1, 0, 0, 0, 0, 3, 4], carried_over: [0, 0, 0, 0, 0, 0, 0], results_total: [1, 0, 0, 0, 0, 3, 4], carried_forward: [0, 0, 0, 0, 0, 0, 0] };
    expect(markOcr(withTable3(base, rows)).status).toBe('verified');
    expect(markOcr(withTable3(base, { ...rows, received: [1, 0, 0, 0, 0, 3] })).status).toBe('partial');
    expect(markOcr(withTable3(base, { ...rows, received: [1, 0, 0, 0, 0, 3, 5] })).status).toBe('partial');
    // A reading with findings keeps its status.
    expect(markOcr({ ...base, status: 'read-with-findings' }).status).toBe('read-with-findings');
  });
});
