/**
 * Reads a table's rows from its cells, in the template's order: each row is a label followed by
 * exactly `width` cells (values or blanks). Labels are matched by similarity within a small window
 * of the rows expected next, so typos, notes and headings don't derail the reading; a row cut by
 * the end of the text is dropped whole, with a warning saying where the text stopped.
 */
import type { Cell } from './cells';
import { labelScore } from './similarity';
import type { ParseWarning, TableName } from './types';

export interface RowSpec {
  readonly key: string;
  /** The row's printed label first, then aliases. */
  readonly names: readonly string[];
  readonly width: number;
}

export interface ReadRow {
  readonly spec: RowSpec;
  /** `width` cells, each a value or blank; empty when the row is a `run` still to be cut. */
  readonly cells: readonly Cell[];
  /** Taken by position (no label matched): the values are traced as `row-by-position`. */
  readonly byPosition?: boolean;
  /** The row's cells ran together into one run of digits, to be cut by the table's sums. */
  readonly run?: Cell;
}

export interface RowReading {
  readonly rows: ReadRow[];
  readonly warnings: ParseWarning[];
  /** The text ended inside this table. */
  readonly cut: boolean;
}

export interface RowReaderOptions {
  readonly table: TableName;
  /** How many rows ahead of the next expected one a label may match. */
  readonly window?: number;
  /** A run of exactly `width` values with no label is the next expected row (a label cell left empty). */
  readonly unlabeledByPosition?: boolean;
}

const MATCH = 0.55;

function bestLabel(texts: readonly Cell[], specs: readonly RowSpec[], from: number, to: number): { index: number; score: number; label: string } {
  let best = { index: -1, score: 0, label: texts[texts.length - 1]?.text ?? '' };
  // The last text cell, or the last two or three joined: labels broken over lines.
  for (let n = 1; n <= Math.min(3, texts.length); n++) {
    const label = texts
      .slice(texts.length - n)
      .map((c) => c.text)
      .join('');
    for (let i = from; i < to; i++) {
      const score = labelScore(label, specs[i]!.names) - (n - 1) * 0.02 - (i - from) * 0.01;
      if (score > best.score) best = { index: i, score, label };
    }
  }
  return best;
}

/** The cells of one row starting at `start`: up to `width` values/blanks, stopping at a label. */
function takeRowCells(cells: readonly Cell[], start: number, width: number): { taken: Cell[]; next: number; run?: Cell } {
  const first = cells[start];
  // 规章000, 801000081: one run of digits standing for `width` cells, cut later by the table.
  if (first?.runTogether && (width > 1 || !Number.isFinite(first.value))) return { taken: [], next: start + 1, run: first };
  const taken: Cell[] = [];
  let i = start;
  while (i < cells.length && taken.length < width && cells[i]!.kind !== 'text') taken.push(cells[i++]!);
  return { taken, next: i };
}

/** The number of values after `start` (past leading blanks) when they run to the next label. */
function unlabeledRun(cells: readonly Cell[], start: number): number {
  let i = start;
  while (i < cells.length && cells[i]!.kind === 'blank') i++;
  let values = 0;
  while (i < cells.length && cells[i]!.kind === 'value') {
    values++;
    i++;
  }
  return i < cells.length && cells[i]!.kind === 'text' ? values : -1;
}

export function readRows(cells: readonly Cell[], specs: readonly RowSpec[], options: RowReaderOptions): RowReading {
  const window = options.window ?? 3;
  const rows: ReadRow[] = [];
  const warnings: ParseWarning[] = [];
  let expected = 0;
  let pending: Cell[] = [];
  let cut = false;
  let i = 0;
  while (i < cells.length) {
    const cell = cells[i]!;
    if (cell.kind === 'text') {
      pending.push(cell);
      i++;
      continue;
    }
    if (pending.length === 0 && cell.kind === 'blank') {
      i++; // a merged-cell placeholder or a spacer before a label
      continue;
    }
    let specIndex = -1;
    let byPosition = false;
    if (pending.length === 0) {
      // Values with no label: the next expected row when exactly one row's worth follows.
      let runEnd = i;
      while (runEnd < cells.length && cells[runEnd]!.kind !== 'text') runEnd++;
      const values = cells.slice(i, runEnd).filter((c) => c.kind === 'value').length;
      if (options.unlabeledByPosition && expected < specs.length && values === specs[expected]!.width && runEnd < cells.length) {
        specIndex = expected;
        byPosition = true;
        warnings.push({ code: 'ROW_BY_POSITION', message: `表${options.table}：第${cell.line}行的一行数据没有标签，按位置读作「${specs[expected]!.names[0]}」/ unlabelled row read as ${specs[expected]!.key} by position`, line: cell.line, table: options.table, row: specs[expected]!.key });
      } else {
        if (cell.kind === 'value' && cell.atEnd) cut = true;
        i = runEnd;
        continue;
      }
    } else {
      const match = bestLabel(pending, specs, expected, Math.min(specs.length, expected + window + 1));
      if (match.score >= MATCH) specIndex = match.index;
      else if (options.unlabeledByPosition && cell.kind === 'blank' && expected < specs.length && unlabeledRun(cells, i) === specs[expected]!.width) {
        // A header, then the row's label cell left empty (whitespace), then its values.
        specIndex = expected;
        byPosition = true;
        while (cells[i]!.kind === 'blank') i++;
        warnings.push({ code: 'ROW_BY_POSITION', message: `表${options.table}第${cells[i]!.line}行的一行数据没有标签，按位置读作「${specs[expected]!.names[0]}」/ unlabelled row read as ${specs[expected]!.key} by position`, line: cells[i]!.line, table: options.table, row: specs[expected]!.key });
      } else {
        // Not a row of the template (a heading, a header, a row some provinces add): skip its cells.
        const runStart = i;
        while (i < cells.length && cells[i]!.kind !== 'text') i++;
        const hasValues = cells.slice(runStart, i).some((c) => c.kind === 'value');
        if (hasValues && match.label.length > 0 && !/信息内容|申请人情况|自然人|法人或其他组织|总计|结果/.test(match.label)) {
          warnings.push({ code: 'UNKNOWN_ROW', message: `表${options.table}第${pending[pending.length - 1]!.line}行「${match.label}」不是模板中的行，已跳过 / row "${match.label}" is not in the template; skipped`, line: pending[pending.length - 1]!.line, table: options.table, row: match.label });
        }
        pending = [];
        continue;
      }
    }
    const spec = specs[specIndex]!;
    const { taken, next, run } = takeRowCells(cells, i, spec.width);
    const label = pending[pending.length - 1];
    pending = [];
    i = next;
    const reachedEnd = next >= cells.length;
    if (run) {
      if (run.atEnd) {
        cut = true;
        warnings.push({ code: 'ROW_CUT', message: `原文在表${options.table}「${spec.names[0]}」一行中断，该行未采用 / the text ends inside table ${options.table} row ${spec.key}; row left out`, line: run.line, table: options.table, row: spec.key });
      } else rows.push({ spec, cells: [], run, byPosition });
      expected = specIndex + 1;
      continue;
    }
    if (taken.length < spec.width || taken[taken.length - 1]?.atEnd) {
      if (reachedEnd) {
        cut = true;
        warnings.push({ code: 'ROW_CUT', message: `原文在表${options.table}「${spec.names[0]}」一行中断（读到${taken.length}/${spec.width}格），该行未采用 / the text ends inside table ${options.table} row ${spec.key} (${taken.length} of ${spec.width} cells); row left out`, line: label?.line ?? taken[0]?.line, table: options.table, row: spec.key });
      } else {
        warnings.push({ code: 'ROW_SHORT', message: `表${options.table}「${spec.names[0]}」只有${taken.length}/${spec.width}格，该行未采用 / table ${options.table} row ${spec.key} has ${taken.length} of ${spec.width} cells; row left out`, line: label?.line ?? taken[0]?.line, table: options.table, row: spec.key });
      }
      expected = specIndex + 1;
      continue;
    }
    rows.push({ spec, cells: taken, byPosition });
    expected = specIndex + 1;
  }
  if (pending.length > 0 && cells.length > 0 && cells[cells.length - 1]!.atEnd) cut = true;
  return { rows, warnings, cut };
}
