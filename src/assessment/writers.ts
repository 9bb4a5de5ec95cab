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

export async function writeXlsx(out: Writable, service: AssessmentService, root: Office, year: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'disclosure-graph';
  for (const sheet of SHEETS) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
    ws.columns = sheet.columns.map((c) => ({ width: c.width }));
    const zh = ws.addRow(sheet.columns.map((c) => c.zh));
    zh.font = { bold: true };
    zh.commit();
    const en = ws.addRow(sheet.columns.map((c) => c.en));
    en.font = { italic: true, color: { argb: 'FF666666' } };
    en.commit();
    let written = 0;
    for await (const row of sheet.rows(service, root, year)) {
      ws.addRow(row).commit();
      if (++written % 100 === 0) await catchUp(ws, out);
    }
    ws.commit();
  }
  await workbook.commit();
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
