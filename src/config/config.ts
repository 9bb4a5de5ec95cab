/** Configuration from the environment, read once at start. */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PARSE_POOL, type ParsePoolOptions } from '../ingest/parse-pool';
import { DEFAULT_REPLICATION, type ReplicationOptions } from '../db/replication';

export type DatabaseConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'mysql' | 'mariadb'; readonly url: string; readonly replicaUrls: readonly string[]; readonly replication?: ReplicationOptions };

export interface AppConfig {
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  /** Load the Jingyuan 2020 sample when the database has no offices yet. */
  readonly loadSample: boolean;
  readonly security: SecurityConfig;
  /** Redis for the shared analysis cache; unset: an in-process cache. */
  readonly redisUrl?: string;
  /** Key prefix in Redis (ANALYSIS_CACHE_PREFIX): deployments sharing one Redis keep apart. */
  readonly cachePrefix?: string;
  /** ANALYSIS_CACHE=off turns the comparison cache off (benchmarks). */
  readonly analysisCache?: boolean;
  /** Report each request's SQL statement count in `extensions` (outside production, or SQL_STATEMENT_COUNTS=1). */
  readonly reportStatementCounts?: boolean;
  /** A district's scoring rubric (JSON) replacing the default. */
  readonly rubricFile?: string;
  /** Imports are parsed on worker threads with a time limit (PARSE_TIME_LIMIT_MS, PARSE_WORKERS). */
  readonly parse?: ParsePoolOptions;
  /** The bundled API explorer (GraphiQL) at GET /graphql for browsers: on outside production, API_EXPLORER=1 in production. */
  readonly explorer?: boolean;
  /** Limits of `POST /imports`; unset: DEFAULT_UPLOADS. */
  readonly uploads?: UploadConfig;
}

/** Browser uploads (`POST /imports`): files are held in memory while a request is read, hence the limits. */
export interface UploadConfig {
  /** UPLOAD_MAX_FILE_BYTES: one file larger than this refuses the request with 413. */
  readonly maxFileBytes: number;
  /** UPLOAD_MAX_REQUEST_BYTES: the whole multipart body. */
  readonly maxRequestBytes: number;
  /** UPLOAD_MAX_FILES: files in one request. */
  readonly maxFiles: number;
}

export const DEFAULT_UPLOADS: UploadConfig = { maxFileBytes: 20 * 1024 * 1024, maxRequestBytes: 50 * 1024 * 1024, maxFiles: 100 };

/** Access control and limits; every variable is documented in docs/SECURITY.md. */
export interface SecurityConfig {
  /** Callers without credentials may read published reports and comparisons. */
  readonly publicAccess: boolean;
  /** Introspection in production (always on outside production). */
  readonly introspection: boolean;
  readonly jwt: JwtConfig | null;
  readonly rateLimit: { readonly pointsPerMinute: number; readonly pointsPerMinutePerToken: number; readonly redisUrl: string | null };
  readonly requestTimeoutMs: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxOperations: number;
  readonly maxCost: number;
  /** Analysis operations (compareOffices, rollup, timeSeries, yearOverYear) in flight per client; 429 beyond. */
  readonly maxAnalysisInFlight: number;
  /** Express's `trust proxy` (e.g. `loopback` or a hop count) so rate limits see client addresses. */
  readonly trustProxy: string | null;
}

export interface JwtConfig {
  /** HS256 shared secret, or a PEM public key / JWKS (file contents) for RS/ES/EdDSA. */
  readonly secret: string | null;
  readonly publicKey: string | null;
  readonly issuer: string | null;
  readonly audience: string | null;
  readonly roleClaim: string;
  readonly officeClaim: string;
  /** The longest lifetime (`exp` − `iat`, and `exp` − now) a token may have; `exp` is required. Default 24 h. */
  readonly maxLifetimeSeconds?: number;
}

export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

export const DEFAULT_SECURITY: SecurityConfig = {
  publicAccess: true,
  introspection: false,
  jwt: null,
  rateLimit: { pointsPerMinute: 600, pointsPerMinutePerToken: 1200, redisUrl: null },
  requestTimeoutMs: 15000,
  maxDepth: 12,
  maxAliases: 30,
  maxOperations: 5,
  maxCost: 50000,
  maxAnalysisInFlight: 2,
  trustProxy: null,
};

export const DEFAULT_SQLITE_PATH = './data/disclosure-graph.sqlite';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * `DATABASE_URL`: unset → the embedded SQLite file; `sqlite:PATH` → that file (`sqlite::memory:`
 * for a throwaway database); `mysql://…` or `mariadb://…` → MySQL/MariaDB through mysql2.
 */
export function parseDatabaseUrl(url: string | undefined, replicaUrls?: string, env: NodeJS.ProcessEnv = {}): DatabaseConfig {
  if (url === undefined || url.trim() === '') return { type: 'sqlite', path: path.resolve(DEFAULT_SQLITE_PATH) };
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '') throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/db.sqlite');
    return { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  const scheme = value.slice(0, value.indexOf(':'));
  if (scheme === 'mysql' || scheme === 'mariadb') {
    try {
      new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', `not a valid URL: ${value.replace(/\/\/[^@]*@/, '//***@')}`);
    }
    const replicas = (replicaUrls ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (replicas.length === 0) return { type: scheme, url: value, replicaUrls: replicas };
    return { type: scheme, url: value, replicaUrls: replicas, replication: loadReplicationOptions(env) };
  }
  throw new ConfigError('DATABASE_URL', `unsupported scheme "${scheme}" (use sqlite:PATH, mysql://… or mariadb://…)`);
}

/** How reads use the replicas (src/db/replication.ts); every variable is described in README "Scaling out". */
export function loadReplicationOptions(env: NodeJS.ProcessEnv): ReplicationOptions {
  const d = DEFAULT_REPLICATION;
  const nonNegative = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(name, `expected a number ≥ 0, got "${raw}"`);
    return value;
  };
  return {
    waitMs: nonNegative('REPLICA_WAIT_MS', d.waitMs),
    warnLagSeconds: nonNegative('REPLICA_LAG_WARN_SECONDS', d.warnLagSeconds),
    maxLagSeconds: nonNegative('REPLICA_MAX_LAG_SECONDS', d.maxLagSeconds),
    checkIntervalMs: nonNegative('REPLICA_CHECK_INTERVAL_MS', d.checkIntervalMs),
    retryMs: nonNegative('REPLICA_RETRY_MS', d.retryMs),
  };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(name, `expected a positive integer, got "${raw}"`);
  return value;
}

/** `JWT_PUBLIC_KEY` is a file path or the PEM/JWKS text itself. */
function readKey(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (text.startsWith('-----BEGIN') || text.startsWith('{')) return text;
  try {
    return fs.readFileSync(text, 'utf8');
  } catch (error) {
    throw new ConfigError('JWT_PUBLIC_KEY', `cannot read key file ${text}: ${(error as Error).message}`);
  }
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const secret = env.JWT_SECRET?.trim() ? env.JWT_SECRET : null;
  const publicKey = readKey(env.JWT_PUBLIC_KEY);
  if (secret && publicKey) throw new ConfigError('JWT_SECRET', 'set either JWT_SECRET (HS256) or JWT_PUBLIC_KEY, not both');
  if (secret && Buffer.byteLength(secret) < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 bytes');
  const d = DEFAULT_SECURITY;
  return {
    publicAccess: flag(env, 'PUBLIC_ACCESS', d.publicAccess),
    introspection: flag(env, 'GRAPHQL_INTROSPECTION', d.introspection),
    jwt:
      secret || publicKey
        ? {
            secret,
            publicKey,
            issuer: env.JWT_ISSUER?.trim() || null,
            audience: env.JWT_AUDIENCE?.trim() || null,
            roleClaim: env.JWT_ROLE_CLAIM?.trim() || 'role',
            officeClaim: env.JWT_OFFICE_CLAIM?.trim() || 'office',
            maxLifetimeSeconds: positiveInt(env, 'JWT_MAX_LIFETIME_SECONDS', DEFAULT_JWT_MAX_LIFETIME_SECONDS),
          }
        : null,
    rateLimit: {
      pointsPerMinute: positiveInt(env, 'RATE_LIMIT_PER_ADDRESS', d.rateLimit.pointsPerMinute),
      pointsPerMinutePerToken: positiveInt(env, 'RATE_LIMIT_PER_TOKEN', d.rateLimit.pointsPerMinutePerToken),
      redisUrl: env.REDIS_URL?.trim() || null,
    },
    requestTimeoutMs: positiveInt(env, 'REQUEST_TIMEOUT_MS', d.requestTimeoutMs),
    maxDepth: positiveInt(env, 'GRAPHQL_MAX_DEPTH', d.maxDepth),
    maxAliases: positiveInt(env, 'GRAPHQL_MAX_ALIASES', d.maxAliases),
    maxOperations: positiveInt(env, 'GRAPHQL_MAX_OPERATIONS', d.maxOperations),
    maxCost: positiveInt(env, 'GRAPHQL_MAX_COST', d.maxCost),
    maxAnalysisInFlight: positiveInt(env, 'ANALYSIS_MAX_IN_FLIGHT', d.maxAnalysisInFlight),
    trustProxy: env.TRUST_PROXY?.trim() || null,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 4000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `not a port number: ${env.PORT}`);
  return {
    database: parseDatabaseUrl(env.DATABASE_URL, env.DATABASE_REPLICA_URLS, env),
    port,
    host: env.HOST ?? '0.0.0.0',
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    loadSample: env.LOAD_SAMPLE !== '0' && env.LOAD_SAMPLE !== 'false',
    security: loadSecurityConfig(env),
    redisUrl: env.REDIS_URL?.trim() ? env.REDIS_URL.trim() : undefined,
    analysisCache: env.ANALYSIS_CACHE !== 'off',
    cachePrefix: env.ANALYSIS_CACHE_PREFIX?.trim() || undefined,
    reportStatementCounts: env.NODE_ENV !== 'production' || env.SQL_STATEMENT_COUNTS === '1',
    rubricFile: env.ASSESSMENT_RUBRIC_FILE?.trim() ? env.ASSESSMENT_RUBRIC_FILE.trim() : undefined,
    parse: {
      timeLimitMs: positiveInt(env, 'PARSE_TIME_LIMIT_MS', DEFAULT_PARSE_POOL.timeLimitMs),
      workers: positiveInt(env, 'PARSE_WORKERS', DEFAULT_PARSE_POOL.workers),
    },
    explorer: flag(env, 'API_EXPLORER', env.NODE_ENV !== 'production'),
    uploads: {
      maxFileBytes: positiveInt(env, 'UPLOAD_MAX_FILE_BYTES', DEFAULT_UPLOADS.maxFileBytes),
      maxRequestBytes: positiveInt(env, 'UPLOAD_MAX_REQUEST_BYTES', DEFAULT_UPLOADS.maxRequestBytes),
      maxFiles: positiveInt(env, 'UPLOAD_MAX_FILES', DEFAULT_UPLOADS.maxFiles),
    },
  };
}
