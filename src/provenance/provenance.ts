/**
 * Provenance of stored values: where each number came from in the text it was read from, how it
 * was read, and how far a report's reading can be trusted. The parser's contract
 * (ingest/parser/types.ts) is kept as is; this module adds what storage and the API need: the
 * `manual` method for hand-entered values, the stored column form, and the check that a source
 * points into the text it claims to.
 */
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ReadingMethod, ReadingStatus, TableName, ValueSource } from '../ingest/parser/types';

export type { ReadingMethod, ReadingStatus, ValueSource } from '../ingest/parser/types';

/**
 * A stored value's method. `manual`: entered through upsertReport, so there is no text to point
 * into (line/start/end are null). A value with no source at all was imported before provenance
 * was recorded, or its reader gave none.
 */
export type StoredMethod = ReadingMethod | 'manual';

export const READING_METHODS: readonly StoredMethod[] = ['cell', 'row-by-position', 'split-by-sums', 'prose', 'ocr', 'manual'];
export const READING_STATUSES: readonly ReadingStatus[] = ['verified', 'read-with-findings', 'partial', 'unreadable'];
const TABLE_NAMES: readonly TableName[] = ['二', '三', '四'];

/** GraphQL names (UPPER_SNAKE) → the values stored and used in code. */
export const ReadingMethodEnum = {
  CELL: 'cell',
  ROW_BY_POSITION: 'row-by-position',
  SPLIT_BY_SUMS: 'split-by-sums',
  PROSE: 'prose',
  OCR: 'ocr',
  MANUAL: 'manual',
} as const satisfies Record<string, StoredMethod>;

registerEnumType(ReadingMethodEnum, {
  name: 'ReadingMethod',
  description: '数值的读取方式 / How a value was read',
  valuesConfig: {
    CELL: { description: '表格中独立的单元格 / A cell of its own' },
    ROW_BY_POSITION: { description: '按位置对应一行中的各数 / A row\'s numbers taken by their position' },
    SPLIT_BY_SUMS: { description: '连在一起的数字按表内合计拆分 / A run of digits cut where the table\'s sums say' },
    PROSE: { description: '正文中的数字 / A figure stated in the text' },
    OCR: { description: '图片文字识别 / Read from an image (OCR)' },
    MANUAL: { description: '手工录入，无原文位置 / Entered by hand; no place in a text' },
  },
});

export const ReadingStatusEnum = {
  VERIFIED: 'verified',
  READ_WITH_FINDINGS: 'read-with-findings',
  PARTIAL: 'partial',
  UNREADABLE: 'unreadable',
} as const satisfies Record<string, ReadingStatus>;

registerEnumType(ReadingStatusEnum, {
  name: 'ReadingStatus',
  description: '原文读取情况 / How far a report\'s reading can be trusted',
  valuesConfig: {
    VERIFIED: { description: '各表均已读出且勾稽关系平衡 / Every table read and balanced' },
    READ_WITH_FINDINGS: { description: '已读出，但有勾稽关系问题 / Read, but the consistency rules find problems' },
    PARTIAL: { description: '原文不完整或有单元格未读出 / Cut short, or cells left out' },
    UNREADABLE: { description: '有表格但无法读出（如图片）/ Tables present but not read, e.g. images' },
  },
});

@ObjectType('ValueSource', { description: '数值来源：在规范化原文中的位置及读取方式 / Where a value came from in the normalised text, and how it was read' })
export class ValueSourceType {
  @Field(() => Int, { nullable: true, description: '行号（从1起，规范化原文）；手工录入为空 / 1-based line of the normalised text; null when entered by hand' })
  line!: number | null;

  @Field(() => Int, { nullable: true, description: '行内起始字符位置（从0起）/ 0-based character offset within the line' })
  start!: number | null;

  @Field(() => Int, { nullable: true, description: '行内结束字符位置（不含）/ End offset within the line, exclusive' })
  end!: number | null;

  @Field(() => ReadingMethodEnum)
  method!: StoredMethod;

  @Field(() => String, { nullable: true, description: '表格（二、三、四）/ Table' })
  table!: string | null;

  @Field(() => String, { nullable: true, description: '行标签 / Row label' })
  row!: string | null;

  @Field(() => Int, { nullable: true, description: '列序号（从0起）/ 0-based column' })
  column!: number | null;
}

/** The metric_values columns that hold a value's source. */
export interface SourceColumns {
  sourceLine: number | null;
  sourceStart: number | null;
  sourceEnd: number | null;
  sourceMethod: string | null;
  sourceTable: string | null;
  sourceRow: string | null;
  sourceColumn: number | null;
}

/** The longest row label kept (the column is VARCHAR(200)). */
export const SOURCE_ROW_LENGTH = 200;

export const MANUAL_SOURCE: SourceColumns = {
  sourceLine: null,
  sourceStart: null,
  sourceEnd: null,
  sourceMethod: 'manual',
  sourceTable: null,
  sourceRow: null,
  sourceColumn: null,
};

export const NO_SOURCE: SourceColumns = { ...MANUAL_SOURCE, sourceMethod: null };

export function sourceColumns(source: ValueSource): SourceColumns {
  return {
    sourceLine: source.line,
    sourceStart: source.start,
    sourceEnd: source.end,
    sourceMethod: source.method,
    sourceTable: source.table ?? null,
    sourceRow: source.row?.slice(0, SOURCE_ROW_LENGTH) ?? null,
    sourceColumn: source.column ?? null,
  };
}

/** The GraphQL view of a stored row's source; null when none was recorded. */
export function sourceOf(row: SourceColumns): ValueSourceType | null {
  if (!row.sourceMethod) return null;
  return {
    line: row.sourceLine,
    start: row.sourceStart,
    end: row.sourceEnd,
    method: row.sourceMethod as StoredMethod,
    table: row.sourceTable,
    row: row.sourceRow,
    column: row.sourceColumn,
  };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2_147_483_647;

/**
 * What is wrong with a source, checked against the normalised text it points into (null when it
 * is sound): a method the store does not know, or a span outside the text. A source that points
 * nowhere would send the person checking the number to the wrong place, so it is not stored.
 */
export function sourceProblem(source: ValueSource, lines: readonly string[]): string | null {
  if (!(READING_METHODS as readonly string[]).includes(source.method) || source.method === ('manual' as string)) return `unknown reading method "${String(source.method)}"`;
  if (!isCount(source.line) || source.line < 1 || source.line > lines.length) return `line ${String(source.line)} is not a line of the text (1–${lines.length})`;
  const length = lines[source.line - 1]!.length;
  if (!isCount(source.start) || !isCount(source.end) || source.start >= source.end || source.end > length) {
    return `characters ${String(source.start)}–${String(source.end)} are not a span of line ${source.line} (${length} characters)`;
  }
  if (source.table !== undefined && !TABLE_NAMES.includes(source.table)) return `unknown table "${String(source.table)}"`;
  if (source.column !== undefined && !isCount(source.column)) return `column ${String(source.column)} is not a column number`;
  if (source.row !== undefined && typeof source.row !== 'string') return 'row is not a label';
  return null;
}
