/**
 * What an export is, independent of its file format: a title block naming the query and its
 * arguments, and one or more tables of typed cells whose rows are produced lazily (a district's
 * reports are read batch by batch, a comparison page by page).
 */
import type { Cell, Column } from '../assessment/sheets';

export type { Cell, Column };

export interface ExportTable {
  /** Sheet name (Chinese; Excel allows 31 characters). */
  readonly name: string;
  readonly nameEn: string;
  readonly columns: readonly Column[];
  /** Columns kept in view when scrolling sideways (the office's code and name). */
  readonly frozenColumns?: number;
  rows(): AsyncIterable<Cell[]>;
}

export interface ExportDocument {
  /** 「多机关比较 · 示例区 · 2022年度」: the query and its scope. */
  readonly heading: string;
  /** The query's arguments as given, and when the file was made. */
  readonly lines: readonly string[];
  readonly tables: readonly ExportTable[];
  /** The download's name without extension: Chinese, and an ASCII fallback. */
  readonly fileName: string;
  readonly asciiName: string;
}

const displayWidth = (text: string) => Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);

/** A column whose header says it in Chinese with the English beside (`机关编码 / Office code`). */
export function column(zh: string, en: string, options: { min?: number; numFmt?: string; note?: string } = {}): Column {
  const width = Math.min(40, Math.max(options.min ?? 8, displayWidth(zh) + 2, Math.ceil(en.length * 0.9) + 2));
  return { zh, en, width, ...(options.numFmt ? { numFmt: options.numFmt } : {}), ...(options.note ? { note: options.note } : {}) };
}

export const headerText = (c: Column) => `${c.zh} / ${c.en}`;

export const OFFICE_COLUMNS: readonly Column[] = [column('机关编码', 'Office code', { min: 14 }), column('机关名称', 'Office', { min: 24 })];

/** Rows already in memory (a year-over-year, a report's table) as the lazy rows a table gives. */
export async function* fromArray(rows: readonly Cell[][]): AsyncGenerator<Cell[]> {
  for (const row of rows) yield row;
}

/** `生成时间 Generated: 2026-12-01 08:40 UTC`. */
export function generatedLine(now = new Date()): string {
  return `生成时间 Generated: ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An enum value, written bare in the query line (`groupBy: KIND`). */
export class EnumValue {
  constructor(readonly name: string) {}
}

const literal = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(literal).join(', ')}]` : v instanceof EnumValue ? v.name : typeof v === 'string' ? JSON.stringify(v) : v !== null && typeof v === 'object' ? `{${Object.entries(v).map(([k, x]) => `${k}: ${literal(x)}`).join(', ')}}` : String(v);

/** `查询 Query: compareOffices(year: 2022, metrics: ["a", "b"], under: "x")`: the arguments as the GraphQL call that gives the same numbers. */
export function queryLine(field: string, args: Record<string, unknown>): string {
  const shown = Object.entries(args)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${literal(v)}`);
  return `查询 Query: ${field}(${shown.join(', ')})`;
}
