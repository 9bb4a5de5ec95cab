/**
 * Table cells from word positions: inside a ruled grid each merged cell takes the words whose centre
 * falls in it (a label wrapped over three lines, or 商业企业 set one character per line, is one
 * cell's text); a table drawn without borders is cut into columns where no line has ink and into
 * rows by its lines of figures.
 */
import { cellOf, type Grid } from './grid';
import { groupLines, joinRuns, lineText, type Line } from './lines';
import type { RebuiltTable, TableCell, Word } from './types';

/** Text of the words of one cell: lines top to bottom, joined without a break (CJK labels wrap anywhere). */
export function cellText(words: readonly Word[]): string {
  let text = '';
  for (const line of groupLines(words)) text = joinRuns(text, lineText(line.words), 0, 1);
  return text;
}

export function tableFromGrid(grid: Grid, words: readonly Word[]): RebuiltTable {
  const byOwner = new Map<number, Word[]>();
  for (const word of words) {
    const [r, c] = cellOf(grid, word);
    const id = grid.owner[r]![c]!;
    const words = byOwner.get(id);
    if (words) words.push(word);
    else byOwner.set(id, [word]);
  }
  const rows: TableCell[][] = [];
  const seen = new Set<number>();
  const nRows = grid.owner.length;
  const nCols = grid.owner[0]!.length;
  for (let r = 0; r < nRows; r++) {
    const row: TableCell[] = [];
    for (let c = 0; c < nCols; c++) {
      const id = grid.owner[r]![c]!;
      if (seen.has(id)) continue;
      seen.add(id);
      let colspan = 1;
      while (c + colspan < nCols && grid.owner[r]![c + colspan] === id) colspan++;
      let rowspan = 1;
      while (r + rowspan < nRows && grid.owner[r + rowspan]![c] === id) rowspan++;
      row.push({ text: cellText(byOwner.get(id) ?? []), colspan, rowspan, col: c });
    }
    rows.push(row);
  }
  return { columns: nCols, rows, xs: grid.xs };
}

const NUMERIC = /^[-−–+]?[\d,，.]+%?$/;
export const isFigure = (text: string) => NUMERIC.test(text.trim());

/** Segments of a line: runs of words closer than `gap` to each other. */
export function segmentsOf(line: Line, gap: number): Word[][] {
  const segs: Word[][] = [];
  for (const word of line.words) {
    const last = segs[segs.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && word.x0 - prev.x1 < gap && !(isFigure(prev.text) && isFigure(word.text) && word.x0 - prev.x1 > gap / 3)) last!.push(word);
    else segs.push([word]);
  }
  return segs;
}

/**
 * A borderless table: columns are the x ranges some segment covers, split where no line has ink;
 * each line of figures is a row, label-only lines (a wrapped label) join the nearest row of figures,
 * and the label lines before the first row of figures make one header row (per column).
 */
export function tableFromLines(lines: readonly Line[], gap: number): RebuiltTable {
  const segLines = lines.map((line) => segmentsOf(line, gap).map((ws) => ({ x0: ws[0]!.x0, x1: ws[ws.length - 1]!.x1, text: lineText(ws) })));
  // Column boundaries: gaps in the union of all segments' x ranges.
  const spans = segLines.flat().map((s) => [s.x0, s.x1] as const).sort((a, b) => a[0] - b[0]);
  const columns: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = columns[columns.length - 1];
    if (last && a <= last[1] + gap / 4) last[1] = Math.max(last[1], b);
    else columns.push([a, b]);
  }
  const columnOf = (x0: number, x1: number) => {
    const mid = (x0 + x1) / 2;
    const i = columns.findIndex(([a, b]) => mid >= a - gap / 4 && mid <= b + gap / 4);
    return i < 0 ? 0 : i;
  };
  type Row = { texts: string[]; figures: boolean; y: number };
  const rows: Row[] = segLines.map((segs, i) => {
    const texts = columns.map(() => '');
    for (const s of segs) {
      const c = columnOf(s.x0, s.x1);
      texts[c] = joinRuns(texts[c]!, s.text, 0, 1);
    }
    return { texts, figures: segs.some((s) => isFigure(s.text)), y: (lines[i]!.y0 + lines[i]!.y1) / 2 };
  });
  const firstFigures = rows.findIndex((r) => r.figures);
  const out: Row[] = [];
  if (firstFigures > 0) {
    const header = columns.map(() => '');
    for (const r of rows.slice(0, firstFigures)) r.texts.forEach((t, c) => (header[c] = joinRuns(header[c]!, t, 0, 1)));
    out.push({ texts: header, figures: false, y: rows[0]!.y });
  }
  const body = rows.slice(Math.max(0, firstFigures));
  const figureRows = body.filter((r) => r.figures);
  // A label-only line belongs to the nearest row of figures (above or below): its wrapped label.
  const members = new Map<Row, Row[]>(figureRows.map((r) => [r, [r]]));
  for (const row of body) {
    if (row.figures) continue;
    let nearest: Row | undefined;
    for (const f of figureRows) if (!nearest || Math.abs(f.y - row.y) < Math.abs(nearest.y - row.y)) nearest = f;
    if (nearest) members.get(nearest)!.push(row);
    else out.push(row);
  }
  for (const f of figureRows) {
    const texts = columns.map(() => '');
    for (const part of members.get(f)!.sort((a, b) => a.y - b.y)) part.texts.forEach((t, c) => (texts[c] = joinRuns(texts[c]!, t, 0, 1)));
    out.push({ texts, figures: true, y: f.y });
  }
  return { columns: columns.length, rows: out.map((r) => r.texts.map((text, col) => ({ text, colspan: 1, rowspan: 1, col }))) };
}
