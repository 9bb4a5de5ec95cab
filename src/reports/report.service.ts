import { withTransaction } from '../db/transaction';
import type { DataSource } from 'typeorm';
import { BadUserInputError } from '../common/errors';
import { isMetricKey } from '../metrics/catalog';
import type { AuditService } from '../audit/audit.service';
import { assertMayWriteFor } from '../auth/office-scope';
import type { Viewer } from '../auth/viewer';
import type { OfficeService } from '../offices/office.service';
import type { AnnualReport } from './annual-report.entity';
import { reportContentFrom } from './report-content';
import type { ReportEvents } from './report-events';
import type { ReportInput } from './report.input';
import { writeReport } from './report-writer';

export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
    private readonly audit: AuditService,
    private readonly events?: ReportEvents,
  ) {}

  /**
   * Validates, checks the viewer may write for the office, then writes the whole report and its
   * audit entry in one transaction; nothing is left half-written.
   */
  async upsert(input: ReportInput, viewer: Viewer): Promise<AnnualReport> {
    const content = reportContentFrom(input);
    const result = await withTransaction(this.dataSource, async (manager) => {
      const office = await this.offices.requireByCode(input.officeCode, 'input.officeCode', manager);
      await assertMayWriteFor(manager, viewer, office);
      const written = await writeReport(manager, office, content, { origin: 'upsert', author: viewer.subject });
      await this.audit.record(manager, viewer, {
        action: `report.${written.outcome}`,
        targetType: 'report',
        target: `${office.code}/${content.year}`,
        beforeRevisionId: written.previousRevision?.id ?? null,
        afterRevisionId: written.revision.id,
      });
      return { office, write: written };
    });
    // After the commit: caches must not be refilled from the old rows.
    if (result.write.outcome !== 'unchanged') await this.events?.reportChanged({ officeId: result.office.id, officePath: result.office.path, year: content.year });
    return result.write.report;
  }
}

/** Rejects unknown metric keys, naming each one. */
export function assertMetricKeys(keys: readonly string[], field = 'keys'): void {
  const unknown = keys.filter((k) => !isMetricKey(k));
  if (unknown.length > 0) {
    throw new BadUserInputError(
      `${field}: unknown metric key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (see metricDefinitions)`,
      unknown.map((k) => ({ field, metric: k, problem: `unknown metric key "${k}"` })),
    );
  }
}
