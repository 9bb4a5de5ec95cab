import { GraphQLError } from 'graphql';

/**
 * The service's typed errors. Each has a fixed `extensions.code`; `formatError` passes these
 * through and masks everything else.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface InputProblem {
  /** Path of the offending input field, e.g. `input.metrics[3].key`. */
  readonly field: string;
  readonly problem: string;
  /** The metric key concerned, where there is one. */
  readonly metric?: string;
}

export class BadUserInputError extends GraphQLError {
  constructor(message: string, problems: readonly InputProblem[] = []) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', problems } });
  }

  static of(field: string, problem: string, metric?: string): BadUserInputError {
    return new BadUserInputError(`${field}: ${problem}`, [{ field, problem, ...(metric ? { metric } : {}) }]);
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string, key: string, message = `${what} not found: ${key}`, field?: string, problems: readonly InputProblem[] = []) {
    super(message, { extensions: { code: 'NOT_FOUND', what, key, ...(field ? { field } : {}), ...(problems.length ? { problems } : {}) } });
  }

  /**
   * Office codes that name no office, wherever a code was given (a lookup, a scope, an input):
   * distinct from a known office without a report (null). `key` is the code (the codes, comma
   * separated, for a list); `problems` names the field for each, as BAD_USER_INPUT does.
   */
  static office(code: string | readonly string[], field: string): NotFoundError {
    const codes = typeof code === 'string' ? [code] : [...code];
    return new NotFoundError(
      'office',
      codes.join(','),
      `${field}: no office with code ${codes.map((c) => `"${c}"`).join(', ')} (list them with offices(search: …) or \`disclosure-graph offices list\`)`,
      field,
      codes.map((c) => ({ field, problem: `no office with code "${c}"` })),
    );
  }
}

export class ConflictError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'CONFLICT' } });
  }
}

export class ServiceUnavailableError extends GraphQLError {
  constructor(message = 'The database is unavailable; try again shortly.') {
    super(message, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
}

/** No credentials where some are needed, or credentials that do not verify. HTTP 401 when raised before execution. */
export class AuthenticationError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

/** Valid credentials whose role or office scope does not allow the call. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

export function isKnownErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** The request ran out of time (or its client left); statements it started have been stopped. */
export class RequestTimeoutError extends GraphQLError {
  constructor(message = 'The request took longer than its time limit and was stopped.') {
    super(message, { extensions: { code: 'REQUEST_TIMEOUT' } });
  }
}

