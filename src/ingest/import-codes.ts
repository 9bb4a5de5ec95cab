/**
 * The closed sets of codes an import reports: why it failed or was refused (ImportProblem.code)
 * and what the parser or the import noticed on the way (ParseWarning.code). One list each, typed,
 * so a producer cannot invent a code the schema does not describe, and the GraphQL enums are
 * generated from the same lists with their descriptions.
 */
import { registerEnumType } from 'type-graphql';
import type { Label } from '../metrics/template';

export const IMPORT_PROBLEM_CODES = {
  NO_REPORT: { zh: '原文中没有年度报告', en: 'no annual report in the text' },
  NO_YEAR: { zh: '标题中读不出年度', en: 'the year could not be read from the title' },
  UNKNOWN_OFFICE: { zh: '没有与之对应的机关', en: 'no stored office matches (or officeCode names none)' },
  AMBIGUOUS_OFFICE: { zh: '对应多个机关，见 candidates', en: 'several offices match; see candidates' },
  NO_OFFICE: { zh: '原文未写明机关（如「我局」），需给出 officeCode', en: 'the text does not name its office; give officeCode' },
  FORBIDDEN: { zh: '机关不在编辑令牌的范围内（仅批量导入；importReport 报 FORBIDDEN 错误）', en: "outside the editor's subtree (bulk imports only; importReport raises a FORBIDDEN error)" },
  NOT_STORED: { zh: '写入失败，未保存（仅批量导入）', en: 'the write failed; nothing stored (bulk imports only)' },
  PARSE_TIME_LIMIT: { zh: '解析超时', en: 'parsing took longer than its time limit' },
  PARSE_FAILED: { zh: '无法解析', en: 'the parser failed on the text' },
  UNREADABLE: { zh: 'REFUSED：表格无法读出（如图片）', en: 'REFUSED: tables present but not readable (images?)' },
  NO_VALUES: { zh: 'REFUSED：未读出任何数值', en: 'REFUSED: no number read' },
  NO_TABLE_VALUES: { zh: 'REFUSED：无表格数值而当前版本有', en: 'REFUSED: no table values, while the current version has some' },
  FEWER_VALUES: { zh: 'REFUSED：原文不完整且少于当前版本', en: 'REFUSED: incomplete, fewer table values than the current version' },
} as const satisfies Record<string, Label>;
export type ImportProblemCode = keyof typeof IMPORT_PROBLEM_CODES;

export const PARSE_WARNING_CODES = {
  TRUNCATED: { zh: '原文不完整，读到此处为止', en: 'the text ends early; read up to there' },
  MISSING_SECTION: { zh: '缺少正文某一部分', en: 'a section of the report is missing' },
  NO_YEAR: { zh: '标题中读不出年度', en: 'the year could not be read from the title' },
  TABLE_EMPTY: { zh: '表格没有可读的数据（可能是图片）', en: 'a table has no readable rows (an image?)' },
  TABLE_TOO_LONG: { zh: '表格过长，其后未读', en: 'a table is too long; the rest was not read' },
  UNKNOWN_ROW: { zh: '不是模板中的行，已跳过', en: 'a row not in the template, skipped' },
  ROW_BY_POSITION: { zh: '无标签的一行按位置读出', en: 'an unlabelled row read by its position' },
  ROW_CUT: { zh: '原文在一行中断，该行未采用', en: 'the text ends inside a row; row left out' },
  ROW_SHORT: { zh: '一行的格数不足，未采用', en: 'a row has too few cells; left out' },
  RUN_AMBIGUOUS: { zh: '连在一起的数字有多种拆法，未采用', en: 'a run of digits can be cut several ways; left out' },
  RUN_UNSPLIT: { zh: '连在一起的数字无法拆开，未采用', en: 'a run of digits cannot be cut; left out' },
  PROSE_AMBIGUOUS: { zh: '正文给出两个不同的数，均未采用', en: 'the text states two different figures; neither taken' },
  METRIC_REJECTED: { zh: '读出的数值不合要求，未保存', en: 'a value read was not valid; not stored' },
  SOURCE_DROPPED: { zh: '数值来源无效，未保存来源', en: "a value's source was not valid; the source was not stored" },
} as const satisfies Record<string, Label>;
export type ParseWarningCode = keyof typeof PARSE_WARNING_CODES;

function enumOf<T extends Record<string, Label>>(codes: T, name: string, description: string): { [K in keyof T]: K } {
  const values: Record<string, string> = {};
  const valuesConfig: Record<string, { description: string }> = {};
  for (const [k, l] of Object.entries(codes)) {
    values[k] = k;
    valuesConfig[k] = { description: `${l.zh} / ${l.en}` };
  }
  registerEnumType(values, { name, description, valuesConfig });
  return values as { [K in keyof T]: K };
}

export const ImportProblemCodeEnum = enumOf(IMPORT_PROBLEM_CODES, 'ImportProblemCode', '导入失败或拒绝的原因 / Why an import failed (FAILED) or was refused (REFUSED)');
export const ParseWarningCodeEnum = enumOf(PARSE_WARNING_CODES, 'ParseWarningCode', '解析提示代码 / What the parser or the import noticed');
