import type { ConsistencyFinding } from '../../metrics/consistency';
import type { ChannelKindKey, TemplateFormat } from '../../metrics/template';
import type { ParseWarningCode } from '../import-codes';

export type TableName = '二' | '三' | '四';

export interface ParsedChannel {
  readonly kind: ChannelKindKey;
  /** Account name as quoted in the text (和谐鲸园), or null. */
  readonly name: string | null;
  readonly items: number | null;
  readonly devices: number | null;
  readonly queries: number | null;
  /** Items or queries stated approximately (「1500余次」). */
  readonly approximate: boolean;
}

export interface ParseWarning {
  readonly code: ParseWarningCode;
  readonly message: string;
  /** 1-based line of the (normalised) text, where there is one. */
  readonly line?: number;
  readonly table?: TableName;
  readonly row?: string;
}

/** How a value was read: a cell of its own, a row's cells taken by position, a run of digits cut by the table's sums, a prose figure, or OCR. */
export type ReadingMethod = 'cell' | 'row-by-position' | 'split-by-sums' | 'prose' | 'ocr';

/**
 * Where a value came from, so that a person can check it against the source in one click.
 * `line` is 1-based in the normalised text; `start`/`end` are 0-based character offsets within that
 * line (end exclusive). For HTML/documents the table/row/column name the cell as well.
 */
export interface ValueSource {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly method: ReadingMethod;
  readonly table?: TableName;
  readonly row?: string;
  readonly column?: number;
  /** A value that is the sum of several stated figures (two WeChat accounts' items): each figure's span; line/start/end name the first. */
  readonly parts?: readonly { readonly line: number; readonly start: number; readonly end: number }[];
}

/**
 * How far the reading can be trusted: every table read and balanced (`verified`), read but the
 * consistency rules fail (`read-with-findings`), cut short or cells left out (`partial`), or tables
 * present that could not be read, e.g. images (`unreadable`).
 */
export type ReadingStatus = 'verified' | 'read-with-findings' | 'partial' | 'unreadable';

export interface ReportSectionsText {
  readonly overview: string | null;
  readonly problems: string | null;
  readonly improvements: string | null;
  readonly otherMatters: string | null;
}

export interface ParsedReport {
  readonly office: string | null;
  readonly year: number | null;
  readonly title: string | null;
  readonly templateFormat: TemplateFormat;
  /** Whether the format was read from the tables' labels or assumed from the year. */
  readonly formatDetectedFrom: 'tables' | 'year';
  /** Stored metric keys → value, as published; blank cells are absent. channels.* included. */
  readonly metrics: Record<string, number>;
  readonly approximateKeys: string[];
  readonly channels: ParsedChannel[];
  readonly sections: ReportSectionsText;
  readonly contact: string | null;
  readonly publishedAt: string | null;
  readonly findings: ConsistencyFinding[];
  readonly warnings: ParseWarning[];
  /** One entry per key of `metrics`. */
  readonly sources: Record<string, ValueSource>;
  readonly status: ReadingStatus;
}

export interface ParseError {
  readonly code: 'NO_REPORT';
  readonly message: string;
  readonly line: number;
  readonly expected: string;
}

export type ParseResult = { readonly ok: true; readonly report: ParsedReport } | { readonly ok: false; readonly error: ParseError };

export interface ParseOptions {
  readonly format?: 'text' | 'html';
  readonly filename?: string;
}
