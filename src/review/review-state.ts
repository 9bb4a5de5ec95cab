/**
 * The review vocabulary: a report's review state, a finding's resolution, a correction's status
 * and the tables a reviewer can accept whole. Stored lower-case with dashes; GraphQL UPPER_SNAKE.
 */
import { registerEnumType } from 'type-graphql';

export const ReviewStateEnum = {
  UNREVIEWED: 'unreviewed',
  IN_REVIEW: 'in-review',
  CONFIRMED: 'confirmed',
  RETURNED: 'returned',
} as const;
export type ReviewState = (typeof ReviewStateEnum)[keyof typeof ReviewStateEnum];
export const REVIEW_STATES: readonly ReviewState[] = Object.values(ReviewStateEnum);

registerEnumType(ReviewStateEnum, {
  name: 'ReviewState',
  description: '审核状态 / Where a report stands in review',
  valuesConfig: {
    UNREVIEWED: { description: '未审核 / Not looked at yet' },
    IN_REVIEW: { description: '审核中（含因重新导入而重开）/ Being reviewed, or reopened by a re-import' },
    CONFIRMED: { description: '已确认 / Signed off' },
    RETURNED: { description: '退回报送机关 / Returned to the office' },
  },
});

export const FindingResolutionEnum = {
  OPEN: 'open',
  ACCEPTED_AS_PUBLISHED: 'accepted-as-published',
  FIXED_BY_CORRECTION: 'fixed-by-correction',
} as const;
export type FindingResolution = (typeof FindingResolutionEnum)[keyof typeof FindingResolutionEnum];

registerEnumType(FindingResolutionEnum, {
  name: 'FindingResolution',
  description: '勾稽关系问题的处理 / What a reviewer decided about a finding',
  valuesConfig: {
    OPEN: { description: '待处理（计入考核）/ Open: counted by the assessment' },
    ACCEPTED_AS_PUBLISHED: { description: '报告本身的错误，按原文记录 / The report\'s own error, recorded as published' },
    FIXED_BY_CORRECTION: { description: '已通过更正解决 / Fixed by a correction' },
  },
});

export const CorrectionStatusEnum = {
  ACTIVE: 'active',
  CONFLICT: 'conflict',
  REPLACED: 'replaced',
} as const;
export type CorrectionStatus = (typeof CorrectionStatusEnum)[keyof typeof CorrectionStatusEnum];

registerEnumType(CorrectionStatusEnum, {
  name: 'CorrectionStatus',
  description: '更正的状态 / Whether a correction is in force',
  valuesConfig: {
    ACTIVE: { description: '生效（重新导入同一原文时保留）/ In force; kept when the same text is imported again' },
    CONFLICT: { description: '新导入的原文改动了此单元格：两值并列待审核 / A later text changed this cell: both values shown for review' },
    REPLACED: { description: '已被同一单元格的后一更正取代 / Replaced by a later correction of the same cell' },
  },
});

/** The tables a reviewer can accept whole (metrics/catalog.ts METRIC_TABLES). */
export const ReviewTableEnum = {
  PROACTIVE: 'proactive',
  APPLICATIONS: 'applications',
  REVIEWS: 'reviews',
  CHANNELS: 'channels',
  PROSE: 'prose',
} as const;

registerEnumType(ReviewTableEnum, {
  name: 'ReviewTable',
  description: '报告中的表 / A table of the report',
  valuesConfig: {
    PROACTIVE: { description: '表二 主动公开 / Table 2: proactive disclosure' },
    APPLICATIONS: { description: '表三 依申请公开 / Table 3: applications' },
    REVIEWS: { description: '表四 复议诉讼 / Table 4: reconsideration and litigation' },
    CHANNELS: { description: '公开渠道 / Disclosure channels' },
    PROSE: { description: '正文数据 / Figures stated in the text' },
  },
});
