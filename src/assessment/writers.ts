/**
 * The workbook (exceljs's streaming writer: rows are committed as they are produced), one CSV per
 * sheet (UTF-8 with a BOM, so Excel reads the Chinese), and JSON — all streamed to a Writable.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Office } from '../offices/office.entity';
import type { AssessmentService } from './assessment.service';
import { SHEETS, type Cell, type Sheet } from './sheets';

export interface WorkbookTitle {
  /** 「政务公开考核」 and the scope: who, which year. */
  readonly heading: string;
  /** Generated at, rubric version, what the scope includes. */
  readonly lines: readonly string[];
}

/** What the title block says: the district, the year, when, under which rubric, and which offices. */
export function assessmentTitle(root: Office, year: number, rubricVersion: number, now = new Date()): WorkbookTitle {
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  return {
    heading: `政务公开考核 · ${root.name} · ${year}年度`,
    lines: [
      `生成时间 Generated: ${stamp} UTC · 评分细则版本 Rubric version: ${rubricVersion}`,
      `范围 Scope: ${root.name}下属各机关，不含${root.name}本级 / the offices under ${root.code}, not ${root.code} itself`,
    ],
  };
}

/**
 * The workbook an assessment officer receives: per sheet a title block, one header row in Chinese
 * (English and each column's meaning on the 说明 legend sheet, so sorting and pivot tables see one
 * header), frozen panes and filters on the header, shares formatted as percentages.
 */
export async function writeXlsx(out: Writable, service: AssessmentService, root: Office, year: number, title = assessmentTitle(root, year, service.rubric.version)): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'disclosure-graph';
  const titleRows = 1 + title.lines.length;
  const headerRow = titleRows + 2;
  for (const sheet of SHEETS) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: sheet.key === 'summary' ? 3 : 2, ySplit: headerRow }] });
    ws.columns = sheet.columns.map((c) => ({ width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    const heading = ws.addRow([`${title.heading} · ${sheet.name}`]);
    heading.font = { bold: true, size: 14 };
    heading.commit();
    for (const line of title.lines) {
      const row = ws.addRow([line]);
      row.font = { color: { argb: 'FF666666' } };
      row.commit();
    }
    ws.addRow([]).commit();
    const header = ws.addRow(sheet.columns.map((c) => c.zh));
    header.font = { bold: true };
    header.commit();
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: sheet.columns.length } };
    let written = 0;
    for await (const row of sheet.rows(service, root, year)) {
      ws.addRow(row).commit();
      if (++written % 100 === 0) await catchUp(ws, out);
    }
    ws.commit();
  }
  writeLegend(workbook, title);
  await workbook.commit();
}

/** 说明 / Legend: every column of every sheet, Chinese, English and what it means. */
function writeLegend(workbook: ExcelJS.stream.xlsx.WorkbookWriter, title: WorkbookTitle): void {
  const ws = workbook.addWorksheet('说明', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [{ width: 14 }, { width: 24 }, { width: 36 }, { width: 70 }];
  const heading = ws.addRow([`${title.heading} · 说明 Legend`]);
  heading.font = { bold: true, size: 14 };
  heading.commit();
  const header = ws.addRow(['工作表 Sheet', '列 Column', 'English', '说明 Notes']);
  header.font = { bold: true };
  header.commit();
  for (const sheet of SHEETS) {
    for (const column of sheet.columns) ws.addRow([`${sheet.name} ${sheet.nameEn}`, column.zh, column.en, column.note ?? null]).commit();
  }
  ws.commit();
}

/**
 * Lets compression and the consumer catch up with the rows. better-sqlite3 answers synchronously,
 * so without a turn of the event loop a whole sheet would be generated — and held in memory as
 * uncompressed XML — before zlib got to any of it; exceljs's stream does not apply backpressure
 * itself, so the entry's compressor and the destination are waited for here.
 */
async function catchUp(ws: ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>, out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const entry = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  for (const sink of [entry, out]) if (sink?.writableNeedDrain) await once(sink, 'drain');
}

/**
 * One CSV record. Names come from editors and the file is opened by analysts in a spreadsheet:
 * a text cell starting with = + - @ (or their full-width forms), a tab or a carriage return is
 * prefixed with ' so it stays text instead of becoming a formula (numbers, negative ones included,
 * stay numbers).
 */
function csvRecord(cells: readonly Cell[]): string {
  return stringify([cells.map((c) => c ?? null)], { escape_formulas: true, record_delimiter: '\r\n', quoted_match: /[\r\n]/, cast: { boolean: (b) => String(b) } });
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** One sheet as CSV: a BOM, the Chinese header, the English header, then the rows. */
export async function writeCsv(out: Writable, sheet: Sheet, service: AssessmentService, root: Office, year: number): Promise<void> {
  await write(out, '\ufeff');
  await write(out, csvRecord(sheet.columns.map((c) => c.zh)));
  await write(out, csvRecord(sheet.columns.map((c) => c.en)));
  for await (const row of sheet.rows(service, root, year)) await write(out, csvRecord(row));
}

/** `{"year", "under", "sheets": {"汇总": {"columns": […], "rows": [{…}]}, …}}`, streamed. */
export async function writeJson(out: Writable, service: AssessmentService, root: Office, year: number): Promise<void> {
  await write(out, `{"year":${year},"under":${JSON.stringify({ code: root.code, name: root.name })},"sheets":{`);
  for (const [i, sheet] of SHEETS.entries()) {
    await write(out, `${i ? ',' : ''}${JSON.stringify(sheet.name)}:{"key":${JSON.stringify(sheet.key)},"columns":${JSON.stringify(sheet.columns.map((c) => ({ zh: c.zh, en: c.en })))},"rows":[`);
    let first = true;
    for await (const row of sheet.rows(service, root, year)) {
      await write(out, `${first ? '' : ','}${JSON.stringify(Object.fromEntries(sheet.columns.map((c, j) => [c.zh, row[j] ?? null])))}`);
      first = false;
    }
    await write(out, ']}');
  }
  await write(out, '}}');
}
