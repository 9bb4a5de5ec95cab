/**
 * PDF: the text layer read with positions by Mozilla's PDF.js (pdfjs-dist), the table borders taken
 * from the page's drawing operators, and both handed to the layout reader. A page with no text
 * layer (a scan) goes to OCR when Tesseract is installed.
 */
import path from 'node:path';
import { DocumentError } from './errors';
import { pagesToHtml } from './layout/document';
import type { PageLayout, Ruling, Word } from './layout/types';
import type { DocumentLimits } from './limits';
import { ocrPdfPages } from './ocr';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

// pdfjs-dist ships ES modules only; a Function-built import() is not rewritten to require() by tsc.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
let pdfjsPromise: Promise<PdfJs> | null = null;
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= importEsm('pdfjs-dist/legacy/build/pdf.mjs') as Promise<PdfJs>;
  return pdfjsPromise;
}

const pdfjsDir = () => path.dirname(require.resolve('pdfjs-dist/package.json'));

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
function rulingsOf(pdfjs: PdfJs, ops: { fnArray: number[]; argsArray: unknown[] }, viewport: Matrix): Ruling[] {
  const { OPS } = pdfjs;
  const rulings: Ruling[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
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
      const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
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
      const stroked = paint === OPS.stroke || paint === OPS.fillStroke || paint === OPS.closeStroke || paint === OPS.closeFillStroke;
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

interface TextItemLike {
  readonly str: string;
  readonly transform: number[];
  readonly width: number;
  readonly height: number;
}

function wordsOf(items: readonly TextItemLike[], viewport: Matrix): Word[] {
  const words: Word[] = [];
  for (const item of items) {
    if (typeof item.str !== 'string' || item.str.trim() === '') continue;
    const m = multiply(viewport, item.transform as Matrix);
    const size = Math.hypot(m[2], m[3]) || item.height || 10;
    const [x, baseline] = [m[4], m[5]];
    const scaleX = Math.hypot(viewport[0], viewport[1]);
    words.push({ text: item.str, x0: x, x1: x + item.width * scaleX, y0: baseline - size * 0.85, y1: baseline + size * 0.15 });
  }
  return words;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function readPdf(bytes: Buffer, filename: string, limits: DocumentLimits): Promise<PdfReading> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: `${path.join(pdfjsDir(), 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${path.join(pdfjsDir(), 'standard_fonts')}/`,
    disableFontFace: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  const work = async (): Promise<PdfReading> => {
    let doc;
    try {
      doc = await task.promise;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'PasswordException') throw new DocumentError('ENCRYPTED', filename, 'PDF 已加密（需要密码），请提供未加密的文件 / the PDF is encrypted (password protected); supply an unprotected copy');
      throw new DocumentError('CORRUPT', filename, `PDF 文件已损坏或不完整 / the PDF is corrupt or incomplete (${error instanceof Error ? error.message : String(error)})`);
    }
    try {
      if (doc.numPages > limits.maxPages) {
        throw new DocumentError('TOO_LARGE', filename, `PDF 共 ${doc.numPages} 页，超过上限 ${limits.maxPages} 页 / the PDF has ${doc.numPages} pages, more than the limit of ${limits.maxPages} (DOCUMENT_MAX_PAGES)`);
      }
      const pages: PageLayout[] = [];
      const blank: number[] = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const viewport = page.getViewport({ scale: 1 });
        const vt = viewport.transform as Matrix;
        const content = await page.getTextContent();
        const words = wordsOf(content.items as TextItemLike[], vt);
        const ops = await page.getOperatorList();
        pages.push({ width: viewport.width, height: viewport.height, words, rulings: rulingsOf(pdfjs, ops, vt) });
        if (words.length < 3) blank.push(n);
        page.cleanup();
      }
      const warnings: string[] = [];
      let ocrPages: number[] = [];
      if (blank.length > 0) {
        // Pages without a text layer are scans: read them by OCR, in place.
        const ocr = await ocrPdfPages(bytes, filename, blank, limits);
        for (const [i, n] of blank.entries()) pages[n - 1] = ocr.pages[i]!;
        ocrPages = blank;
        warnings.push(...ocr.warnings);
      }
      return { html: pagesToHtml(pages), pages: doc.numPages, ocrPages, warnings };
    } finally {
      await doc.destroy();
    }
  };
  try {
    return await withTimeout(work(), limits.pdfTimeoutMs + limits.ocrPageTimeoutMs * limits.maxOcrPages, () => {
      void task.destroy();
      return new DocumentError('TIMEOUT', filename, `读取 PDF 超时 / reading the PDF took longer than the limit`);
    });
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError('CORRUPT', filename, `PDF 无法读取 / the PDF could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}
