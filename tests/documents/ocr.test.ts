/**
 * Scans read by Tesseract: table 三 of a corpus report printed, rasterised at 150 dpi (a PNG, and
 * the same picture as an image-only PDF page). At least 95 % of table 三's numbers are read right,
 * every value is marked as read by OCR, and the reading is `verified` only if table 三 balances.
 */
import { parseDocument } from '../../src/ingest/documents/reading';
import { DOCUMENTS, compareValues, describeWithTool, fixture, textValues } from './support';

const REPORT = '2022_hongqiao-zhengwufuwuban';
const table3 = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('applications.')));

describeWithTool('tesseract', 'OCR of a scanned table 三 (150 dpi)', () => {
  const expected = table3(textValues(REPORT));

  it.each([
    { file: `${REPORT}.table3.scan150.png`, reader: 'image-ocr' },
    { file: `${REPORT}.table3.scanned.pdf`, reader: 'pdf-ocr' },
  ])('$file', async ({ file, reader }) => {
    const { reading, result } = await parseDocument({ bytes: fixture(file), filename: file, directory: DOCUMENTS });
    expect(reading).toMatchObject({ reader, ocr: true });
    expect(reading.warnings.join('\n')).toMatch(/OCR/);
    if (!result.ok) throw new Error(result.error.message);
    const report = result.report;
    const c = compareValues(expected, table3(report.metrics));
    expect(c.expected).toBeGreaterThanOrEqual(14);
    expect(c.right.length / c.expected).toBeGreaterThanOrEqual(0.95);
    expect(c.wrong).toEqual([]);
    // Provenance: every value says OCR.
    expect(Object.keys(report.sources).sort()).toEqual(Object.keys(report.metrics).sort());
    expect(Object.values(report.sources).every((s) => s.method === 'ocr')).toBe(true);
    // This excerpt's table 三 stops after its first rows: it cannot be checked, so it is not verified.
    expect(report.status).not.toBe('verified');
  }, 180000);
});
