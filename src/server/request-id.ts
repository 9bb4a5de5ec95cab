import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * The request id, available to everything the request runs (formatError and the audit log have
 * no request context of their own). Clients see it in `x-request-id` and in masked errors.
 */
const store = new AsyncLocalStorage<string>();

export function currentRequestId(): string | undefined {
  return store.getStore();
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.headers['x-request-id'];
  const requestId = typeof offered === 'string' && SAFE_ID.test(offered) ? offered : randomUUID();
  res.locals.requestId = requestId;
  res.setHeader('x-request-id', requestId);
  store.run(requestId, next);
}

/**
 * Re-binds the id where express's body parser lost the async context (its callbacks run in the
 * socket's context); called synchronously at the start of the GraphQL context function.
 */
export function bindRequestId(requestId: string): void {
  store.enterWith(requestId);
}
