/**
 * What one document may cost. A report is a few pages and a few hundred kilobytes; these leave
 * wide room for that and stop a 2,000-page scan, a zip bomb or a stuck converter before they take
 * the server's memory or time. Each can be raised by an environment variable (README, "Importing
 * PDF and Word documents").
 */
export interface DocumentLimits {
  /** Bytes of the file itself. */
  readonly maxBytes: number;
  /** Pages of a PDF (or of a scan). */
  readonly maxPages: number;
  /** Bytes a .docx may unpack to (all its parts together). */
  readonly maxUnzippedBytes: number;
  /** Time for reading a whole PDF's text layer. */
  readonly pdfTimeoutMs: number;
  /** Time Tesseract may take for one page. */
  readonly ocrPageTimeoutMs: number;
  /** Pages that may go through OCR in one document. */
  readonly maxOcrPages: number;
  /** Time LibreOffice may take converting one .doc/.wps. */
  readonly convertTimeoutMs: number;
  /** Pixels of one picture (width × height). */
  readonly maxImagePixels: number;
}

const fromEnv = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export function documentLimits(overrides: Partial<DocumentLimits> = {}): DocumentLimits {
  return {
    maxBytes: fromEnv('DOCUMENT_MAX_BYTES', 50 * 1024 * 1024),
    maxPages: fromEnv('DOCUMENT_MAX_PAGES', 300),
    maxUnzippedBytes: fromEnv('DOCUMENT_MAX_UNZIPPED_BYTES', 50 * 1024 * 1024),
    pdfTimeoutMs: fromEnv('DOCUMENT_PDF_TIMEOUT_MS', 120_000),
    ocrPageTimeoutMs: fromEnv('DOCUMENT_OCR_PAGE_TIMEOUT_MS', 60_000),
    maxOcrPages: fromEnv('DOCUMENT_MAX_OCR_PAGES', 40),
    convertTimeoutMs: fromEnv('DOCUMENT_CONVERT_TIMEOUT_MS', 60_000),
    maxImagePixels: fromEnv('DOCUMENT_MAX_IMAGE_PIXELS', 60_000_000),
    ...overrides,
  };
}
