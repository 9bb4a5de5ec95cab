/**
 * Tables from ruling lines: the borders a word processor or browser draws around cells. Segments that
 * touch form one table; its distinct vertical positions are the column boundaries, its horizontal
 * ones the row boundaries. Where a border is missing between two grid cells, the cells are one
 * merged cell (colspan/rowspan), so merged headers and labels spanning rows come out as printed.
 */
import type { Ruling, Word } from './types';

export interface Grid {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Column boundaries, left to right (n + 1 for n columns). */
  readonly xs: number[];
  /** Row boundaries, top to bottom. */
  readonly ys: number[];
  /** For each grid cell, the id of the merged cell it belongs to. */
  readonly owner: number[][];
}

interface Seg {
  readonly horizontal: boolean;
  /** The fixed coordinate (y of a horizontal segment, x of a vertical one). */
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

function segmentsOf(rulings: readonly Ruling[], minLength: number): Seg[] {
  const segs: Seg[] = [];
  for (const r of rulings) {
    const w = Math.abs(r.x1 - r.x0);
    const h = Math.abs(r.y1 - r.y0);
    if (w >= minLength && h <= Math.max(3, w * 0.05)) segs.push({ horizontal: true, at: (r.y0 + r.y1) / 2, from: Math.min(r.x0, r.x1), to: Math.max(r.x0, r.x1) });
    else if (h >= minLength && w <= Math.max(3, h * 0.05)) segs.push({ horizontal: false, at: (r.x0 + r.x1) / 2, from: Math.min(r.y0, r.y1), to: Math.max(r.y0, r.y1) });
  }
  return segs;
}

function touches(a: Seg, b: Seg, tol: number): boolean {
  if (a.horizontal === b.horizontal) {
    return Math.abs(a.at - b.at) <= tol && a.from <= b.to + tol && b.from <= a.to + tol;
  }
  const [h, v] = a.horizontal ? [a, b] : [b, a];
  return v.at >= h.from - tol && v.at <= h.to + tol && h.at >= v.from - tol && h.at <= v.to + tol;
}

/** Positions closer than `tol` are one boundary (borders drawn twice, or a pixel apart in a scan). */
function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/** The tables drawn on a page, from its rulings. `tol` is the slack in the page's units (≈ 2 pt). */
export function findGrids(rulings: readonly Ruling[], tol: number, minCell: number): Grid[] {
  const segs = segmentsOf(rulings, minCell);
  if (segs.length > 4000) return []; // a drawing, not a table
  const parent = segs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      if (touches(segs[i]!, segs[j]!, tol)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Seg[]>();
  segs.forEach((s, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(s);
    else groups.set(root, [s]);
  });
  const grids: Grid[] = [];
  for (const group of groups.values()) {
    const hs = group.filter((s) => s.horizontal);
    const vs = group.filter((s) => !s.horizontal);
    if (hs.length < 2 || vs.length < 2) continue;
    const xs = cluster(vs.map((s) => s.at), Math.max(tol, minCell / 2));
    const ys = cluster(hs.map((s) => s.at), Math.max(tol, minCell / 3));
    if (xs.length < 2 || ys.length < 2) continue;
    const rows = ys.length - 1;
    const cols = xs.length - 1;
    const hasV = (x: number, yFrom: number, yTo: number) =>
      vs.some((s) => Math.abs(s.at - x) <= Math.max(tol, minCell / 2) && s.from <= yFrom + tol && s.to >= yTo - tol);
    const hasH = (y: number, xFrom: number, xTo: number) =>
      hs.some((s) => Math.abs(s.at - y) <= Math.max(tol, minCell / 3) && s.from <= xFrom + tol && s.to >= xTo - tol);
    // Union-find over grid cells: no border between two neighbours means one merged cell.
    const cellParent = Array.from({ length: rows * cols }, (_, i) => i);
    const findCell = (i: number): number => (cellParent[i] === i ? i : (cellParent[i] = findCell(cellParent[i]!)));
    const inner = (a: number, b: number) => [a + (b - a) * 0.25, a + (b - a) * 0.75] as const;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [ya, yb] = inner(ys[r]!, ys[r + 1]!);
        if (c + 1 < cols && !hasV(xs[c + 1]!, ya, yb)) cellParent[findCell(r * cols + c)] = findCell(r * cols + c + 1);
        const [xa, xb] = inner(xs[c]!, xs[c + 1]!);
        if (r + 1 < rows && !hasH(ys[r + 1]!, xa, xb)) cellParent[findCell(r * cols + c)] = findCell((r + 1) * cols + c);
      }
    }
    const owner = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => findCell(r * cols + c)));
    grids.push({ x0: xs[0]!, x1: xs[cols]!, y0: ys[0]!, y1: ys[rows]!, xs, ys, owner });
  }
  return grids.sort((a, b) => a.y0 - b.y0);
}

export function insideGrid(grid: Grid, word: Word): boolean {
  const cx = (word.x0 + word.x1) / 2;
  const cy = (word.y0 + word.y1) / 2;
  return cx >= grid.x0 && cx <= grid.x1 && cy >= grid.y0 && cy <= grid.y1;
}

/** The grid cell (row, column) a word's centre falls in. */
export function cellOf(grid: Grid, word: Word): [number, number] {
  const cx = (word.x0 + word.x1) / 2;
  const cy = (word.y0 + word.y1) / 2;
  let c = grid.xs.findIndex((x) => x > cx) - 1;
  let r = grid.ys.findIndex((y) => y > cy) - 1;
  if (c < 0) c = grid.xs.length - 2;
  if (r < 0) r = grid.ys.length - 2;
  return [Math.max(0, r), Math.max(0, c)];
}
