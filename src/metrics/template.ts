/**
 * The national template of the annual report (政府信息公开工作年度报告), defined once.
 *
 * Every other part of the service derives from these tables: the metric keys and catalog, the
 * GraphQL enums, the parser's label matching, the typed table views and the export headers.
 * Labels are Chinese first (as printed in the template), English beside.
 */

export const TEMPLATE_FORMATS = ['2019', '2021'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

/** The first report year filed on the revised (2021) template. */
export const FORMAT_2021_FIRST_YEAR = 2021;

export function templateFormatForYear(year: number): TemplateFormat {
  return year >= FORMAT_2021_FIRST_YEAR ? '2021' : '2019';
}

export interface Label {
  readonly zh: string;
  readonly en: string;
}

// ---------------------------------------------------------------------------------------------
// Table 二 — 主动公开政府信息情况
// ---------------------------------------------------------------------------------------------

export const PROACTIVE_MEASURES = [
  'made',
  'published',
  'total',
  'issued',
  'repealed',
  'in_force',
  'prior_items',
  'change',
  'decisions',
  'projects',
  'amount',
  'amount_10k_yuan',
] as const;
export type ProactiveMeasureKey = (typeof PROACTIVE_MEASURES)[number];

export interface ProactiveMeasureDef {
  readonly key: ProactiveMeasureKey;
  readonly label: Label;
  /** Other ways the column header is printed (typos, cut headers, units inside). */
  readonly aliases: readonly string[];
  /** May be negative (本年增/减). */
  readonly signed?: boolean;
  /** A money amount rather than a count. */
  readonly money?: boolean;
}

export const PROACTIVE_MEASURE_DEFS: readonly ProactiveMeasureDef[] = [
  { key: 'made', label: { zh: '本年新制作数量', en: 'Newly made this year' }, aliases: ['本年新制作', '新制作数量'] },
  { key: 'published', label: { zh: '本年新公开数量', en: 'Newly published this year' }, aliases: ['本年新公开', '新公开数量'] },
  { key: 'total', label: { zh: '对外公开总数量', en: 'Total publicly available' }, aliases: ['对外公开总数', '公开总数量'] },
  { key: 'issued', label: { zh: '本年制发件数', en: 'Issued this year' }, aliases: ['本年发件', '本年制发', '制发件数'] },
  { key: 'repealed', label: { zh: '本年废止件数', en: 'Repealed this year' }, aliases: ['本年废止', '废止件数'] },
  { key: 'in_force', label: { zh: '现行有效件数', en: 'Currently in force' }, aliases: ['现行有效件', '现行有效'] },
  { key: 'prior_items', label: { zh: '上一年项目数量', en: 'Items in the previous year' }, aliases: ['上年项目数量', '上一年项目'] },
  { key: 'change', label: { zh: '本年增/减', en: 'Change this year' }, aliases: ['本年增减', '本年数量', '增/减', '增减'], signed: true },
  { key: 'decisions', label: { zh: '处理决定数量', en: 'Decisions made' }, aliases: ['本年处理决定数量', '处理决定'] },
  { key: 'projects', label: { zh: '采购项目数量', en: 'Procurement projects' }, aliases: ['采购项目'] },
  { key: 'amount', label: { zh: '采购总金额', en: 'Procurement amount' }, aliases: ['采购总金额(万元)', '采购金额'], money: true },
  {
    key: 'amount_10k_yuan',
    label: { zh: '本年收费金额（单位：万元）', en: 'Fees collected this year (10k yuan)' },
    aliases: ['本年收费金额', '收费金额', '本年收费金额单位:万元'],
    money: true,
  },
];

export const PROACTIVE_ITEMS = [
  'rules',
  'normative_documents',
  'licensing',
  'other_services',
  'penalties',
  'coercion',
  'fees',
  'procurement',
] as const;
export type ProactiveItemKey = (typeof PROACTIVE_ITEMS)[number];

export interface ProactiveItemDef {
  readonly key: ProactiveItemKey;
  /** 第二十条第（…）项 — the article clause the row belongs to. */
  readonly clause: string;
  readonly label: Label;
  /** The label as printed in each format; absent where the format has no such row. */
  readonly labelByFormat: Partial<Record<TemplateFormat, string>>;
  readonly aliases: readonly string[];
  readonly measures: Readonly<Record<TemplateFormat, readonly ProactiveMeasureKey[]>>;
}

export const PROACTIVE_ITEM_DEFS: readonly ProactiveItemDef[] = [
  {
    key: 'rules',
    clause: '（一）',
    label: { zh: '规章', en: 'Rules' },
    labelByFormat: { '2019': '规章', '2021': '规章' },
    aliases: [],
    measures: { '2019': ['made', 'published', 'total'], '2021': ['issued', 'repealed', 'in_force'] },
  },
  {
    key: 'normative_documents',
    clause: '（一）',
    label: { zh: '规范性文件', en: 'Normative documents' },
    labelByFormat: { '2019': '规范性文件', '2021': '行政规范性文件' },
    aliases: ['行政规范性文件', '规范性文件'],
    measures: { '2019': ['made', 'published', 'total'], '2021': ['issued', 'repealed', 'in_force'] },
  },
  {
    key: 'licensing',
    clause: '（五）',
    label: { zh: '行政许可', en: 'Administrative licensing' },
    labelByFormat: { '2019': '行政许可', '2021': '行政许可' },
    aliases: [],
    measures: { '2019': ['prior_items', 'change', 'decisions'], '2021': ['decisions'] },
  },
  {
    key: 'other_services',
    clause: '（五）',
    label: { zh: '其他对外管理服务事项', en: 'Other external management services' },
    labelByFormat: { '2019': '其他对外管理服务事项' },
    aliases: ['其他对外管理服务'],
    measures: { '2019': ['prior_items', 'change', 'decisions'], '2021': [] },
  },
  {
    key: 'penalties',
    clause: '（六）',
    label: { zh: '行政处罚', en: 'Administrative penalties' },
    labelByFormat: { '2019': '行政处罚', '2021': '行政处罚' },
    aliases: [],
    measures: { '2019': ['prior_items', 'change', 'decisions'], '2021': ['decisions'] },
  },
  {
    key: 'coercion',
    clause: '（六）',
    label: { zh: '行政强制', en: 'Administrative coercion' },
    labelByFormat: { '2019': '行政强制', '2021': '行政强制' },
    aliases: [],
    measures: { '2019': ['prior_items', 'change', 'decisions'], '2021': ['decisions'] },
  },
  {
    key: 'fees',
    clause: '（八）',
    label: { zh: '行政事业性收费', en: 'Administrative fees' },
    labelByFormat: { '2019': '行政事业性收费', '2021': '行政事业性收费' },
    aliases: ['行政事业型收费', '行政性收费'],
    measures: { '2019': ['prior_items', 'change'], '2021': ['amount_10k_yuan'] },
  },
  {
    key: 'procurement',
    clause: '（九）',
    label: { zh: '政府集中采购', en: 'Government centralised procurement' },
    labelByFormat: { '2019': '政府集中采购' },
    aliases: ['集中采购'],
    measures: { '2019': ['projects', 'amount'], '2021': [] },
  },
];

// ---------------------------------------------------------------------------------------------
// Table 三 — 收到和处理政府信息公开申请情况
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Table 四 — 政府信息公开行政复议、行政诉讼情况
// ---------------------------------------------------------------------------------------------

export const REVIEW_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export type ReviewGroupKey = (typeof REVIEW_GROUPS)[number];

export const REVIEW_OUTCOMES = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export type ReviewOutcomeKey = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_GROUP_DEFS: readonly { key: ReviewGroupKey; label: Label }[] = [
  { key: 'review', label: { zh: '行政复议', en: 'Administrative reconsideration' } },
  { key: 'litigation_direct', label: { zh: '行政诉讼·未经复议直接起诉', en: 'Litigation without prior reconsideration' } },
  { key: 'litigation_after_review', label: { zh: '行政诉讼·复议后起诉', en: 'Litigation after reconsideration' } },
];

export const REVIEW_OUTCOME_DEFS: readonly { key: ReviewOutcomeKey; label: Label }[] = [
  { key: 'upheld', label: { zh: '结果维持', en: 'Upheld' } },
  { key: 'corrected', label: { zh: '结果纠正', en: 'Corrected' } },
  { key: 'other', label: { zh: '其他结果', en: 'Other result' } },
  { key: 'pending', label: { zh: '尚未审结', en: 'Pending' } },
  { key: 'total', label: { zh: '总计', en: 'Total' } },
];

// ---------------------------------------------------------------------------------------------
// Channels — from the prose of section 一
// ---------------------------------------------------------------------------------------------

export const CHANNEL_KINDS = [
  'website',
  'wechat',
  'weibo',
  'kiosk',
  'e_screen',
  'bulletin_board',
  'hotline',
  'short_video',
  'mobile_app',
  'other',
] as const;
export type ChannelKindKey = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_DEFS: readonly { key: ChannelKindKey; label: Label; aliases: readonly string[] }[] = [
  { key: 'website', label: { zh: '政府网站', en: 'Government website' }, aliases: ['门户网站', '门户网', '官方网站', '政务网站', '官网', '网站'] },
  { key: 'wechat', label: { zh: '微信公众号', en: 'WeChat official account' }, aliases: ['微信公众平台', '政务微信', '微信', '公众号'] },
  { key: 'weibo', label: { zh: '政务微博', en: 'Weibo account' }, aliases: ['官方微博', '微博'] },
  { key: 'kiosk', label: { zh: '自助查询机', en: 'Self-service kiosk' }, aliases: ['查询终端', '自助终端', '查询机', '自助查询'] },
  { key: 'e_screen', label: { zh: '电子显示屏', en: 'Electronic screen' }, aliases: ['电子公示屏', '电子屏幕', '电子屏', '显示屏', 'LED屏'] },
  { key: 'bulletin_board', label: { zh: '政务公开栏', en: 'Bulletin board' }, aliases: ['公开栏', '公告栏', '公示栏', '宣传栏', '信息公开展架', '展架'] },
  { key: 'hotline', label: { zh: '热线电话', en: 'Hotline' }, aliases: ['热线'] },
  { key: 'short_video', label: { zh: '短视频账号', en: 'Short-video account' }, aliases: ['抖音号', '视频号', '抖音', '快手'] },
  { key: 'mobile_app', label: { zh: '客户端/小程序', en: 'Mobile app or mini-program' }, aliases: ['客户端', '小程序', 'APP'] },
  { key: 'other', label: { zh: '其他渠道', en: 'Other channel' }, aliases: [] },
];

export const CHANNEL_MEASURES = ['items', 'devices', 'queries', 'accounts'] as const;
export type ChannelMeasureKey = (typeof CHANNEL_MEASURES)[number];

export const CHANNEL_MEASURE_DEFS: readonly { key: ChannelMeasureKey; label: Label }[] = [
  { key: 'items', label: { zh: '发布信息条数', en: 'Items published' } },
  { key: 'devices', label: { zh: '设备数量', en: 'Devices' } },
  { key: 'queries', label: { zh: '查询/服务次数', en: 'Queries served' } },
  { key: 'accounts', label: { zh: '账号数量', en: 'Accounts' } },
];

/** Turn a key such as `refused.state_secret` into a GraphQL enum name `REFUSED_STATE_SECRET`. */
export function enumNameOf(key: string): string {
  return key.replace(/\./g, '_').toUpperCase();
}
