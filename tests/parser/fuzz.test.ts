import fc from 'fast-check';
import { parseReport, type ParseResult } from '../../src/ingest/parser';
import { corpusCases } from '../support/corpus';

const texts = corpusCases().map((c) => c.text);

function assertShape(result: ParseResult): void {
  if (result.ok) {
    expect(typeof result.report.templateFormat).toBe('string');
    expect(Array.isArray(result.report.warnings)).toBe(true);
    for (const value of Object.values(result.report.metrics)) expect(Number.isFinite(value)).toBe(true);
  } else {
    expect(result.error.code).toBe('NO_REPORT');
    // The parser's last-resort catch: an exception inside it is a defect, not unreadable input.
    expect(result.error.message).not.toMatch(/could not be read/);
    expect(result.error.line).toBeGreaterThanOrEqual(1);
  }
}

/** A corpus text mutated the ways pages get damaged: lines dropped, doubled, swapped; cut; junk. */
const mutated = fc
  .tuple(
    fc.constantFrom(...texts),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
        fc.record({ op: fc.constant('junk' as const), at: fc.nat(), text: fc.string({ unit: 'grapheme', maxLength: 20 }) }),
      ),
      { maxLength: 12 },
    ),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([text, ops, cut]) => {
    const lines = text.split('\n');
    for (const o of ops) {
      const i = lines.length ? o.at % lines.length : 0;
      if (o.op === 'delete') lines.splice(i, 1);
      else if (o.op === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
      else if (o.op === 'swap' && lines.length) {
        const j = o.with % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else if (o.op === 'junk') lines.splice(i, 0, o.text);
    }
    const joined = lines.join('\n');
    const bytes = Buffer.from(joined, 'utf8');
    return cut === undefined ? joined : bytes.subarray(0, cut % (bytes.length + 1)).toString('utf8');
  });

describe('the parser never throws', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => assertShape(parseReport(text))),
      { numRuns: 300 },
    );
  });

  it('on random lines of table-like debris', () => {
    const cell = fc.oneof(fc.constantFrom('|', '||', '', ' ', '\t', '0', '—', '+3', '--2', '1,5', '规章', '总计', '（一）予以公开', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 300 }), (cells) => assertShape(parseReport(cells.join('\n')))),
      { numRuns: 300 },
    );
  });

  it('on mutated and cut corpus reports', () => {
    fc.assert(
      fc.property(mutated, (text) => assertShape(parseReport(text))),
      { numRuns: 400 },
    );
  });

  it('on HTML fragments', () => {
    const tag = fc.constantFrom('<table>', '</table>', '<tr>', '</tr>', '<td colspan="3">', '<td rowspan="99999">', '</td>', '<p>', '<br>', '规章', '0', '<script>x</script>');
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 200 }), (parts) => assertShape(parseReport(`<html><body>${parts.join('')}</body></html>`))),
      { numRuns: 200 },
    );
  });
});
