/** 勾稽关系 problems per office, each linking to the report's numbers. */
import { request } from '../api';
import { loadDistrictYear, type DistrictYear } from '../district';
import { formatNumber, h } from '../dom';
import { OfficeReportDocument, type OfficeReportQuery } from '../generated/graphql';
import { Panel, renderTable, type PanelContent } from '../panel';

export function findingsPanel(): Panel {
  return new Panel('findings', '勾稽关系问题', 'Consistency findings');
}

export function reportPanel(): Panel {
  const panel = new Panel('report', '报告数值', "The report's numbers");
  panel.element.hidden = true;
  return panel;
}

export async function showFindings(panel: Panel, district: string, year: number, openReport: (code: string, highlight: string[]) => void): Promise<void> {
  await panel.load(['勾稽关系问题', 'findings'], () => loadDistrictYear(district, year), (data) => present(data, year, openReport));
}

function present(data: DistrictYear, year: number, openReport: (code: string, highlight: string[]) => void): PanelContent | { empty: string } {
  const filed = data.offices.filter((o) => o.report);
  if (filed.length === 0) return { empty: `${year}年没有已公布的报告 / No reports for ${year}` };
  const rows = filed.flatMap((o) =>
    o.report!.findings.map((f) => {
      const link = h('button', { type: 'button', class: 'link' }, '查看数值 / numbers');
      link.addEventListener('click', () => openReport(o.code, [...f.leftKeys, ...f.rightKeys]));
      return [o.name, f.code, f.message, f.scope, formatNumber(f.left), formatNumber(f.right), formatNumber(f.difference), link];
    }),
  );
  const clean = filed.filter((o) => o.report!.findings.length === 0);
  const reportLinks = h(
    'ul',
    { class: 'report-links' },
    filed.map((o) => {
      const open = h('button', { type: 'button', class: 'link', 'data-report': o.code }, `${o.name}：${o.report!.findings.length ? `${o.report!.findings.length} 个问题` : '未发现问题 / no findings'}`);
      open.addEventListener('click', () => openReport(o.code, []));
      return h('li', {}, open, o.report!.sourceUrl ? h('a', { href: o.report!.sourceUrl, target: '_blank', rel: 'noopener noreferrer' }, ' 原文 / source') : null);
    }),
  );
  const table = {
    caption: `${year}年 勾稽关系检查 / Consistency checks`,
    columns: ['机关 / Office', '规则 / Rule', '问题 / Finding', '范围 / Scope', '左 / Left', '右 / Right', '差 / Difference', ''],
    rows,
  };
  return {
    table,
    notes: clean.length ? [`${clean.length} 份报告未发现勾稽关系问题 / reports without findings: ${clean.map((o) => o.name).join('、')}`] : [],
    always: reportLinks,
  };
}

export async function showReport(panel: Panel, code: string, year: number, highlight: readonly string[]): Promise<void> {
  panel.element.hidden = false;
  await panel.load(['报告数值', 'report'],
    () => request(OfficeReportDocument, { code, year }),
    (data: OfficeReportQuery) => {
      const report = data.report;
      if (!report) return { empty: `${code} 没有${year}年报告 / no report for ${year}` };
      const marked = new Set(highlight);
      const table = renderTable(
        {
          caption: `${report.title ?? report.office.name}（${report.templateFormat === 'FORMAT_2021' ? '2021版' : '2019版'}格式）`,
          columns: ['指标 / Metric', '键 / Key', '数值 / Value'],
          rows: report.metrics.map((m) => [m.label, m.key, formatNumber(m.value, m.approximate)]),
        },
        'report-table',
      );
      table.querySelectorAll('tbody tr').forEach((row, i) => {
        if (marked.has(report.metrics[i]!.key)) row.classList.add('highlight');
      });
      return { table: { columns: [], rows: [] }, always: table, notes: report.findings.map((f) => `${f.code}：${f.message}`) };
    },
  );
  panel.element.scrollIntoView({ behavior: 'auto', block: 'start' });
}
