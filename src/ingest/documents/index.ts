/**
 * Documents as offices publish them (page text, saved HTML, PDF, Word, scans) turned into what the
 * pure parser reads: text, or HTML whose tables are real <table> cells. Detection is by content
 * (magic bytes), not by the file's extension alone. Every reader answers with the same shape, so the
 * CLI, the GraphQL import and the upload route share one path.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { findAttachment, pictureFiles } from './attachment';
import { readDocx } from './docx';
import { DocumentError } from './errors';
import { convertToDocx } from './legacy';
import { documentLimits, type DocumentLimits } from './limits';
import { readImage } from './ocr';
import { readPdf } from './pdf';
import { readZipEntries } from './zip';

export { DocumentError, type DocumentErrorCode } from './errors';
export { documentLimits, type DocumentLimits } from './limits';

export type DocumentReader = 'text' | 'html' | 'pdf' | 'pdf-ocr' | 'docx' | 'doc' | 'image-ocr' | 'html-attachment';

export interface DocumentInput {
  readonly bytes: Buffer;
  /** The file's name (for messages and the extension hint). */
  readonly filename: string;
  /** The folder the file was found in, where a saved page's attachments may lie beside it. */
  readonly directory?: string;
  /** Tighter or looser limits than the defaults (tests, the upload route). */
  readonly limits?: Partial<DocumentLimits>;
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

/** A zip is a .docx when it holds word/document.xml; an .xlsx, .odt or plain archive is not read. */
function zipKind(bytes: Buffer, filename: string, limits: DocumentLimits): 'docx' | 'other' {
  const found = readZipEntries(bytes, (name) => name === '[Content_Types].xml', filename, limits.maxUnzippedBytes).get('[Content_Types].xml');
  return found && /wordprocessingml/.test(found.toString('utf8')) ? 'docx' : 'other';
}

/** An OLE compound file (.doc, .wps, .xls, .msg …): only Word and WPS writer files are converted. */
function oleKind(bytes: Buffer, filename: string): 'doc' | 'wps' | 'other' {
  // The stream names are UTF-16LE in the directory sectors.
  const utf16 = (s: string) => Buffer.from(s, 'utf16le');
  if (bytes.includes(utf16('WordDocument'))) return 'doc';
  if (bytes.includes(utf16('WpsContent')) || /\.wps$/i.test(filename)) return 'wps';
  return 'other';
}

const UNSUPPORTED = (filename: string, what: string) =>
  new DocumentError('UNSUPPORTED_FORMAT', filename, `不支持的文件格式（${what}）：请提供 PDF、Word（.docx/.doc/.wps）、网页或图片 / unsupported format (${what}): supply a PDF, Word (.docx/.doc/.wps), web page or picture`);

async function readHtmlPage(html: string, input: DocumentInput, limits: DocumentLimits, depth: number): Promise<DocumentReading> {
  const attachment = findAttachment(html, input.directory);
  if (attachment?.kind === 'document' && depth === 0) {
    const inner = await readBytes({ ...input, bytes: fs.readFileSync(attachment.file), filename: path.basename(attachment.file), directory: path.dirname(attachment.file) }, limits, depth + 1);
    return {
      ...inner,
      reader: 'html-attachment',
      warnings: [`网页正文只是附件链接，已读取附件 ${path.basename(attachment.file)}（${inner.reader}）/ the page only links to its attachment; read ${path.basename(attachment.file)} (${inner.reader})`, ...inner.warnings],
    };
  }
  if (attachment?.kind === 'pictures' && input.directory) {
    // Tables published as pictures: each picture read by OCR takes the place of its <img>.
    const $ = cheerio.load(html);
    const warnings: string[] = [];
    const files = new Set(pictureFiles(html, input.directory));
    for (const img of $('img[src]').toArray()) {
      const src = $(img).attr('src') ?? '';
      const file = [...files].find((f) => path.resolve(input.directory!, decodeURIComponent(src.split(/[?#]/)[0]!)) === f || path.basename(f) === path.basename(src.split(/[?#]/)[0]!));
      if (!file) continue;
      try {
        const bytes = fs.readFileSync(file);
        const read = await readImage(bytes, path.basename(file), sniff(bytes) === 'png' ? 'png' : 'jpg', limits);
        $(img).replaceWith(cheerio.load(read.html)('body').html() ?? '');
      } catch (error) {
        // A logo or a photo beside the tables is no table: left out, said so; a missing tool is the caller's to know.
        if (error instanceof DocumentError && error.code === 'NO_TEXT') warnings.push(error.message);
        else throw error;
      }
    }
    warnings.push('网页中的表格为图片，已用 OCR 识别，数值需核对 / the page\'s tables are pictures read by OCR: check the values');
    return { reader: 'image-ocr', text: $.html(), format: 'html', ocr: true, warnings };
  }
  return { reader: 'html', text: html, format: 'html', ocr: false, warnings: [] };
}

async function readBytes(input: DocumentInput, limits: DocumentLimits, depth: number): Promise<DocumentReading> {
  const { bytes, filename } = input;
  if (bytes.length > limits.maxBytes) {
    throw new DocumentError('TOO_LARGE', filename, `文件 ${Math.round(bytes.length / 1048576)} MB，超过上限 ${Math.round(limits.maxBytes / 1048576)} MB / the file is ${bytes.length} bytes, more than the limit of ${limits.maxBytes} (DOCUMENT_MAX_BYTES)`);
  }
  if (bytes.length === 0) throw new DocumentError('NO_TEXT', filename, '文件为空 / the file is empty');
  const kind = sniff(bytes);
  switch (kind) {
    case 'pdf': {
      const pdf = await readPdf(bytes, filename, limits);
      const ocr = pdf.ocrPages.length > 0;
      return { reader: ocr ? 'pdf-ocr' : 'pdf', text: pdf.html, format: 'html', ocr, warnings: pdf.warnings };
    }
    case 'zip': {
      if (zipKind(bytes, filename, limits) !== 'docx') throw UNSUPPORTED(filename, 'zip');
      return { reader: 'docx', text: readDocx(bytes, filename, limits).html, format: 'html', ocr: false, warnings: [] };
    }
    case 'ole': {
      const ole = oleKind(bytes, filename);
      if (ole === 'other') throw UNSUPPORTED(filename, 'OLE');
      const docx = await convertToDocx(bytes, filename, ole, limits);
      return { reader: 'doc', text: readDocx(docx, filename, limits).html, format: 'html', ocr: false, warnings: [`已用 LibreOffice 将 .${ole} 转换为 .docx / converted from .${ole} by LibreOffice`] };
    }
    case 'png':
    case 'jpeg':
    case 'tiff':
    case 'bmp': {
      const image = await readImage(bytes, filename, kind === 'jpeg' ? 'jpg' : kind === 'tiff' ? 'tif' : kind, limits);
      return { reader: 'image-ocr', text: image.html, format: 'html', ocr: true, warnings: image.warnings };
    }
    case 'gif':
    case 'webp':
      throw UNSUPPORTED(filename, `${kind}：请另存为 PNG 或 JPEG / save it as PNG or JPEG`);
    case 'text': {
      const text = decodeText(bytes);
      if (text.includes('\u0000')) throw UNSUPPORTED(filename, 'binary');
      if (looksLikeHtmlText(text, filename)) return readHtmlPage(text, input, limits, depth);
      return { reader: 'text', text, format: 'text', ocr: false, warnings: [] };
    }
  }
}

export async function readDocument(input: DocumentInput): Promise<DocumentReading> {
  return readBytes(input, documentLimits(input.limits), 0);
}
