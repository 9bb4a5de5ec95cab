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

// Table 三 — 收到和处理政府信息公开申请情况: in template-applications.ts, re-exported here.
export * from './template-applications';

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
