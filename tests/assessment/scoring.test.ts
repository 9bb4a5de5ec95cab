import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_RUBRIC, RubricError, loadRubric, validateRubric } from '../../src/assessment/rubric';
import { assess, type ReportFacts } from '../../src/assessment/scoring';
import { repeatedShare } from '../../src/assessment/text-repetition';

const full: ReportFacts = {
  filed: true,
  publishedAt: '2023-01-20',
  deadline: '2023-01-31',
  parts: { section1: 1, table2: 1, table3: 1, table4: 1, section5: 1, section6: 1 },
  findings: {},
  channelItems: 120,
  channelItemsPrevious: 100,
  repeatedShare: 0.1,
};

describe('scoring by the rubric', () => {
  it('gives a complete, consistent, timely, fresh report its full weights but for repetition', () => {
    const a = assess(full, DEFAULT_RUBRIC);
    expect(a.breakdown.map((b) => [b.criterion, b.points])).toEqual([
      ['filed', 20],
      ['onTime', 15],
      ['complete', 25],
      ['consistent', 20],
      ['channels', 10],
      ['originality', 9],
    ]);
    expect(a.score).toBe(99);
  });

  it('deducts per finding, for lateness, for blanks, for falling output and for copying', () => {
    const a = assess(
      { ...full, publishedAt: '2023-03-01', parts: { ...full.parts, table3: 0.5 }, findings: { T3_BALANCE: 2, NEGATIVE: 1 }, channelItems: 50, repeatedShare: 0.8 },
      DEFAULT_RUBRIC,
    );
    const points = Object.fromEntries(a.breakdown.map((b) => [b.criterion, b.points]));
    expect(points).toEqual({ filed: 20, onTime: 0, complete: 22.92, consistent: 7, channels: 5, originality: 0 });
    expect(a.onTime).toBe(false);
    expect(a.findingCount).toBe(3);
    expect(a.breakdown.find((b) => b.criterion === 'originality')!.note).toContain('照抄');
  });

  it('scores an office that filed nothing 0', () => {
    const a = assess({ ...full, filed: false, publishedAt: null }, DEFAULT_RUBRIC);
    expect(a.score).toBe(0);
    expect(a.breakdown[0]!.note).toContain('未报送');
  });

  it('validates a district rubric, naming each problem by its JSON path', () => {
    expect(() => validateRubric({ weights: { filed: 50, onTime: 'x', complete: 10, consistent: 10, channels: 10, originality: 10, speed: 1 }, findingDeductions: { T9: 1 }, copiedShare: 2 })).toThrow(RubricError);
    try {
      validateRubric({ weights: { filed: 50, onTime: 'x', complete: 10, consistent: 10, channels: 10, originality: 10, speed: 1 }, findingDeductions: { T9: 1 }, copiedShare: 2 });
    } catch (e) {
      const paths = (e as RubricError).problems.map((p) => p.path);
      expect(paths).toEqual(['$.weights.onTime', '$.weights.speed', '$.findingDeductions.T9', '$.copiedShare']);
    }
    expect(() => validateRubric({ ...DEFAULT_RUBRIC, weights: { ...DEFAULT_RUBRIC.weights, filed: 30 } })).toThrow('must add up to 100, they add up to 110');
  });

  it('loads a rubric file a district provides', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dg-rubric-')), 'rubric.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_RUBRIC, weights: { filed: 40, onTime: 10, complete: 20, consistent: 10, channels: 10, originality: 10 } }));
    expect(loadRubric(file).weights.filed).toBe(40);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadRubric(file)).toThrow('cannot be read as JSON');
  });
});

describe('text repeated from the previous year', () => {
  const last = '2021年，街道认真贯彻落实政府信息公开条例，通过政府网站、微信公众号等渠道主动公开政府信息，进一步规范依申请公开办理流程，加强保密审查。';
  it('is near 1 for last year\'s text with the year changed, and 0 for fresh text', () => {
    expect(repeatedShare(last.replace('2021年', '2022年'), last)).toBe(1);
    expect(repeatedShare('本年度我镇重点推进基层政务公开标准化规范化建设，编制公开事项目录三百余项，并组织专题培训两次。', last)).toBe(0);
    const half = repeatedShare(`${last}本年度新增政务公开专区建设，完善了便民服务中心的查阅点设置，方便群众查阅各类政府信息。`, last)!;
    expect(half).toBeGreaterThan(0.3);
    expect(half).toBeLessThan(0.8);
    expect(repeatedShare(null, last)).toBeNull();
  });
});
