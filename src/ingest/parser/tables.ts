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
  type ProactiveItemKey,
  type TemplateFormat,
} from '../../metrics/template';
import { checkConsistency } from '../../metrics/consistency';
import type { Cell } from './cells';
import { compactLabel } from './normalize';
import { readRows, type ReadRow, type RowReading, type RowSpec } from './rows';
import { applicantRowCheck, cutsOf, reviewRowCheck, type Budget, type Part } from './split';
import type { ParseWarning, ReadingMethod, TableName, ValueSource } from './types';
import { metricKey } from '../../metrics/metric-key';

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
  readonly source: ValueSource;
}

export interface TableReading {
  readonly values: TableValue[];
  readonly warnings: ParseWarning[];
  readonly cut: boolean;
  /** Rows read (for "the text ends after row …" messages). */
  readonly lastRow: string | null;
  readonly rowsRead: number;
}

function sourceOf(cell: { line: number; start: number; end: number }, method: ReadingMethod, table: TableName, row: string, column: number): ValueSource {
  return { line: cell.line, start: cell.start, end: cell.end, method, table, row, column };
}

/** The row's values, each traced to its cell. */
function rowValues(row: ReadRow, table: TableName, keyOf: (rowKey: string, column: number) => string): TableValue[] {
  const values: TableValue[] = [];
  const method: ReadingMethod = row.byPosition ? 'row-by-position' : 'cell';
  row.cells.forEach((cell, column) => {
    if (cell.kind === 'value' && cell.value !== undefined) {
      values.push({ key: keyOf(row.spec.key, column), value: cell.value, approximate: cell.approximate === true, source: sourceOf(cell, method, table, row.spec.key, column) });
    }
  });
  return values;
}

function cutValues(row: ReadRow, cut: readonly Part[], table: TableName, keyOf: (rowKey: string, column: number) => string): TableValue[] {
  const run = row.run!;
  return cut.map((part, column) => ({
    key: keyOf(row.spec.key, column),
    value: part.value,
    approximate: false,
    source: sourceOf({ line: run.line, start: run.start + part.start, end: run.start + part.end }, 'split-by-sums', table, row.spec.key, column),
  }));
}

function ambiguousWarning(table: TableName, row: ReadRow, count: number): ParseWarning {
  const label = row.spec.names[0]!;
  const text = row.run!.text;
  return count === 0
    ? { code: 'RUN_UNSPLIT', message: `表${table}「${label}」的数字连在一起（${text}），无法按${row.spec.width}格拆开，该行未采用 / table ${table} row ${row.spec.key}: the run ${text} cannot be cut into ${row.spec.width} cells; row left out`, line: row.run!.line, table, row: row.spec.key }
    : { code: 'RUN_AMBIGUOUS', message: `表${table}「${label}」的数字连在一起（${text}），有${count}种拆法都成立，该行未采用 / table ${table} row ${row.spec.key}: the run ${text} can be cut ${count} ways; row left out`, line: row.run!.line, table, row: row.spec.key };
}

/** Search steps for cutting all of one table's runs (a real table needs a few thousand). */
const TABLE_STEPS = 60_000;

/** Most combinations of ambiguous rows the column sums are tried on. */
const MAX_COMBINATIONS = 1024;

/**
 * The values of the rows read, runs cut where exactly one cut satisfies the row's own check and,
 * for the rows where several do, the table's consistency rules (column sums): a cut is taken
 * only when every combination that balances agrees on it.
 */
function valuesOf(
  reading: RowReading,
  table: TableName,
  keyOf: (rowKey: string, column: number) => string,
  rowCheck: (values: readonly number[]) => boolean,
  format?: TemplateFormat,
  lastIsSum = false,
): TableReading {
  const budget: Budget = { steps: TABLE_STEPS };
  const values: TableValue[] = [];
  const warnings = [...reading.warnings];
  const open: { row: ReadRow; cuts: Part[][] }[] = [];
  for (const row of reading.rows) {
    if (!row.run) {
      values.push(...rowValues(row, table, keyOf));
      continue;
    }
    const { cuts, complete } = cutsOf(row.run.text, row.spec.width, rowCheck, { lastIsSum: lastIsSum && row.spec.width > 1, budget });
    if (complete && cuts.length === 1) values.push(...cutValues(row, cuts[0]!, table, keyOf));
    else if (complete && cuts.length > 1) open.push({ row, cuts });
    else warnings.push(ambiguousWarning(table, row, complete ? 0 : Infinity));
  }
  if (open.length > 0) {
    const settled = format ? settleByRules(open, values, keyOf, format) : new Map<ReadRow, Part[]>();
    for (const { row, cuts } of open) {
      const cut = settled.get(row);
      if (cut) values.push(...cutValues(row, cut, table, keyOf));
      else warnings.push(ambiguousWarning(table, row, cuts.length));
    }
  }
  const last = reading.rows[reading.rows.length - 1];
  return { values, warnings, cut: reading.cut, lastRow: last ? last.spec.names[0]! : null, rowsRead: reading.rows.length };
}

function settleByRules(
  open: readonly { row: ReadRow; cuts: Part[][] }[],
  fixed: readonly TableValue[],
  keyOf: (rowKey: string, column: number) => string,
  format: TemplateFormat,
): Map<ReadRow, Part[]> {
  const settled = new Map<ReadRow, Part[]>();
  let combinations = 1;
  for (const o of open) combinations *= o.cuts.length;
  if (combinations > MAX_COMBINATIONS) return settled;
  const openKeys = new Set(open.flatMap((o) => o.cuts[0]!.map((_, column) => keyOf(o.row.spec.key, column))));
  const base = new Map(fixed.map((v) => [v.key, v.value]));
  const agreed: (number | null | undefined)[] = open.map(() => undefined);
  const choice = open.map(() => 0);
  for (let n = 0; n < combinations; n++) {
    let rest = n;
    const values = new Map(base);
    open.forEach((o, i) => {
      choice[i] = rest % o.cuts.length;
      rest = Math.floor(rest / o.cuts.length);
      o.cuts[choice[i]!]!.forEach((part, column) => values.set(keyOf(o.row.spec.key, column), part.value));
    });
    const balanced = !checkConsistency(values, format).some((f) => [...f.leftKeys, ...f.rightKeys].some((k) => openKeys.has(k)));
    if (!balanced) continue;
    open.forEach((_, i) => {
      if (agreed[i] === undefined) agreed[i] = choice[i];
      else if (agreed[i] !== choice[i]) agreed[i] = null;
    });
  }
  open.forEach((o, i) => {
    const a = agreed[i];
    if (typeof a === 'number') settled.set(o.row, o.cuts[a]!);
  });
  return settled;
}

const noCheck = () => true;

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
  // Table 二 has no sums: a run is read only where a single cut is possible (规章000).
  return valuesOf(reading, '二', (item, column) => metricKey('proactive', item as ProactiveItemKey, measures.get(item as ProactiveItemKey)![column]!), noCheck);
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
  return valuesOf(reading, '三', (row, column) => metricKey('applications', row, APPLICANT_TYPES[column]!), applicantRowCheck, format, true);
}

const REVIEW_KEYS = REVIEW_GROUPS.flatMap((g) => REVIEW_OUTCOMES.map((o) => metricKey('reviews', g, o)));

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
  // The whole row run together (110024001510102): cut by the groups' totals.
  const runs = after.filter((c) => c.kind !== 'blank');
  if (runs.length === 1 && runs[0]!.runTogether) {
    const run = runs[0]!;
    if (run.atEnd) {
      warnings.push({ code: 'ROW_CUT', message: '原文在表四数据行中断，未采用 / the text ends inside table 四; row left out', table: '四', line: run.line });
      return { values: [], warnings, cut: true, lastRow: null, rowsRead: 0 };
    }
    const { cuts, complete } = cutsOf(run.text, REVIEW_KEYS.length, reviewRowCheck, { budget: { steps: TABLE_STEPS } });
    if (!complete || cuts.length !== 1) {
      warnings.push({ code: complete && cuts.length > 1 ? 'RUN_AMBIGUOUS' : 'RUN_UNSPLIT', message: `表四的数字连在一起（${run.text}），${complete && cuts.length > 1 ? `有${cuts.length}种拆法都成立` : '无法按15格拆开'}，未采用 / table 四: the run ${run.text} ${complete && cuts.length > 1 ? `can be cut ${cuts.length} ways` : 'cannot be cut into 15 cells'}; row left out`, table: '四', line: run.line, row: 'review' });
      return { values: [], warnings, cut: false, lastRow: null, rowsRead: 0 };
    }
    const values = cuts[0]!.map((part, i): TableValue => ({ key: REVIEW_KEYS[i]!, value: part.value, approximate: false, source: sourceOf({ line: run.line, start: run.start + part.start, end: run.start + part.end }, 'split-by-sums', '四', 'review', i) }));
    return { values, warnings, cut: false, lastRow: '行政复议、行政诉讼', rowsRead: 1 };
  }
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
    if (cell.kind === 'value' && cell.value !== undefined && Number.isFinite(cell.value)) {
      values.push({ key: REVIEW_KEYS[i]!, value: cell.value, approximate: cell.approximate === true, source: sourceOf(cell, 'cell', '四', 'review', i) });
    }
  });
  return { values, warnings, cut: false, lastRow: '行政复议、行政诉讼', rowsRead: 1 };
}

export const TABLE_OF_SECTION: Readonly<Record<'二' | '三' | '四', TableName>> = { 二: '二', 三: '三', 四: '四' };
