/** 勾稽关系 problems per office, each linking to the report's numbers. */
import { request } from '../api';
import { loadDistrictReports, type DistrictReports } from '../district';
import { categoryLayout } from '../charts';
import { formatNumber, h } from '../dom';
import { exportDownloads, withDownloads } from '../download';
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
  await panel.load(['勾稽关系问题', 'findings'], () => loadDistrictReports(district, year), (data) =>
    withDownloads(present(data, year, openReport), exportDownloads('findings', 'district-reports', { under: district, year, table: 'findings' }, `辖区年报-${district}-${year}-问题清单`)),
  );
}

function present(data: DistrictReports, year: number, openReport: (code: string, highlight: string[]) => void): PanelContent | { empty: string } {
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
  // Each office's report is one click away, in a paged table (not a list as long as the district).
  const reportLinks = renderTable(
    {
      caption: '各机关报告 / Reports, by office',
      columns: ['机关 / Office', '勾稽问题 / Findings', '报告 / Report', '原文 / Source'],
      rows: filed.map((o) => {
        const open = h('button', { type: 'button', class: 'link', 'data-report': o.code }, `${o.name}：${o.report!.findings.length ? `${o.report!.findings.length} 个问题` : '未发现问题 / no findings'}`);
        open.addEventListener('click', () => openReport(o.code, []));
        return [o.name, o.report!.findings.length, open, o.report!.sourceUrl ? h('a', { href: o.report!.sourceUrl, target: '_blank', rel: 'noopener noreferrer' }, '原文 / source') : '—'];
      }),
    },
    'findings-reports',
  );
  const byRule = new Map<string, number>();
  for (const o of filed) for (const f of o.report!.findings) byRule.set(f.code, (byRule.get(f.code) ?? 0) + 1);
  const rules = [...byRule.entries()].sort((a, b) => b[1] - a[1]);
  const layout = categoryLayout(rules.length, 28, 70);
  const table = {
    caption: `${year}年 勾稽关系检查 / Consistency checks`,
    columns: ['机关 / Office', '规则 / Rule', '问题 / Finding', '范围 / Scope', '左 / Left', '右 / Right', '差 / Difference', ''],
    rows,
  };
  return {
    // How often each rule fails across the district: the district's common problems at a glance.
    chart: rules.length === 0 ? undefined : {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, name: '报告数 / reports' },
      yAxis: { type: 'category', data: rules.map(([code]) => code), inverse: true, name: '规则 / rule' },
      dataZoom: layout.dataZoom,
      series: [{ type: 'bar', name: '出现次数 / occurrences', data: rules.map(([, n]) => n), barMaxWidth: 24, label: { show: true, position: 'right' } }],
    },
    chartHeight: layout.height,
    table,
    notes: [
      `${filed.length} 份报告，${filed.length - clean.length} 份有勾稽关系问题，${clean.length} 份未发现问题 / ${filed.length} reports, ${filed.length - clean.length} with findings, ${clean.length} without`,
    ],
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
        { paged: false },
      );
      table.querySelectorAll('tbody tr').forEach((row, i) => {
        if (marked.has(report.metrics[i]!.key)) row.classList.add('highlight');
      });
      // The report's tables as the report query lays them out: all four in the workbook, table 3 as CSV.
      const downloads = [
        exportDownloads('report', 'report-table', { officeCode: code, year }, `${report.office.name}-${year}`)[0]!,
        exportDownloads('report', 'report-table', { officeCode: code, year, table: 'applications' }, `${report.office.name}-${year}-申请办理`)[1]!,
      ];
      return { table: { columns: [], rows: [] }, always: table, notes: report.findings.map((f) => `${f.code}：${f.message}`), downloads };
    },
  );
  panel.element.scrollIntoView({ behavior: 'auto', block: 'start' });
}
