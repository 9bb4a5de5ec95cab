/**
 * Document readers in the benchmark: text-layer PDF pages per second (the committed fixtures and
 * a 100-page report), OCR pages per minute (a 150 dpi scan, when Tesseract is installed), and the
 * peak RSS of a process started as the server is started (192 MB heap ceiling) while it reads and
 * imports the 100-page PDF into SQLite. Run alone: npm run bench -- --documents
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readDocument } from '../src/ingest/documents';
import { findTool } from '../src/ingest/documents/tools';
import { SERVER_NODE_FLAGS } from '../src/config/node-flags';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'documents');
const LONG_PDF = path.join(PROJECT_ROOT, 'bench', 'documents', 'report-100-pages.pdf');

export interface DocumentBench {
  readonly textPdf: { documents: number; pages: number; seconds: number; pagesPerSecond: number };
  readonly longPdf: { pages: number; seconds: number; pagesPerSecond: number } | null;
  readonly ocr: { pages: number; seconds: number; pagesPerMinute: number } | null;
  readonly importLongPdfPeakRssMb: number | null;
}

const pagesOf = (bytes: Buffer) => (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

async function timedRead(file: string): Promise<number> {
  const bytes = fs.readFileSync(file);
  const start = process.hrtime.bigint();
  await readDocument({ bytes, filename: path.basename(file) });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function benchDocuments(): Promise<DocumentBench> {
  console.log('\n== documents');
  const textPdfs = fs.readdirSync(FIXTURES).filter((f) => /\.(libreoffice|chromium)\.pdf$/.test(f)).map((f) => path.join(FIXTURES, f));
  let pages = 0;
  let seconds = 0;
  for (const file of textPdfs) {
    pages += pagesOf(fs.readFileSync(file));
    seconds += await timedRead(file);
  }
  const textPdf = { documents: textPdfs.length, pages, seconds: Math.round(seconds * 100) / 100, pagesPerSecond: Math.round((pages / seconds) * 10) / 10 };
  console.log(`  text-layer PDF (${textPdf.documents} short reports, ${pages} pages, one after another): ${textPdf.pagesPerSecond} pages/s`);

  let longPdf: DocumentBench['longPdf'] = null;
  if (fs.existsSync(LONG_PDF)) {
    const longPages = pagesOf(fs.readFileSync(LONG_PDF));
    const s = await timedRead(LONG_PDF);
    longPdf = { pages: longPages, seconds: Math.round(s * 100) / 100, pagesPerSecond: Math.round((longPages / s) * 10) / 10 };
    console.log(`  text-layer PDF (${longPages} pages, one document): ${longPdf.pagesPerSecond} pages/s`);
  }

  let ocr: DocumentBench['ocr'] = null;
  if (findTool('tesseract')) {
    const scans = ['2022_hongqiao-zhengwufuwuban.table3.scan150.png', '2022_hongqiao-zhengwufuwuban.table3.scanned.pdf'].map((f) => path.join(FIXTURES, f));
    let s = 0;
    for (const file of scans) s += await timedRead(file);
    ocr = { pages: scans.length, seconds: Math.round(s * 100) / 100, pagesPerMinute: Math.round((scans.length / s) * 60 * 10) / 10 };
    console.log(`  OCR (150 dpi scans of table 三, Tesseract chi_sim): ${ocr.pagesPerMinute} pages/minute`);
  } else {
    console.log('  OCR: Tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim), not measured');
  }

  let importLongPdfPeakRssMb: number | null = null;
  if (fs.existsSync(LONG_PDF)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-bench-doc-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [...SERVER_NODE_FLAGS, path.join(__dirname, 'documents-import.js'), LONG_PDF, path.join(dir, 'import.sqlite')], {
        cwd: PROJECT_ROOT,
      });
      importLongPdfPeakRssMb = Number(/peakRssMb=(\d+)/.exec(stdout)?.[1] ?? NaN);
      console.log(`  peak RSS of a server-like process (192 MB heap) reading and importing the ${longPdf?.pages ?? 100}-page PDF: ${importLongPdfPeakRssMb} MB`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { textPdf, longPdf, ocr, importLongPdfPeakRssMb };
}
