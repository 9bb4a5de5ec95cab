import { parseReport } from '../../src/ingest/parser';
import { readCorpus } from '../support/corpus';

describe('what the parser says about what it could not read', () => {
  it('names the table and row where an excerpt stops, and drops the cut row whole', () => {
    const result = parseReport(readCorpus('2019_beijing-tongzhou-ju.txt'));
    if (!result.ok) throw new Error(result.error.message);
    const { warnings, metrics } = result.report;
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'ROW_CUT', table: '三', row: 'carried_over' }));
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'TRUNCATED', table: '三' }));
    expect(Object.keys(metrics).some((k) => k.startsWith('applications.carried_over'))).toBe(false);
    expect(metrics['applications.received.total']).toBe(0);
  });

  it('warns about each missing section and about tables with no rows (images)', () => {
    const result = parseReport(readCorpus('2020_guihuaping-jiedao.txt'));
    if (!result.ok) throw new Error(result.error.message);
    const codes = result.report.warnings.map((w) => `${w.code}:${w.table ?? w.row ?? ''}`);
    expect(codes).toEqual(expect.arrayContaining(['TABLE_EMPTY:二', 'TABLE_EMPTY:三']));
    const cut = parseReport(readCorpus('2020_zhongcun-xiang.txt'));
    if (!cut.ok) throw new Error(cut.error.message);
    expect(cut.report.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'MISSING_SECTION', row: '五' })]));
  });

  it('detects the template from the tables, not the year (a 2021 report on the 2019 template)', () => {
    const result = parseReport(readCorpus('2021_xihuo-zhen.txt'));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.report).toMatchObject({ year: 2021, templateFormat: '2019', formatDetectedFrom: 'tables' });
  });

  it('errors only when no report is recognisable, naming the line and what was expected', () => {
    const result = parseReport('\n\n会议纪要\n今天讨论了午餐安排。\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'NO_REPORT', line: 3 });
    expect(result.error.expected).toContain('一、总体情况');
    expect(result.error.message).toContain('line 3');
  });

  it('reads a report that has only a title as a report with warnings, not an error', () => {
    const result = parseReport('示例镇2024年政府信息公开工作年度报告\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report).toMatchObject({ office: '示例镇', year: 2024, templateFormat: '2021', formatDetectedFrom: 'year', metrics: {} });
    expect(result.report.warnings.filter((w) => w.code === 'MISSING_SECTION')).toHaveLength(6);
  });
});
