/**
 * Tables flattened to text, read as a stream of cells whatever the flattening: one cell per line
 * (blank cells as whitespace-only lines, rows separated by empty lines), `a | b | c` rows, `x |`
 * cells with lone `|` for blanks, tab- or space-separated rows, and cells run together (规章000).
 */
import { isBlankCell, parseCellNumber } from './normalize';

export interface Cell {
  readonly kind: 'text' | 'value' | 'blank';
  readonly text: string;
  readonly value?: number;
  readonly approximate?: boolean;
  /** Digits run together after a label (规章000): may stand for several one-digit cells. */
  readonly runTogether?: boolean;
  /** 1-based line. */
  readonly line: number;
  /** The very last characters of the text, with no line break after: possibly cut off. */
  readonly atEnd?: boolean;
}

function classify(raw: string, line: number): Cell[] {
  const text = raw.trim();
  if (text === '' || isBlankCell(text)) return [{ kind: 'blank', text, line }];
  // Several numbers on one line: a row of values separated by spaces (0 1 0 0 1 …).
  const tokens = text.split(/\s+/);
  if (tokens.length > 1 && tokens.every((t) => parseCellNumber(t) !== null)) return tokens.flatMap((t) => classify(t, line));
  const number = parseCellNumber(text);
  if (number) return [{ kind: 'value', text, value: number.value, approximate: number.approximate, line }];
  // A whole row on one line separated by spaces: 行政许可 0 0 0
  const spaced = /^(\S(?:.*?\S)?)\s+((?:[+-]*[\d,]+(?:\.\d+)?(?:万元|元)?)(?:\s+[+-]*[\d,]+(?:\.\d+)?(?:万元|元)?)*)$/.exec(text);
  if (spaced && /[^\d\s.,+-]/.test(spaced[1]!) && !/[。;]/.test(spaced[1]!) && spaced[1]!.length <= 60) {
    const values = spaced[2]!.split(/\s+/).map((v) => classify(v, line)[0]!);
    if (values.every((v) => v.kind === 'value')) return [{ kind: 'text', text: spaced[1]!, line }, ...values];
  }
  // Cells run together: 规章000, 行政许可1517
  const joined = /^([^\d+\-\s][^\d]*?[^\d\s(（:：,，、.])(\d+(?:\.\d+)?)$/.exec(text);
  if (joined && !/[。;]/.test(joined[1]!) && joined[1]!.length <= 40) {
    const value = Number(joined[2]);
    return [
      { kind: 'text', text: joined[1]!, line },
      { kind: 'value', text: joined[2]!, value, approximate: false, runTogether: true, line },
    ];
  }
  return [{ kind: 'text', text, line }];
}

function cellsOfLine(content: string, line: number): Cell[] {
  if (content.includes('|')) {
    const pieces = content.split('|');
    // `x |` and `a | b |`: the separator after the last cell does not open another cell.
    if (pieces.length > 1 && pieces[pieces.length - 1]!.trim() === '') pieces.pop();
    return pieces.flatMap((piece) => classify(piece, line));
  }
  const body = content.replace(/^\s+/, '');
  if (body.includes('\t')) return body.split('\t').flatMap((piece) => classify(piece, line));
  return classify(content, line);
}

/**
 * Cells of the lines `from`..`to` (0-based, exclusive end) of the text's lines. An empty line
 * separates rows and is not a cell; a line of only whitespace is a blank cell.
 */
export function readCells(lines: readonly string[], from: number, to: number, textEndsWithNewline: boolean): Cell[] {
  const cells: Cell[] = [];
  for (let i = from; i < to; i++) {
    const content = lines[i]!;
    if (content.length === 0) continue;
    cells.push(...cellsOfLine(content, i + 1));
  }
  if (!textEndsWithNewline && to === lines.length && cells.length > 0) {
    const last = cells[cells.length - 1]!;
    cells[cells.length - 1] = { ...last, atEnd: true };
  }
  return cells;
}
