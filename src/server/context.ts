import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AnalysisService } from '../analysis/analysis.service';
import { MemoryAnalysisCache, type AnalysisCache } from '../analysis/cache';
import { AssessmentService } from '../assessment/assessment.service';
import { DEFAULT_RUBRIC, type Rubric } from '../assessment/rubric';
import { ImportService } from '../ingest/import.service';
import { AuditService } from '../audit/audit.service';
import { TokenService } from '../auth/token.service';
import { ANONYMOUS, type Viewer } from '../auth/viewer';
import { ReportEvents } from '../reports/report-events';
import { OfficeService } from '../offices/office.service';
import { ReportService } from '../reports/report.service';
import { ReviewQueueService } from '../review/review-queue';
import { ReviewService } from '../review/review.service';
import { ReportingYearService } from '../years/reporting-year.service';
import { createLoaders, type Loaders } from './loaders';

/** Stateless services, built once per process and shared by all requests. */
export function createServices(dataSource: DataSource, cache: AnalysisCache = new MemoryAnalysisCache(), rubric: Rubric = DEFAULT_RUBRIC) {
  const audit = new AuditService(dataSource);
  const offices = new OfficeService(dataSource, audit);
  const events = new ReportEvents();
  // A changed report drops the cached comparisons whose scope holds its office.
  events.onReportChanged((change) => void cache.invalidate(change.officePath));
  return {
    audit,
    offices,
    events,
    analysis: new AnalysisService(dataSource, cache),
    assessment: new AssessmentService(dataSource, rubric),
    reports: new ReportService(dataSource, offices, audit, events),
    years: new ReportingYearService(dataSource),
    review: new ReviewService(dataSource, offices, audit, events),
    reviewQueue: new ReviewQueueService(dataSource, offices),
    imports: new ImportService(dataSource, offices, audit, events),
    tokens: new TokenService(dataSource, offices, audit),
  };
}

export type Services = ReturnType<typeof createServices>;

export interface RequestContext {
  readonly dataSource: DataSource;
  readonly services: Services;
  /** Per-request DataLoaders. */
  readonly loaders: Loaders;
  readonly requestId: string;
  readonly log: Logger;
  /** Who is calling (the anonymous public viewer without credentials). */
  readonly viewer: Viewer;
  /** Whether anonymous callers may read public fields (PUBLIC_ACCESS). */
  readonly publicAccess: boolean;
}

export function createRequestContext(
  dataSource: DataSource,
  services: Services,
  log: Logger,
  requestId: string,
  access: { viewer?: Viewer; publicAccess?: boolean } = {},
): RequestContext {
  const viewer = access.viewer ?? ANONYMOUS;
  return {
    dataSource,
    services,
    loaders: createLoaders(dataSource),
    requestId,
    log: log.child({ requestId, viewer: viewer.subject }),
    viewer,
    publicAccess: access.publicAccess ?? true,
  };
}
