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
import { findGrids } from './layout/grid';
import type { PageLayout, Word } from './layout/types';
import type { DocumentLimits } from './limits';
import { decodePgm, decodePng, encodePgm, eraseRulings, findRulings, imageSize, upscale2, type GrayImage } from './raster';
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

/** Letters Tesseract puts for digits in a figure (o for 0, l for 1): fixed only where the word is otherwise a figure. */
export function figureFix(text: string): string {
  if (/^[oO]$/.test(text)) return '0';
  if (/^[0-9oOlI]+$/.test(text) && /\d/.test(text)) return text.replace(/[oO]/g, '0').replace(/[lI]/g, '1');
  return text;
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
    words.push({ text: figureFix(text), x0: left, y0: top, x1: left + width, y1: top + height });
  }
  return words;
}

/** Tesseract's page segmentation mode: 11 (sparse text) finds the lone figures of table cells. */
const PSM = process.env.DOCUMENT_OCR_PSM ?? '11';

/**
 * OCR of one page. With the picture decoded, it is brought to about 300 dpi, its ruling lines are
 * found and then painted out (a border next to a digit reads as 1 or |), and Tesseract reads the
 * clean picture; the rulings still cut the table into cells.
 */
async function ocrPage(file: string, image: GrayImage | null, filename: string, limits: DocumentLimits, dir: string): Promise<PageLayout> {
  const tesseract = requireTesseract(filename);
  const lang = await languages(tesseract, filename);
  let input = file;
  let rulings: PageLayout['rulings'] = [];
  let size = image ?? { width: 0, height: 0 };
  if (image) {
    const scaled = Math.min(image.width, image.height) < 1800 ? upscale2(image) : image;
    rulings = findRulings(scaled, Math.max(40, Math.round(Math.min(scaled.width, scaled.height) * 0.02)));
    input = path.join(dir, `clean-${path.basename(file)}.pgm`);
    fs.writeFileSync(input, encodePgm(eraseRulings(scaled, rulings)));
    size = scaled;
  }
  const { stdout } = await runTool(tesseract, [input, 'stdout', '-l', lang, '--psm', PSM, '-c', 'preserve_interword_spaces=1', 'tsv'], {
    filename,
    timeoutMs: limits.ocrPageTimeoutMs,
    what: 'Tesseract OCR',
    // One thread per page: the machine's cores are shared with the server.
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const words = wordsFromTsv(stdout.toString('utf8'));
  if (image && rulings.length > 0) {
    const scaled = size as GrayImage;
    words.push(...(await missedFigures(eraseRulings(scaled, rulings), rulings, words, { tesseract, filename, limits, dir })));
  }
  return { width: size.width, height: size.height, words, rulings };
}

/**
 * Tesseract's page reading skips a lone narrow figure (a 1 alone in its cell) as noise. The cells
 * that have ink but no word are cut out, stacked into one strip and read again as figures only.
 */
async function missedFigures(
  image: GrayImage,
  rulings: PageLayout['rulings'],
  words: readonly Word[],
  ctx: { tesseract: string; filename: string; limits: DocumentLimits; dir: string },
): Promise<Word[]> {
  const em = [...words.map((w) => w.y1 - w.y0)].sort((a, b) => a - b)[Math.floor(words.length / 2)] ?? 30;
  const crops: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const grid of findGrids(rulings, Math.max(2, em * 0.2), Math.max(4, em * 0.6))) {
    const seen = new Set<number>();
    grid.owner.forEach((row, r) =>
      row.forEach((id, c) => {
        if (seen.has(id)) return;
        seen.add(id);
        const x0 = Math.ceil(grid.xs[c]! + 4);
        const y0 = Math.ceil(grid.ys[r]! + 4);
        let c1 = c;
        while (c1 + 1 < row.length && row[c1 + 1] === id) c1++;
        let r1 = r;
        while (r1 + 1 < grid.owner.length && grid.owner[r1 + 1]![c] === id) r1++;
        const x1 = Math.floor(grid.xs[c1 + 1]! - 4);
        const y1 = Math.floor(grid.ys[r1 + 1]! - 4);
        if (x1 <= x0 || y1 <= y0) return;
        if (words.some((w) => (w.x0 + w.x1) / 2 > x0 && (w.x0 + w.x1) / 2 < x1 && (w.y0 + w.y1) / 2 > y0 && (w.y0 + w.y1) / 2 < y1)) return;
        // The ink's own box: a figure is small; a missed label is left alone.
        let [ix0, iy0, ix1, iy1, ink] = [x1, y1, x0, y0, 0];
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            if (image.pixels[y * image.width + x]! < 128) {
              ink++;
              ix0 = Math.min(ix0, x);
              iy0 = Math.min(iy0, y);
              ix1 = Math.max(ix1, x);
              iy1 = Math.max(iy1, y);
            }
          }
        }
        if (ink < 15 || ix1 - ix0 > em * 4 || iy1 - iy0 > em * 1.6) return;
        crops.push({ x0: ix0 - 6, y0: iy0 - 6, x1: ix1 + 7, y1: iy1 + 7 });
      }),
    );
  }
  if (crops.length === 0) return [];
  const gap = 40;
  const width = Math.max(...crops.map((c) => c.x1 - c.x0)) + 2 * gap;
  const tops: number[] = [];
  let height = gap;
  for (const c of crops) {
    tops.push(height);
    height += c.y1 - c.y0 + gap;
  }
  const strip = new Uint8Array(width * height).fill(255);
  crops.forEach((c, i) => {
    for (let y = c.y0; y < c.y1; y++) {
      for (let x = c.x0; x < c.x1; x++) strip[(tops[i]! + y - c.y0) * width + gap + x - c.x0] = image.pixels[y * image.width + x] ?? 255;
    }
  });
  const file = path.join(ctx.dir, `strip-${Date.now()}.pgm`);
  fs.writeFileSync(file, encodePgm({ width, height, pixels: strip }));
  const { stdout } = await runTool(ctx.tesseract, [file, 'stdout', '--psm', '6', '-c', 'tessedit_char_whitelist=0123456789.-', 'tsv'], {
    filename: ctx.filename,
    timeoutMs: ctx.limits.ocrPageTimeoutMs,
    what: 'Tesseract OCR',
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const found: Word[] = [];
  for (const w of wordsFromTsv(stdout.toString('utf8'), 0)) {
    const mid = (w.y0 + w.y1) / 2;
    const i = tops.findIndex((top, k) => mid >= top && mid < top + crops[k]!.y1 - crops[k]!.y0);
    if (i < 0 || !/^\d/.test(w.text)) continue;
    const c = crops[i]!;
    found.push({ text: w.text, x0: c.x0 + w.x0 - gap, x1: c.x0 + w.x1 - gap, y0: c.y0 + w.y0 - tops[i]!, y1: c.y0 + w.y1 - tops[i]! });
  }
  return found;
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
      const layout = await ocrPage(file, image, filename, limits, dir);
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
    const layout = await ocrPage(file, image, filename, limits, dir);
    const cjk = layout.words.map((w) => w.text).join('').match(/[\u4e00-\u9fff]/g)?.length ?? 0;
    if (cjk < 20) {
      throw new DocumentError('NO_TEXT', filename, `图片中未识别出报告文字（识别到 ${cjk} 个汉字）/ no report text was recognised in the picture (${cjk} Chinese characters)`);
    }
    return { html: pagesToHtml([layout]), warnings: ['图片经 OCR 识别，数值需核对 / the picture was read by OCR: check the values'] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
