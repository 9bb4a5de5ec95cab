/**
 * Reading the export routes' files back as a user's spreadsheet would: exceljs for XLSX, csv-parse
 * for CSV (after checking the BOM).
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

export interface Sheet {
  readonly heading: string;
  readonly lines: string[];
  readonly headerRow: number;
  readonly header: string[];
  /** Cell values after the header; an empty cell is null. */
  readonly rows: unknown[][];
  readonly worksheet: ExcelJS.Worksheet;
}

/** The header is the first row after the title block's blank row. */
export function readSheet(ws: ExcelJS.Worksheet): Sheet {
  const values = (r: number, width: number) => Array.from({ length: width }, (_, i) => {
    const v = ws.getRow(r).getCell(i + 1).value;
    return v === undefined ? null : v;
  });
  let blank = 2;
  while (ws.getRow(blank).cellCount > 0) blank += 1;
  const headerRow = blank + 1;
  const width = ws.getRow(headerRow).cellCount;
  const header = values(headerRow, width).map(String);
  const rows: unknown[][] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) rows.push(values(r, width));
  return { heading: String(ws.getRow(1).getCell(1).value), lines: Array.from({ length: blank - 2 }, (_, i) => String(ws.getRow(i + 2).getCell(1).value)), headerRow, header, rows, worksheet: ws };
}

export async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  return workbook;
}

/** A CSV export: BOM checked and dropped, header and rows as text. */
export function readCsv(bytes: Buffer): { header: string[]; rows: string[][] } {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(bytes.toString('utf8').slice(1), { relax_column_count: false }) as string[][];
  return { header: header!, rows };
}

/** A CSV field as the number it stands for (empty → null). */
export const csvNumber = (text: string | undefined): number | null => (text === undefined || text === '' ? null : Number(text));
