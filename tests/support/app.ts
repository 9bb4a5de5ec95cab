/**
 * The real service on a test database, listening on a free port: tests talk to it over HTTP
 * exactly as a client would.
 */
import type { AppConfig } from '../../src/config/config';
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
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export function testConfig(db: TestDatabase, overrides: Partial<AppConfig> = {}): AppConfig {
  return { database: db.config, port: 0, host: '127.0.0.1', production: false, logLevel: 'silent', loadSample: false, ...overrides };
}

export async function startTestApp(db: TestDatabase, overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const config = testConfig(db, overrides);
  const app = await createApp(config, { dataSource: db.dataSource, log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    async gql(query, variables, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, headers: res.headers, ...body } as never;
    },
    close: () => app.close(),
  };
}
