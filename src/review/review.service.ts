import { GraphQLError } from 'graphql';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { assertMayWriteFor } from '../auth/office-scope';
import { Role } from '../auth/roles';
import type { Viewer } from '../auth/viewer';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { withTransaction } from '../db/transaction';
import { metricDefinition } from '../metrics/catalog';
import { Office } from '../offices/office.entity';
import type { OfficeService } from '../offices/office.service';
import { AnnualReport } from '../reports/annual-report.entity';
import { Finding } from '../reports/finding.entity';
import type { ReportEvents } from '../reports/report-events';
import type { ReportRevision } from '../reports/report-revision.entity';
import { latestRevision, lockedReport, revisionContent, revisionText, writeReport } from '../reports/report-writer';
import { MetricCorrection, TableAcceptance } from './metric-correction.entity';
import { FindingResolutionEnum, ReviewStateEnum } from './review-state';
import { validateChanges } from './review-input';
import { applyValue } from './review-writer';
import type { AcceptTableInput, CorrectMetricsInput, ResolveFindingInput, SetReviewStateInput } from './review.types';

/** Optimistic concurrency: the reviewer saw an older revision than the current one. */
export class RevisionConflictError extends GraphQLError {
  constructor(target: string, seen: number, current: number) {
    super(
      `${target}: you saw revision ${seen}, but revision ${current} is now current (someone else changed the report); reload it and apply your change again. Nothing was written.`,
      { extensions: { code: 'CONFLICT', field: 'input.revision', yourRevision: seen, currentRevision: current } },
    );
  }
}

/**
 * Analysts review any report; editors only within their subtree (auth/office-scope.ts); admins
 * anywhere. Called inside the write's transaction, before anything is written.
 */
export async function assertMayReview(manager: EntityManager, viewer: Viewer, office: Office): Promise<void> {
  if (viewer.role === Role.ANALYST || viewer.role === Role.ADMIN) return;
  if (viewer.role === Role.EDITOR) return assertMayWriteFor(manager, viewer, office);
  throw new ForbiddenError('Reviewing reports needs the analyst or editor role.');
}

interface Located {
  office: Office;
  report: AnnualReport;
  current: ReportRevision;
  target: string;
}

export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
    private readonly audit: AuditService,
    private readonly events?: ReportEvents,
  ) {}

  /** The report locked for the write, the viewer's right to review it checked, and the revision they saw confirmed current. */
  private async locate(manager: EntityManager, viewer: Viewer, officeCode: string, year: number, seen: number | null | undefined): Promise<Located> {
    const office = await this.offices.requireByCode(officeCode, 'input.officeCode', manager);
    await assertMayReview(manager, viewer, office);
    const target = `${office.code}/${year}`;
    const report = await lockedReport(manager, office.id, year);
    if (!report) throw new NotFoundError('report', target, `input.year: office "${office.code}" has no report on ${year}`, 'input.year');
    const current = (await latestRevision(manager, report.id))!;
    if (seen !== null && seen !== undefined && seen !== current.number) throw new RevisionConflictError(target, seen, current.number);
    return { office, report, current, target };
  }

  /**
   * A reviewer's corrections as a new revision: the reading stays visible as the previous one,
   * findings are recomputed, each change is audited with its reason, and caches are dropped.
   */
  async correct(input: CorrectMetricsInput, viewer: Viewer): Promise<AnnualReport> {
    const result = await withTransaction(this.dataSource, async (manager) => {
      const { office, report, current, target } = await this.locate(manager, viewer, input.officeCode, input.year, input.revision);
      const changes = validateChanges(input.changes, report.templateFormat);
      const before = await revisionContent(manager, current);
      if (!before) throw new NotFoundError('revision', target, `${target}: revision ${current.number} has no stored content to correct`);
      const active = await manager.find(MetricCorrection, { where: { reportId: report.id, status: 'active' } });
      const activeByKey = new Map(active.map((c) => [c.metricKey, c]));
      let content = before;
      const audited = [];
      for (const [i, change] of changes.entries()) {
        const was = before.metrics.find((m) => m.key === change.key)?.value ?? null;
        if (was === change.value) {
          throw new GraphQLError(`input.changes[${i}]: "${change.key}" is already ${was ?? 'blank'}; nothing to correct (acceptTable confirms values as they are)`, {
            extensions: { code: 'BAD_USER_INPUT', problems: [{ field: `input.changes[${i}].value`, metric: change.key, problem: 'unchanged' }] },
          });
        }
        content = applyValue(content, change.key, change.value);
        audited.push({ key: change.key, before: was, after: change.value, blank: change.value === null, reason: change.reason });
      }
      const manualKeys = new Set([...activeByKey.keys(), ...changes.map((c) => c.key)]);
      const written = await writeReport(manager, office, content, {
        origin: 'correction',
        author: viewer.subject,
        sourceText: await revisionText(manager, current.id, 'source'),
        normalisedText: await revisionText(manager, current.id, 'normalised'),
        manualKeys,
      });
      // A correction a new text contradicted (CONFLICT) is settled by the reviewer's new value.
      const conflicts = await manager.find(MetricCorrection, { where: { reportId: report.id, status: 'conflict', metricKey: In(changes.map((c) => c.key)) } });
      if (conflicts.length) await manager.update(MetricCorrection, { id: In(conflicts.map((c) => c.id)) }, { status: 'replaced' });
      for (const change of changes) {
        const replaced = activeByKey.get(change.key);
        if (replaced) await manager.update(MetricCorrection, { id: replaced.id }, { status: 'replaced' });
        // What the reading gave, not an earlier correction: a re-import compares its reading with this.
        const readValue = replaced ? replaced.readValue : (before.metrics.find((m) => m.key === change.key)?.value ?? null);
        await manager.insert(MetricCorrection, {
          reportId: report.id,
          metricKey: change.key,
          value: change.value,
          readValue,
          conflictingValue: null,
          status: 'active',
          reason: change.reason,
          author: viewer.subject.slice(0, 200),
          revisionNumber: written.revision.number,
        });
      }
      if (report.reviewState === ReviewStateEnum.UNREVIEWED) await manager.update(AnnualReport, { id: report.id }, { reviewState: ReviewStateEnum.IN_REVIEW });
      await this.audit.record(manager, viewer, {
        action: 'report.correct',
        targetType: 'report',
        target,
        before: Object.fromEntries(audited.map((a) => [a.key, a.before])),
        after: { fromRevision: current.number, revision: written.revision.number, changes: audited },
        // Inline, not as revision ids: the audit view would show the revisions' content instead of the reasons.
      });
      return { office, reportId: report.id };
    });
    // After the commit: caches must not be refilled from the old rows.
    await this.events?.reportChanged({ officeId: result.office.id, officePath: result.office.path, year: input.year });
    return (await this.dataSource.getRepository(AnnualReport).findOneBy({ id: result.reportId }))!;
  }

  /** A whole table accepted as read, at the revision the reviewer saw. */
  async acceptTable(input: AcceptTableInput, viewer: Viewer): Promise<AnnualReport> {
    return withTransaction(this.dataSource, async (manager) => {
      const { report, current, target } = await this.locate(manager, viewer, input.officeCode, input.year, input.revision);
      await manager.delete(TableAcceptance, { reportId: report.id, tableName: input.table });
      await manager.insert(TableAcceptance, { reportId: report.id, tableName: input.table, revisionNumber: current.number, acceptedBy: viewer.subject.slice(0, 200) });
      // Accepting the table as read accepts the new text's values over corrections it contradicted.
      const conflicts = await manager.find(MetricCorrection, { where: { reportId: report.id, status: 'conflict' } });
      const settled = conflicts.filter((c) => metricDefinition(c.metricKey)?.table === input.table);
      if (settled.length) await manager.update(MetricCorrection, { id: In(settled.map((c) => c.id)) }, { status: 'replaced' });
      if (report.reviewState === ReviewStateEnum.UNREVIEWED) {
        report.reviewState = ReviewStateEnum.IN_REVIEW;
        await manager.update(AnnualReport, { id: report.id }, { reviewState: ReviewStateEnum.IN_REVIEW });
      }
      await this.audit.record(manager, viewer, { action: 'report.accept-table', targetType: 'report', target, after: { table: input.table, revision: current.number, settledConflicts: settled.map((c) => c.metricKey) } });
      return report;
    });
  }

  /** A finding marked as the report's own error (recorded as published) or fixed by a correction; OPEN reopens it. */
  async resolveFinding(input: ResolveFindingInput, viewer: Viewer): Promise<Finding> {
    const result = await withTransaction(this.dataSource, async (manager) => {
      const finding = await manager.findOneBy(Finding, { id: input.findingId });
      if (!finding) {
        throw new NotFoundError('finding', String(input.findingId), `input.findingId: no finding ${input.findingId} (findings are recomputed when a report is written; reload the report)`, 'input.findingId');
      }
      const report = (await manager.findOneBy(AnnualReport, { id: finding.reportId }))!;
      const office = (await manager.findOneBy(Office, { id: report.officeId }))!;
      await assertMayReview(manager, viewer, office);
      const open = input.resolution === FindingResolutionEnum.OPEN;
      const before = { resolution: finding.resolution ?? 'open', note: finding.resolutionNote };
      Object.assign(finding, {
        resolution: open ? null : input.resolution,
        resolvedBy: open ? null : viewer.subject.slice(0, 200),
        resolvedAt: open ? null : new Date(),
        resolutionNote: input.note?.trim() || null,
      });
      await manager.save(finding);
      await this.audit.record(manager, viewer, {
        action: 'finding.resolve',
        targetType: 'report',
        target: `${office.code}/${report.year}`,
        before,
        after: { finding: finding.id, code: finding.code, scope: finding.scope, resolution: input.resolution, note: finding.resolutionNote },
      });
      return { finding, office, year: report.year };
    });
    // The assessment counts open findings only.
    await this.events?.reportChanged({ officeId: result.office.id, officePath: result.office.path, year: result.year });
    return result.finding;
  }

  /** Sets the review state; CONFIRMED records who signed off and when. */
  async setReviewState(input: SetReviewStateInput, viewer: Viewer): Promise<AnnualReport> {
    return withTransaction(this.dataSource, async (manager) => {
      const { report, current, target } = await this.locate(manager, viewer, input.officeCode, input.year, input.revision);
      const before = { state: report.reviewState, reviewedBy: report.reviewedBy, reviewedAt: report.reviewedAt };
      report.reviewState = input.state;
      report.reviewedBy = viewer.subject.slice(0, 200);
      report.reviewedAt = new Date();
      report.reviewNote = input.note?.trim() || null;
      await manager.update(AnnualReport, { id: report.id }, { reviewState: report.reviewState, reviewedBy: report.reviewedBy, reviewedAt: report.reviewedAt, reviewNote: report.reviewNote });
      await this.audit.record(manager, viewer, {
        action: `report.review.${input.state}`,
        targetType: 'report',
        target,
        before,
        after: { state: input.state, revision: current.number, note: report.reviewNote },
      });
      return report;
    });
  }

}
