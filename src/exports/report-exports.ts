/**
 * A report's tables as downloads: one table of one office's report (as the `report` query lays it
 * out), and every report of a district and year with one sheet per table — the sheets of the
 * assessment workbook (src/assessment/sheets.ts), defined once, without the scores.
 */
import type { DataSource } from 'typeorm';
import type { AssessmentService } from '../assessment/assessment.service';
import { sheetByKey } from '../assessment/sheets';
import { ChannelActivity } from '../channels/disclosure-channel.entity';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { MetricValue } from '../metrics/metric-value.entity';
import { CHANNEL_KIND_DEFS, PROACTIVE_ITEM_DEFS, PROACTIVE_MEASURE_DEFS, type TemplateFormat } from '../metrics/template';
import { AnnualReport } from '../reports/annual-report.entity';
import { applicationsTable, proactiveRows, reviewRows, valueMap } from '../reports/report-views';
import type { ExportFormat, ExportPlan } from './analysis-exports';
import type { AnalysisExports } from './analysis-adapter';
import type { ExportParams } from './export-params';
import { column, fromArray, generatedLine, queryLine, type Cell, type Column, type ExportTable } from './export-table';

export const REPORT_TABLES = ['proactive', 'applications', 'reviews', 'channels'] as const;
export type ReportTableKey = (typeof REPORT_TABLES)[number];

const TABLE_NAMES: Record<ReportTableKey, { zh: string; en: string }> = {
  proactive: { zh: '主动公开', en: 'Proactive disclosure' },
  applications: { zh: '申请办理', en: 'Applications' },
  reviews: { zh: '复议诉讼', en: 'Reconsideration and litigation' },
  channels: { zh: '公开渠道', en: 'Channels' },
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** One table of a report laid out as the `report` query's fields lay it out. */
async function reportTable(dataSource: DataSource, report: AnnualReport, table: ReportTableKey): Promise<{ columns: Column[]; rows: Cell[][] }> {
  const format = report.templateFormat as TemplateFormat;
  if (table === 'channels') {
    const activities = await dataSource.getRepository(ChannelActivity).find({ where: { reportId: report.id }, relations: { channel: true }, order: { id: 'ASC' } });
    return {
      columns: [column('渠道类型', 'Channel kind', { min: 12 }), column('账号名称', 'Account', { min: 16 }), column('发布信息条数', 'Items'), column('设备数量', 'Devices'), column('查询/服务次数', 'Queries'), column('约数', 'Approximate')],
      rows: activities.map((a) => [CHANNEL_KIND_DEFS.find((d) => d.key === a.channel!.kind)?.label.zh ?? a.channel!.kind, a.channel!.name || null, num(a.items), num(a.devices), num(a.queries), a.approximate ? '是' : '否']),
    };
  }
  const values = valueMap(await dataSource.getRepository(MetricValue).findBy({ reportId: report.id }));
  if (table === 'proactive') {
    // The measures of the report's format, in template order, as columns; blank where an item has no such measure.
    const measures = PROACTIVE_MEASURE_DEFS.filter((m) => PROACTIVE_ITEM_DEFS.some((i) => i.measures[format].includes(m.key)));
    const rows = proactiveRows(format, values);
    return {
      columns: [column('条款', 'Clause', { min: 16 }), column('信息内容', 'Item', { min: 20 }), ...measures.map((m) => column(m.label.zh, m.label.en, { min: 12 }))],
      rows: rows.map((r) => [r.clause, `${r.label} / ${r.labelEn}`, ...measures.map((m) => num(r.cells.find((c) => c.measure === m.key)?.value))]),
    };
  }
  if (table === 'applications') {
    const t = applicationsTable(format, values);
    return {
      columns: [column('项目', 'Row', { min: 40 }), ...t.columns.map((c) => column(c.group ? `${c.group}·${c.label}` : c.label, c.labelEn, { min: 10 }))],
      rows: t.rows.map((r) => [`${r.label} / ${r.labelEn}`, ...r.values.map(num)]),
    };
  }
  return {
    columns: [column('类别', 'Group', { min: 24 }), column('结果维持', 'Upheld'), column('结果纠正', 'Corrected'), column('其他结果', 'Other'), column('尚未审结', 'Pending'), column('总计', 'Total')],
    rows: reviewRows(values).map((r) => [`${r.label} / ${r.labelEn}`, num(r.upheld), num(r.corrected), num(r.other), num(r.pending), num(r.total)]),
  };
}

/** A table's key, required for CSV (one table per file), optional for XLSX (absent: every table, one sheet each). */
function tableParam<T extends string>(params: ExportParams, tables: readonly T[], format: ExportFormat): T | null {
  const given = params.optionalString('table');
  if (given === null) {
    if (format === 'csv') throw BadUserInputError.of('table', `a CSV file holds one table: give one of ${tables.join(', ')}`);
    return null;
  }
  const table = tables.find((t) => t === given);
  if (!table) throw BadUserInputError.of('table', `must be one of ${tables.join(', ')}, got "${given}"`);
  return table;
}

/** `GET /exports/report-table.(xlsx|csv)?officeCode=&year=[&table=proactive|applications|reviews|channels]` */
export function reportTablePlan(dataSource: DataSource) {
  return async (params: ExportParams, analyses: AnalysisExports, format: ExportFormat): Promise<ExportPlan> => {
    const officeCode = params.string('officeCode');
    const year = params.year('year');
    const only = tableParam(params, REPORT_TABLES, format);
    params.done();
    const office = await analyses.office(officeCode, 'officeCode');
    const report = await dataSource.getRepository(AnnualReport).findOneBy({ officeId: office.id, year });
    if (!report) throw new NotFoundError('report', `${officeCode}/${year}`, `${office.name}（${officeCode}）没有${year}年度报告 / no ${year} report of office "${officeCode}"`, 'year');
    const keys = only ? [only] : [...REPORT_TABLES];
    return {
      analysis: null,
      async document() {
        const tables: ExportTable[] = [];
        for (const key of keys) {
          const { columns, rows } = await reportTable(dataSource, report, key);
          tables.push({ name: TABLE_NAMES[key].zh, nameEn: TABLE_NAMES[key].en, columns, rows: () => fromArray(rows) });
        }
        return {
          heading: `${office.name} · ${year}年度报告${only ? ` · ${TABLE_NAMES[only].zh}` : ''}`,
          lines: [queryLine('report', { officeCode, year }) + ` { ${keys.join(' ')} }`, `格式 Template: ${report.templateFormat}年版 · 空格为报告留空 / empty cells are blank in the report`, generatedLine()],
          fileName: `${office.name}-${year}${only ? `-${TABLE_NAMES[only].zh}` : ''}`,
          asciiName: `report-${officeCode}-${year}${only ? `-${only}` : ''}`.replace(/[^A-Za-z0-9._-]+/g, '_'),
          tables,
        };
      },
    };
  };
}

/** The district's sheets, in this order; `missing` lists the offices that filed nothing. */
const DISTRICT_SHEETS = ['proactive', 'applications', 'reviews', 'channels', 'findings', 'missing'] as const;

/** `GET /exports/district-reports.(xlsx|csv)?under=&year=[&table=…]`: every report of the district, one sheet per table (CSV: the `table` one). */
export function districtReportsPlan(assessment: AssessmentService) {
  return async (params: ExportParams, analyses: AnalysisExports, format: ExportFormat): Promise<ExportPlan> => {
    const under = params.string('under');
    const year = params.year('year');
    const only = tableParam(params, DISTRICT_SHEETS, format);
    params.done();
    const root = await analyses.office(under, 'under');
    return {
      analysis: null,
      async document() {
        const tables: ExportTable[] = DISTRICT_SHEETS.filter((k) => only === null || k === only).map((key) => {
          const sheet = sheetByKey(key)!;
          return { name: sheet.name, nameEn: sheet.nameEn, columns: sheet.columns, frozenColumns: 2, rows: () => sheet.rows(assessment, root, year) };
        });
        return {
          heading: `辖区年报汇编 District reports · ${root.name} · ${year}年度`,
          lines: [
            `范围 Scope: ${root.name}下属各机关，不含${root.name}本级 / the offices under ${root.code}, not ${root.code} itself`,
            '空格为报告留空 / empty cells are blank in the reports',
            generatedLine(),
          ],
          fileName: `辖区年报-${root.name}-${year}${only ? `-${tables[0]!.name}` : ''}`,
          asciiName: `district-reports-${under}-${year}${only ? `-${only}` : ''}`.replace(/[^A-Za-z0-9._-]+/g, '_'),
          tables,
        };
      },
    };
  };
}
