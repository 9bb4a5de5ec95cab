/**
 * Bad input: each gets a typed DocumentError naming the file and the reason, within the limits.
 * The huge PDF and the lying zip are made here; the encrypted PDF (LibreOffice's export with an
 * open password) and the zip bomb are fixtures made by make-document-fixtures.sh.
 */
import zlib from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { DocumentError, readDocument, type DocumentInput } from '../../src/ingest/documents';
import { findTool } from '../../src/ingest/documents/tools';
import { fixture } from './support';

async function failure(input: DocumentInput): Promise<DocumentError> {
  try {
    await readDocument(input);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error(`${input.filename} was read`);
}

/** A valid PDF of `pages` empty pages sharing one resource-less content stream. */
function pdfWithPages(pages: number): Buffer {
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  const kids = Array.from({ length: pages }, (_, i) => `${i + 4} 0 R`).join(' ');
  objects[2] = `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`;
  objects[3] = '<< /Length 0 >>\nstream\n\nendstream';
  for (let i = 0; i < pages; i++) objects[i + 4] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>';
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = Buffer.byteLength(body);
    body += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

/** "A picture of a cat": a photo-like PNG of noise, no text in it. */
function noisePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let seed = 42;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = i % (width * 3 + 1) === 0 ? 0 : seed >> 16;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad documents', () => {
  it('a corrupt PDF (a real one cut short, and a PDF header over noise)', async () => {
    const real = fixture('2022_hongqiao-zhengwufuwuban.libreoffice.pdf');
    const cut = await failure({ bytes: real.subarray(0, Math.floor(real.length / 3)), filename: 'cut.pdf' });
    expect(['CORRUPT', 'NO_TEXT']).toContain(cut.code);
    expect(cut.message).toMatch(/^cut\.pdf: /);
    const noise = await failure({ bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 7)]), filename: 'noise.pdf' });
    expect(noise.code).toBe('CORRUPT');
    expect(noise.message).toMatch(/noise\.pdf: .*corrupt/);
  });

  it('an encrypted PDF', async () => {
    const error = await failure({ bytes: fixture('bad.encrypted.pdf'), filename: 'bad.encrypted.pdf' });
    expect(error).toMatchObject({ code: 'ENCRYPTED', filename: 'bad.encrypted.pdf' });
    expect(error.message).toMatch(/encrypted|加密/);
  });

  it('a 2,000-page PDF is refused by its page count, before its pages are read', async () => {
    const error = await failure({ bytes: pdfWithPages(2000), filename: 'huge.pdf' });
    expect(error).toMatchObject({ code: 'TOO_LARGE', filename: 'huge.pdf' });
    expect(error.message).toMatch(/2000 pages, more than the limit of 300/);
  });

  it('a PDF that takes longer than its time limit is stopped', async () => {
    const error = await failure({ bytes: fixture('2020_weihai-huancui-jingyuan.chromium.pdf'), filename: 'slow.pdf', limits: { pdfTimeoutMs: 1 } });
    expect(error).toMatchObject({ code: 'TIMEOUT', filename: 'slow.pdf' });
  });

  it('a .docx zip bomb, by its declared size and by the bytes it inflates to when the header lies', async () => {
    const bomb = await failure({ bytes: fixture('bad.zip-bomb.docx'), filename: 'bomb.docx' });
    expect(bomb).toMatchObject({ code: 'TOO_LARGE', filename: 'bomb.docx' });
    expect(bomb.message).toMatch(/zip bomb/);

    const zip = Buffer.from(
      zipSync({ '[Content_Types].xml': strToU8('<Types>wordprocessingml</Types>'), 'word/document.xml': new Uint8Array(3 * 1024 * 1024).fill(32) }, { level: 9 }),
    );
    // Declared sizes rewritten to 1,000 bytes in the local headers and the central directory.
    for (const [sig, at] of [[0x04034b50, 22], [0x02014b50, 24]] as const) {
      for (let i = 0; i + 4 <= zip.length; i++) if (zip.readUInt32LE(i) === sig) zip.writeUInt32LE(1000, i + at);
    }
    const liar = await failure({ bytes: zip, filename: 'liar.docx', limits: { maxUnzippedBytes: 1024 * 1024 } });
    expect(liar).toMatchObject({ code: 'TOO_LARGE', filename: 'liar.docx' });
  });

  it('a zip that is not a Word document, a GIF, binary noise', async () => {
    const xlsx = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types>spreadsheetml</Types>'), 'xl/workbook.xml': strToU8('<workbook/>') }));
    expect(await failure({ bytes: xlsx, filename: 'book.xlsx' })).toMatchObject({ code: 'UNSUPPORTED_FORMAT', filename: 'book.xlsx' });
    expect(await failure({ bytes: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), filename: 'a.gif' })).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(await failure({ bytes: Buffer.from([0x00, 0x01, 0x02, 0x00, 0x05]), filename: 'blob.bin' })).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(await failure({ bytes: Buffer.alloc(0), filename: 'empty.pdf' })).toMatchObject({ code: 'NO_TEXT' });
  });

  it('a file over the size limit', async () => {
    const error = await failure({ bytes: fixture('2020_dawuli-zhen.docx'), filename: 'big.docx', limits: { maxBytes: 1000 } });
    expect(error).toMatchObject({ code: 'TOO_LARGE', filename: 'big.docx' });
  });

  it('a picture of a cat: no report text in it (or, without Tesseract, the package to install)', async () => {
    const error = await failure({ bytes: noisePng(400, 300), filename: 'cat.png' });
    if (findTool('tesseract')) {
      expect(error).toMatchObject({ code: 'NO_TEXT', filename: 'cat.png' });
      expect(error.message).toMatch(/no report text was recognised/);
    } else {
      expect(error).toMatchObject({ code: 'TOOL_MISSING', filename: 'cat.png' });
      expect(error.message).toMatch(/apt-get install tesseract-ocr tesseract-ocr-chi-sim/);
    }
  });

  it('without Tesseract, a picture names the package to install; without LibreOffice, a .doc says what to install and how to convert by hand', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const picture = await failure({ bytes: fixture('2022_hongqiao-zhengwufuwuban.table3.scan150.png'), filename: 'scan.png' });
      expect(picture).toMatchObject({ code: 'TOOL_MISSING', filename: 'scan.png' });
      expect(picture.message).toMatch(/apt-get install tesseract-ocr tesseract-ocr-chi-sim/);
      const doc = await failure({ bytes: fixture('2020_weihai-huancui-jingyuan.doc'), filename: 'old.doc' });
      expect(doc).toMatchObject({ code: 'TOOL_MISSING', filename: 'old.doc' });
      expect(doc.message).toMatch(/apt-get install libreoffice-writer-nogui/);
      expect(doc.message).toMatch(/save the file as \.docx or PDF/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
