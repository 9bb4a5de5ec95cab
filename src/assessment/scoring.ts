/**
 * A report's assessment from its facts, by the rubric: pure, so the rubric's arithmetic can be
 * tested on its own and shown to districts as it is.
 */
import { FINDING_CODES, type FindingCode } from '../metrics/consistency';
import { CRITERIA, CRITERION_LABELS, type Criterion, type Rubric } from './rubric';

export interface ReportFacts {
  readonly filed: boolean;
  readonly publishedAt: string | null;
  readonly deadline: string;
  /** Share (0..1) of each part present and filled: sections 一 五 六, tables 二 三 四. */
  readonly parts: Readonly<Record<CompletenessPart, number>>;
  readonly findings: Readonly<Partial<Record<FindingCode, number>>>;
  readonly channelItems: number | null;
  readonly channelItemsPrevious: number | null;
  readonly repeatedShare: number | null;
}

export const COMPLETENESS_PARTS = ['section1', 'table2', 'table3', 'table4', 'section5', 'section6'] as const;
export type CompletenessPart = (typeof COMPLETENESS_PARTS)[number];

export interface CriterionScore {
  readonly criterion: Criterion;
  readonly label: string;
  readonly labelEn: string;
  readonly weight: number;
  readonly points: number;
  readonly note: string | null;
}

export interface Assessment {
  readonly score: number;
  readonly breakdown: CriterionScore[];
  readonly onTime: boolean | null;
  readonly completeness: number;
  readonly findingCount: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function assess(facts: ReportFacts, rubric: Rubric): Assessment {
  const completeness = COMPLETENESS_PARTS.reduce((sum, p) => sum + facts.parts[p], 0) / COMPLETENESS_PARTS.length;
  const findingCount = FINDING_CODES.reduce((n, c) => n + (facts.findings[c] ?? 0), 0);
  const onTime = !facts.filed || facts.publishedAt === null ? null : facts.publishedAt <= facts.deadline;
  const points: Record<Criterion, { points: number; note: string | null }> = {
    filed: { points: facts.filed ? 1 : 0, note: facts.filed ? null : '未报送 / not filed' },
    onTime: {
      points: onTime ? 1 : 0,
      note: onTime === null ? (facts.filed ? '未载明发布日期 / publication date unknown' : null) : onTime ? null : `${facts.publishedAt} 晚于 ${facts.deadline} / late`,
    },
    complete: { points: completeness, note: completeness < 1 ? `完整度 ${Math.round(completeness * 100)}% / ${Math.round(completeness * 100)}% complete` : null },
    consistent: { points: 1, note: findingCount ? `勾稽关系问题 ${findingCount} 处 / ${findingCount} findings` : null },
    channels: { points: 0, note: null },
    originality: { points: 1, note: null },
  };
  // Consistency: deductions per finding, in points of the criterion's weight.
  const deducted = FINDING_CODES.reduce((sum, c) => sum + (facts.findings[c] ?? 0) * rubric.findingDeductions[c], 0);
  points.consistent.points = rubric.weights.consistent === 0 ? 0 : Math.max(0, rubric.weights.consistent - deducted) / rubric.weights.consistent;
  if (facts.channelItems === null) points.channels = { points: 0, note: '未说明各渠道发布量 / no channel figures' };
  else if (facts.channelItemsPrevious === null || facts.channelItemsPrevious === 0) points.channels = { points: 1, note: '无上年可比数据 / no previous year to compare' };
  else {
    const ratio = facts.channelItems / facts.channelItemsPrevious;
    points.channels = { points: Math.min(1, ratio), note: ratio < 1 ? `发布量同比下降 ${Math.round((1 - ratio) * 100)}% / down ${Math.round((1 - ratio) * 100)}%` : null };
  }
  if (facts.repeatedShare !== null) {
    const copied = facts.repeatedShare >= rubric.copiedShare;
    points.originality = {
      points: copied ? 0 : 1 - facts.repeatedShare,
      note: facts.repeatedShare > 0 ? `${Math.round(facts.repeatedShare * 100)}% 与上年报告相同${copied ? '（照抄）' : ''} / ${Math.round(facts.repeatedShare * 100)}% repeats last year${copied ? ' (copied)' : ''}` : null,
    };
  }
  const breakdown = CRITERIA.map((criterion) => ({
    criterion,
    label: CRITERION_LABELS[criterion].zh,
    labelEn: CRITERION_LABELS[criterion].en,
    weight: rubric.weights[criterion],
    points: facts.filed ? round2(points[criterion].points * rubric.weights[criterion]) : 0,
    note: points[criterion].note,
  }));
  return { score: round2(breakdown.reduce((s, b) => s + b.points, 0)), breakdown, onTime, completeness: round2(completeness), findingCount };
}
