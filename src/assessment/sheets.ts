/**
 * The workbook's sheets, defined once for XLSX, CSV and JSON: headers (Chinese, with English
 * beside) generated from the template definition, rows produced batch by batch so that a
 * district of any size is written without holding it in memory.
 */
import { STORED_METRIC_KEYS, metricDefinition } from '../metrics/catalog';
import { FINDING_CODE_LABELS, type FindingCode } from '../metrics/consistency';
import { APPLICANT_TYPE_DEFS, APPLICATION_GROUP_LABELS, APPLICATION_ROW_DEFS, CHANNEL_KIND_DEFS, type TemplateFormat } from '../metrics/template';
import { OFFICE_KIND_LABELS, type OfficeKindKey } from '../offices/office-kind';
import type { Office } from '../offices/office.entity';
import type { AssessedOffice, AssessmentService } from './assessment.service';

/** A finding's resolution in the 问题清单 sheet: only open ones are deducted. */
const RESOLUTION_LABELS: Readonly<Record<string, string>> = {
  open: '待处理 / open',
  'accepted-as-published': '按原文记录 / accepted as published',
  'fixed-by-correction': '已更正 / fixed by correction',
};
import { CRITERIA, CRITERION_LABELS } from './rubric';
import { metricKey } from '../metrics/metric-key';

export type Cell = string | number | boolean | null;

export interface Column {
  readonly zh: string;
  readonly en: string;
  /** Width in characters, CJK counted double. */
  readonly width: number;
  /** Excel number format where the value is not shown as it is stored (shares as percentages). */
  readonly numFmt?: string;
  /** What the column means, for the workbook's legend sheet. */
  readonly note?: string;
}

export interface Sheet {
  readonly key: string;
  readonly name: string;
  readonly nameEn: string;
  readonly columns: readonly Column[];
  rows(service: AssessmentService, root: Office, year: number): AsyncGenerator<Cell[]>;
}

const displayWidth = (text: string) => Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
const col = (zh: string, en: string, min = 8): Column => ({ zh, en, width: Math.min(60, Math.max(min, displayWidth(zh) + 2, Math.ceil(en.length * 0.9) + 2)) });
const percent = (column: Column, numFmt = '0%', note?: string): Column => ({ ...column, numFmt, note });
const officeColumns = [col('机关编码', 'Office code', 14), col('机关名称', 'Office', 24)];
const kindLabel = (kind: string) => OFFICE_KIND_LABELS[kind as OfficeKindKey]?.zh ?? kind;
const yesNo = (v: boolean | null) => (v === null ? null : v ? '是' : '否');
const ids = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');

/** Reports of each batch of the district, assessed, in office code order. */
async function* filed(service: AssessmentService, root: Office, year: number): AsyncGenerator<AssessedOffice[]> {
  for await (const batch of service.assessedBatches(root, year)) yield batch.filter((a) => a.reportId !== null);
}

async function valuesOf(service: AssessmentService, reportIds: number[]): Promise<Map<number, Map<string, number>>> {
  const out = new Map<number, Map<string, number>>();
  if (reportIds.length === 0) return out;
  const rows: { reportId: number; metricKey: string; value: number }[] = await service.query(
    `SELECT reportId, metricKey, value FROM metric_values WHERE reportId IN (${ids(reportIds)})`,
    reportIds,
  );
  for (const r of rows) {
    const m = out.get(Number(r.reportId)) ?? new Map<string, number>();
    m.set(r.metricKey, Number(r.value));
    out.set(Number(r.reportId), m);
  }
  return out;
}

const PROACTIVE_KEYS = STORED_METRIC_KEYS.filter((k) => metricDefinition(k)!.table === 'proactive' || k === 'proactive.items_total');
const REVIEW_KEYS = STORED_METRIC_KEYS.filter((k) => metricDefinition(k)!.table === 'reviews');

export const SHEETS: readonly Sheet[] = [
  {
    key: 'summary',
    name: '汇总',
    nameEn: 'Summary',
    columns: [
      { ...col('排名', 'Rank', 6), note: '按总分从高到低，同分并列（1、1、3）；未报送按0分计 / By score, ties share a rank (1, 1, 3); offices that filed nothing score 0' },
      ...officeColumns,
      col('机关类型', 'Kind'),
      col('是否报送', 'Filed'),
      col('发布日期', 'Published', 12),
      col('是否按期', 'On time'),
      col('格式', 'Template'),
      percent(col('完整度', 'Completeness'), '0%', '六部分填写程度 / How much of the six parts is filled'),
      col('勾稽问题数', 'Findings'),
      percent(col('与上年重复比例', 'Repeated from last year'), '0.0%', '与上年报告逐字相同的文字比例 / Share of the text repeating last year’s report'),
      ...CRITERIA.map((c) => col(`${CRITERION_LABELS[c].zh}得分`, `${CRITERION_LABELS[c].en} (points)`)),
      col('总分', 'Score'),
    ],
    async *rows(service, root, year) {
      // A rank needs every score first; the rows of this sheet are small (numbers and short texts).
      const rows: { score: number; cells: Cell[] }[] = [];
      for await (const batch of service.assessedBatches(root, year)) {
        for (const a of batch) {
          rows.push({ score: a.assessment.score, cells: [
            a.office.code,
            a.office.name,
            kindLabel(a.office.kind),
            yesNo(a.reportId !== null),
            a.publishedAt,
            yesNo(a.assessment.onTime),
            a.templateFormat,
            a.reportId === null ? null : a.assessment.completeness,
            a.reportId === null ? null : a.assessment.findingCount,
            a.repeatedShare === null ? null : Math.round(a.repeatedShare * 1000) / 1000,
            ...a.assessment.breakdown.map((b) => b.points),
            a.assessment.score,
          ] });
        }
      }
      const rankOf = new Map<number, number>();
      rows.map((r) => r.score).sort((x, y) => y - x).forEach((score, i) => {
        if (!rankOf.has(score)) rankOf.set(score, i + 1);
      });
      for (const row of rows) yield [rankOf.get(row.score)!, ...row.cells];
    },
  },
  {
    key: 'proactive',
    name: '主动公开',
    nameEn: 'Proactive disclosure',
    columns: [...officeColumns, col('格式', 'Template'), ...PROACTIVE_KEYS.map((k) => col(metricDefinition(k)!.label.zh, metricDefinition(k)!.label.en, 12))],
    async *rows(service, root, year) {
      for await (const batch of filed(service, root, year)) {
        const values = await valuesOf(service, batch.map((a) => a.reportId!));
        for (const a of batch) yield [a.office.code, a.office.name, a.templateFormat, ...PROACTIVE_KEYS.map((k) => values.get(a.reportId!)?.get(k) ?? null)];
      }
    },
  },
  {
    key: 'applications',
    name: '申请办理',
    nameEn: 'Applications',
    columns: [...officeColumns, col('格式', 'Template'), col('项目', 'Row', 40), ...APPLICANT_TYPE_DEFS.map((a) => col(a.label.zh, a.label.en, 10))],
    async *rows(service, root, year) {
      for await (const batch of filed(service, root, year)) {
        const values = await valuesOf(service, batch.map((a) => a.reportId!));
        for (const a of batch) {
          for (const row of APPLICATION_ROW_DEFS.filter((r) => r.formats.includes(a.templateFormat as TemplateFormat))) {
            const label = row.group ? `${APPLICATION_GROUP_LABELS[row.group].numeral}${APPLICATION_GROUP_LABELS[row.group].zh} ${row.label.zh}` : row.label.zh;
            yield [a.office.code, a.office.name, a.templateFormat, label, ...APPLICANT_TYPE_DEFS.map((ap) => values.get(a.reportId!)?.get(metricKey('applications', row.key, ap.key)) ?? null)];
          }
        }
      }
    },
  },
  {
    key: 'reviews',
    name: '复议诉讼',
    nameEn: 'Reconsideration and litigation',
    columns: [...officeColumns, ...REVIEW_KEYS.map((k) => col(metricDefinition(k)!.label.zh, metricDefinition(k)!.label.en, 12))],
    async *rows(service, root, year) {
      for await (const batch of filed(service, root, year)) {
        const values = await valuesOf(service, batch.map((a) => a.reportId!));
        for (const a of batch) yield [a.office.code, a.office.name, ...REVIEW_KEYS.map((k) => values.get(a.reportId!)?.get(k) ?? null)];
      }
    },
  },
  {
    key: 'channels',
    name: '公开渠道',
    nameEn: 'Channels',
    columns: [...officeColumns, col('渠道类型', 'Channel kind', 12), col('账号名称', 'Account', 16), col('发布信息条数', 'Items'), col('设备数量', 'Devices'), col('查询/服务次数', 'Queries'), col('约数', 'Approximate'), col('上年发布条数', 'Items last year'), col('增减', 'Change')],
    async *rows(service, root, year) {
      for await (const batch of service.officeBatches(root)) {
        const officeIds = batch.map((o) => o.id);
        const rows: Record<string, unknown>[] = await service.query(
          `SELECT r.officeId AS officeId, r.year AS year, c.id AS channelId, c.kind AS kind, c.name AS name, ca.items AS items, ca.devices AS devices, ca.queries AS queries, ca.approximate AS approximate
           FROM channel_activities ca JOIN annual_reports r ON r.id = ca.reportId JOIN disclosure_channels c ON c.id = ca.channelId
           WHERE r.officeId IN (${ids(officeIds)}) AND r.year IN (?, ?) ORDER BY c.kind, c.name`,
          [...officeIds, year, year - 1],
        );
        const previous = new Map(rows.filter((r) => Number(r.year) === year - 1).map((r) => [Number(r.channelId), r.items === null ? null : Number(r.items)]));
        const byOffice = new Map<number, Record<string, unknown>[]>();
        for (const r of rows.filter((x) => Number(x.year) === year)) byOffice.set(Number(r.officeId), [...(byOffice.get(Number(r.officeId)) ?? []), r]);
        for (const office of batch) {
          for (const r of byOffice.get(office.id) ?? []) {
            const items = r.items === null ? null : Number(r.items);
            const before = previous.get(Number(r.channelId)) ?? null;
            const kind = CHANNEL_KIND_DEFS.find((d) => d.key === r.kind);
            yield [office.code, office.name, kind?.label.zh ?? String(r.kind), (r.name as string) || null, items, r.devices === null ? null : Number(r.devices), r.queries === null ? null : Number(r.queries), yesNo(Boolean(Number(r.approximate))), before, items !== null && before !== null ? items - before : null];
          }
        }
      }
    },
  },
  {
    key: 'findings',
    name: '问题清单',
    nameEn: 'Findings',
    columns: [...officeColumns, col('规则', 'Rule', 14), col('规则说明', 'Rule description', 40), col('范围', 'Scope', 16), col('左侧指标', 'Left side', 40), col('左侧数值', 'Left'), col('右侧指标', 'Right side', 40), col('右侧数值', 'Right'), col('差额', 'Difference'), col('处理', 'Resolution', 24)],
    async *rows(service, root, year) {
      for await (const batch of filed(service, root, year)) {
        const reportIds = batch.map((a) => a.reportId!);
        // `IN ()` is a syntax error on MySQL/MariaDB: a district with no reports has no findings.
        if (reportIds.length === 0) continue;
        const rows: Record<string, unknown>[] = await service.query(
          `SELECT reportId, code, scope, leftKeys, rightKeys, left_value, right_value, difference, resolution FROM report_findings WHERE reportId IN (${ids(reportIds)}) ORDER BY reportId, id`,
          reportIds,
        );
        const byReport = new Map<number, Record<string, unknown>[]>();
        for (const r of rows) byReport.set(Number(r.reportId), [...(byReport.get(Number(r.reportId)) ?? []), r]);
        for (const a of batch) {
          for (const f of byReport.get(a.reportId!) ?? []) {
            const label = FINDING_CODE_LABELS[f.code as FindingCode];
            yield [a.office.code, a.office.name, String(f.code), label ? `${label.zh} / ${label.en}` : null, String(f.scope), (JSON.parse(String(f.leftKeys)) as string[]).join(' + '), Number(f.left_value), (JSON.parse(String(f.rightKeys)) as string[]).join(' + '), Number(f.right_value), Number(f.difference), RESOLUTION_LABELS[String(f.resolution)] ?? RESOLUTION_LABELS.open!];
          }
        }
      }
    },
  },
  {
    key: 'missing',
    name: '未报送',
    nameEn: 'Not filed',
    columns: [...officeColumns, col('机关类型', 'Kind'), col('地区', 'Region', 16)],
    async *rows(service, root, year) {
      for await (const batch of service.assessedBatches(root, year)) {
        for (const a of batch) if (a.reportId === null) yield [a.office.code, a.office.name, kindLabel(a.office.kind), a.office.region];
      }
    },
  },
];

export function sheetByKey(key: string): Sheet | undefined {
  return SHEETS.find((s) => s.key === key || s.name === key);
}
