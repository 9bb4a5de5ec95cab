/**
 * The values read from each corpus report's Word and PDF versions (made by LibreOffice and
 * printed by Chromium) equal the values read from its text: at least 99 % of them, and nothing
 * the text does not have.
 */
import { readDocument } from '../../src/ingest/documents';
import { parseReport } from '../../src/ingest/parser';
import { DOCUMENTS, REPORTS, compareValues, fixture, textValues } from './support';

const VERSIONS = [
  { suffix: '.docx', reader: 'docx' },
  { suffix: '.libreoffice.pdf', reader: 'pdf' },
  { suffix: '.chromium.pdf', reader: 'pdf' },
] as const;

describe.each(REPORTS)('%s', (report) => {
  const expected = textValues(report);

  it.each(VERSIONS)('its $suffix gives the values of its text', async ({ suffix, reader }) => {
    const filename = `${report}${suffix}`;
    const reading = await readDocument({ bytes: fixture(filename), filename, directory: DOCUMENTS });
    expect(reading).toMatchObject({ reader, format: 'html', ocr: false });
    const result = parseReport(reading.text, { format: reading.format, filename });
    if (!result.ok) throw new Error(result.error.message);
    const c = compareValues(expected, result.report.metrics);
    expect({ wrong: c.wrong, extra: c.extra }).toEqual({ wrong: [], extra: [] });
    expect(c.right.length).toBeGreaterThanOrEqual(Math.ceil(c.expected * 0.99));
    expect(c.expected).toBeGreaterThan(20);
  });
});

it('the PDF keeps a figure whole where the page width broke its line, and the tables as cells', async () => {
  // 徐望镇's 「在政务微信平台“汉台徐望”公开政务信息137条」 wraps after 平台 in LibreOffice's layout.
  const reading = await readDocument({ bytes: fixture('2025_xuwang-zhen.libreoffice.pdf'), filename: 'x.pdf' });
  expect(reading.text).toMatch(/政务微信平台“汉台徐望”公开政务信息137条/);
  // Table 三's headers: merged cells as spans, the narrow applicant columns' wrapped labels whole.
  expect(reading.text).toMatch(/<td colspan="5">法人或其他组织<\/td>/);
  expect(reading.text).toMatch(/<td>商业企业<\/td><td>科研机构<\/td><td>社会公益组织<\/td><td>法律服务机构<\/td><td>其他<\/td>/);
  expect(reading.text).toMatch(/<td rowspan="\d+">三、本年度办理结果<\/td>/);
});
