/**
 * The scoring rubric is data: a documented default (rubric.default.json) that a district may
 * replace with its own JSON file (ASSESSMENT_RUBRIC_FILE or `--rubric FILE`), validated here with
 * errors that name the JSON path and the problem.
 */
import fs from 'node:fs';
import { FINDING_CODES, type FindingCode } from '../metrics/consistency';
import defaultRubric from './rubric.default.json';

export const CRITERIA = ['filed', 'onTime', 'complete', 'consistent', 'channels', 'originality'] as const;
export type Criterion = (typeof CRITERIA)[number];

export const CRITERION_LABELS: Readonly<Record<Criterion, { zh: string; en: string }>> = {
  filed: { zh: '按要求报送', en: 'Filed' },
  onTime: { zh: '按期公布（次年1月31日前）', en: 'Published by 31 January' },
  complete: { zh: '内容完整（六部分、三张表）', en: 'Complete: six sections, tables 二 三 四' },
  consistent: { zh: '数据勾稽一致', en: 'Tables add up' },
  channels: { zh: '公开渠道发布量同比', en: 'Channel output year over year' },
  originality: { zh: '未照抄上年报告', en: 'Not copied from last year' },
};

export interface Rubric {
  readonly version: number;
  readonly weights: Readonly<Record<Criterion, number>>;
  readonly findingDeductions: Readonly<Record<FindingCode, number>>;
  /** A report repeating at least this share of last year's text scores nothing for originality. */
  readonly copiedShare: number;
}

export class RubricError extends Error {
  constructor(readonly problems: readonly { path: string; problem: string }[]) {
    super(`invalid rubric: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`);
    this.name = 'RubricError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateRubric(input: unknown): Rubric {
  const problems: { path: string; problem: string }[] = [];
  if (!isObject(input)) throw new RubricError([{ path: '$', problem: 'must be a JSON object' }]);
  const weights = input.weights;
  if (!isObject(weights)) problems.push({ path: '$.weights', problem: `must be an object with ${CRITERIA.join(', ')}` });
  else {
    for (const c of CRITERIA) {
      const w = weights[c];
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) problems.push({ path: `$.weights.${c}`, problem: `must be a number ≥ 0, got ${JSON.stringify(w)}` });
    }
    for (const key of Object.keys(weights)) if (!(CRITERIA as readonly string[]).includes(key)) problems.push({ path: `$.weights.${key}`, problem: `unknown criterion (known: ${CRITERIA.join(', ')})` });
    const total = CRITERIA.reduce((sum, c) => sum + (typeof weights[c] === 'number' ? (weights[c] as number) : 0), 0);
    if (problems.length === 0 && total !== 100) problems.push({ path: '$.weights', problem: `must add up to 100, they add up to ${total}` });
  }
  const deductions = input.findingDeductions;
  if (!isObject(deductions)) problems.push({ path: '$.findingDeductions', problem: `must be an object keyed by finding code (${FINDING_CODES.join(', ')})` });
  else {
    for (const [code, d] of Object.entries(deductions)) {
      if (!(FINDING_CODES as readonly string[]).includes(code)) problems.push({ path: `$.findingDeductions.${code}`, problem: `unknown finding code (known: ${FINDING_CODES.join(', ')})` });
      else if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) problems.push({ path: `$.findingDeductions.${code}`, problem: `must be a number ≥ 0, got ${JSON.stringify(d)}` });
    }
  }
  const copied = input.copiedShare;
  if (typeof copied !== 'number' || copied <= 0 || copied > 1) problems.push({ path: '$.copiedShare', problem: `must be a number in (0, 1], got ${JSON.stringify(copied)}` });
  if (problems.length > 0) throw new RubricError(problems);
  return {
    version: typeof input.version === 'number' ? input.version : 1,
    weights: weights as Record<Criterion, number>,
    findingDeductions: Object.fromEntries(FINDING_CODES.map((c) => [c, Number((deductions as Record<string, number>)[c] ?? 0)])) as Record<FindingCode, number>,
    copiedShare: copied as number,
  };
}

export const DEFAULT_RUBRIC: Rubric = validateRubric(defaultRubric);

export function loadRubric(file: string | undefined): Rubric {
  if (!file) return DEFAULT_RUBRIC;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RubricError([{ path: file, problem: `cannot be read as JSON: ${(error as Error).message}` }]);
  }
  return validateRubric(parsed);
}
