/**
 * Files to import, from folders (the CLI) or from an upload (POST /imports): each read as a
 * document, then stored through the import service's bulk path (50 per transaction, a savepoint
 * each). Every file given gets a row, the ones that are not reports included.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Viewer } from '../auth/viewer';
import { DocumentError, readDocument, sniff, type DocumentReading } from './documents';
import { fileResultNotStored, fileResultOf, fileResultOfError, type ImportFileResult } from './import-results';
import type { ImportService } from './import.service';

/** Extensions taken from a folder without looking further; other files are taken when their content is a document kind. */
export const DOCUMENT_EXTENSIONS = ['.txt', '.htm', '.html', '.pdf', '.docx', '.doc', '.wps', '.png', '.jpg', '.jpeg', '.tif', '.tiff'] as const;

export interface ImportSource {
  /** What the row shows: a path relative to the folder walked, or the uploaded name. */
  readonly file: string;
  /** Where a saved page's attachments may lie beside it (CLI only). */
  readonly directory?: string;
  read(): Promise<Buffer>;
  /** Set when the file was found but is not taken: it becomes an UNSUPPORTED row. */
  readonly unsupported?: string;
}

export interface ImportRunOptions {
  readonly viewer: Viewer;
  readonly officeCode?: string | null;
  /** Create offices named by titles that match none, under this office. */
  readonly createOfficesUnder?: string | null;
  /** Store readings that would make a stored report worse (see never-worse.ts). */
  readonly force?: boolean;
  /** Reports per transaction. */
  readonly batch: number;
  /** After each file is settled (read and stored, or failed). */
  readonly onProgress?: (done: number, file: string) => void;
}

const BOM = [
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];

/**
 * Content that sniffs as none of the known binary kinds is read as text; a NUL byte in its first
 * 8 KiB (without a Unicode byte-order mark) says it is some other binary file (an archive, an
 * executable) that would only come out as garbage.
 */
function unknownBinary(bytes: Buffer): boolean {
  if (BOM.some((b) => b.every((v, i) => bytes[i] === v))) return false;
  return bytes.subarray(0, 8192).includes(0);
}

/** The document in the bytes, by content; DocumentError for what cannot be read. */
export async function readUpload(bytes: Buffer, filename: string, directory?: string): Promise<DocumentReading> {
  if (sniff(bytes) === 'text' && unknownBinary(bytes)) {
    throw new DocumentError('UNSUPPORTED_FORMAT', filename, '未知的二进制格式，不是报告文件 / binary content of an unknown kind, not a report document');
  }
  return readDocument({ bytes, filename, directory });
}

function hasDocumentExtension(file: string): boolean {
  return (DOCUMENT_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/** The first bytes of a file, enough for `sniff`. */
function head(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function walk(dir: string, root: string, out: ImportSource[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  for (const entry of entries) {
    // Dot entries are a tool's own (.git, .DS_Store), never a published report.
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full, root, out);
      continue;
    }
    if (!entry.isFile()) continue;
    const shown = path.relative(root, full) || entry.name;
    let taken = hasDocumentExtension(full);
    if (!taken) {
      try {
        taken = sniff(head(full)) !== 'text';
      } catch {
        // Unreadable: taken, so that the read reports why.
        taken = true;
      }
    }
    out.push({
      file: shown,
      directory: dir,
      read: () => fs.promises.readFile(full),
      unsupported: taken ? undefined : `不是报告文件类型（${path.extname(full) || '无扩展名'}）/ not a report file type (${path.extname(full) || 'no extension'}); read: ${DOCUMENT_EXTENSIONS.join(' ')}`,
    });
  }
}

/**
 * Files named on the command line are taken whatever their extension (the user chose them);
 * folders are walked recursively, in name order.
 */
export function collectSources(paths: readonly string[]): ImportSource[] {
  const out: ImportSource[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      out.push({ file: given, read: () => Promise.reject(new Error(`没有这个文件或文件夹 / no such file or folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`)) });
      continue;
    }
    if (stat.isDirectory()) {
      const before = out.length;
      walk(given, path.dirname(path.resolve(given)), out);
      if (out.length === before) out.push({ file: given, read: () => Promise.reject(new Error('文件夹中没有文件 / the folder holds no files')) });
    } else {
      out.push({ file: given, directory: path.dirname(given), read: () => fs.promises.readFile(given) });
    }
  }
  return out;
}

/**
 * Reads and stores the sources, `batch` reports per transaction. The result has one row per
 * source, in the order given. Only one batch's bytes are held at a time.
 */
export async function importSources(imports: ImportService, sources: readonly ImportSource[], options: ImportRunOptions): Promise<ImportFileResult[]> {
  const results: ImportFileResult[] = [];
  let done = 0;
  const settle = (file: string) => options.onProgress?.(++done, file);
  for (let start = 0; start < sources.length; start += options.batch) {
    const slice = sources.slice(start, start + options.batch);
    const rows: (ImportFileResult | null)[] = [];
    const readable: { index: number; source: ImportSource; reading: DocumentReading }[] = [];
    for (const source of slice) {
      if (source.unsupported) {
        rows.push(fileResultOfError(source.file, new DocumentError('UNSUPPORTED_FORMAT', source.file, source.unsupported)));
        settle(source.file);
        continue;
      }
      try {
        const reading = await readUpload(await source.read(), path.basename(source.file), source.directory);
        readable.push({ index: rows.length, source, reading });
        rows.push(null);
      } catch (error) {
        rows.push(fileResultOfError(source.file, error));
        settle(source.file);
      }
    }
    if (readable.length > 0) {
      try {
        const outcomes = await imports.importMany(
          readable.map((r) => ({ text: r.reading.text, filename: path.basename(r.source.file), format: r.reading.format, ocr: r.reading.ocr })),
          { officeCode: options.officeCode, viewer: options.viewer, force: options.force === true, createOfficesUnder: options.createOfficesUnder },
        );
        outcomes.forEach((outcome, i) => {
          const r = readable[i]!;
          rows[r.index] = fileResultOf(r.source.file, r.reading.reader, r.reading.warnings, outcome);
        });
      } catch (error) {
        // The batch's commit itself failed: none of it is stored.
        for (const r of readable) rows[r.index] = fileResultNotStored(r.source.file, r.reading.reader, error);
      }
      for (const r of readable) settle(r.source.file);
    }
    results.push(...(rows as ImportFileResult[]));
  }
  return results;
}
