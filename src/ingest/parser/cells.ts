/**
 * Tables flattened to text, read as a stream of cells whatever the flattening: one cell per line
 * (blank cells as whitespace-only lines, rows separated by empty lines), `a | b | c` rows, `x |`
 * cells with lone `|` for blanks, tab- or space-separated rows, and cells run together (规章000).
 * Every cell keeps its line and character span so that each value can be traced to the text.
 */
import { isBlankCell, parseCellNumber } from './normalize';

export interface Cell {
  readonly kind: 'text' | 'value' | 'blank';
  readonly text: string;
  readonly value?: number;
  readonly approximate?: boolean;
  /**
   * Digits run together after a label (规章000, 801000081): may stand for several cells, which
   * only the table's width and sums can separate.
   */
  readonly runTogether?: boolean;
  /** 1-based line. */
  readonly line: number;
  /** 0-based character span of the cell's text within its line (end exclusive). */
  readonly start: number;
  readonly end: number;
  /** The very last characters of the text, with no line break after: possibly cut off. */
  readonly atEnd?: boolean;
}

/**
 * Cells read per table at most: the template's largest table has about 200; a "table" of tens of
 * thousands of cells is debris, and reading it all would only cost time and memory.
 */
export const MAX_TABLE_CELLS = 5_000;

/** Characters of one line read as table cells at most (a whole table on one line has ~2,000). */
const MAX_TABLE_LINE = 50_000;

/** Longest text the row patterns look at: a table row is never longer, and it bounds their cost. */
const MAX_ROW_TEXT = 400;

const NUMBER_TOKEN = /^[+-]*[\d,]+(?:\.\d+)?(?:万元|元)?$/;

function trimmedSpan(raw: string, offset: number): { text: string; start: number; end: number } {
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  return { text, start: offset + lead, end: offset + lead + text.length };
}

/** Whitespace-separated tokens with their offsets, found in one linear pass. */
function tokens(text: string, offset: number): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
  return out;
}

function classify(raw: string, line: number, offset: number): Cell[] {
  const { text, start, end } = trimmedSpan(raw, offset);
  if (text === '' || isBlankCell(text)) return [{ kind: 'blank', text, line, start, end }];
  const parts = /\s/.test(text) ? tokens(text, start) : [{ text, start, end }];
  // Several numbers on one line: a row of values separated by spaces (0 1 0 0 1 …).
  if (parts.length > 1 && parts.every((t) => parseCellNumber(t.text) !== null)) return parts.flatMap((t) => classify(t.text, line, t.start));
  const number = parseCellNumber(text);
  if (number) return [{ kind: 'value', text, value: number.value, approximate: number.approximate, line, start, end }];
  if (text.length <= MAX_ROW_TEXT && parts.length > 1) {
    // A whole row on one line separated by spaces: 行政许可 0 0 0. Found token by token (no
    // backtracking pattern): the trailing number tokens, after a label that is not a sentence.
    let firstNumber = parts.length;
    while (firstNumber > 1 && NUMBER_TOKEN.test(parts[firstNumber - 1]!.text)) firstNumber--;
    if (firstNumber < parts.length) {
      const label = text.slice(0, parts[firstNumber - 1]!.end - start);
      if (/[^\d\s.,+-]/.test(label) && !/[。;]/.test(label) && label.length <= 60) {
        const values = parts.slice(firstNumber).map((t) => classify(t.text, line, t.start)[0]!);
        if (values.every((v) => v.kind === 'value')) return [{ kind: 'text', text: label, line, start, end: start + label.length }, ...values];
      }
    }
  }
  // Cells run together: 规章000, 行政许可1517
  const joined = text.length <= MAX_ROW_TEXT ? /^([^\d+\-\s][^\d]*?[^\d\s(（:：,，、.])(\d+(?:\.\d+)?)$/.exec(text) : null;
  if (joined && !/[。;]/.test(joined[1]!) && joined[1]!.length <= 40) {
    const value = Number(joined[2]);
    const at = start + joined[1]!.length;
    return [
      { kind: 'text', text: joined[1]!, line, start, end: at },
      { kind: 'value', text: joined[2]!, value, approximate: false, runTogether: true, line, start: at, end },
    ];
  }
  return [{ kind: 'text', text, line, start, end }];
}

function cellsOfLine(content: string, line: number): Cell[] {
  if (content.includes('|')) {
    const pieces = content.split('|');
    // `x |` and `a | b |`: the separator after the last cell does not open another cell.
    if (pieces.length > 1 && pieces[pieces.length - 1]!.trim() === '') pieces.pop();
    const out: Cell[] = [];
    let offset = 0;
    for (const piece of pieces) {
      for (const c of classify(piece, line, offset)) out.push(c);
      offset += piece.length + 1;
    }
    return out;
  }
  const lead = content.length - content.replace(/^\s+/, '').length;
  const body = content.slice(lead);
  if (body.includes('\t')) {
    const out: Cell[] = [];
    let offset = lead;
    for (const piece of body.split('\t')) {
      for (const c of classify(piece, line, offset)) out.push(c);
      offset += piece.length + 1;
    }
    return out;
  }
  return classify(content, line, 0);
}

/** A line of a one-line report that holds only a run of table digits (see runs.ts). */
function runCell(content: string, line: number): Cell {
  const { text, start, end } = trimmedSpan(content, 0);
  // A run longer than any row is never cut (split.ts); its value as one number means nothing.
  const number = text.length <= 100 ? parseCellNumber(text) : null;
  return { kind: 'value', text, value: number?.value ?? Number.NaN, approximate: number?.approximate ?? false, runTogether: true, line, start, end };
}

const LONE_PIPES = /^[ \t]*\|[| \t]*$/;

/**
 * Whether lone `|` lines separate cells written one per line (`第二十条第(一)项` / `|` / `信息内容` /
 * `|` / …) rather than stand for blank cells (`0 |` / `|` / `0 |`): no line of the table writes a
 * `|` beside its text, and several lines are only `|`.
 */
function pipesSeparate(lines: readonly string[], from: number, to: number): boolean {
  let lone = 0;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (!line.includes('|')) continue;
    if (!LONE_PIPES.test(line)) return false;
    lone++;
  }
  return lone >= 3;
}

/**
 * Cells of the lines `from`..`to` (0-based, exclusive end) of the text's lines. An empty line
 * separates rows and is not a cell; a line of only whitespace is a blank cell. `runLines` are
 * lines that hold a run of digits cut out of a line where a table's cells ran together.
 */
export function readCells(lines: readonly string[], from: number, to: number, textEndsWithNewline: boolean, runLines?: ReadonlySet<number>): Cell[] {
  const cells: Cell[] = [];
  const separators = pipesSeparate(lines, from, to);
  let pipes = 0;
  for (let i = from; i < to && cells.length < MAX_TABLE_CELLS; i++) {
    const content = lines[i]!;
    if (content.length === 0) continue;
    if (separators) {
      // `a` / `|` / `b`: a lone `|` only separates; two in a row enclose a blank cell.
      if (LONE_PIPES.test(content)) {
        pipes += content.split('|').length - 1;
        continue;
      }
      for (let k = 1; k < pipes; k++) cells.push({ kind: 'blank', text: '', line: i, start: 0, end: 0 });
      pipes = 0;
    }
    if (runLines?.has(i)) {
      cells.push(runCell(content, i + 1));
      continue;
    }
    // One push per cell: a spread of a huge row's cells would overflow the stack.
    for (const c of cellsOfLine(content.length > MAX_TABLE_LINE ? content.slice(0, MAX_TABLE_LINE) : content, i + 1)) cells.push(c);
  }
  if (!textEndsWithNewline && to === lines.length && cells.length > 0) {
    const last = cells[cells.length - 1]!;
    cells[cells.length - 1] = { ...last, atEnd: true };
  }
  return cells;
}
