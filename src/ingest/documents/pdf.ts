/**
 * PDF: the text layer read with positions by Mozilla's PDF.js (pdfjs-dist), the table borders taken
 * from the page's drawing operators, and both handed to the layout reader. A page with no text
 * layer (a scan) goes to OCR when Tesseract is installed.
 */
import { DocumentError } from './errors';
import { pagesToHtml } from './layout/document';
import type { PageLayout, Ruling, Word } from './layout/types';
import type { DocumentLimits } from './limits';
import { ocrPdfPages } from './ocr';
import { extractPdf, type RawTextItem } from './pdf-worker';

// The operator codes of PDF.js (OPS) the ruling reader needs; fixed in PDF.js's API.
const OPS = { save: 10, restore: 11, transform: 12, stroke: 20, closeStroke: 21, fill: 22, eoFill: 23, fillStroke: 24, eoFillStroke: 25, closeFillStroke: 26, closeEOFillStroke: 27, endPath: 28, paintFormXObjectBegin: 74, paintFormXObjectEnd: 75, constructPath: 91 } as const;

export interface PdfReading {
  readonly html: string;
  readonly pages: number;
  readonly ocrPages: number[];
  readonly warnings: string[];
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/**
 * Ruling lines from the drawing operators: stroked straight segments and thin filled rectangles
 * (Chromium and Skia draw borders as rectangles, LibreOffice as strokes), mapped to page space.
 */
function rulingsOf(ops: readonly [number, unknown][], viewport: Matrix): Ruling[] {
  const rulings: Ruling[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  for (const [fn, rawArgs] of ops) {
    const args = (rawArgs ?? []) as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0])) ctm = multiply(ctm, args[0] as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.constructPath) {
      const paint = args[0] as number;
      if (paint === OPS.endPath) continue;
      const data = args[1] as ArrayLike<number> | null;
      if (!data) continue;
      const full = multiply(viewport, ctm);
      const points: [number, number][][] = [];
      let current: [number, number][] = [];
      for (let k = 0; k < data.length; ) {
        const op = data[k]!;
        if (op === 0) {
          if (current.length > 0) points.push(current);
          current = [apply(full, data[k + 1]!, data[k + 2]!)];
          k += 3;
        } else if (op === 1) {
          current.push(apply(full, data[k + 1]!, data[k + 2]!));
          k += 3;
        } else if (op === 2) {
          current.push(apply(full, data[k + 5]!, data[k + 6]!));
          k += 7;
        } else if (op === 3) {
          current.push(apply(full, data[k + 3]!, data[k + 4]!));
          k += 5;
        } else {
          if (current.length > 0) current.push(current[0]!);
          k += 1;
        }
      }
      if (current.length > 0) points.push(current);
      const stroked = paint === OPS.stroke || paint === OPS.fillStroke || paint === OPS.closeStroke || paint === OPS.closeFillStroke || paint === OPS.eoFillStroke || paint === OPS.closeEOFillStroke;
      for (const poly of points) {
        const xs = poly.map((p) => p[0]);
        const ys = poly.map((p) => p[1]);
        const w = Math.max(...xs) - Math.min(...xs);
        const h = Math.max(...ys) - Math.min(...ys);
        if (!stroked && poly.length >= 4 && (w <= 3 || h <= 3)) {
          // A thin filled rectangle is a border.
          rulings.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
          continue;
        }
        if (!stroked && poly.length >= 4) {
          // A filled box (a cell's shading): its edges bound cells as borders would.
          const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
          if (w < 2000 && h < 2000) rulings.push({ x0, y0, x1, y1: y0 }, { x0, y0: y1, x1, y1 }, { x0, y0, x1: x0, y1 }, { x0: x1, y0, x1, y1 });
          continue;
        }
        if (!stroked) continue;
        for (let k = 1; k < poly.length; k++) {
          const [ax, ay] = poly[k - 1]!;
          const [bx, by] = poly[k]!;
          if (Math.abs(ax - bx) < 1 || Math.abs(ay - by) < 1) rulings.push({ x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) });
        }
      }
    }
  }
  return rulings;
}

function wordsOf(items: readonly RawTextItem[], viewport: Matrix): Word[] {
  const words: Word[] = [];
  const scaleX = Math.hypot(viewport[0], viewport[1]);
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const m = multiply(viewport, item.transform as Matrix);
    const size = Math.hypot(m[2], m[3]) || item.height || 10;
    const [x, baseline] = [m[4], m[5]];
    words.push({ text: item.str, x0: x, x1: x + item.width * scaleX, y0: baseline - size * 0.85, y1: baseline + size * 0.15 });
  }
  return words;
}

/** The heap the PDF reader's worker may use: a report needs a few tens of megabytes. */
const WORKER_HEAP_MB = 160;

export async function readPdf(bytes: Buffer, filename: string, limits: DocumentLimits): Promise<PdfReading> {
  const outcome = await extractPdf(bytes, { maxPages: limits.maxPages, timeoutMs: limits.pdfTimeoutMs, heapMb: WORKER_HEAP_MB });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'too-many-pages':
        throw new DocumentError('TOO_LARGE', filename, `PDF 共 ${outcome.numPages} 页，超过上限 ${limits.maxPages} 页 / the PDF has ${outcome.numPages} pages, more than the limit of ${limits.maxPages} (DOCUMENT_MAX_PAGES)`);
      case 'timeout':
        throw new DocumentError('TIMEOUT', filename, `读取 PDF 超过 ${Math.round(limits.pdfTimeoutMs / 1000)} 秒 / reading the PDF took longer than ${Math.round(limits.pdfTimeoutMs / 1000)} s (DOCUMENT_PDF_TIMEOUT_MS)`);
      case 'memory':
        throw new DocumentError('TOO_LARGE', filename, `读取 PDF 所需内存超过 ${WORKER_HEAP_MB} MB / reading the PDF needs more than ${WORKER_HEAP_MB} MB of memory`);
      default:
        if (outcome.name === 'PasswordException') {
          throw new DocumentError('ENCRYPTED', filename, 'PDF 已加密（需要密码），请提供未加密的文件 / the PDF is encrypted (password protected); supply an unprotected copy');
        }
        throw new DocumentError('CORRUPT', filename, `PDF 文件已损坏或不完整 / the PDF is corrupt or incomplete (${outcome.message})`);
    }
  }
  const pages: PageLayout[] = [];
  const scanned: number[] = [];
  outcome.pages.forEach((raw, i) => {
    const vt = raw.viewport as Matrix;
    const words = wordsOf(raw.items, vt);
    pages.push({ width: raw.width, height: raw.height, words, rulings: rulingsOf(raw.ops, vt) });
    // A page with pictures and (next to) no text is a scan.
    if (words.length < 3 && raw.images > 0) scanned.push(i + 1);
  });
  const warnings: string[] = [];
  if (scanned.length > 0) {
    const ocr = await ocrPdfPages(bytes, filename, scanned, limits);
    for (const [i, n] of scanned.entries()) pages[n - 1] = ocr.pages[i]!;
    warnings.push(...ocr.warnings);
  }
  const chars = pages.reduce((n, p) => n + p.words.reduce((m, w) => m + w.text.length, 0), 0);
  if (chars < 20) {
    throw new DocumentError('NO_TEXT', filename, `PDF 中没有可读的文字（${outcome.numPages} 页）/ the PDF holds no readable text (${outcome.numPages} pages)`);
  }
  return { html: pagesToHtml(pages), pages: outcome.numPages, ocrPages: scanned, warnings };
}
