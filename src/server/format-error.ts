import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { isKnownErrorCode, type InputProblem } from '../common/errors';
import { isDatabaseUnavailable } from '../db/unavailable';
import { UnknownMetricKeyError } from '../metrics/metric-key.scalar';

/** Codes Apollo itself assigns to request problems: safe to show as they are. */
const APOLLO_REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

function flatten(errors: readonly ValidationError[], prefix: string, out: InputProblem[]): InputProblem[] {
  for (const e of errors) {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, problem: message });
    if (e.children?.length) flatten(e.children, field, out);
  }
  return out;
}

/**
 * graphql-js suggests names it knows ("Did you mean \"apiTokens\"?") in validation and variable
 * errors: with introspection off that would still spell the schema out, one guess at a time.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

/** The scalar's error, however graphql-js and Apollo wrapped it (validation, variable coercion). */
function unknownMetricKey(error: unknown): UnknownMetricKeyError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { originalError?: unknown }).originalError, depth++) {
    if (e instanceof UnknownMetricKeyError) return e;
  }
  return null;
}

/**
 * Known errors pass through with their code and message; class-validator failures become one
 * BAD_USER_INPUT naming each field; a database that cannot be reached becomes
 * SERVICE_UNAVAILABLE; anything else is masked (no SQL, stack or path reaches a client) with the
 * request id, and logged by the caller with that id.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onUnexpected?: (error: unknown) => void,
  requestId?: string,
  options: { hideSchemaDetails?: boolean } = {},
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isDatabaseUnavailable(original)) {
    return {
      message: 'The database is unavailable; try again shortly.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    };
  }
  if (original instanceof ArgumentValidationError) {
    // Every validated argument of this API is an input object called `input`.
    const problems = flatten(original.extensions.validationErrors as ValidationError[], 'input', []);
    return {
      message: `Invalid input — ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', problems },
    };
  }
  const badKey = unknownMetricKey(error);
  if (badKey) {
    // One code for a misspelt key, whether it came as a literal (a validation error to graphql-js)
    // or in a variable; `problems` as for every other bad input, its field where graphql-js said.
    const field = /at "([^"]+)"/.exec(formatted.message)?.[1] ?? null;
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', metric: badKey.metric, problems: [{ field: field ?? '', problem: badKey.message, metric: badKey.metric }] },
    };
  }
  const code = formatted.extensions?.code;
  if (isKnownErrorCode(code) || (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code))) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: options.hideSchemaDetails ? withoutSuggestions(formatted.message) : formatted.message, extensions };
  }
  onUnexpected?.(original);
  return {
    message: requestId ? `Internal server error (request id ${requestId})` : 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  };
}
