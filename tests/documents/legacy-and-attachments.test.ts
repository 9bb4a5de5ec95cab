/**
 * A legacy .doc converted by LibreOffice, and a saved web page that only links to its attachment
 * (read through the attachment) or carries its tables as pictures beside it (read by OCR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../src/ingest/documents';
import { parseReport } from '../../src/ingest/parser';
import { compareValues, describeWithTool, fixture, textValues } from './support';

function metricsOf(text: string, format: 'text' | 'html'): Record<string, number> {
  const result = parseReport(text, { format, filename: 'x' });
  if (!result.ok) throw new Error(result.error.message);
  return result.report.metrics;
}

describeWithTool('soffice', 'legacy Word (.doc) through LibreOffice', () => {
  it('gives the values of the report text', async () => {
    const report = '2020_weihai-huancui-jingyuan';
    const reading = await readDocument({ bytes: fixture(`${report}.doc`), filename: `${report}.doc` });
    expect(reading.reader).toBe('doc');
    const c = compareValues(textValues(report), metricsOf(reading.text, reading.format));
    expect({ wrong: c.wrong, extra: c.extra, missing: c.missing }).toEqual({ wrong: [], extra: [], missing: [] });
  }, 120000);
});

describe('saved web pages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-saved-page-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a page that is only a link to its attachment is read through the attachment', async () => {
    const report = '2022_hongqiao-zhengwufuwuban';
    fs.mkdirSync(path.join(dir, 'page_files'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'page_files', '年度报告.docx'), fixture(`${report}.docx`));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>年度报告</title></head><body>
      <div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div>
      <h1>区政府政务服务办2022年政府信息公开工作年度报告</h1>
      <p>附件：<a href="page_files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx">年度报告.docx</a></p></body></html>`;
    const reading = await readDocument({ bytes: Buffer.from(html), filename: 'page.html', directory: dir });
    expect(reading.reader).toBe('html-attachment');
    expect(reading.warnings[0]).toMatch(/年度报告\.docx \(docx\)/);
    const c = compareValues(textValues(report), metricsOf(reading.text, reading.format));
    expect({ wrong: c.wrong, extra: c.extra, missing: c.missing }).toEqual({ wrong: [], extra: [], missing: [] });
  });

  it('a link leading out of the page\'s folder is not followed', async () => {
    const inner = path.join(dir, 'inner');
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(dir, 'outside.docx'), fixture('2020_dawuli-zhen.docx'));
    const html = '<html><body><p>附件：<a href="../outside.docx">报告</a></p></body></html>';
    const reading = await readDocument({ bytes: Buffer.from(html), filename: 'page.html', directory: inner });
    expect(reading.reader).toBe('html');
  });
});

describeWithTool('tesseract', 'a saved page whose tables are pictures beside it', () => {
  it('reads the pictures by OCR in place of the images', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-picture-page-'));
    try {
      fs.writeFileSync(path.join(dir, 'table3.png'), fixture('2022_hongqiao-zhengwufuwuban.table3.scan150.png'));
      const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
        <p>区政府政务服务办2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>
        <p><img src="table3.png"></p></body></html>`;
      const reading = await readDocument({ bytes: Buffer.from(html), filename: 'page.html', directory: dir });
      expect(reading).toMatchObject({ reader: 'image-ocr', ocr: true });
      const got = metricsOf(reading.text, 'html');
      expect(got['applications.received.natural_person']).toBe(1);
      expect(got['applications.received.total']).toBe(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180000);
});
