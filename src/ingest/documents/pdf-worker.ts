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

// Plain JavaScript, evaluated by the worker (no TypeScript or Jest transform in between). The
// worker lives on between documents (PDF.js loads once) and reads one document at a time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pdfjsReady = import(workerData.pdfjsUrl);
async function read(job) {
  const post = (m) => parentPort.postMessage({ id: job.id, ...m });
  const pdfjs = await pdfjsReady;
  const { OPS } = pdfjs;
  const keep = new Set([OPS.save, OPS.restore, OPS.transform, OPS.constructPath, OPS.paintFormXObjectBegin, OPS.paintFormXObjectEnd]);
  const images = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat]);
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: job.bytes,
      cMapUrl: workerData.cMapUrl, cMapPacked: true, standardFontDataUrl: workerData.standardFontDataUrl,
      disableFontFace: true, isEvalSupported: false, useSystemFonts: false, verbosity: 0,
    }).promise;
  } catch (error) {
    post({ type: 'error', name: (error && error.name) || 'Error', message: String((error && error.message) || error) });
    return;
  }
  try {
    post({ type: 'open', pages: doc.numPages });
    if (doc.numPages > job.maxPages) return;
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
      post({ type: 'page', page: { width: viewport.width, height: viewport.height, viewport: viewport.transform, items, ops, images: imageCount } });
      page.cleanup();
    }
    post({ type: 'done' });
  } finally {
    await doc.destroy();
  }
}
let chain = Promise.resolve();
parentPort.on('message', (job) => {
  chain = chain.then(() => read(job)).catch((error) => parentPort.postMessage({ id: job.id, type: 'error', name: (error && error.name) || 'Error', message: String((error && error.message) || error) }));
});
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

type Message = WorkerMessage & { readonly id: number };

interface Reader {
  readonly worker: Worker;
  readonly heapMb: number;
  readonly listeners: Map<number, (message: Message | { id: number; type: 'crash'; code?: string; message: string }) => void>;
}

let reader: Reader | null = null;
let nextId = 1;
/** One document at a time: the worker's memory is that of one document. */
let queue: Promise<unknown> = Promise.resolve();

function startReader(heapMb: number): Reader {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      pdfjsUrl: pathToFileURL(path.join(pdfjsDir(), 'legacy/build/pdf.mjs')).href,
      cMapUrl: `${path.join(pdfjsDir(), 'cmaps')}/`,
      standardFontDataUrl: `${path.join(pdfjsDir(), 'standard_fonts')}/`,
    },
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 },
  });
  // An idle reader does not keep the process (a CLI run, a test) alive.
  worker.unref();
  const r: Reader = { worker, heapMb, listeners: new Map() };
  worker.on('message', (message: Message) => r.listeners.get(message.id)?.(message));
  const crash = (code: string | undefined, message: string) => {
    if (reader === r) reader = null;
    for (const [id, listener] of r.listeners) listener({ id, type: 'crash', code, message });
  };
  worker.on('error', (error: Error & { code?: string }) => crash(error.code, error.message));
  worker.on('exit', () => crash(undefined, 'the PDF reader stopped'));
  return r;
}

function stopReader(r: Reader): void {
  if (reader === r) reader = null;
  void r.worker.terminate();
}

/** Reads a PDF's pages in the worker thread, within a time limit and a heap ceiling. */
export function extractPdf(bytes: Buffer, options: WorkerOptions): Promise<WorkerOutcome> {
  const job = queue.then(() => extractNow(bytes, options));
  queue = job.catch(() => undefined);
  return job;
}

function extractNow(bytes: Buffer, options: WorkerOptions): Promise<WorkerOutcome> {
  if (reader && reader.heapMb !== options.heapMb) stopReader(reader);
  const r = (reader ??= startReader(options.heapMb));
  const id = nextId++;
  return new Promise((resolve) => {
    const pages: RawPage[] = [];
    let numPages = 0;
    let settled = false;
    r.worker.ref();
    const finish = (outcome: WorkerOutcome, stop = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.listeners.delete(id);
      r.worker.unref();
      if (stop) stopReader(r);
      resolve(outcome);
    };
    // Past the time limit the worker is stopped for real (and a new one started for the next document).
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: 'time limit', numPages }, true), options.timeoutMs);
    r.listeners.set(id, (message) => {
      if (message.type === 'open') {
        numPages = message.pages;
        if (numPages > options.maxPages) finish({ ok: false, reason: 'too-many-pages', message: `${numPages} pages`, numPages });
      } else if (message.type === 'page') pages.push(message.page);
      else if (message.type === 'done') finish({ ok: true, pages, numPages });
      else if (message.type === 'crash') finish({ ok: false, reason: message.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'error', message: message.message, numPages }, true);
      else finish({ ok: false, reason: 'error', name: message.name, message: message.message, numPages });
    });
    const copy = new Uint8Array(bytes);
    r.worker.postMessage({ id, bytes: copy, maxPages: options.maxPages }, [copy.buffer]);
  });
}
