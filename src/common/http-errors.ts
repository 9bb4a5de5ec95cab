/**
 * One error body for every HTTP answer the service gives, GraphQL or not: what a GraphQL client
 * reads in `errors[0]` — `message` and `extensions.code` (with `field`, `problems`, … where they
 * apply, and the request id) — is what `/exports/…` and `/imports` send when they refuse:
 *
 *   { "errors": [ { "message": "…", "extensions": { "code": "NOT_FOUND", "field": "under", "requestId": "…" } } ] }
 *
 * so a client handles a refused download and a refused query with the same code.
 */
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import type { ErrorCode } from './errors';

/** Codes the HTTP routes use besides the GraphQL ones. */
export type HttpErrorCode = ErrorCode | 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL_SERVER_ERROR';

export interface HttpErrorBody {
  readonly errors: readonly { readonly message: string; readonly extensions: { readonly code: string; readonly [key: string]: unknown } }[];
}

/** The HTTP status each typed error answers with when a route (not GraphQL) raises it. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  // As the request guard answers it (http-guards.ts): the service was too busy, try again.
  REQUEST_TIMEOUT: 503,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** The HTTP status a typed error code answers with, when a route (not GraphQL) raises it. */
export function httpStatusOf(code: string): number | undefined {
  return STATUS_OF_CODE[code];
}

export function errorBody(code: HttpErrorCode | string, message: string, extensions: Record<string, unknown> = {}): HttpErrorBody {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/**
 * Answers with the error body; `extensions` adds `field`, `problems`, …; `rest` adds top-level
 * members beside `errors` (the upload's per-file rows). Nothing is sent once a download started.
 */
export function sendError(
  res: Response,
  status: number,
  code: HttpErrorCode | string,
  message: string,
  options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; rest?: Record<string, unknown> } = {},
): void {
  if (res.headersSent) return;
  const requestId = res.locals.requestId as string | undefined;
  const body = errorBody(code, message, { ...options.extensions, ...(requestId ? { requestId } : {}) });
  res.status(status).set(options.headers ?? {}).json({ ...body, ...options.rest });
}

/**
 * A typed GraphQL error raised inside a route (NotFoundError.office, BadUserInputError, …),
 * answered with its own code and extensions and the status that code means. Anything else is
 * not ours to describe: false, and the caller passes it on.
 */
export function sendTypedError(res: Response, error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const { code, ...extensions } = error.extensions as { code?: unknown };
  const status = typeof code === 'string' ? STATUS_OF_CODE[code] : undefined;
  if (!status) return false;
  sendError(res, status, code as string, error.message, { extensions });
  return true;
}
