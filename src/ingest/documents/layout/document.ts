/**
 * Pages of positioned words to the HTML the parser reads: each table rebuilt as a real
 * <table> (merged cells as colspan/rowspan), a table continued on the next page joined to it (its
 * repeated header dropped), page numbers and running headers/footers left out, and prose lines
 * broken at the page width joined back into paragraphs, so a figure cut over two lines is whole.
 */
import { findGrids, insideGrid } from './grid';
import { groupLines, joinRuns, lineText, type Line } from './lines';
import { segmentsOf, tableFromGrid, tableFromLines, isFigure } from './tables';
import type { Block, PageLayout, RebuiltTable, Word } from './types';

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** 「— 4 —」「- 4 -」「第4页」「4/12」「共12页」: page furniture, not report text. */
const PAGE_NUMBER = /^(?:[-—–－_\s]*\d{1,4}[-—–－_\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+|共\s*\d+\s*页.*|page\s*\d+(?:\s*of\s*\d+)?)$/i;

export function isPageFurniture(text: string): boolean {
  return PAGE_NUMBER.test(text.trim());
}

/** Lines set apart in columns (two or more runs with wide gaps) that carry a figure: a borderless table's rows. */
function isTabular(line: Line, gap: number): boolean {
  const segs = segmentsOf(line, gap);
  return segs.length >= 2 && segs.some((s) => isFigure(lineText(s)));
}

function pageBlocks(page: PageLayout, pageIndex: number): Block[] {
  const height = median(page.words.map((w) => w.y1 - w.y0)) || 10;
  const grids = findGrids(page.rulings, Math.max(1, height * 0.2), Math.max(2, height * 0.6));
  const inGrid = new Map<number, Word[]>(grids.map((_, i) => [i, []]));
  const loose: Word[] = [];
  for (const word of page.words) {
    const g = grids.findIndex((grid) => insideGrid(grid, word));
    if (g >= 0) inGrid.get(g)!.push(word);
    else loose.push(word);
  }
  type Positioned = { y: number; block: Block };
  const out: Positioned[] = grids
    .map((grid, i) => ({ grid, words: inGrid.get(i)! }))
    .filter(({ words }) => words.length > 0)
    .map(({ grid, words }) => ({ y: grid.y0, block: { kind: 'table', table: tableFromGrid(grid, words), page: pageIndex } }));
  const lines = groupLines(loose);
  const gap = height * 1.5;
  for (let i = 0; i < lines.length; i++) {
    // A borderless table: a run of tabular lines, with the label lines around them.
    if (isTabular(lines[i]!, gap)) {
      let start = i;
      while (start > 0 && segmentsOf(lines[start - 1]!, gap).length >= 2) start--;
      let end = i + 1;
      for (;;) {
        let next = end;
        while (next < lines.length && !isTabular(lines[next]!, gap) && next - end < 3 && lines[next]!.y0 - lines[next - 1]!.y1 < height * 1.5) next++;
        if (next < lines.length && isTabular(lines[next]!, gap)) end = next + 1;
        else break;
      }
      // Lines set before the run that were already emitted as prose belong to the table's header.
      while (out.length > 0 && start < i && out[out.length - 1]!.block.kind === 'line' && out[out.length - 1]!.y >= lines[start]!.y0) out.pop();
      out.push({ y: lines[start]!.y0, block: { kind: 'table', table: tableFromLines(lines.slice(start, end), gap), page: pageIndex } });
      i = end - 1;
      continue;
    }
    const line = lines[i]!;
    out.push({ y: line.y0, block: { kind: 'line', text: lineText(line.words), x0: line.x0, x1: line.x1, y0: line.y0, y1: line.y1, page: pageIndex } });
  }
  return out.sort((a, b) => a.y - b.y).map((p) => p.block);
}

/** Running headers and footers: the same text near the top or bottom edge of three or more pages. */
function runningFurniture(pages: readonly PageLayout[], blocks: readonly Block[]): Set<string> {
  const pagesOf = new Map<string, Set<number>>();
  for (const b of blocks) {
    if (b.kind !== 'line') continue;
    const h = pages[b.page]!.height;
    if (b.y0 > h * 0.1 && b.y1 < h * 0.9) continue;
    const key = b.text.replace(/\d+/g, '#');
    pagesOf.set(key, (pagesOf.get(key) ?? new Set()).add(b.page));
  }
  return new Set([...pagesOf].filter(([, p]) => p.size >= 3).map(([k]) => k));
}

const sameRow = (a: RebuiltTable['rows'][number], b: RebuiltTable['rows'][number]) =>
  a.length === b.length && a.every((c, i) => c.text === b[i]!.text);

/** The table's cells laid on other column boundaries (a superset of its own): spans widen where columns were added. */
function respan(table: RebuiltTable, xs: readonly number[]): RebuiltTable {
  const own = table.xs!;
  const nearest = (x: number) => xs.reduce((best, v, i) => (Math.abs(v - x) < Math.abs(xs[best]! - x) ? i : best), 0);
  const rows = table.rows.map((row) =>
    row.map((cell) => {
      const start = nearest(own[cell.col]!);
      const end = nearest(own[cell.col + cell.colspan]!);
      return { ...cell, col: start, colspan: Math.max(1, end - start) };
    }),
  );
  return { columns: xs.length - 1, rows, xs };
}

const hasFigure = (row: RebuiltTable['rows'][number]) => row.some((c) => isFigure(c.text));

/**
 * A table that goes on over a page break: the same outer edges (its columns may differ where a
 * page holds no row that draws some boundary), its header perhaps repeated, and perhaps a row cut
 * in two by the break (the rest of its labels at the top of the next page).
 */
function joinTables(first: RebuiltTable, next: RebuiltTable): RebuiltTable | null {
  let a = first;
  let b = next;
  if (a.xs && b.xs) {
    const tol = 3;
    if (Math.abs(a.xs[0]! - b.xs[0]!) > tol || Math.abs(a.xs[a.xs.length - 1]! - b.xs[b.xs.length - 1]!) > tol) return null;
    const union: number[] = [];
    for (const x of [...a.xs, ...b.xs].sort((p, q) => p - q)) if (union.length === 0 || x - union[union.length - 1]! > tol) union.push(x);
    a = respan(a, union);
    b = respan(b, union);
  } else if (a.columns !== b.columns) return null;
  let skip = 0;
  while (skip < b.rows.length && skip < a.rows.length && sameRow(a.rows[skip]!, b.rows[skip]!) && !hasFigure(b.rows[skip]!)) skip++;
  const rows = a.rows.map((row) => row.map((c) => ({ ...c })));
  let rest = b.rows.slice(skip);
  const last = rows[rows.length - 1];
  if (skip === 0 && last && rest[0] && !hasFigure(last) && !hasFigure(rest[0]) && rest[0].every((c) => c.rowspan === 1)) {
    // The break cut a header row: its labels' ends go back to the cells they belong to.
    for (const cell of rest[0]) {
      if (cell.text === '') continue;
      for (let r = rows.length - 1; r >= 0; r--) {
        const target = rows[r]!.find((c) => c.col === cell.col);
        if (target) {
          rows[r]![rows[r]!.indexOf(target)] = { ...target, text: joinRuns(target.text, cell.text, 0, 1) };
          break;
        }
      }
    }
    rest = rest.slice(1);
  }
  return { columns: a.columns, rows: [...rows, ...rest], xs: a.xs };
}

const HEADING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|第[一二三四五六七八九十]+[章节条])/;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function tableHtml(table: RebuiltTable): string {
  const rows = table.rows.map(
    (row) =>
      `<tr>${row
        .map((c) => `<td${c.colspan > 1 ? ` colspan="${c.colspan}"` : ''}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}>${escapeHtml(c.text)}</td>`)
        .join('')}</tr>`,
  );
  return `<table>\n${rows.join('\n')}\n</table>`;
}

export function pagesToHtml(pages: readonly PageLayout[]): string {
  const blocks = pages.flatMap((page, i) => pageBlocks(page, i));
  const furniture = runningFurniture(pages, blocks);
  const kept = blocks.filter((b) => b.kind === 'table' || (!isPageFurniture(b.text) && !furniture.has(b.text.replace(/\d+/g, '#'))));

  // Text edges of each page, to tell a line broken at the page width from a paragraph's last line.
  const edges = pages.map((_, i) => {
    const ls = kept.filter((b): b is Extract<Block, { kind: 'line' }> => b.kind === 'line' && b.page === i);
    const heights = ls.map((l) => l.y1 - l.y0);
    // The usual distance from one line to the next: a wider one is the space between paragraphs.
    const pitches = ls.slice(1).map((l, k) => l.y0 - ls[k]!.y0).filter((d) => d > 0);
    return { left: Math.min(...ls.map((l) => l.x0)), right: Math.max(...ls.map((l) => l.x1)), em: median(heights) || 10, pitch: median(pitches) };
  });

  const parts: string[] = [];
  let paragraph: { text: string; last: Extract<Block, { kind: 'line' }> } | null = null;
  let table: RebuiltTable | null = null;
  const flushParagraph = () => {
    if (paragraph) parts.push(`<p>${escapeHtml(paragraph.text)}</p>`);
    paragraph = null;
  };
  const flushTable = () => {
    if (table) parts.push(tableHtml(table));
    table = null;
  };
  for (const block of kept) {
    if (block.kind === 'table') {
      flushParagraph();
      const joined: RebuiltTable | null = table ? joinTables(table, block.table) : null;
      if (joined) table = joined;
      else {
        flushTable();
        table = block.table;
      }
      continue;
    }
    flushTable();
    const edge = edges[block.page]!;
    const text = block.text;
    if (paragraph) {
      const prevEdge = edges[paragraph.last.page]!;
      // Lines end ragged (Latin punctuation and digits are narrower than CJK): up to 3 em short is still full.
      const prevFull = paragraph.last.x1 >= prevEdge.right - 3 * prevEdge.em;
      const indented = block.x0 > edge.left + 1.2 * edge.em;
      const samePage = paragraph.last.page === block.page;
      const spaced = samePage && edge.pitch > 0 && block.y0 - paragraph.last.y0 > edge.pitch * 1.15;
      if (prevFull && !indented && !spaced && !HEADING.test(text)) {
        paragraph = { text: joinRuns(paragraph.text, text, 0, 1), last: block };
        continue;
      }
      flushParagraph();
    }
    paragraph = { text, last: block };
  }
  flushParagraph();
  flushTable();
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}
