/**
 * Express-level protection in front of GraphQL: credentials, rate limits, a time limit per
 * request, and JSON answers (never HTML, never a stack) for requests refused before GraphQL.
 */
import { setMaxListeners } from 'node:events';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { viewerFromAuthorization } from '../auth/authenticate';
import type { JwtVerifier } from '../auth/jwt';
import type { TokenService } from '../auth/token.service';
import { Role, roleAtLeast, type RoleName } from '../auth/roles';
import type { Viewer } from '../auth/viewer';
import { AuthenticationError, type ErrorCode } from '../common/errors';
import { sendError as sendHttpError } from '../common/http-errors';
import type { SecurityConfig } from '../config/config';
import { isDatabaseUnavailable } from '../db/unavailable';

/** The service's one HTTP error body (src/common/http-errors.ts), as GraphQL answers errors. */
export function sendError(res: Response, status: number, code: ErrorCode | string, message: string, headers: Record<string, string> = {}): void {
  sendHttpError(res, status, code, message, { headers });
}

export function viewerOf(res: Response): Viewer | undefined {
  return res.locals.viewer as Viewer | undefined;
}

/** Resolves the viewer from `Authorization`; a credential that does not verify is refused here with 401. */
export function authenticate(tokens: TokenService, jwt: JwtVerifier | null, log: Logger): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.viewer = await viewerFromAuthorization(req.headers.authorization, tokens, jwt);
      next();
    } catch (error) {
      if (error instanceof AuthenticationError) {
        log.warn({ requestId: res.locals.requestId, address: req.ip }, `access refused: ${error.message}`);
        return sendError(res, 401, 'UNAUTHENTICATED', error.message, { 'WWW-Authenticate': 'Bearer' });
      }
      if (isDatabaseUnavailable(error)) return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly.', { 'Retry-After': '5' });
      log.error({ err: error, requestId: res.locals.requestId }, 'authentication failed unexpectedly');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${res.locals.requestId})`);
    }
  };
}

export interface RateLimits {
  readonly byAddress: RequestHandler;
  readonly byToken: RequestHandler;
  close(): Promise<void>;
}

/**
 * One point per request, per minute: per client address (before credentials are even looked at)
 * and per credential. In memory by default; in Redis when REDIS_URL is set, so several instances
 * share one budget (with the memory limiter standing in while Redis is unreachable).
 */
export function rateLimits(config: SecurityConfig['rateLimit'], log: Logger): RateLimits {
  let redis: Redis | null = null;
  const make = (points: number, keyPrefix: string): RateLimiterAbstract => {
    const insurance = new RateLimiterMemory({ points, duration: 60, keyPrefix });
    if (!config.redisUrl) return insurance;
    redis ??= new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', (error: Error) => log.warn({ err: error }, 'rate limit store unreachable; limiting in memory'));
    return new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix, insuranceLimiter: insurance });
  };
  const address = make(config.pointsPerMinute, 'dg-rl-addr');
  const token = make(config.pointsPerMinutePerToken, 'dg-rl-token');

  const guard = (limiter: RateLimiterAbstract, keyOf: (req: Request, res: Response) => string | null, what: string): RequestHandler => {
    return (req: Request, res: Response, next: NextFunction) => {
      const key = keyOf(req, res);
      if (key === null) return next();
      limiter.consume(key).then(
        (result) => {
          res.setHeader('RateLimit-Remaining', String(result.remainingPoints));
          next();
        },
        (rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) {
            const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
            sendError(res, 429, 'RATE_LIMITED', `Too many requests ${what}: ${limiter.points} per minute allowed; retry in ${seconds} s.`, { 'Retry-After': String(seconds) });
          } else {
            log.warn({ err: rejection }, 'rate limiter failed; letting the request through');
            next();
          }
        },
      );
    };
  };
  return {
    byAddress: guard(address, (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown', 'from this address'),
    byToken: guard(token, (_req, res) => viewerOf(res)?.subject.replace(/^anonymous$/, '') || null, 'for this credential'),
    close: async () => {
      if (redis) await (redis as Redis).quit().catch(() => undefined);
    },
  };
}

/**
 * Answers a request still running after `ms` with REQUEST_TIMEOUT, and ends its work: the request's
 * AbortSignal (`requestSignal(res)`) fires then, or when the client goes away or the response is
 * sent, and the analysis statements listen to it (a queued one is dropped, a MySQL/MariaDB one
 * still running is killed). Other statements are short and not interrupted, so a write may still
 * complete: the message says so.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (req, res, next) => {
    const controller = new AbortController();
    // Every analysis statement of the request listens to it: four aliases of a rollup are twenty.
    setMaxListeners(0, controller.signal);
    res.locals.abort = controller;
    const timer = setTimeout(() => {
      res.locals.timedOut = true;
      const write = req.method === 'POST' && typeof req.body === 'object' && /\bmutation\b/.test(String((req.body as { query?: unknown })?.query ?? ''));
      const note = write ? ' A write may still complete: check before retrying.' : '';
      sendError(res, 503, 'REQUEST_TIMEOUT', `The request took longer than ${ms} ms and was stopped.${note}`, { 'Retry-After': '1' });
      controller.abort();
    }, ms);
    const end = () => {
      clearTimeout(timer);
      controller.abort();
    };
    res.once('finish', end);
    res.once('close', end);
    next();
  };
}

/** The signal `requestTimeout` attached to this response, if any. */
export function requestSignal(res: Response): AbortSignal | undefined {
  return (res.locals.abort as AbortController | undefined)?.signal;
}

/** Body-parser and late-write errors as JSON; nothing reaches express's HTML error page. */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number; code?: string; limit?: number }, _req, res, _next) => {
    if (res.headersSent) {
      // The time limit already answered; the late response of the finished work is dropped.
      if (error.code !== 'ERR_HTTP_HEADERS_SENT') log.warn({ err: error, requestId: res.locals.requestId }, 'error after the response was sent');
      return;
    }
    if (error.type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body over the ${Math.round((error.limit ?? 0) / 1024)} KiB limit.`);
    if (error.type === 'entity.parse.failed') return sendError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON.');
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return sendError(res, error.status, 'BAD_REQUEST', 'Malformed request.');
    log.error({ err: error, requestId: res.locals.requestId }, 'request failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${res.locals.requestId})`);
  };
}

/** For plain HTTP routes (exports): the viewer `authenticate` resolved must hold `role`. */
export function requireRole(role: RoleName, publicAccess: boolean): RequestHandler {
  return (req, res, next) => {
    const viewer = viewerOf(res);
    if (!viewer) return sendError(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${res.locals.requestId})`);
    const route = `${req.method} ${req.path}`;
    if (role === Role.PUBLIC && publicAccess) return next();
    // As the GraphQL auth checker words it: a public route refused because anonymous access is off.
    const why = role === Role.PUBLIC ? 'this deployment does not allow anonymous access' : `it needs the ${role} role`;
    if (viewer.role === Role.PUBLIC) return sendError(res, 401, 'UNAUTHENTICATED', `${route}: sign in with a bearer token; ${why}.`, { 'WWW-Authenticate': 'Bearer' });
    if (!roleAtLeast(viewer.role, role)) return sendError(res, 403, 'FORBIDDEN', `${route}: needs the ${role} role; this credential has ${viewer.role}.`);
    next();
  };
}

/** Several middlewares as one, in order; the first that answers ends the chain. */
export function allOf(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    const run = (i: number, error?: unknown): void => {
      if (error !== undefined) return next(error);
      if (i === handlers.length) return next();
      void handlers[i]!(req, res, (e?: unknown) => run(i + 1, e));
    };
    run(0);
  };
}
