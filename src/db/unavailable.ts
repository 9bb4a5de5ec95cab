/**
 * Whether an error means the database cannot be reached (as opposed to a bad statement): such
 * errors become SERVICE_UNAVAILABLE for the client and the request is not retried here. mysql2's
 * pool drops a broken connection and opens a new one on the next query, so the service recovers
 * by itself when the database returns.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

const UNAVAILABLE_MESSAGES = [/connection is in closed state/i, /Pool is closed/i, /Connection lost/i, /connect ETIMEDOUT/i];

/**
 * graphql-js keeps only a description of a thrown value that is not an `Error` of its own realm
 * ("Unexpected error value: { …, code: \"ECONNREFUSED\", … }"), which is what a socket error
 * becomes under a test runner's sandbox: the code is read back from that description.
 */
const DESCRIBED_CODE = /^Unexpected error value: .*\bcode: "([A-Z_]+)"/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; fatal?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.fatal === true) return true;
  if (typeof e.message === 'string') {
    if (UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
    const described = DESCRIBED_CODE.exec(e.message);
    if (described && UNAVAILABLE_CODES.has(described[1]!)) return true;
  }
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.originalError, depth + 1);
}
