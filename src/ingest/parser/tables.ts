/**
 * Tables 二, 三 and 四, read from their cells with the rows and columns of the template definition
 * (metrics/template.ts). Which format the tables follow is read from their labels, never assumed
 * from the year: some offices fill the 2019 template in later years.
 */
import {
  APPLICANT_TYPES,
  APPLICATION_GROUP_LABELS,
  APPLICATION_ROW_DEFS,
  PROACTIVE_ITEM_DEFS,
  REVIEW_GROUPS,
  REVIEW_OUTCOMES,
  type TemplateFormat,
} from '../../metrics/template';
import type { Cell } from './cells';
import { compactLabel } from './normalize';
import { readRows, type RowReading, type RowSpec } from './rows';
import type { ParseWarning, TableName } from './types';

/** Header and row labels only one format prints. */
const FORMAT_MARKS: Readonly<Record<TemplateFormat, readonly string[]>> = {
  '2019': ['本年新制作', '本年新公开', '对外公开总数', '上一年项目', '本年增减', '其他对外管理服务', '采购项目', '采购总金额', '政府集中采购', '本年新'],
  '2021': ['本年制发', '制发件数', '本年发件', '本年废止', '废止件数', '现行有效', '本年收费金额', '本年处理决定', '逾期不补正', '缴纳费用'],
};

/** The format the tables' labels point to, or null when they name neither. */
export function detectFormat(cells: readonly Cell[]): TemplateFormat | null {
  const labels = cells.filter((c) => c.kind === 'text').map((c) => compactLabel(c.text));
  const score = (format: TemplateFormat) => labels.filter((l) => FORMAT_MARKS[format].some((m) => l.includes(m))).length;
  const a = score('2019');
  const b = score('2021');
  if (a === 0 && b === 0) return null;
  return b > a ? '2021' : '2019';
}

export interface TableValue {
  readonly key: string;
  readonly value: number;
  readonly approximate: boolean;
}

export interface TableReading {
  readonly values: TableValue[];
  readonly warnings: ParseWarning[];
  readonly cut: boolean;
  /** Rows read (for "the text ends after row …" messages). */
  readonly lastRow: string | null;
  readonly rowsRead: number;
}

function valuesOf(reading: RowReading, keyOf: (rowKey: string, column: number) => string): TableReading {
  const values: TableValue[] = [];
  for (const row of reading.rows) {
    row.cells.forEach((cell, column) => {
      if (cell.kind === 'value' && cell.value !== undefined) values.push({ key: keyOf(row.spec.key, column), value: cell.value, approximate: cell.approximate === true });
    });
  }
  const last = reading.rows[reading.rows.length - 1];
  return { values, warnings: reading.warnings, cut: reading.cut, lastRow: last ? last.spec.names[0]! : null, rowsRead: reading.rows.length };
}

export function proactiveSpecs(format: TemplateFormat): RowSpec[] {
  return PROACTIVE_ITEM_DEFS.filter((item) => item.measures[format].length > 0).map((item) => ({
    key: item.key,
    names: [item.labelByFormat[format] ?? item.label.zh, item.label.zh, ...item.aliases],
    width: item.measures[format].length,
  }));
}

export function readProactive(cells: readonly Cell[], format: TemplateFormat): TableReading {
  const measures = new Map(PROACTIVE_ITEM_DEFS.map((item) => [item.key, item.measures[format]]));
  const reading = readRows(cells, proactiveSpecs(format), { table: '二', unlabeledByPosition: true, window: 2 });
  return valuesOf(reading, (item, column) => `proactive.${item}.${measures.get(item as never)![column]}`);
}

export function applicationSpecs(format: TemplateFormat): RowSpec[] {
  return APPLICATION_ROW_DEFS.filter((row) => row.formats.includes(format)).map((row) => {
    const group = row.group ? APPLICATION_GROUP_LABELS[row.group] : undefined;
    const names = [row.label.zh, ...row.aliases];
    if (group) names.push(`${group.zh}${row.label.zh}`);
    return { key: row.key, names, width: APPLICANT_TYPES.length };
  });
}

export function readApplications(cells: readonly Cell[], format: TemplateFormat): TableReading {
  const reading = readRows(cells, applicationSpecs(format), { table: '三', window: 3 });
  return valuesOf(reading, (row, column) => `applications.${row}.${APPLICANT_TYPES[column]}`);
}

const REVIEW_KEYS = REVIEW_GROUPS.flatMap((g) => REVIEW_OUTCOMES.map((o) => `${g}.${o}`));

/** Table 四 has one row of 15 numbers under a two-level header: the cells after the last label. */
export function readReviews(cells: readonly Cell[]): TableReading {
  let lastText = -1;
  cells.forEach((c, i) => {
    if (c.kind === 'text') lastText = i;
  });
  const hasHeader = cells.some((c) => c.kind === 'text' && /复议|诉讼|维持|纠正/.test(c.text));
  const after = cells.slice(lastText + 1);
  const warnings: ParseWarning[] = [];
  if (!hasHeader && after.every((c) => c.kind !== 'value')) return { values: [], warnings, cut: false, lastRow: null, rowsRead: 0 };
  // Leading blanks under a merged header cell are not data when more than 15 cells follow.
  const data = after.length > REVIEW_KEYS.length ? after.slice(after.length - REVIEW_KEYS.length) : after;
  const last = data[data.length - 1];
  if (data.length < REVIEW_KEYS.length || last?.atEnd) {
    if (data.some((c) => c.kind === 'value') || last?.atEnd) {
      warnings.push({ code: 'ROW_CUT', message: `原文在表四数据行中断（读到${data.length}/${REVIEW_KEYS.length}格），未采用 / the text ends inside table 四 (${data.length} of ${REVIEW_KEYS.length} cells); row left out`, table: '四', line: data[0]?.line });
    }
    return { values: [], warnings, cut: true, lastRow: null, rowsRead: 0 };
  }
  const values: TableValue[] = [];
  data.forEach((cell, i) => {
    if (cell.kind === 'value' && cell.value !== undefined) values.push({ key: REVIEW_KEYS[i]!, value: cell.value, approximate: cell.approximate === true });
  });
  return { values, warnings, cut: false, lastRow: '行政复议、行政诉讼', rowsRead: 1 };
}

export const TABLE_OF_SECTION: Readonly<Record<'二' | '三' | '四', TableName>> = { 二: '二', 三: '三', 四: '四' };
