/**
 * The real service on a test database, listening on a free port: tests talk to it over HTTP
 * exactly as a client would.
 */
import type { Logger } from 'pino';
import { SYSTEM_VIEWER } from '../../src/auth/viewer';
import { DEFAULT_SECURITY, type AppConfig, type SecurityConfig } from '../../src/config/config';
import { createApp, type App } from '../../src/server/app';
import { createLogger } from '../../src/server/logger';
import type { TestDatabase } from './databases';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  readonly extensions?: Record<string, unknown>;
  readonly headers: Headers;
}

export interface TestApp {
  readonly app: App;
  readonly url: string;
  /** An admin API token; `gql` sends it unless the headers give an `authorization` of their own. */
  readonly adminToken: string;
  /** A new API token with the given role (editors need the office code they may write under). */
  createToken(role: 'analyst' | 'editor' | 'admin', scopeOfficeCode?: string): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export type TestConfigOverrides = Partial<Omit<AppConfig, 'security'>> & { security?: Partial<SecurityConfig> };

/** Rate limits high enough for a test file's own traffic unless a test sets them. */
export function testConfig(db: TestDatabase, overrides: TestConfigOverrides = {}): AppConfig {
  const security: SecurityConfig = { ...DEFAULT_SECURITY, rateLimit: { pointsPerMinute: 1_000_000, pointsPerMinutePerToken: 1_000_000, redisUrl: null }, ...overrides.security };
  return { database: db.config, port: 0, host: '127.0.0.1', production: false, logLevel: 'silent', loadSample: false, ...overrides, security };
}

export async function startTestApp(db: TestDatabase, overrides: TestConfigOverrides = {}, options: { log?: Logger } = {}): Promise<TestApp> {
  const config = testConfig(db, overrides);
  const app = await createApp(config, { dataSource: db.dataSource, log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const createToken = async (role: 'analyst' | 'editor' | 'admin', scopeOfficeCode?: string) =>
    (await app.services.tokens.create({ name: `test ${role}`, role, scopeOfficeCode }, SYSTEM_VIEWER)).secret;
  const adminToken = await createToken('admin');
  return {
    app,
    url,
    adminToken,
    createToken,
    async gql(query, variables, headers = {}) {
      const auth: Record<string, string> = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization') ? {} : { authorization: `Bearer ${adminToken}` };
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, headers: res.headers, ...body } as never;
    },
    close: () => app.close(),
  };
}
