/**
 * The report parser: published text (or HTML) in, a typed report out. Pure — no database — and
 * total: whatever the input, it returns a report (with warnings for what it could not read) or,
 * when the text holds no recognisable report, an error naming the line and what was expected.
 */
import { channelMetrics } from '../../channels/channel-metrics';
import { checkConsistency } from '../../metrics/consistency';
import { templateFormatForYear, type TemplateFormat } from '../../metrics/template';
import { MAX_TABLE_CELLS, readCells, type Cell } from './cells';
import { htmlToText, looksLikeHtml } from './html';
import { readMeta } from './meta';
import { normalizeText } from './normalize';
import { readProse, type Span } from './prose';
import { splitRunTogether } from './runs';
import { SECTION_NUMBERS, findSections, sectionText, splitProblems, type SectionNumber, type SectionSpan } from './sections';
import { detectFormat, readApplications, readProactive, readReviews, type TableReading } from './tables';
import type { ParseOptions, ParseResult, ParseWarning, ParsedReport, ReadingStatus, TableName, ValueSource } from './types';

export type { ParsedChannel, ParseError, ParseOptions, ParseResult, ParseWarning, ParsedReport, ReadingMethod, ReadingStatus, ValueSource } from './types';

const SECTION_TITLES: Readonly<Record<SectionNumber, string>> = {
  一: '一、总体情况',
  二: '二、主动公开政府信息情况',
  三: '三、收到和处理政府信息公开申请情况',
  四: '四、政府信息公开行政复议、行政诉讼情况',
  五: '五、存在的主要问题及改进情况',
  六: '六、其他需要报告的事项',
};

const TABLE_SECTIONS: readonly ['二' | '三' | '四', TableName][] = [
  ['二', '二'],
  ['三', '三'],
  ['四', '四'],
];

/** Where the table of a section starts: its first line that looks like a table. */
function tableStart(lines: readonly string[], span: SectionSpan): number {
  for (let i = span.start; i < span.end; i++) {
    if (/第二十条|信息内容|\||本年新收|申请人情况|行政复议/.test(lines[i]!)) return i;
  }
  return span.end;
}

/** Characters of prose scanned for figures at most (a long report has about 30,000). */
const MAX_PROSE = 100_000;

/** Warnings that mean cells of a table were present but left out. */
const LEFT_OUT = new Set(['TABLE_TOO_LONG', 'TRUNCATED', 'ROW_CUT', 'ROW_SHORT', 'RUN_AMBIGUOUS', 'RUN_UNSPLIT', 'TABLE_EMPTY', 'MISSING_TABLE']);

/**
 * How far the reading can be trusted. No table value at all is `unreadable` (the tables are
 * images, or the file is no report); any cell left out, any table missing or the text cut short is
 * `partial`; tables read whole that break the consistency rules are `read-with-findings` (the
 * report's error or the reader's); read whole and balanced is `verified`.
 */
function readingStatus(tables: number, tableValues: number, warnings: readonly ParseWarning[], findings: number): ReadingStatus {
  if (tableValues === 0) return 'unreadable';
  if (tables < 3 || warnings.some((w) => LEFT_OUT.has(w.code))) return 'partial';
  return findings > 0 ? 'read-with-findings' : 'verified';
}

function parseText(input: string, options: ParseOptions): ParseResult {
  const html = options.format === 'html' || (options.format !== 'text' && looksLikeHtml(input, options.filename));
  const text = normalizeText(html ? htmlToText(input) : input);
  const realLines = text.split('\n');
  // A line break among the trailing whitespace (found without a pattern that rescans it per line).
  const endsWithNewline = text.slice(text.trimEnd().length).includes('\n');
  // A report on one line with its cells run together is read as logical lines; `origin` leads back.
  const logical = splitRunTogether(realLines);
  const { lines, origin, runLines } = logical;
  const place = (line: number, start: number, end: number) => {
    const o = origin[line - 1] ?? { line: line - 1, offset: 0 };
    return { line: o.line + 1, start: o.offset + start, end: o.offset + end };
  };
  const meta = readMeta(lines);
  const sections = findSections(lines);
  const warnings: ParseWarning[] = [];

  const cellsOf = new Map<TableName, Cell[]>();
  for (const [number, table] of TABLE_SECTIONS) {
    const span = sections.get(number);
    if (!span) continue;
    const cells = readCells(lines, tableStart(lines, span), span.end, endsWithNewline, runLines);
    cellsOf.set(table, cells);
    if (cells.length >= MAX_TABLE_CELLS) {
      warnings.push({ code: 'TABLE_TOO_LONG', message: `表${table}超过${MAX_TABLE_CELLS}格，其后未读 / table ${table} has more than ${MAX_TABLE_CELLS} cells; the rest was not read`, table, line: cells[cells.length - 1]!.line });
    }
  }
  const detected = detectFormat([...(cellsOf.get('二') ?? []), ...(cellsOf.get('三') ?? [])]);
  const templateFormat: TemplateFormat = detected ?? templateFormatForYear(meta.year ?? new Date().getUTCFullYear());

  const readings: [TableName, TableReading][] = [];
  if (cellsOf.has('二')) readings.push(['二', readProactive(cellsOf.get('二')!, templateFormat)]);
  if (cellsOf.has('三')) readings.push(['三', readApplications(cellsOf.get('三')!, templateFormat)]);
  if (cellsOf.has('四')) readings.push(['四', readReviews(cellsOf.get('四')!)]);

  const metrics: Record<string, number> = {};
  const sources: Record<string, ValueSource> = {};
  const approximateKeys = new Set<string>();
  for (const [table, reading] of readings) {
    for (const w of reading.warnings) warnings.push(w);
    for (const v of reading.values) {
      metrics[v.key] = v.value;
      sources[v.key] = { ...v.source, ...place(v.source.line, v.source.start, v.source.end) };
      if (v.approximate) approximateKeys.add(v.key);
    }
    if (reading.rowsRead === 0 && !reading.cut) {
      warnings.push({ code: 'TABLE_EMPTY', message: `表${table}没有可读的数据（可能是图片）/ table ${table} has no readable rows (perhaps an image)`, table });
    }
  }

  // Prose figures come from the text before the tables.
  const firstTable = sections.get('二') ?? sections.get('三') ?? sections.get('四');
  const proseEnd = firstTable ? tableStart(lines, firstTable) : sections.get('五')?.headingLine ?? lines.length;
  // The figures stand in the first pages; a longer "prose" is debris and is not scanned whole.
  const proseLines: string[] = [];
  let proseLength = 0;
  for (let i = 0; i < proseEnd && proseLength < MAX_PROSE; i++) {
    const l = lines[i]!.slice(0, MAX_PROSE - proseLength);
    proseLines.push(l);
    proseLength += l.length + 1;
  }
  const prose = readProse(proseLines.join('\n'));
  for (const w of prose.warnings) warnings.push(w);
  const lineStarts: number[] = [];
  proseLines.reduce((at, l) => (lineStarts.push(at), at + l.length + 1), 0);
  const proseSource = (span: Span): ValueSource => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= span.start) lo = mid;
      else hi = mid - 1;
    }
    return { ...place(lo + 1, span.start - lineStarts[lo]!, span.end - lineStarts[lo]!), method: 'prose' };
  };
  if (prose.itemsTotal !== null && prose.itemsTotalSpan) {
    metrics['proactive.items_total'] = prose.itemsTotal;
    sources['proactive.items_total'] = proseSource(prose.itemsTotalSpan);
  }
  for (const [key, derived] of channelMetrics(prose.channels)) {
    // A kind's figure is traced to the first channel of that kind that states it.
    const [, kind, measure] = key.split('.') as [string, string, 'items' | 'devices' | 'queries'];
    const spans = prose.channels.flatMap((c, i) => (c.kind === kind && c[measure] !== null && prose.channelSpans[i]?.[measure] ? [prose.channelSpans[i]![measure]!] : []));
    if (spans.length === 0) continue;
    metrics[key] = derived.value;
    const first = proseSource(spans[0]!);
    sources[key] = spans.length === 1 ? first : { ...first, parts: spans.map((s) => { const p = proseSource(s); return { line: p.line, start: p.start, end: p.end }; }) };
    if (derived.approximate) approximateKeys.add(key);
  }
  // The readers count logical lines; warnings name the line of the text.
  warnings.forEach((w, i) => {
    if (w.line !== undefined) warnings[i] = { ...w, line: place(w.line, 0, 0).line };
  });

  // Where the text stopped, and what it lacks.
  const cutTable = readings.find(([, r]) => r.cut);
  const missing = SECTION_NUMBERS.filter((n) => !sections.has(n));
  if (cutTable) {
    const [table, reading] = cutTable;
    warnings.push({
      code: 'TRUNCATED',
      message: `原文在表${table}中断${reading.lastRow ? `（最后完整读出的一行：「${reading.lastRow}」）` : ''}，其后内容缺失 / the text ends inside table ${table}${reading.lastRow ? ` after row "${reading.lastRow}"` : ''}; what follows is missing`,
      table,
      row: reading.lastRow ?? undefined,
      line: realLines.length,
    });
  }
  for (const number of missing) {
    warnings.push({ code: 'MISSING_SECTION', message: `缺少「${SECTION_TITLES[number]}」/ section ${number} (${SECTION_TITLES[number]}) is missing`, row: number });
  }
  if (meta.year === null) warnings.push({ code: 'NO_YEAR', message: '未能从标题读出报告年度 / the year reported on could not be read' });

  const tableValues = readings.reduce((n, [, r]) => n + r.values.length, 0);
  if (meta.year === null && sections.size === 0 && tableValues === 0 && meta.title === null) {
    const first = lines.findIndex((l) => l.trim() !== '');
    return {
      ok: false,
      error: {
        code: 'NO_REPORT',
        line: first < 0 ? 1 : first + 1,
        expected: '报告标题（如「××2020年政府信息公开工作年度报告」）或「一、总体情况」/ a report title or the heading 一、总体情况',
        message: `第${first < 0 ? 1 : first + 1}行起未找到年度报告：应为报告标题或「一、总体情况」/ no annual report found from line ${first < 0 ? 1 : first + 1}: expected a title such as 「××2020年政府信息公开工作年度报告」 or the heading 一、总体情况`,
      },
    };
  }

  const values = new Map(Object.entries(metrics));
  const findings = checkConsistency(values, templateFormat);
  const status = readingStatus(readings.length, tableValues, warnings, findings.length);
  const { problems, improvements } = splitProblems(sectionText(lines, sections.get('五')));
  const report: ParsedReport = {
    office: meta.office,
    year: meta.year,
    title: meta.title,
    templateFormat,
    formatDetectedFrom: detected ? 'tables' : 'year',
    metrics,
    approximateKeys: [...approximateKeys].sort(),
    channels: prose.channels,
    sections: { overview: sectionText(lines, sections.get('一')), problems, improvements, otherMatters: sectionText(lines, sections.get('六')) },
    contact: meta.contact,
    publishedAt: meta.publishedAt,
    findings,
    warnings,
    sources,
    status,
  };
  return { ok: true, report };
}

export function parseReport(input: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseText(typeof input === 'string' ? input : String(input ?? ''), options);
  } catch (error) {
    // A defect of the parser must not take its caller down: report it as unreadable input.
    return {
      ok: false,
      error: {
        code: 'NO_REPORT',
        line: 1,
        expected: 'a report the parser can read',
        message: `the text could not be read (${error instanceof Error ? error.message : String(error)})`,
      },
    };
  }
}
