/**
 * Reports saved as one line of page text (a crawler's or CMS's extract): section headings inline,
 * every table cell run together (`规章000行政规范性文件77132470…`). Such a line is cut into logical
 * lines — one per section heading, one per label, one per run of digits — so that the rest of the
 * parser reads it like any other flattening; each logical line remembers where it sits in the
 * real text, so that every value stays traceable to its characters.
 */

export interface LogicalText {
  readonly lines: string[];
  /** For each logical line: its 0-based line in the normalised text and its offset within it (none: the same line, offset 0). */
  readonly origin: readonly { readonly line: number; readonly offset: number }[];
  /** Logical lines that hold a run of table digits (cells that ran together). */
  readonly runLines: ReadonlySet<number>;
}

/** The template's section headings where they run into the text; fixed wording, linear patterns. */
const INLINE_HEADINGS: readonly [string, RegExp][] = [
  ['一', /一[、.]\s*总体情况/g],
  ['二', /二[、.]\s*主动公开政府信息(?:情况)?/g],
  ['三', /三[、.]\s*收到和处理政府信息公开申请(?:情况)?/g],
  ['四', /四[、.]\s*政府信息公开(?:的)?行政复议[、和]?\s*行政诉讼(?:情况)?/g],
  ['五', /五[、.]\s*存在的?主要问题(?:及(?:其)?改进情况)?/g],
  ['六', /六[、.]\s*其[他它]需要报告的事项/g],
];
const TABLE_SECTIONS = new Set(['二', '三', '四']);

/** Most logical lines one line is cut into. */
const MAX_PIECES = 3_000;

/** Lines shorter than this are never treated as a whole report on one line. */
const MIN_LENGTH = 300;

/**
 * A run of table digits: numbers with the spaces and signs a page left between some of them,
 * and a unit at the end. Followed by 「.」 and a label, its last digit is that label's numbering
 * (「00000002.其他法律…」 is 0000000 then 「2.其他法律…」).
 */
const RUN = /[+-]?\d+(?:\.\d+)?(?:[ \t]*[+-]+\d+(?:\.\d+)?|[ \t]+\d+(?:\.\d+)?){0,40}(?:万元|元)?/g;

/** Label boundaries inside run-together labels: 「一、」 and 「（一）」 numbering (not 「第（一）项」). */
const LABEL_BREAK = /(?<![第(（])(?=[一二三四五六七八九十]+、)|(?<!第)(?=[(（][一二三四五六七八九十]+[)）])/g;

function inlineHeadings(line: string): { number: string; at: number; end: number }[] {
  const found: { number: string; at: number; end: number }[] = [];
  let from = 0;
  for (const [number, pattern] of INLINE_HEADINGS) {
    pattern.lastIndex = from;
    const m = pattern.exec(line);
    if (!m) continue;
    found.push({ number, at: m.index, end: m.index + m[0].length });
    from = m.index + m[0].length;
  }
  return found;
}

interface Piece {
  readonly text: string;
  readonly offset: number;
  readonly run: boolean;
}

function push(out: Piece[], line: string, from: number, to: number, run: boolean): void {
  const raw = line.slice(from, to);
  const text = raw.trim();
  if (text === '') return;
  out.push({ text, offset: from + (raw.length - raw.trimStart().length), run });
}

function labelPieces(out: Piece[], line: string, from: number, to: number): void {
  const text = line.slice(from, to);
  let last = 0;
  for (const m of text.matchAll(LABEL_BREAK)) {
    if (out.length > MAX_PIECES) return;
    if (m.index > last) push(out, line, from + last, from + m.index, false);
    last = m.index;
  }
  push(out, line, from + last, to, false);
}

function tablePieces(out: Piece[], line: string, from: number, to: number): void {
  const text = line.slice(from, to);
  let last = 0;
  for (const m of text.matchAll(RUN)) {
    if (out.length > MAX_PIECES) return;
    let start = m.index;
    let end = m.index + m[0].length;
    // A label's numbering (「2.其他法律…」) glued to the end of the run before it.
    const after = text.slice(end, end + 2);
    const lastChar = m[0].charCodeAt(m[0].length - 1);
    if (/^[.、][^\d]/.test(after) && lastChar >= 48 && lastChar <= 57) end -= 1;
    if (end <= start) continue;
    if (start < last) start = last;
    if (start > last) labelPieces(out, line, from + last, from + start);
    push(out, line, from + start, from + end, true);
    last = end;
  }
  if (last < text.length) labelPieces(out, line, from + last, to);
}

export function splitRunTogether(lines: readonly string[]): LogicalText {
  // Most texts have no such line: then the logical lines are the lines (an empty origin is the identity).
  if (!lines.some((line) => line.length >= MIN_LENGTH && inlineHeadings(line).length >= 2)) return { lines: lines as string[], origin: [], runLines: new Set() };
  const out: string[] = [];
  const origin: { line: number; offset: number }[] = [];
  const runLines = new Set<number>();
  lines.forEach((line, index) => {
    const headings = line.length >= MIN_LENGTH ? inlineHeadings(line) : [];
    const tables = headings.filter((h) => TABLE_SECTIONS.has(h.number));
    if (headings.length < 2 || tables.length === 0) {
      out.push(line);
      origin.push({ line: index, offset: 0 });
      return;
    }
    const pieces: Piece[] = [];
    push(pieces, line, 0, headings[0]!.at, false);
    headings.forEach((h, i) => {
      const end = i + 1 < headings.length ? headings[i + 1]!.at : line.length;
      if (TABLE_SECTIONS.has(h.number)) {
        push(pieces, line, h.at, h.end, false);
        tablePieces(pieces, line, h.end, end);
      } else push(pieces, line, h.at, end, false);
    });
    // A real report has a few hundred labels and runs; thousands are debris, read as one line.
    if (pieces.length > MAX_PIECES) {
      out.push(line);
      origin.push({ line: index, offset: 0 });
      return;
    }
    for (const p of pieces) {
      if (p.run) runLines.add(out.length);
      out.push(p.text);
      origin.push({ line: index, offset: p.offset });
    }
    // Keep the separation of rows and sections the rest of the reader expects.
    out.push('');
    origin.push({ line: index, offset: line.length });
  });
  return { lines: out, origin, runLines };
}
