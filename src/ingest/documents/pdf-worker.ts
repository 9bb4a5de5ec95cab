/**
 * PDF.js runs in a worker thread: the time limit can stop it for real (terminate), its heap has a
 * ceiling of its own (a hostile PDF cannot take the server's memory), and its ES modules load with
 * Node's own import() — also under Jest, whose module sandbox cannot import ES modules.
 * The worker sends back, page by page, the text items and the drawing operators that matter for
 * ruling lines; the layout is rebuilt in the main thread.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import path from 'node:path';

export interface RawTextItem {
  readonly str: string;
  readonly transform: number[];
  readonly width: number;
  readonly height: number;
}

export interface RawPage {
  readonly width: number;
  readonly height: number;
  readonly viewport: number[];
  readonly items: RawTextItem[];
  /** Drawing operators kept for ruling lines: [op, args] with op one of save/restore/transform/path/form. */
  readonly ops: [number, unknown][];
  readonly images: number;
}

export type WorkerMessage =
  | { readonly type: 'open'; readonly pages: number }
  | { readonly type: 'page'; readonly page: RawPage }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

// Plain JavaScript, evaluated by the worker (no TypeScript or Jest transform in between).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const pdfjs = await import(workerData.pdfjsUrl);
  const { OPS } = pdfjs;
  const keep = new Set([OPS.save, OPS.restore, OPS.transform, OPS.constructPath, OPS.paintFormXObjectBegin, OPS.paintFormXObjectEnd]);
  const images = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat]);
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(workerData.bytes),
      cMapUrl: workerData.cMapUrl, cMapPacked: true, standardFontDataUrl: workerData.standardFontDataUrl,
      disableFontFace: true, isEvalSupported: false, useSystemFonts: false, verbosity: 0,
    }).promise;
  } catch (error) {
    parentPort.postMessage({ type: 'error', name: error && error.name || 'Error', message: String(error && error.message || error) });
    return;
  }
  parentPort.postMessage({ type: 'open', pages: doc.numPages });
  if (doc.numPages > workerData.maxPages) { await doc.destroy(); return; }
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = content.items.filter((i) => typeof i.str === 'string' && i.str.trim() !== '').map((i) => ({ str: i.str, transform: i.transform, width: i.width, height: i.height }));
    const list = await page.getOperatorList();
    const ops = [];
    let imageCount = 0;
    for (let k = 0; k < list.fnArray.length; k++) {
      const fn = list.fnArray[k];
      if (images.has(fn)) imageCount++;
      if (!keep.has(fn)) continue;
      const args = list.argsArray[k];
      if (fn === OPS.constructPath) ops.push([fn, [args[0], args[1] && args[1][0] ? Array.from(args[1][0]) : null]]);
      else if (fn === OPS.paintFormXObjectBegin) ops.push([fn, [args && args[0] ? Array.from(args[0]) : null]]);
      else ops.push([fn, args ? Array.from(args) : null]);
    }
    parentPort.postMessage({ type: 'page', page: { width: viewport.width, height: viewport.height, viewport: viewport.transform, items, ops, images: imageCount } });
    page.cleanup();
  }
  await doc.destroy();
  parentPort.postMessage({ type: 'done' });
})().catch((error) => parentPort.postMessage({ type: 'error', name: error && error.name || 'Error', message: String(error && error.message || error) }));
`;

const pdfjsDir = () => path.dirname(require.resolve('pdfjs-dist/package.json'));

export interface WorkerOptions {
  readonly maxPages: number;
  readonly timeoutMs: number;
  readonly heapMb: number;
}

export type WorkerOutcome =
  | { readonly ok: true; readonly pages: RawPage[]; readonly numPages: number }
  | { readonly ok: false; readonly reason: 'timeout' | 'memory' | 'too-many-pages' | 'error'; readonly name?: string; readonly message: string; readonly numPages?: number };

/** Reads a PDF's pages in a worker thread, within a time limit and a heap ceiling. */
export function extractPdf(bytes: Buffer, options: WorkerOptions): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        bytes: new Uint8Array(bytes),
        pdfjsUrl: pathToFileURL(path.join(pdfjsDir(), 'legacy/build/pdf.mjs')).href,
        cMapUrl: `${path.join(pdfjsDir(), 'cmaps')}/`,
        standardFontDataUrl: `${path.join(pdfjsDir(), 'standard_fonts')}/`,
        maxPages: options.maxPages,
      },
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: 16 },
      stdout: true,
      stderr: true,
    });
    // PDF.js's own console output is not ours to print; drained so the worker never blocks on it.
    worker.stdout.resume();
    worker.stderr.resume();
    const pages: RawPage[] = [];
    let numPages = 0;
    let settled = false;
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: 'time limit', numPages }), options.timeoutMs);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'open') {
        numPages = message.pages;
        if (numPages > options.maxPages) finish({ ok: false, reason: 'too-many-pages', message: `${numPages} pages`, numPages });
      } else if (message.type === 'page') pages.push(message.page);
      else if (message.type === 'done') finish({ ok: true, pages, numPages });
      else finish({ ok: false, reason: 'error', name: message.name, message: message.message, numPages });
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ ok: false, reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'error', name: error.name, message: error.message, numPages }),
    );
    worker.on('exit', () => finish({ ok: false, reason: 'error', message: 'the PDF reader stopped', numPages }));
  });
}
