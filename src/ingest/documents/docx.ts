/**
 * Word .docx: the document's own tables (rows, cells, gridSpan and vMerge as colspan and rowspan)
 * and paragraphs, read from word/document.xml, written as the HTML the parser reads.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { DocumentError } from './errors';
import type { DocumentLimits } from './limits';
import { readZipEntries } from './zip';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const isElement = (node: AnyNode): node is Element => node.type === 'tag';
const childrenNamed = (el: Element, name: string) => el.children.filter((c): c is Element => isElement(c) && c.name === name);
const firstNamed = (el: Element, name: string) => childrenNamed(el, name)[0];

/** The text of a paragraph (or anything holding runs): w:t, tabs and breaks; deleted text (w:delText) is left out. */
function textOf(node: AnyNode): string {
  if (!isElement(node)) return '';
  switch (node.name) {
    case 'w:t':
      return node.children.map((c) => ('data' in c ? String(c.data) : '')).join('');
    case 'w:tab':
      return ' ';
    case 'w:br':
    case 'w:cr':
      return '\n';
    case 'w:del':
    case 'w:instrText':
    case 'w:rPr':
    case 'w:pPr':
      return '';
    default:
      return node.children.map(textOf).join('');
  }
}

const attr = (el: Element | undefined, name: string) => el?.attribs[name];

interface OpenCell {
  text: string;
  colspan: number;
  rowspan: number;
  column: number;
}

function tableHtml(tbl: Element): string {
  const rows: OpenCell[][] = [];
  for (const tr of childrenNamed(tbl, 'w:tr')) {
    const row: OpenCell[] = [];
    const trPr = firstNamed(tr, 'w:trPr');
    let column = Number(attr(trPr && firstNamed(trPr, 'w:gridBefore'), 'w:val') ?? 0) || 0;
    const cells = tr.children.filter(isElement).flatMap((c) => (c.name === 'w:tc' ? [c] : c.name === 'w:sdt' ? childrenNamed(firstNamed(c, 'w:sdtContent') ?? c, 'w:tc') : []));
    for (const tc of cells) {
      const tcPr = firstNamed(tc, 'w:tcPr');
      const span = Math.max(1, Number(attr(tcPr && firstNamed(tcPr, 'w:gridSpan'), 'w:val') ?? 1) || 1);
      const vMerge = tcPr && firstNamed(tcPr, 'w:vMerge');
      const continues = vMerge !== undefined && attr(vMerge, 'w:val') !== 'restart';
      if (continues) {
        // The cell continues the one above at the same grid column: that one spans one more row.
        for (let r = rows.length - 1; r >= 0; r--) {
          const above = rows[r]!.find((c) => c.column === column);
          if (above) {
            above.rowspan += 1;
            break;
          }
        }
      } else {
        const text = tc.children
          .filter(isElement)
          .map((p) => textOf(p).replace(/\s+/g, ' ').trim())
          .filter((t) => t !== '')
          .join('');
        row.push({ text, colspan: span, rowspan: 1, column });
      }
      column += span;
    }
    rows.push(row);
  }
  const body = rows.map(
    (row) => `<tr>${row.map((c) => `<td${c.colspan > 1 ? ` colspan="${c.colspan}"` : ''}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}>${escapeHtml(c.text)}</td>`).join('')}</tr>`,
  );
  return `<table>\n${body.join('\n')}\n</table>`;
}

function blocksHtml(nodes: readonly AnyNode[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (node.name === 'w:p') {
      const text = textOf(node).trim();
      if (text !== '') out.push(`<p>${text.split('\n').map(escapeHtml).join('<br>')}</p>`);
    } else if (node.name === 'w:tbl') out.push(tableHtml(node));
    else if (node.name === 'w:sdt' || node.name === 'w:sdtContent' || node.name === 'w:customXml' || node.name === 'w:ins') out.push(...blocksHtml(node.children));
  }
  return out;
}

export function readDocx(bytes: Buffer, filename: string, limits: DocumentLimits): { html: string } {
  const parts = readZipEntries(bytes, (name) => name === 'word/document.xml', filename, limits.maxUnzippedBytes);
  const xml = parts.get('word/document.xml');
  if (!xml) throw new DocumentError('UNSUPPORTED_FORMAT', filename, 'zip 文件中没有 word/document.xml，不是 Word 文档 / the zip holds no word/document.xml: not a Word (.docx) document');
  const $ = cheerio.load(xml.toString('utf8'), { xml: true });
  const body = $('w\\:body').get(0);
  if (!body) throw new DocumentError('CORRUPT', filename, 'word/document.xml 没有正文 / word/document.xml has no body');
  return { html: `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${blocksHtml(body.children).join('\n')}\n</body></html>\n` };
}
