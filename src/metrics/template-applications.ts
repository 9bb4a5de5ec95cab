/**
 * Table 三 of the template (收到和处理政府信息公开申请情况): its applicant columns and its rows, part
 * of the single template definition (re-exported by template.ts, which the rest of the code imports).
 */
import type { Label, TemplateFormat } from './template';

export const APPLICANT_TYPES = [
  'natural_person',
  'commercial_enterprise',
  'research_institution',
  'social_welfare_organization',
  'legal_service_organization',
  'other_organization',
  'total',
] as const;
export type ApplicantTypeKey = (typeof APPLICANT_TYPES)[number];

export interface ApplicantTypeDef {
  readonly key: ApplicantTypeKey;
  readonly label: Label;
  /** The header group the column sits under (法人或其他组织), if any. */
  readonly group?: Label;
  readonly aliases: readonly string[];
}

const LEGAL_PERSON_GROUP: Label = { zh: '法人或其他组织', en: 'Legal persons or other organisations' };

export const APPLICANT_TYPE_DEFS: readonly ApplicantTypeDef[] = [
  { key: 'natural_person', label: { zh: '自然人', en: 'Natural persons' }, aliases: [] },
  { key: 'commercial_enterprise', label: { zh: '商业企业', en: 'Commercial enterprises' }, group: LEGAL_PERSON_GROUP, aliases: [] },
  { key: 'research_institution', label: { zh: '科研机构', en: 'Research institutions' }, group: LEGAL_PERSON_GROUP, aliases: [] },
  {
    key: 'social_welfare_organization',
    label: { zh: '社会公益组织', en: 'Social welfare organisations' },
    group: LEGAL_PERSON_GROUP,
    aliases: ['公益组织'],
  },
  {
    key: 'legal_service_organization',
    label: { zh: '法律服务机构', en: 'Legal service organisations' },
    group: LEGAL_PERSON_GROUP,
    aliases: ['法律服务'],
  },
  { key: 'other_organization', label: { zh: '其他', en: 'Other organisations' }, group: LEGAL_PERSON_GROUP, aliases: [] },
  { key: 'total', label: { zh: '总计', en: 'Total' }, aliases: ['合计'] },
];

/** The applicant columns that add up to `total` (rule T3_ROW_SUM). */
export const APPLICANT_PARTS: readonly ApplicantTypeKey[] = APPLICANT_TYPES.filter((a) => a !== 'total');

export const APPLICATION_GROUPS = ['refused', 'unavailable', 'not_processed', 'other'] as const;
export type ApplicationGroupKey = (typeof APPLICATION_GROUPS)[number];

export interface ApplicationRowDef {
  /** Row key, e.g. `received`, `refused.state_secret`. */
  readonly key: string;
  readonly label: Label;
  /** The heading printed before the row's own label, e.g. （三）不予公开 for its sub-rows. */
  readonly group?: ApplicationGroupKey;
  /** Position inside its group (1-based), as numbered in the template (1.属于国家秘密). */
  readonly position?: number;
  readonly formats: readonly TemplateFormat[];
  readonly aliases: readonly string[];
  /** A result row (part of 三、本年度办理结果, summed by T3_RESULTS_SUM). */
  readonly result: boolean;
}

export const APPLICATION_GROUP_LABELS: Readonly<Record<ApplicationGroupKey, Label & { numeral: string }>> = {
  refused: { numeral: '（三）', zh: '不予公开', en: 'Refused' },
  unavailable: { numeral: '（四）', zh: '无法提供', en: 'Unable to provide' },
  not_processed: { numeral: '（五）', zh: '不予处理', en: 'Not processed' },
  other: { numeral: '（六）', zh: '其他处理', en: 'Other handling' },
};

const BOTH: readonly TemplateFormat[] = ['2019', '2021'];

export const APPLICATION_ROW_DEFS: readonly ApplicationRowDef[] = [
  { key: 'received', label: { zh: '一、本年新收政府信息公开申请数量', en: 'New applications received this year' }, formats: BOTH, aliases: ['本年新收'], result: false },
  { key: 'carried_over', label: { zh: '二、上年结转政府信息公开申请数量', en: 'Carried over from the previous year' }, formats: BOTH, aliases: ['上年结转'], result: false },
  { key: 'granted', label: { zh: '（一）予以公开', en: 'Granted' }, formats: BOTH, aliases: ['予以公开'], result: true },
  {
    key: 'partially_granted',
    label: { zh: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', en: 'Partially granted' },
    formats: BOTH,
    aliases: ['部分公开'],
    result: true,
  },
  { key: 'refused.state_secret', group: 'refused', position: 1, label: { zh: '1.属于国家秘密', en: 'State secret' }, formats: BOTH, aliases: ['国家秘密'], result: true },
  {
    key: 'refused.prohibited_by_law',
    group: 'refused',
    position: 2,
    label: { zh: '2.其他法律行政法规禁止公开', en: 'Prohibited by other laws and regulations' },
    formats: BOTH,
    aliases: ['法律行政法规禁止公开', '禁止公开'],
    result: true,
  },
  {
    key: 'refused.endangers_security',
    group: 'refused',
    position: 3,
    label: { zh: '3.危及“三安全一稳定”', en: 'Endangers the "three securities and one stability"' },
    formats: BOTH,
    aliases: ['三安全一稳定'],
    result: true,
  },
  {
    key: 'refused.third_party_rights',
    group: 'refused',
    position: 4,
    label: { zh: '4.保护第三方合法权益', en: "Protects third parties' lawful rights" },
    formats: BOTH,
    aliases: ['第三方合法权益'],
    result: true,
  },
  {
    key: 'refused.internal_affairs',
    group: 'refused',
    position: 5,
    label: { zh: '5.属于三类内部事务信息', en: 'Internal affairs information' },
    formats: BOTH,
    aliases: ['内部事务信息'],
    result: true,
  },
  {
    key: 'refused.process_information',
    group: 'refused',
    position: 6,
    label: { zh: '6.属于四类过程性信息', en: 'Process information' },
    formats: BOTH,
    aliases: ['过程性信息'],
    result: true,
  },
  {
    key: 'refused.enforcement_files',
    group: 'refused',
    position: 7,
    label: { zh: '7.属于行政执法案卷', en: 'Administrative enforcement files' },
    formats: BOTH,
    aliases: ['行政执法案卷'],
    result: true,
  },
  {
    key: 'refused.administrative_query',
    group: 'refused',
    position: 8,
    label: { zh: '8.属于行政查询事项', en: 'Administrative query matters' },
    formats: BOTH,
    aliases: ['行政查询事项'],
    result: true,
  },
  {
    key: 'unavailable.not_held',
    group: 'unavailable',
    position: 1,
    label: { zh: '1.本机关不掌握相关政府信息', en: 'Not held by this organ' },
    formats: BOTH,
    aliases: ['不掌握相关政府信息'],
    result: true,
  },
  {
    key: 'unavailable.needs_creation',
    group: 'unavailable',
    position: 2,
    label: { zh: '2.没有现成信息需要另行制作', en: 'Would need to be created' },
    formats: BOTH,
    aliases: ['没有现成信息'],
    result: true,
  },
  {
    key: 'unavailable.unclear_after_correction',
    group: 'unavailable',
    position: 3,
    label: { zh: '3.补正后申请内容仍不明确', en: 'Still unclear after correction' },
    formats: BOTH,
    aliases: ['补正后申请内容仍不明确'],
    result: true,
  },
  {
    key: 'not_processed.petition_complaint',
    group: 'not_processed',
    position: 1,
    label: { zh: '1.信访举报投诉类申请', en: 'Petitions, reports and complaints' },
    formats: BOTH,
    aliases: ['信访举报投诉'],
    result: true,
  },
  { key: 'not_processed.duplicate', group: 'not_processed', position: 2, label: { zh: '2.重复申请', en: 'Duplicate applications' }, formats: BOTH, aliases: ['重复申请'], result: true },
  {
    key: 'not_processed.publication',
    group: 'not_processed',
    position: 3,
    label: { zh: '3.要求提供公开出版物', en: 'Requests for published publications' },
    formats: BOTH,
    aliases: ['公开出版物'],
    result: true,
  },
  {
    key: 'not_processed.excessive',
    group: 'not_processed',
    position: 4,
    label: { zh: '4.无正当理由大量反复申请', en: 'Excessive repeated applications' },
    formats: BOTH,
    aliases: ['大量反复申请'],
    result: true,
  },
  {
    key: 'not_processed.reconfirmation',
    group: 'not_processed',
    position: 5,
    label: { zh: '5.要求行政机关确认或重新出具已获取信息', en: 'Requests to confirm or reissue information already obtained' },
    formats: BOTH,
    aliases: ['确认或重新出具'],
    result: true,
  },
  { key: 'other', label: { zh: '（六）其他处理', en: 'Other handling' }, formats: BOTH, aliases: ['其他处理'], result: true },
  {
    key: 'other.no_correction',
    group: 'other',
    position: 1,
    label: { zh: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', en: 'Applicant did not correct in time' },
    formats: ['2021'],
    aliases: ['逾期不补正'],
    result: true,
  },
  {
    key: 'other.no_fee',
    group: 'other',
    position: 2,
    label: { zh: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', en: 'Applicant did not pay the fee in time' },
    formats: ['2021'],
    aliases: ['缴纳费用'],
    result: true,
  },
  { key: 'other.other', group: 'other', position: 3, label: { zh: '3.其他', en: 'Other' }, formats: ['2021'], aliases: [], result: true },
  { key: 'results_total', label: { zh: '（七）总计', en: 'Results total' }, formats: BOTH, aliases: ['总计'], result: false },
  { key: 'carried_forward', label: { zh: '四、结转下年度继续办理', en: 'Carried forward to next year' }, formats: BOTH, aliases: ['结转下年度'], result: false },
];

