/** Configuration from the environment, read once at start. */
import path from 'node:path';

export type DatabaseConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'mysql' | 'mariadb'; readonly url: string; readonly replicaUrls: readonly string[] };

export interface AppConfig {
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  /** Load the Jingyuan 2020 sample when the database has no offices yet. */
  readonly loadSample: boolean;
  /** Redis for the shared analysis cache; unset: an in-process cache. */
  readonly redisUrl?: string;
  /** ANALYSIS_CACHE=off turns the comparison cache off (benchmarks). */
  readonly analysisCache?: boolean;
  /** A district's scoring rubric (JSON) replacing the default. */
  readonly rubricFile?: string;
}

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
export function parseDatabaseUrl(url: string | undefined, replicaUrls?: string): DatabaseConfig {
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
    return { type: scheme, url: value, replicaUrls: replicas };
  }
  throw new ConfigError('DATABASE_URL', `unsupported scheme "${scheme}" (use sqlite:PATH, mysql://… or mariadb://…)`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 4000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `not a port number: ${env.PORT}`);
  return {
    database: parseDatabaseUrl(env.DATABASE_URL, env.DATABASE_REPLICA_URLS),
    port,
    host: env.HOST ?? '0.0.0.0',
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    loadSample: env.LOAD_SAMPLE !== '0' && env.LOAD_SAMPLE !== 'false',
    redisUrl: env.REDIS_URL?.trim() ? env.REDIS_URL.trim() : undefined,
    analysisCache: env.ANALYSIS_CACHE !== 'off',
    rubricFile: env.ASSESSMENT_RUBRIC_FILE?.trim() ? env.ASSESSMENT_RUBRIC_FILE.trim() : undefined,
  };
}
