/**
 * What review adds to every report write (reports/report-writer.ts): a person's corrections survive
 * a re-import of the same text, finding resolutions survive the recomputation of findings, and an
 * import of a different text reopens a review that had begun, saying what changed.
 */
import { In, type EntityManager } from 'typeorm';
import { AnnualReport } from '../reports/annual-report.entity';
import { Finding } from '../reports/finding.entity';
import type { ReportContent } from '../reports/report-content';
import { diffContent } from '../reports/revision-content';
import { MetricCorrection } from './metric-correction.entity';
import { ReviewStateEnum } from './review-state';

/** The content with one cell set to a value, or blanked (null). The source stays: it still names the place in the text. */
export function applyValue(content: ReportContent, key: string, value: number | null): ReportContent {
  const metrics = content.metrics.filter((m) => m.key !== key);
  if (value !== null) metrics.push({ key, value, approximate: false });
  return { ...content, metrics };
}

const valueOf = (content: ReportContent, key: string): number | null => content.metrics.find((m) => m.key === key)?.value ?? null;

/**
 * Applies the report's corrections to newly written content (an import, or an `upsertReport`,
 * which is treated alike: a client re-sending what it sent before must not undo a reviewer's work).
 * A correction whose cell the new content reads as the old reading did is applied again; one whose
 * cell now holds the corrected value stays in force (the publisher fixed it); one whose cell holds
 * anything else is left in CONFLICT with both values, and the new value is stored, for the
 * reviewer to decide (correctMetrics on the cell, or acceptTable, settles it).
 */
export async function keepCorrections(manager: EntityManager, reportId: number, content: ReportContent): Promise<{ content: ReportContent; manualKeys: Set<string> }> {
  // Corrections already in CONFLICT are compared again: a text that reads the cell as the corrected
  // one did puts them back in force, another one updates the value shown beside them.
  const kept = await manager.find(MetricCorrection, { where: { reportId, status: In(['active', 'conflict']) }, order: { id: 'ASC' } });
  const manualKeys = new Set<string>();
  let out = content;
  for (const correction of kept) {
    const read = valueOf(content, correction.metricKey);
    if (read === correction.readValue || read === correction.value) {
      if (read === correction.readValue) {
        out = applyValue(out, correction.metricKey, correction.value);
        manualKeys.add(correction.metricKey);
      }
      if (correction.status !== 'active') await manager.update(MetricCorrection, { id: correction.id }, { status: 'active', conflictingValue: null });
    } else if (correction.status !== 'conflict' || correction.conflictingValue !== read) {
      await manager.update(MetricCorrection, { id: correction.id }, { status: 'conflict', conflictingValue: read });
    }
  }
  return { content: out, manualKeys };
}

type SavedResolution = Pick<Finding, 'code' | 'scope' | 'resolution' | 'resolvedBy' | 'resolvedAt' | 'resolutionNote'>;

/** Read before a write deletes the findings, so that a finding recomputed unchanged keeps its resolution. */
export async function savedResolutions(manager: EntityManager, reportId: number): Promise<SavedResolution[]> {
  const rows = await manager
    .getRepository(Finding)
    .createQueryBuilder('f')
    .select(['f.code', 'f.scope', 'f.resolution', 'f.resolvedBy', 'f.resolvedAt', 'f.resolutionNote'])
    .where('f.reportId = :reportId AND f.resolution IS NOT NULL', { reportId })
    .getMany();
  return rows;
}

export async function restoreResolutions(manager: EntityManager, reportId: number, saved: readonly SavedResolution[]): Promise<void> {
  for (const s of saved) {
    await manager.update(Finding, { reportId, code: s.code, scope: s.scope }, { resolution: s.resolution, resolvedBy: s.resolvedBy, resolvedAt: s.resolvedAt, resolutionNote: s.resolutionNote });
  }
}

/**
 * A different text imported (or different content upserted) for a report whose review had begun:
 * the review is reopened as IN_REVIEW (not UNREVIEWED: the corrections, accepted tables and
 * resolutions made so far still stand, and the queue should show the work was begun) and its note
 * says which values changed, so the reviewer sees what to look at again. A different text reopens
 * even when every value reads the same (the spans the reviewer checked moved; the note says no value
 * changed); an upsert that changes no value and no field (only the provenance differs from the
 * imported reading) leaves the review as it was.
 */
export async function reopenReview(manager: EntityManager, report: AnnualReport, before: ReportContent | null, after: ReportContent, revisionNumber: number, origin: 'import' | 'upsert'): Promise<void> {
  if (report.reviewState === ReviewStateEnum.UNREVIEWED) return;
  const diff = diffContent(before, after);
  if (origin === 'upsert' && diff.metrics.length === 0 && diff.fields.length === 0) return;
  const how = origin === 'import' ? { zh: '重新导入', en: 'the import' } : { zh: '手工录入（upsertReport）', en: 'the upsertReport' };
  const changed = diff.metrics.map((m) => `${m.key}: ${m.before ?? '空白/blank'} → ${m.after ?? '空白/blank'}`);
  const fields = diff.fields.map((f) => f.field);
  const note =
    `${how.zh}第${revisionNumber}版，审核重开 / Reopened by ${how.en} of revision ${revisionNumber}` +
    ` (was ${report.reviewState}): ${changed.length} 个数值改动 / values changed` +
    (changed.length ? `: ${changed.slice(0, 50).join('; ')}${changed.length > 50 ? '; …' : ''}` : '') +
    (fields.length ? `; 其他改动 / other changes: ${fields.join(', ')}` : '');
  report.reviewState = ReviewStateEnum.IN_REVIEW;
  report.reviewNote = note;
  await manager.update(AnnualReport, { id: report.id }, { reviewState: ReviewStateEnum.IN_REVIEW, reviewNote: note });
}
