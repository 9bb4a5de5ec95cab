/**
 * Layouts real reports were misread in (issue 13), on reports written for these tests: every
 * number read as a person reads it, none invented.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseReport, type ParsedReport } from '../../src/ingest/parser';

const DIR = path.resolve(__dirname, 'layouts');

function parsed(text: string): ParsedReport {
  const result = parseReport(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

describe('cells one per line with a line holding only `|` between them', () => {
  const text = fs.readFileSync(path.join(DIR, '2021_shuanghe-pipe-lines.txt'), 'utf8');
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, '2021_shuanghe-pipe-lines.expected.json'), 'utf8')) as { office: string; year: number; templateFormat: string; metrics: Record<string, number> };
  const report = parsed(text);

  it('reads every number, the blank cell (two `|` in a row) as blank, and nothing else', () => {
    expect({ office: report.office, year: report.year, templateFormat: report.templateFormat }).toEqual({ office: expected.office, year: expected.year, templateFormat: expected.templateFormat });
    expect(report.metrics).toEqual(expected.metrics);
    expect(report.metrics['proactive.rules.in_force']).toBeUndefined();
  });

  it('reads the rows by their labels, 「（一）予以公开」 included, and finds the tables balanced', () => {
    expect(report.sources['applications.granted.total']).toMatchObject({ method: 'cell', table: '三', row: 'granted', column: 6 });
    expect(report.warnings.filter((w) => ['ROW_BY_POSITION', 'UNKNOWN_ROW', 'ROW_SHORT'].includes(w.code))).toEqual([]);
    expect(report.status).toBe('verified');
  });

  it('still takes a lone `|` for a blank cell where cells carry their own `|` (0 | / | / 0 |)', () => {
    const mixed = parsed(['某镇2021年政府信息公开工作年度报告', '二、主动公开政府信息情况', '第二十条第(一)项 |', '信息内容 |', '本年制发件数 |', '本年废止件数 |', '现行有效件数 |', '规章 |', '0 |', '|', '3 |', '三、收到和处理政府信息公开申请情况', ''].join('\n'));
    expect(mixed.metrics).toMatchObject({ 'proactive.rules.issued': 0, 'proactive.rules.in_force': 3 });
    expect(mixed.metrics['proactive.rules.repealed']).toBeUndefined();
  });
});

describe('「（一）予以公开」 beside its group heading', () => {
  it.each([
    ['on one line, spaced', '三、本年度办理结果 （一）予以公开 4 1 0 0 0 0 5'],
    ['as `a | b | …` cells', '三、本年度办理结果 | （一）予以公开 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |'],
    ['heading, then the row on the next line', '三、本年度办理结果\n（一）予以公开 4 1 0 0 0 0 5'],
  ])('%s', (_name, row) => {
    const text = ['某镇2021年政府信息公开工作年度报告', '三、收到和处理政府信息公开申请情况', '申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计', '一、本年新收政府信息公开申请数量 4 1 0 0 0 0 5', '二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0', row, '（二）部分公开 0 0 0 0 0 0 0', '四、政府信息公开行政复议、行政诉讼情况', ''].join('\n');
    const report = parsed(text);
    expect(['natural_person', 'commercial_enterprise', 'total'].map((c) => report.metrics[`applications.granted.${c}`])).toEqual([4, 1, 5]);
  });
});

describe('a crawler\'s header before the title', () => {
  it('takes the office from the title, not from 发布机构/来源 naming a department, nor from breadcrumbs', () => {
    const report = parsed([
      '首页 > 政务公开 > 政府信息公开年报',
      '标题: 平溪县2023年度政府信息公开工作年度报告',
      '发布机构: 平溪县人民政府办公室',
      '来源: 平溪县人民政府办公室',
      '当前位置：首页 > 政府信息公开 > 平溪县2023年度政府信息公开工作年度报告',
      '一、总体情况',
      '2023年，全县共主动公开政府信息350条。',
      '',
    ].join('\n'));
    expect({ office: report.office, year: report.year }).toEqual({ office: '平溪县', year: 2023 });
  });

  it('still takes the fuller name of the same office (罗溪 → 罗溪乡人民政府)', () => {
    const report = parsed(['罗溪乡2024年政府信息公开工作年度报告', '来源: 罗溪乡人民政府', '一、总体情况', '本年度工作正常。', ''].join('\n'));
    expect(report.office).toBe('罗溪乡人民政府');
  });
});
