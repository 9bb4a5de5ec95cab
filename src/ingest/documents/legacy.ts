/**
 * Legacy Word (.doc) and WPS (.wps): converted to .docx by LibreOffice when it is installed
 * (headless, a private profile so it neither meets a running office nor leaves settings behind,
 * a time limit), then read as a .docx.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentError } from './errors';
import type { DocumentLimits } from './limits';
import { findTool, runTool } from './tools';

export function libreOfficeAvailable(): boolean {
  return (findTool('soffice') ?? findTool('libreoffice')) !== null;
}

export async function convertToDocx(bytes: Buffer, filename: string, extension: string, limits: DocumentLimits): Promise<Buffer> {
  const soffice = findTool('soffice') ?? findTool('libreoffice');
  if (!soffice) {
    throw new DocumentError(
      'TOOL_MISSING',
      filename,
      `读取 .doc/.wps 需要 LibreOffice：apt-get install libreoffice-writer-nogui；或在 Word/WPS 中另存为 .docx 或 PDF 后再导入 / reading .doc and .wps needs LibreOffice (apt-get install libreoffice-writer-nogui); or save the file as .docx or PDF in Word/WPS and import that`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-soffice-'));
  try {
    const input = path.join(dir, `in.${extension}`);
    fs.writeFileSync(input, bytes);
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    await runTool(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, input], {
      filename,
      timeoutMs: limits.convertTimeoutMs,
      what: 'LibreOffice conversion',
      cwd: dir,
    });
    const output = path.join(dir, 'in.docx');
    if (!fs.existsSync(output)) throw new DocumentError('CORRUPT', filename, 'LibreOffice 无法转换此文件（可能已损坏）/ LibreOffice could not convert the file (it may be corrupt)');
    return fs.readFileSync(output);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
