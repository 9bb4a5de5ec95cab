import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AnalysisService } from '../analysis/analysis.service';
import { MemoryAnalysisCache, type AnalysisCache } from '../analysis/cache';
import { AssessmentService } from '../assessment/assessment.service';
import { DEFAULT_RUBRIC, type Rubric } from '../assessment/rubric';
import { ImportService } from '../ingest/import.service';
import { ParsePool } from '../ingest/parse-pool';
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
export function createServices(
  dataSource: DataSource,
  cache: AnalysisCache = new MemoryAnalysisCache(),
  rubric: Rubric = DEFAULT_RUBRIC,
  options: { parsePool?: ParsePool; log?: Logger } = {},
) {
  const audit = new AuditService(dataSource);
  // Started on first use; whoever creates the services closes it (services.parsePool.close()).
  const parsePool = options.parsePool ?? new ParsePool();
  const events = new ReportEvents();
  const offices = new OfficeService(dataSource, audit, events);
  // The write is committed by now: a cache that cannot be reached must not turn it into an error.
  const dropping = (what: string, work: () => Promise<void>) => work().catch((error: unknown) => options.log?.error({ err: error }, `could not invalidate the analysis cache after ${what}`));
  // A changed report drops the cached comparisons whose scope holds its office.
  events.onReportChanged((change) => dropping('a report changed', () => cache.invalidate(change.officePath)));
  // A new, renamed or moved office changes its scopes' office counts, missing lists and groups;
  // a move also strands entries filed under the subtree's old paths.
  events.onOfficeChanged((change) =>
    dropping('an office changed', async () => {
      await cache.invalidate(change.officePath);
      if (change.previousPath) {
        await cache.invalidate(change.previousPath);
        await cache.invalidateSubtree(change.previousPath);
      }
    }),
  );
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
    imports: new ImportService(dataSource, offices, audit, events, parsePool),
    parsePool,
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
  /** Aborted when the request ends (time limit, client gone, response sent): its statements stop. */
  readonly signal?: AbortSignal;
  /** Who to count against per-client limits: the credential's subject, else `address:<ip>`. */
  readonly client: string;
}

export function createRequestContext(
  dataSource: DataSource,
  services: Services,
  log: Logger,
  requestId: string,
  access: { viewer?: Viewer; publicAccess?: boolean; signal?: AbortSignal; address?: string } = {},
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
    signal: access.signal,
    client: viewer.subject === ANONYMOUS.subject ? `address:${access.address ?? 'unknown'}` : viewer.subject,
  };
}
