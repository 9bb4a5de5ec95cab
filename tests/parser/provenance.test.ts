import fs from 'node:fs';
import path from 'node:path';
import { parseReport, type ParsedReport } from '../../src/ingest/parser';
import { normalizeText, parseCellNumber } from '../../src/ingest/parser/normalize';
import { readProse } from '../../src/ingest/parser/prose';
import { tally } from '../../scripts/parser-accuracy';
import { corpusCases, CORPUS_DIR } from '../support/corpus';

const RUNS_DIR = path.resolve(__dirname, '../fixtures/corpus-runs');
const LAYOUTS_DIR = path.resolve(__dirname, 'layouts');

function parsed(text: string): ParsedReport {
  const result = parseReport(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

/** Every value's source, cut from the normalised text, reads as that value. */
function expectTraceable(text: string, report: ParsedReport): void {
  const lines = normalizeText(text).split('\n');
  expect(Object.keys(report.sources).sort()).toEqual(Object.keys(report.metrics).sort());
  for (const [key, value] of Object.entries(report.metrics)) {
    const source = report.sources[key]!;
    // A sum of several figures names each of them; any other value is its one span.
    const spans = source.parts ?? [source];
    const read = spans.reduce((sum, p) => sum + (parseCellNumber(lines[p.line - 1]!.slice(p.start, p.end))?.value ?? Number.NaN), 0);
    if (read !== value) throw new Error(`${key} = ${value} traced to ${JSON.stringify(source)}: "${spans.map((p) => lines[p.line - 1]!.slice(p.start, p.end)).join('" + "')}"`);
  }
}

describe('provenance: every value traced to the characters it was read from', () => {
  const texts = [
    ...corpusCases().map((c) => [c.name, c.text] as const),
    ...fs.readdirSync(RUNS_DIR).filter((f) => f.endsWith('.txt')).map((f) => [f, fs.readFileSync(path.join(RUNS_DIR, f), 'utf8')] as const),
    ...fs.readdirSync(LAYOUTS_DIR).filter((f) => f.endsWith('.txt')).map((f) => [f, fs.readFileSync(path.join(LAYOUTS_DIR, f), 'utf8')] as const),
  ];
  it.each(texts)('%s', (_name, text) => {
    const report = parsed(text);
    expect(Object.keys(report.metrics).length).toBeGreaterThan(0);
    expectTraceable(text, report);
  });

  it('names every figure of a sum (two WeChat accounts)', () => {
    const text = '某镇2021年政府信息公开工作年度报告\n一、总体情况\n全年共主动公开政府信息300条。微信公众号“甲”发布信息120条。\n微信公众号“乙”发布信息80条。\n';
    const report = parsed(text);
    expect(report.metrics['channels.wechat.items']).toBe(200);
    expect(report.sources['channels.wechat.items']).toMatchObject({ line: 3, method: 'prose', parts: [{ line: 3 }, { line: 4 }] });
    expectTraceable(text, report);
  });

  it('names how each value was read', () => {
    const weihai = parsed(fs.readFileSync(path.join(CORPUS_DIR, '2020_weihai-huancui-jingyuan.txt'), 'utf8'));
    expect(weihai.sources['applications.received.total']).toMatchObject({ method: 'cell', table: '三', row: 'received', column: 6 });
    expect(weihai.sources['proactive.items_total']!.method).toBe('prose');
    const oneLine = parsed(fs.readFileSync(path.join(RUNS_DIR, '2023_pingtan-shiyanqu.txt'), 'utf8'));
    expect(oneLine.sources['applications.received.natural_person']).toMatchObject({ line: 10, method: 'split-by-sums', table: '三' });
    expect(oneLine.sources['review.total']).toMatchObject({ method: 'split-by-sums', table: '四' });
  });
});

describe('reports saved as one line with every cell run together (corpus-runs)', () => {
  it('reads no wrong value, every value of tables 三 and 四, and leaves out only table 二 runs the text does not settle', () => {
    const t = tally(RUNS_DIR);
    console.log(`corpus-runs: right ${t.right}, left out ${t.leftOut}, wrong ${t.wrong}, extra ${t.extra}`);
    expect(t.wrong).toBe(0);
    expect(t.extra).toBe(0);
    expect(t.right).toBe(380);
    const leftOut = t.details.filter((d) => d.includes('left out'));
    expect(leftOut.every((d) => / proactive\.(normative_documents|licensing|other_services|penalties|coercion|procurement)\./.test(d))).toBe(true);
    expect(t.details.filter((d) => d.includes(': meta '))).toEqual([]);
  });

  it('warns, naming the row, for each run it leaves out', () => {
    const report = parsed(fs.readFileSync(path.join(RUNS_DIR, '2023_pingtan-shiyanqu.txt'), 'utf8'));
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'RUN_AMBIGUOUS', table: '二', row: 'normative_documents', line: 10 }));
    expect(report.status).toBe('partial');
  });
});

describe('a one-line report of our own (cells run together, crawler header, 「2022年度」 title)', () => {
  const text = fs.readFileSync(path.join(LAYOUTS_DIR, '2022_qingshi-oneline.txt'), 'utf8');
  const report = parsed(text);

  it('takes the office and year from the title, not the header, and the format from the run-together labels', () => {
    expect({ office: report.office, year: report.year, templateFormat: report.templateFormat, from: report.formatDetectedFrom }).toEqual({ office: '青石县', year: 2022, templateFormat: '2021', from: 'tables' });
  });

  it('cuts table 三 rows by their sums, settling a row with two cuts by the column sums', () => {
    // 101000011 is 10|1|0|0|0|0|11 or 1|0|10|0|0|0|11: only the first balances the columns.
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => report.metrics[`applications.granted.${['natural_person', 'commercial_enterprise', 'research_institution', 'social_welfare_organization', 'legal_service_organization', 'other_organization', 'total'][c]}`])).toEqual([10, 1, 0, 0, 0, 0, 11]);
    expect(report.metrics['applications.received.total']).toBe(16);
    expect(report.metrics['applications.received.natural_person']).toBe(12);
    expect(report.metrics['applications.carried_forward.commercial_enterprise']).toBe(1);
    expect(report.metrics['applications.results_total.natural_person']).toBe(13);
    expect(Object.keys(report.metrics).filter((k) => k.startsWith('applications.'))).toHaveLength(25 * 7);
  });

  it('cuts table 四 by its groups\' totals', () => {
    expect(['review.upheld', 'review.pending', 'review.total', 'litigation_after_review.corrected', 'litigation_after_review.total'].map((k) => report.metrics[k])).toEqual([12, 1, 13, 1, 1]);
  });

  it('reads table 二 runs only where one cut is possible, and names the row it leaves out', () => {
    expect(report.metrics['proactive.rules.issued']).toBe(0);
    expect(report.metrics['proactive.licensing.decisions']).toBe(1517);
    expect(report.metrics['proactive.fees.amount_10k_yuan']).toBe(12.5);
    expect(report.metrics['proactive.normative_documents.issued']).toBeUndefined();
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'RUN_AMBIGUOUS', table: '二', row: 'normative_documents' }));
    expect(report.status).toBe('partial');
  });

  it('reads the total from 「共公布政府信息N条」, not from the breakdown in brackets', () => {
    expect(report.metrics['proactive.items_total']).toBe(4321);
    expect(report.metrics['channels.wechat.items']).toBe(880);
  });
});

describe('prose figures in the phrasings reports use', () => {
  const prose = (text: string) => readProse(normalizeText(text));
  const total = (text: string) => prose(text).itemsTotal;
  const items = (text: string) => Object.fromEntries(prose(text).channels.map((c) => [c.kind, c.items]));

  it.each([
    ['本年度公开各类信息共计356条。', 356],
    ['全年共发布政府信息1,208条。', 1208],
    ['本年累计主动公开政府信息640条，其中，政府网站公开410条，“某镇发布”微信公众号发布230条。', 640],
    ['对外公开各类信息95条，其中村务公示栏12条。', 95],
    ['全年共公布政府信息300条（其中其他应主动公开政府信息120条）。', 300],
  ])('%s → total %p', (text, expected) => expect(total(text)).toBe(expected));

  it('ties a count to a channel only from that channel\'s own clause', () => {
    expect(items('本年累计主动公开政府信息640条，其中，政府网站公开410条，“某镇发布”微信公众号发布230条。')).toEqual({ website: 410, wechat: 230 });
    expect(items('微信公众平台发布各类信息75篇。')).toEqual({ wechat: 75 });
    // One count for two channels named together is neither channel's.
    expect(items('通过政府网站、政务微博发布信息60条。')).toEqual({});
  });

  it('takes a channel\'s own total as the report\'s when it is the only figure', () => {
    const read = prose('通过“某县人民政府”门户网站累计公开政府信息512条。');
    expect(read.itemsTotal).toBe(512);
    expect(items('通过“某县人民政府”门户网站累计公开政府信息512条。')).toEqual({ website: 512 });
    expect(total('本年度通过政府网站主动公开政府信息215条。')).toBe(215);
    // Not when another channel has its own figure, nor when it is a part of a stated total.
    expect(total('本年度通过政府网站主动公开政府信息215条，通过微信公众号发布信息80条。')).toBeNull();
    expect(total('全年主动公开政府信息300条，其中通过政府网站主动公开政府信息215条。')).toBe(300);
  });

  it('reads no application count, topic count or disagreeing totals as the total', () => {
    expect(total('本年受理政府信息公开申请总数1件。')).toBeNull();
    expect(total('共公开51条疫情防控相关信息。')).toBeNull();
    const two = prose('全年共主动公开政府信息200条。本年共公开政府信息210条。');
    expect(two.itemsTotal).toBeNull();
    expect(two.warnings.map((w) => w.code)).toEqual(['PROSE_AMBIGUOUS']);
  });
});

describe('reading status', () => {
  const corpus = new Map(corpusCases().map((c) => [c.name, c.text]));
  it('is verified or read-with-findings for a whole report, partial for an excerpt cut short, unreadable without tables', () => {
    expect(['verified', 'read-with-findings']).toContain(parsed(corpus.get('2020_weihai-huancui-jingyuan')!).status);
    expect(parsed(corpus.get('2020_dawuli-zhen')!).status).toBe('partial');
    expect(parsed(corpus.get('2020_guihuaping-jiedao')!).status).toBe('unreadable');
    expect(parsed('某镇2023年政府信息公开工作年度报告\n一、总体情况\n本年度工作正常。\n').status).toBe('unreadable');
  });
});
