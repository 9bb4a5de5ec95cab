/**
 * An ExportDocument as XLSX (exceljs's streaming WorkbookWriter: rows are committed as they come)
 * or as CSV (its first table; UTF-8 with a BOM so Excel reads the Chinese; formula-safe cells),
 * both streamed to the response. The same choices as the assessment workbook
 * (src/assessment/writers.ts): a title block, one header row, frozen panes and filters on it.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { headerText, type Cell, type ExportDocument, type ExportTable } from './export-table';

type StreamSheet = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/**
 * Each table on its own sheet: the heading (the query and its scope), the query's arguments, a
 * blank row, then the header — frozen, with an autofilter — and the rows. Numbers stay numbers;
 * a blank cell (null) is written as no cell at all, never as 0.
 */
export async function writeWorkbook(out: Writable, doc: ExportDocument): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'disclosure-graph';
  const headerRow = 1 + doc.lines.length + 2;
  for (const table of doc.tables) {
    const ws = workbook.addWorksheet(sheetName(table.name), { views: [{ state: 'frozen', xSplit: table.frozenColumns ?? 0, ySplit: headerRow }] });
    ws.columns = table.columns.map((c) => ({ width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    const heading = ws.addRow([`${doc.heading} · ${table.name} ${table.nameEn}`]);
    heading.font = { bold: true, size: 14 };
    heading.commit();
    for (const line of doc.lines) {
      const row = ws.addRow([line]);
      row.font = { color: { argb: 'FF666666' } };
      row.commit();
    }
    ws.addRow([]).commit();
    const header = ws.addRow(table.columns.map(headerText));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'top' };
    header.commit();
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: Math.max(1, table.columns.length) } };
    let written = 0;
    for await (const row of table.rows()) {
      ws.addRow(row.map((c) => c ?? null)).commit();
      if (++written % 100 === 0) await catchUp(ws, out);
    }
    ws.commit();
  }
  await workbook.commit();
}

/**
 * Lets compression and the consumer catch up (see src/assessment/writers.ts: better-sqlite3
 * answers synchronously and exceljs applies no backpressure of its own).
 */
async function catchUp(ws: StreamSheet, out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const entry = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  for (const sink of [entry, out]) if (sink?.writableNeedDrain) await once(sink, 'drain');
}

/**
 * One CSV record. A text cell starting with = + - @ (or their full-width forms), a tab or a
 * carriage return gets a leading ' so a spreadsheet keeps it as text (office names come from
 * editors); numbers, negative ones included, stay numbers; a blank is an empty field.
 */
export function csvRecord(cells: readonly Cell[]): string {
  return stringify([cells.map((c) => c ?? null)], { escape_formulas: true, record_delimiter: '\r\n', quoted_match: /[\r\n]/, cast: { boolean: (b) => String(b) } });
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** One table as CSV: a BOM, one header row (`中文 / English`), the rows. */
export async function writeCsv(out: Writable, table: ExportTable): Promise<void> {
  await write(out, '\ufeff');
  await write(out, csvRecord(table.columns.map(headerText)));
  for await (const row of table.rows()) await write(out, csvRecord(row));
}
