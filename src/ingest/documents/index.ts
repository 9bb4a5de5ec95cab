/**
 * Documents as offices publish them (page text, saved HTML, PDF, Word, scans) turned into what the
 * pure parser reads: text, or HTML whose tables are real <table> cells. Detection is by content
 * (magic bytes), not by the file's extension alone. Every reader answers with the same shape, so the
 * CLI, the GraphQL import and the upload route share one path.
 */
export type DocumentReader = 'text' | 'html' | 'pdf' | 'pdf-ocr' | 'docx' | 'doc' | 'image-ocr' | 'html-attachment';

export interface DocumentInput {
  readonly bytes: Buffer;
  /** The file's name (for messages and the extension hint). */
  readonly filename: string;
  /** The folder the file was found in, where a saved page's attachments may lie beside it. */
  readonly directory?: string;
}

export interface DocumentReading {
  /** Which reader produced the text (shown by `parse` and the import summary). */
  readonly reader: DocumentReader;
  /** What the parser is handed. */
  readonly text: string;
  readonly format: 'text' | 'html';
  /** Values read through OCR are marked as such in their provenance. */
  readonly ocr: boolean;
  readonly warnings: readonly string[];
}

export type DocumentErrorCode = 'UNSUPPORTED_FORMAT' | 'CORRUPT' | 'ENCRYPTED' | 'TOO_LARGE' | 'TOOL_MISSING' | 'TIMEOUT';

/** A document that cannot be read: names the file and the reason, and what to do where there is something to do. */
export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    readonly filename: string,
    message: string,
  ) {
    super(`${filename}: ${message}`);
    this.name = 'DocumentError';
  }
}

type Sniffed = 'pdf' | 'zip' | 'ole' | 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'text';

export function sniff(bytes: Buffer): Sniffed {
  const head = bytes.subarray(0, 12);
  const starts = (...b: number[]) => b.every((v, i) => head[i] === v);
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'zip';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'ole';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (starts(0x42, 0x4d)) return 'bmp';
  return 'text';
}

/** Page text is UTF-8 almost always; older pages are GB18030/GBK, which a UTF-8 decode turns into U+FFFD. */
export function decodeText(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  const replaced = (utf8.match(/\uFFFD/g) ?? []).length;
  if (replaced > 0 && replaced > utf8.length / 1000) {
    const gb = new TextDecoder('gb18030').decode(bytes);
    if ((gb.match(/\uFFFD/g) ?? []).length < replaced) return gb;
  }
  return utf8.replace(/^\uFEFF/, '');
}

function looksLikeHtmlText(text: string, filename: string): boolean {
  return /\.x?html?$/i.test(filename) || /^\s*(<!doctype html|<html|<head|<body|<meta|<div|<table|<p[\s>])/i.test(text);
}

export async function readDocument(input: DocumentInput): Promise<DocumentReading> {
  const kind = sniff(input.bytes);
  if (kind !== 'text') {
    throw new DocumentError('UNSUPPORTED_FORMAT', input.filename, `${kind} documents are not read yet / 暂不支持此格式`);
  }
  const text = decodeText(input.bytes);
  const html = looksLikeHtmlText(text, input.filename);
  return { reader: html ? 'html' : 'text', text, format: html ? 'html' : 'text', ocr: false, warnings: [] };
}
