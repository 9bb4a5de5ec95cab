/**
 * The consistency rules (勾稽关系) of METRICS.md, as a pure function over a report's stored
 * metrics. Published reports often break them: the service records what was published and flags
 * each inconsistency; it never rejects or "fixes" the numbers.
 *
 * A rule is only checked where the report states both sides: a table cut short or left blank
 * is a completeness matter, not an inconsistency.
 */
import { isStoredMetricKey, metricDefinition } from './catalog';
import {
  APPLICANT_PARTS,
  APPLICANT_TYPES,
  APPLICATION_ROW_DEFS,
  CHANNEL_KINDS,
  REVIEW_GROUPS,
  type ApplicantTypeKey,
  type ReviewOutcomeKey,
  type TemplateFormat,
} from './template';
import { metricKey, PROACTIVE_ITEMS_TOTAL } from './metric-key';

/** Table 四's outcomes that add up to its 总计. */
const REVIEW_PARTS: readonly ReviewOutcomeKey[] = ['upheld', 'corrected', 'other', 'pending'];

export const FINDING_CODES = ['T3_BALANCE', 'T3_RESULTS_SUM', 'T3_OTHER_SUM', 'T3_ROW_SUM', 'T4_SUM', 'CHANNEL_SUM', 'NEGATIVE'] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const FINDING_CODE_LABELS: Readonly<Record<FindingCode, { zh: string; en: string }>> = {
  T3_BALANCE: { zh: '表三：新收+上年结转≠办理结果总计+结转下年度', en: 'Table 3: received + carried over ≠ results total + carried forward' },
  T3_RESULTS_SUM: { zh: '表三：办理结果总计≠各项办理结果之和', en: 'Table 3: results total ≠ sum of results' },
  T3_OTHER_SUM: { zh: '表三：其他处理≠其分项之和', en: 'Table 3: other handling ≠ sum of its sub-rows' },
  T3_ROW_SUM: { zh: '表三：总计≠各类申请人之和', en: 'Table 3: total ≠ sum of applicant columns' },
  T4_SUM: { zh: '表四：总计≠各结果之和', en: 'Table 4: total ≠ sum of outcomes' },
  CHANNEL_SUM: { zh: '各渠道发布条数之和≠主动公开总数', en: 'Channel items do not add up to the stated total' },
  NEGATIVE: { zh: '数值为负', en: 'Negative count' },
};

export interface ConsistencyFinding {
  readonly code: FindingCode;
  /** Where in the table: an applicant column, a row, a group of table 四, or a metric key. */
  readonly scope: string;
  /** Metric keys of the left side (first) and right side (rest), in rule order. */
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
  readonly left: number;
  readonly right: number;
  /** left − right */
  readonly difference: number;
  readonly message: string;
}

type Values = ReadonlyMap<string, number>;

function sumStated(values: Values, keys: readonly string[]): { stated: boolean; sum: number } {
  let stated = false;
  let sum = 0;
  for (const key of keys) {
    const v = values.get(key);
    if (v !== undefined) {
      stated = true;
      sum += v;
    }
  }
  return { stated, sum };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function compare(
  findings: ConsistencyFinding[],
  values: Values,
  code: FindingCode,
  scope: string,
  leftKeys: readonly string[],
  rightKeys: readonly string[],
): void {
  const l = sumStated(values, leftKeys);
  const r = sumStated(values, rightKeys);
  if (!l.stated || !r.stated) return;
  const difference = round(l.sum - r.sum);
  if (difference === 0) return;
  findings.push({
    code,
    scope,
    leftKeys,
    rightKeys,
    left: round(l.sum),
    right: round(r.sum),
    difference,
    message: `${FINDING_CODE_LABELS[code].zh}（${scope}）：${round(l.sum)} ≠ ${round(r.sum)}，差 ${difference} / ${FINDING_CODE_LABELS[code].en} (${scope}): ${round(l.sum)} vs ${round(r.sum)}, difference ${difference}`,
  });
}

/** The result rows summed into （七）总计, given which rows the report states. */
function resultRowKeys(values: Values, applicant: ApplicantTypeKey, format: TemplateFormat): string[] {
  const keys: string[] = [];
  const otherStated = values.has(metricKey('applications', 'other', applicant));
  for (const row of APPLICATION_ROW_DEFS) {
    if (!row.result || !row.formats.includes(format)) continue;
    // （六）其他处理: its own cell where stated, else (2021) its sub-rows; never both.
    if (row.group === 'other' && otherStated) continue;
    if (row.key === 'other' && !otherStated && format === '2021') continue;
    keys.push(metricKey('applications', row.key, applicant));
  }
  return keys;
}

export function checkConsistency(values: Values, format: TemplateFormat): ConsistencyFinding[] {
  const findings: ConsistencyFinding[] = [];
  const a = (row: string, applicant: ApplicantTypeKey) => metricKey('applications', row, applicant);

  for (const applicant of APPLICANT_TYPES) {
    compare(findings, values, 'T3_BALANCE', applicant, [a('received', applicant), a('carried_over', applicant)], [
      a('results_total', applicant),
      a('carried_forward', applicant),
    ]);
    compare(findings, values, 'T3_RESULTS_SUM', applicant, [a('results_total', applicant)], resultRowKeys(values, applicant, format));
    if (format === '2021') {
      compare(findings, values, 'T3_OTHER_SUM', applicant, [a('other', applicant)], [
        a('other.no_correction', applicant),
        a('other.no_fee', applicant),
        a('other.other', applicant),
      ]);
    }
  }

  for (const row of APPLICATION_ROW_DEFS) {
    if (!row.formats.includes(format)) continue;
    compare(
      findings,
      values,
      'T3_ROW_SUM',
      row.key,
      [a(row.key, 'total')],
      APPLICANT_PARTS.map((p) => a(row.key, p)),
    );
  }

  for (const group of REVIEW_GROUPS) {
    compare(findings, values, 'T4_SUM', group, [metricKey('reviews', group, 'total')], REVIEW_PARTS.map((o) => metricKey('reviews', group, o)));
  }

  compare(
    findings,
    values,
    'CHANNEL_SUM',
    PROACTIVE_ITEMS_TOTAL,
    [PROACTIVE_ITEMS_TOTAL],
    CHANNEL_KINDS.map((k) => metricKey('channels', k, 'items')),
  );

  for (const [key, value] of values) {
    const def = metricDefinition(key);
    if (value < 0 && (!def || !def.signed) && (def === undefined || isStoredMetricKey(key))) {
      findings.push({
        code: 'NEGATIVE',
        scope: key,
        leftKeys: [key],
        rightKeys: [],
        left: value,
        right: 0,
        difference: value,
        message: `${FINDING_CODE_LABELS.NEGATIVE.zh}：${key} = ${value} / ${FINDING_CODE_LABELS.NEGATIVE.en}: ${key} = ${value}`,
      });
    }
  }
  return findings;
}
