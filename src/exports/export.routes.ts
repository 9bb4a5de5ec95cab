/**
 * `GET /exports/<query>.xlsx|.csv?…`: every analysis view and a report's tables as files.
 *
 * Access is the GraphQL query's: the same credentials, rate limits and role (`authorize`, built in
 * app.ts), the same cost limit on the analysis work (analysis-cost.ts, with the subtree measured
 * first) and the same per-client limit on analyses in flight, shared with /graphql. Refusals and
 * bad parameters answer with the GraphQL error body (`{ errors: [{ message, extensions: { code } }] }`)
 * and its status; once the file has started, a failure ends the download instead.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { analysisPoints, analysisWork, subtreeSizes } from '../analysis/analysis-cost';
import { ANONYMOUS } from '../auth/viewer';
import { isKnownErrorCode } from '../common/errors';
import { httpStatusOf, sendError } from '../common/http-errors';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { ClientConcurrency } from '../server/client-concurrency';
import type { Services } from '../server/context';
import { viewerOf } from '../server/http-guards';
import { AnalysisExports } from './analysis-adapter';
import { compareOfficesPlan, rollupPlan, timeSeriesPlan, yearOverYearPlan, type Planner } from './analysis-exports';
import { ExportParams } from './export-params';
import { writeCsv, writeWorkbook } from './export-writers';
import { districtReportsPlan, reportTablePlan } from './report-exports';

export interface ExportLimits {
  /** GRAPHQL_MAX_COST: an export may not cost more than the query would. */
  readonly maxCost: number;
  /** Analyses in flight per client, the same counter /graphql uses. */
  readonly concurrency: ClientConcurrency;
}

/** The GraphQL error body, with the request id, for a refusal before the file starts. */
function sendGraphQLError(res: Response, status: number, message: string, extensions: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const { code, ...rest } = extensions;
  sendError(res, status, String(code), message, { extensions: rest, headers });
}

/** Known errors keep their code and message; a database that is down is a 503; anything else is masked and passed on. */
function answerError(res: Response, error: unknown): boolean {
  if (isDatabaseUnavailable(error)) {
    sendGraphQLError(res, 503, 'The database is unavailable; try again shortly.', { code: 'SERVICE_UNAVAILABLE' }, { 'Retry-After': '5' });
    return true;
  }
  const e = error as GraphQLError;
  const code = e?.extensions?.code;
  if (!isKnownErrorCode(code)) return false;
  sendGraphQLError(res, httpStatusOf(code) ?? 400, e.message, { ...e.extensions });
  return true;
}

/** RFC 5987: an ASCII fallback and the UTF-8 name, so browsers save 多机关比较-….xlsx. */
function attachment(res: Response, name: string, ascii: string, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerAnalysisExportRoutes(app: Express, services: Services, dataSource: DataSource, limits: ExportLimits, authorize: RequestHandler = (_req, _res, next) => next()): void {
  const analyses = new AnalysisExports(dataSource, services.analysis);
  const routes: Record<string, { planner: Planner; params: readonly string[] }> = {
    'compare-offices': { planner: compareOfficesPlan, params: ['year', 'metrics', 'under', 'officeCodes', 'offices', 'orderBy', 'direction'] },
    rollup: { planner: rollupPlan, params: ['under', 'years', 'metrics', 'groupBy', 'missingFirst'] },
    'time-series': { planner: timeSeriesPlan, params: ['metrics', 'fromYear', 'toYear', 'under', 'officeCodes'] },
    'year-over-year': { planner: yearOverYearPlan, params: ['officeCode', 'metrics', 'fromYear', 'toYear'] },
    'report-table': { planner: reportTablePlan(dataSource), params: ['officeCode', 'year', 'table'] },
    'district-reports': { planner: districtReportsPlan(services.assessment), params: ['under', 'year', 'table'] },
  };

  for (const [name, route] of Object.entries(routes)) {
    for (const format of ['xlsx', 'csv'] as const) {
      app.get(`/exports/${name}.${format}`, authorize, async (req: Request, res: Response, next) => {
        let release: (() => void) | null = null;
        // The analysis statements stop when the client goes away.
        const abort = new AbortController();
        res.once('close', () => {
          abort.abort();
          release?.();
          release = null;
        });
        try {
          const plan = await route.planner(new ExportParams(req.query as Record<string, unknown>, route.params), analyses, format);
          if (plan.analysis) {
            const { field, args, scopeCodes } = plan.analysis;
            const sizes = await subtreeSizes(dataSource, scopeCodes);
            const cost = analysisPoints(analysisWork(field, args, (code) => sizes.get(code) ?? 0));
            if (cost > limits.maxCost) {
              return sendGraphQLError(res, 400, `Export costs ${cost} points; at most ${limits.maxCost} allowed. Ask for fewer metrics, years or offices.`, { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost });
            }
            const viewer = viewerOf(res) ?? ANONYMOUS;
            const client = viewer.subject === ANONYMOUS.subject ? `address:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}` : viewer.subject;
            if (!limits.concurrency.tryEnter(client)) {
              const retryAfter = limits.concurrency.retryAfterSeconds;
              return sendGraphQLError(res, 429, `Too many analysis requests at once from this client: at most ${limits.concurrency.limit} in flight; retry in ${retryAfter} s.`, { code: 'RATE_LIMITED', limit: limits.concurrency.limit }, { 'Retry-After': String(retryAfter) });
            }
            release = () => limits.concurrency.leave(client);
          }
          // The first statements run before anything is sent, so a refusal or an outage still gets its status.
          const doc = await plan.document(abort.signal);
          if (format === 'xlsx') {
            attachment(res, `${doc.fileName}.xlsx`, `${doc.asciiName}.xlsx`, XLSX);
            await writeWorkbook(res, doc);
          } else {
            attachment(res, `${doc.fileName}.csv`, `${doc.asciiName}.csv`, 'text/csv; charset=utf-8');
            await writeCsv(res, doc.tables[0]!);
            res.end();
          }
        } catch (error) {
          // Once the file has started streaming, the status is sent: end the download as failed.
          if (res.headersSent) res.destroy(error as Error);
          else if (!answerError(res, error)) next(error);
        }
      });
    }
  }
}
