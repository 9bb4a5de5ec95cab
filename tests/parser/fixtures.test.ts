import fs from 'node:fs';
import path from 'node:path';
import { parseReport } from '../../src/ingest/parser';

/**
 * Cases the corpus is thin on, in clearly fictional reports (示例/虚构): table 四 filled in, a 2021
 * table 三 with （六） sub-rows, HTML with merged cells, rows separated by spaces and tabs,
 * full-width digits, signs, units and thousands separators, and 「1500余次」.
 */
const DIR = path.join(__dirname, 'fixtures');
const cases = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => {
    const name = f.replace('.expected.json', '');
    const source = fs.readdirSync(DIR).find((g) => g.startsWith(`${name}.`) && !g.endsWith('.json'))!;
    return { name, source, text: fs.readFileSync(path.join(DIR, source), 'utf8'), expected: JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) };
  });

describe('the parser on fictional fixtures', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: reads every number, office, year and format', (_name, c) => {
    const result = parseReport(c.text, { filename: c.source });
    if (!result.ok) throw new Error(result.error.message);
    const r = result.report;
    expect({ office: r.office, year: r.year, templateFormat: r.templateFormat }).toEqual({ office: c.expected.office, year: c.expected.year, templateFormat: c.expected.templateFormat });
    expect(r.metrics).toEqual(c.expected.metrics);
  });

  it('flags what does not add up in table 四, and keeps the published number', () => {
    const c = cases.find((x) => x.name === '2022_demo-pipe-full')!;
    const result = parseReport(c.text);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.report.findings).toEqual([expect.objectContaining({ code: 'T4_SUM', scope: 'litigation_after_review', left: 2, right: 1, difference: 1 })]);
    expect(result.report.metrics['litigation_after_review.total']).toBe(2);
  });

  it('reads channels with account names, devices and approximate queries', () => {
    const c = cases.find((x) => x.name === '2020_demo-merged-cells')!;
    const result = parseReport(c.text, { filename: c.source });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.report.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'weibo', name: '虚构镇发布', items: 1000 }),
        expect.objectContaining({ kind: 'kiosk', devices: 3, queries: 1500, approximate: true }),
        expect.objectContaining({ kind: 'bulletin_board', devices: 12 }),
      ]),
    );
    expect(result.report.approximateKeys).toContain('channels.kiosk.queries');
    expect(result.report.publishedAt).toBe('2021-01-28');
    expect(result.report.sections.overview).toContain('2480');
    expect(result.report.sections.otherMatters).toBe('无。');
  });

  it('splits section 五 into problems and improvements, and finds the contact', () => {
    const c = cases.find((x) => x.name === '2022_demo-pipe-full')!;
    const result = parseReport(c.text);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.report.sections.problems).toContain('及时性有待提高');
    expect(result.report.sections.improvements).toContain('加强培训');
    expect(result.report.contact).toContain('0000—1234567');
    expect(result.report.publishedAt).toBe('2023-01-18');
    expect(result.report.warnings).toEqual([]);
  });
});
