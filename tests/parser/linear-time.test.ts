/**
 * No input makes the parser slow: every pattern is linear or bounded. Texts of up to 1 MB built
 * from the pieces that made patterns backtrack (contact cues, runs of digits, spaced rows, pipes,
 * channel words, headings run together) are each parsed in under a second.
 */
import fc from 'fast-check';
import { parseReport } from '../../src/ingest/parser';

const PIECES = [
  '联系:电话', '请与', '1', '0', '12', ' ', '0 ', '|', '\t', '\n', '。', ',', '、', '条', '件', '次', '查询', '微信', '政府网站', '公示栏', '查询机',
  '规章', '行政许可', '（一）予以公开', '1.', '-', '.', '万元', '共公开政府信息', '累计', '(', ')', '第二十条第（一）项',
  '一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况',
  '2023年度政府信息公开工作年度报告', '发布机构:', '>', '本年新收政府信息公开申请数量', '总计',
];

/** A text of about `size` characters: a few pieces, each repeated in long stretches. */
const bigText = fc
  .record({
    stretches: fc.array(fc.record({ piece: fc.constantFrom(...PIECES), other: fc.constantFrom(...PIECES), times: fc.integer({ min: 1, max: 200_000 }) }), { minLength: 1, maxLength: 6 }),
    prefix: fc.constantFrom('', '某县2023年政府信息公开工作年度报告\n', '标题: 某县2023年度政府信息公开工作年度报告 一、总体情况 '),
  })
  .map(({ stretches, prefix }) => {
    let text = prefix;
    for (const s of stretches) {
      const unit = s.piece + s.other;
      const times = Math.min(s.times, Math.floor((1_000_000 - text.length) / unit.length));
      if (times <= 0) break;
      text += unit.repeat(times);
    }
    const recipe = `${JSON.stringify(prefix)} + ${stretches.map((s) => `${JSON.stringify(s.piece + s.other)}×${s.times}`).join(' + ')}`;
    return { recipe, text: text.slice(0, 1_000_000) };
  });

const worst: string[] = [
  '某某局2023年政府信息公开工作年度报告\n' + '联系:电话'.repeat(200_000),
  '某某局2023年政府信息公开工作年度报告\n一、总体情况\n' + '1'.repeat(1_000_000),
  '某某局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n规章 ' + '0 '.repeat(490_000) + 'x',
  '二、主动公开政府信息情况\n' + '0|'.repeat(490_000),
  '某某局2023年政府信息公开工作年度报告 一、总体情况 二、主动公开政府信息情况' + '规章0'.repeat(300_000) + '三、收到和处理政府信息公开申请情况' + '1 '.repeat(50_000),
  '一、总体情况 x 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量' + '1'.repeat(59) + '二、上年结转' + '1-'.repeat(450_000),
  '查询'.repeat(100_000) + '1'.repeat(500_000) + '次',
  // Blank lines after a run of text: `^\s*` per line and `\n\s*$` rescanned them all (minutes).
  '某县2023年政府信息公开工作年度报告\n' + '\t累计'.repeat(68_095) + '\n '.repeat(189_602) + 'x',
  '某县2023年政府信息公开工作年度报告\n' + '一、总体情况\n'.repeat(53_659),
  '| '.repeat(499_000) + 'x',
].map((t) => t.slice(0, 1_000_000));

/**
 * The parse time, the best of up to five tries: the machine is shared, so one slow try may be
 * another process's doing; a super-linear pattern is slow every time.
 */
function elapsed(text: string): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 5 && best >= 1000; attempt++) {
    const started = performance.now();
    const result = parseReport(text);
    best = Math.min(best, performance.now() - started);
    expect(typeof result.ok).toBe('boolean');
  }
  return best;
}

describe('the parser takes linear time', () => {
  it.each(worst.map((t, i) => [i, t] as const))('on known worst case %i (≤ 1 MB) in under a second', (_i, text) => {
    expect(text.length).toBeLessThanOrEqual(1_000_000);
    expect(elapsed(text)).toBeLessThan(1000);
  });

  it('on any text of up to 1 MB made of long repeated stretches, in under a second', () => {
    // fc.check, not fc.assert: a failing 1 MB counterexample is summarised, not printed whole.
    const result = fc.check(
      fc.property(bigText, ({ text }) => elapsed(text) < 1000),
      // No shrinking: each step would parse another megabyte.
      { numRuns: 25, endOnFailure: true },
    );
    const example = result.counterexample?.[0];
    expect(result.failed ? `${example?.text.length} characters: ${example?.recipe}` : 'none').toBe('none');
  }, 120_000);
});
