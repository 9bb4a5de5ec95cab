import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError, sendTypedError } from '../common/http-errors';
import type { Office } from '../offices/office.entity';
import { requireOffice } from '../offices/office-lookup';
import type { Services } from '../server/context';
import type { AssessmentService } from './assessment.service';
import { sheetByKey } from './sheets';
import { writeCsv, writeJson, writeXlsx } from './writers';

/**
 * Refusals in the service's one error body (src/common/http-errors.ts), naming the URL parameter
 * (`field`, and in `problems` as GraphQL input errors do); `error` is the shape these routes used
 * to answer, kept beside it for one release.
 */
function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  const extensions = field ? { field, problems: [{ field, problem: message }] } : {};
  sendError(res, status, code, message, { extensions, rest: { error: { code, message, ...(field ? { field } : {}) } } });
}

/** RFC 5987: an ASCII fallback and the UTF-8 name, so browsers save 政务公开考核-….xlsx. */
function attachment(res: Response, name: string, ascii: string, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}

async function target(req: Request, res: Response, services: Services): Promise<{ root: Office; year: number } | null> {
  const year = Number(req.query.year);
  if (typeof req.query.year !== 'string' || !Number.isInteger(year) || year < 2008 || year > 2100) {
    fail(res, 400, 'BAD_USER_INPUT', `year must be a year such as 2020, got ${JSON.stringify(req.query.year ?? null)}`, 'year');
    return null;
  }
  const under = req.query.under;
  if (typeof under !== 'string' || under === '') {
    fail(res, 400, 'BAD_USER_INPUT', 'under must be the code of the district (or office) to export', 'under');
    return null;
  }
  const root = await requireOffice({ load: (code) => services.offices.byCode(code) }, under, 'under');
  return { root, year };
}

type Handler = (req: Request, res: Response, t: { root: Office; year: number }, service: AssessmentService) => Promise<void>;

function route(services: Services, handler: Handler) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const t = await target(req, res, services);
      if (t) await handler(req, res, t, services.assessment);
    } catch (error) {
      // Once the file has started streaming, the status is sent: end the download as failed.
      if (res.headersSent) res.destroy(error as Error);
      else if (!sendTypedError(res, error)) next(error);
    }
  };
}

/**
 * `GET /exports/assessment.xlsx|.json?year=…&under=…` and `/exports/assessment/<sheet>.csv`.
 * `authorize` is where access control decides who may download (analysts and above).
 */
export function registerExportRoutes(app: Express, services: Services, authorize: RequestHandler = (_req, _res, next) => next()): void {
  const base = (root: Office, year: number) => `政务公开考核-${root.name}-${year}`;
  app.get(
    '/exports/assessment.xlsx',
    authorize,
    route(services, async (_req, res, { root, year }, service) => {
      attachment(res, `${base(root, year)}.xlsx`, `assessment-${root.code}-${year}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await writeXlsx(res, service, root, year);
    }),
  );
  app.get(
    '/exports/assessment.json',
    authorize,
    route(services, async (_req, res, { root, year }, service) => {
      attachment(res, `${base(root, year)}.json`, `assessment-${root.code}-${year}.json`, 'application/json; charset=utf-8');
      await writeJson(res, service, root, year);
      res.end();
    }),
  );
  app.get(
    '/exports/assessment/:sheet.csv',
    authorize,
    route(services, async (req, res, { root, year }, service) => {
      const sheet = sheetByKey(String(req.params.sheet));
      if (!sheet) return fail(res, 404, 'NOT_FOUND', `no sheet "${String(req.params.sheet)}" (summary, proactive, applications, reviews, channels, findings, missing)`, 'sheet');
      attachment(res, `${base(root, year)}-${sheet.name}.csv`, `assessment-${root.code}-${year}-${sheet.key}.csv`, 'text/csv; charset=utf-8');
      await writeCsv(res, sheet, service, root, year);
      res.end();
    }),
  );
}
