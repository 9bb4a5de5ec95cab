/**
 * Scanned pages and pictures: Tesseract (Debian `tesseract-ocr tesseract-ocr-chi-sim`) run as a
 * child process for word boxes (TSV), PDF pages rendered by pdftoppm (poppler-utils), the ruling
 * lines found in the picture itself; then the same cell rebuilding as for a PDF's text layer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentError } from './errors';
import { pagesToHtml } from './layout/document';
import type { PageLayout, Word } from './layout/types';
import type { DocumentLimits } from './limits';
import { decodePgm, decodePng, findRulings, imageSize, type GrayImage } from './raster';
import { findTool, runTool } from './tools';

/** Resolution scanned PDF pages are rendered at for Tesseract (it reads best near 300 dpi). */
const RENDER_DPI = 300;

const INSTALL_TESSERACT = '请安装 Tesseract：apt-get install tesseract-ocr tesseract-ocr-chi-sim / install Tesseract: apt-get install tesseract-ocr tesseract-ocr-chi-sim';

export function tesseractAvailable(): boolean {
  return findTool('tesseract') !== null;
}

function requireTesseract(filename: string): string {
  const tesseract = findTool('tesseract');
  if (!tesseract) throw new DocumentError('TOOL_MISSING', filename, `扫描件或图片需要 OCR，但未安装 Tesseract。${INSTALL_TESSERACT}`);
  return tesseract;
}

async function languages(tesseract: string, filename: string): Promise<string> {
  const { stdout } = await runTool(tesseract, ['--list-langs'], { filename, timeoutMs: 10_000, what: 'tesseract --list-langs' });
  const langs = stdout.toString('utf8');
  if (!/^chi_sim$/m.test(langs)) {
    throw new DocumentError('TOOL_MISSING', filename, `Tesseract 缺少简体中文语言包 / Tesseract has no Simplified Chinese data: apt-get install tesseract-ocr-chi-sim`);
  }
  return /^eng$/m.test(langs) ? 'chi_sim+eng' : 'chi_sim';
}

/** Tesseract's TSV: level 5 rows are words with their boxes. */
export function wordsFromTsv(tsv: string, minConfidence = 10): Word[] {
  const words: Word[] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    if (text === '' || conf < minConfidence) continue;
    const [left, top, width, height] = [Number(f[6]), Number(f[7]), Number(f[8]), Number(f[9])];
    words.push({ text, x0: left, y0: top, x1: left + width, y1: top + height });
  }
  return words;
}

async function ocrImageFile(file: string, image: GrayImage | null, size: { width: number; height: number }, filename: string, limits: DocumentLimits): Promise<PageLayout> {
  const tesseract = requireTesseract(filename);
  const lang = await languages(tesseract, filename);
  const { stdout } = await runTool(tesseract, [file, 'stdout', '-l', lang, '--psm', '3', '-c', 'preserve_interword_spaces=1', 'tsv'], {
    filename,
    timeoutMs: limits.ocrPageTimeoutMs,
    what: 'Tesseract OCR',
    // One thread per page: the machine's cores are shared with the server.
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const words = wordsFromTsv(stdout.toString('utf8'));
  const minLength = Math.max(30, Math.round(Math.min(size.width, size.height) * 0.025));
  return { width: size.width, height: size.height, words, rulings: image ? findRulings(image, minLength) : [] };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dg-ocr-'));
}

export interface OcrPages {
  readonly pages: PageLayout[];
  readonly warnings: string[];
}

/** Renders the given PDF pages (1-based) and reads them by OCR. */
export async function ocrPdfPages(pdf: Buffer, filename: string, pageNumbers: readonly number[], limits: DocumentLimits): Promise<OcrPages> {
  requireTesseract(filename);
  const pdftoppm = findTool('pdftoppm');
  if (!pdftoppm) {
    throw new DocumentError('TOOL_MISSING', filename, '扫描页需要先渲染为图片，请安装 poppler-utils / scanned pages are rendered for OCR by pdftoppm: apt-get install poppler-utils');
  }
  if (pageNumbers.length > limits.maxOcrPages) {
    throw new DocumentError('TOO_LARGE', filename, `需要 OCR 的扫描页有 ${pageNumbers.length} 页，超过上限 ${limits.maxOcrPages} 页 / ${pageNumbers.length} scanned pages need OCR, more than the limit of ${limits.maxOcrPages} (DOCUMENT_MAX_OCR_PAGES)`);
  }
  const dir = tempDir();
  try {
    const source = path.join(dir, 'in.pdf');
    fs.writeFileSync(source, pdf);
    const pages: PageLayout[] = [];
    for (const n of pageNumbers) {
      const prefix = path.join(dir, `p${n}`);
      await runTool(pdftoppm, ['-r', String(RENDER_DPI), '-gray', '-f', String(n), '-l', String(n), '-singlefile', source, prefix], {
        filename,
        timeoutMs: limits.ocrPageTimeoutMs,
        what: 'pdftoppm',
      });
      const file = `${prefix}.pgm`;
      const image = decodePgm(fs.readFileSync(file));
      if (!image) throw new DocumentError('CORRUPT', filename, `第 ${n} 页无法渲染 / page ${n} could not be rendered`);
      const layout = await ocrImageFile(file, image, image, filename, limits);
      pages.push(layout);
      fs.rmSync(file, { force: true });
    }
    return { pages, warnings: [`第 ${pageNumbers.join('、')} 页无文字层，已用 OCR 识别，数值需核对 / page(s) ${pageNumbers.join(', ')} have no text layer and were read by OCR: check the values`] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A picture of a page (.png, .jpg, …): OCR, then the same layout reader. */
export async function readImage(bytes: Buffer, filename: string, extension: string, limits: DocumentLimits): Promise<{ html: string; warnings: string[] }> {
  requireTesseract(filename);
  const size = imageSize(bytes);
  if (size && size.width * size.height > limits.maxImagePixels) {
    throw new DocumentError('TOO_LARGE', filename, `图片 ${size.width}×${size.height} 像素，超过上限 / the picture is ${size.width}×${size.height} pixels, more than the limit of ${limits.maxImagePixels} (DOCUMENT_MAX_IMAGE_PIXELS)`);
  }
  const dir = tempDir();
  try {
    const file = path.join(dir, `in.${extension}`);
    fs.writeFileSync(file, bytes);
    const image = extension === 'png' ? decodePng(bytes) : null;
    const layout = await ocrImageFile(file, image, size ?? image ?? { width: 0, height: 0 }, filename, limits);
    const cjk = layout.words.map((w) => w.text).join('').match(/[\u4e00-\u9fff]/g)?.length ?? 0;
    if (cjk < 20) {
      throw new DocumentError('NO_TEXT', filename, `图片中未识别出报告文字（识别到 ${cjk} 个汉字）/ no report text was recognised in the picture (${cjk} Chinese characters)`);
    }
    return { html: pagesToHtml([layout]), warnings: ['图片经 OCR 识别，数值需核对 / the picture was read by OCR: check the values'] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
