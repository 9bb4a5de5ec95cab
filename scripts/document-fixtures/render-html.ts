/**
 * Test material: a corpus report (page text) rendered as the HTML an office would type it into
 * Word or WPS from — its prose as paragraphs and its three tables in the national template's
 * printed layout (merged headers, labels spanning rows, narrow applicant columns whose headers
 * wrap one character per line), holding exactly the values the text parser reads from the text.
 * make-document-fixtures.sh turns these pages into .docx, .doc, .pdf (LibreOffice, Chromium) and a
 * 150 dpi scan. Run: node dist/scripts/document-fixtures/render-html.js OUT_DIR CORPUS.txt…
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseReport } from '../../src/ingest/parser';
import {
  APPLICANT_TYPE_DEFS,
  APPLICATION_GROUP_LABELS,
  APPLICATION_ROW_DEFS,
  PROACTIVE_ITEM_DEFS,
  PROACTIVE_MEASURE_DEFS,
  REVIEW_GROUPS,
  REVIEW_OUTCOME_DEFS,
  type TemplateFormat,
} from '../../src/metrics/template';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
type Values = Record<string, number>;
const v = (values: Values, key: string) => (key in values ? String(values[key]) : '');
const td = (text: string, attrs = '') => `<td${attrs}>${esc(text)}</td>`;

function proactiveTable(format: TemplateFormat, values: Values): string {
  const rows: string[] = [];
  const clauses = [...new Set(PROACTIVE_ITEM_DEFS.map((i) => i.clause))];
  for (const clause of clauses) {
    const items = PROACTIVE_ITEM_DEFS.filter((i) => i.clause === clause && i.labelByFormat[format] && i.measures[format].length > 0);
    if (items.length === 0) continue;
    const measures = items[0]!.measures[format];
    rows.push(`<tr>${td(`第二十条第${clause}项`, ' colspan="4" align="center"')}</tr>`);
    const span = (i: number) => (i === measures.length - 1 && measures.length < 3 ? ` colspan="${4 - measures.length}"` : '');
    rows.push(`<tr>${td('信息内容', ' width="28%"')}${measures.map((m, i) => td(PROACTIVE_MEASURE_DEFS.find((d) => d.key === m)!.label.zh, span(i))).join('')}</tr>`);
    for (const item of items) {
      rows.push(`<tr>${td(item.labelByFormat[format]!)}${measures.map((m, i) => td(v(values, `proactive.${item.key}.${m}`), span(i))).join('')}</tr>`);
    }
  }
  return `<table border="1" cellspacing="0" cellpadding="4" width="100%">\n${rows.join('\n')}\n</table>`;
}

function applicationsTable(format: TemplateFormat, values: Values): string {
  const applicants = APPLICANT_TYPE_DEFS;
  const cells = (row: string) => applicants.map((a) => td(v(values, `applications.${row}.${a.key}`), ' width="6%" align="center"')).join('');
  const defs = APPLICATION_ROW_DEFS.filter((r) => r.formats.includes(format));
  const hasOtherParts = defs.some((r) => r.group === 'other');
  const resultRows = defs.filter((r) => r.result && !(r.key === 'other' && hasOtherParts));
  const rows: string[] = [
    `<tr>${td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', ' colspan="3" rowspan="3" width="52%"')}${td('申请人情况', ' colspan="7" align="center"')}</tr>`,
    `<tr>${td('自然人', ' rowspan="2" width="6%"')}${td('法人或其他组织', ' colspan="5" align="center"')}${td('总计', ' rowspan="2" width="6%"')}</tr>`,
    `<tr>${applicants.filter((a) => a.group).map((a) => td(a.label.zh, ' width="6%"')).join('')}</tr>`,
  ];
  const labelRow = (key: string) => defs.find((r) => r.key === key)!;
  rows.push(`<tr>${td(labelRow('received').label.zh, ' colspan="3"')}${cells('received')}</tr>`);
  rows.push(`<tr>${td(labelRow('carried_over').label.zh, ' colspan="3"')}${cells('carried_over')}</tr>`);
  const resultCount = resultRows.length + 1; // and （七）总计
  let first = true;
  const lead = () => {
    const cell = first ? td('三、本年度办理结果', ` rowspan="${resultCount}" width="8%"`) : '';
    first = false;
    return cell;
  };
  let group: string | undefined;
  for (const row of resultRows) {
    if (!row.group) {
      rows.push(`<tr>${lead()}${td(row.label.zh, ' colspan="2"')}${cells(row.key)}</tr>`);
      continue;
    }
    const head = row.group !== group ? td(`${APPLICATION_GROUP_LABELS[row.group].numeral}${APPLICATION_GROUP_LABELS[row.group].zh}`, ` rowspan="${resultRows.filter((r) => r.group === row.group).length}" width="10%"`) : '';
    group = row.group;
    rows.push(`<tr>${lead()}${head}${td(row.label.zh)}${cells(row.key)}</tr>`);
  }
  rows.push(`<tr>${td(labelRow('results_total').label.zh, ' colspan="2"')}${cells('results_total')}</tr>`);
  rows.push(`<tr>${td(labelRow('carried_forward').label.zh, ' colspan="3"')}${cells('carried_forward')}</tr>`);
  return `<table border="1" cellspacing="0" cellpadding="3" width="100%">\n${rows.join('\n')}\n</table>`;
}

function reviewsTable(values: Values): string {
  const outcomes = REVIEW_OUTCOME_DEFS;
  const rows = [
    `<tr>${td('行政复议', ' colspan="5" align="center"')}${td('行政诉讼', ' colspan="10" align="center"')}</tr>`,
    `<tr>${outcomes.map((o) => td(o.label.zh, ' rowspan="2"')).join('')}${td('未经复议直接起诉', ' colspan="5" align="center"')}${td('复议后起诉', ' colspan="5" align="center"')}</tr>`,
    `<tr>${[...outcomes, ...outcomes].map((o) => td(o.label.zh)).join('')}</tr>`,
    `<tr>${REVIEW_GROUPS.flatMap((g) => outcomes.map((o) => td(v(values, `${g}.${o.key}`), ' align="center"'))).join('')}</tr>`,
  ];
  return `<table border="1" cellspacing="0" cellpadding="3" width="100%">\n${rows.join('\n')}\n</table>`;
}

const HEADING = /^\s*([一二三四五六])、(?:总体情况|主动公开|收到和处理|政府信息公开行政复议|存在的?主要问题|其他需要报告)/;

export function renderReportHtml(text: string, filename: string, only?: '三'): string {
  const result = parseReport(text, { filename });
  if (!result.ok) throw new Error(`${filename}: ${result.error.message}`);
  const report = result.report;
  const values = report.metrics;
  const lines = text.split('\n').map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim());
  const out: string[] = [];
  let section: string | null = null;
  const tablesDone = new Set<string>();
  for (const line of lines) {
    const m = HEADING.exec(line);
    if (m && line.length < 40) section = m[1]!;
    const inTableSection = section === '二' || section === '三' || section === '四';
    if (only && section !== only) continue;
    if (inTableSection) {
      if (m) {
        out.push(`<p><b>${esc(line)}</b></p>`);
        if (!tablesDone.has(section!)) {
          tablesDone.add(section!);
          out.push(section === '二' ? proactiveTable(report.templateFormat, values) : section === '三' ? applicationsTable(report.templateFormat, values) : reviewsTable(values));
        }
      }
      continue; // the table's own text is replaced by the rebuilt table
    }
    if (line === '') continue;
    const isTitle = report.title !== null && line === report.title.trim();
    out.push(isTitle ? `<h1 style="text-align:center;font-size:18pt">${esc(line)}</h1>` : `<p style="text-indent:2em">${esc(line)}</p>`);
  }
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(report.title ?? filename)}</title>
<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", SimSun, serif; font-size: 10.5pt; line-height: 1.5; }
table { border-collapse: collapse; font-size: 9pt; }
td { border: 1px solid #000; padding: 2pt; vertical-align: middle; }
p { margin: 0 0 4pt 0; }
</style></head><body>
${out.join('\n')}
</body></html>
`;
}

if (require.main === module) {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) {
    console.error('usage: render-html OUT_DIR CORPUS.txt… (a file name ending in :三 renders only section 三)');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const arg of files) {
    const [file, only] = arg.split(':');
    const base = path.basename(file!, '.txt') + (only ? '.table3' : '');
    const html = renderReportHtml(fs.readFileSync(file!, 'utf8'), path.basename(file!), only === '三' ? '三' : undefined);
    fs.writeFileSync(path.join(outDir, `${base}.html`), html);
    console.log(path.join(outDir, `${base}.html`));
  }
}
