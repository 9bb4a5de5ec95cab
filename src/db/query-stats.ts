import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from 'pino';

/**
 * Counts SQL statements per request (and in total) without touching the queries: TypeORM calls
 * `logQuery` for every statement in the async context of whoever issued it, DataLoader batches
 * included, so an AsyncLocalStorage scope per request attributes each statement to its request.
 */
export interface StatementScope {
  count: number;
}

const scopes = new AsyncLocalStorage<StatementScope>();
let totalStatements = 0;

export function withStatementScope<T>(fn: () => T): { scope: StatementScope; result: T } {
  const scope: StatementScope = { count: 0 };
  const result = scopes.run(scope, fn);
  return { scope, result };
}

export function enterStatementScope(scope: StatementScope): void {
  scopes.enterWith(scope);
}

export function currentStatementScope(): StatementScope | undefined {
  return scopes.getStore();
}

export function totalStatementCount(): number {
  return totalStatements;
}

/** For statements run beside TypeORM (analysis reads on worker threads): counted like the others. */
export function countStatement(): void {
  totalStatements += 1;
  const scope = scopes.getStore();
  if (scope) scope.count += 1;
}

export class CountingLogger implements TypeOrmLogger {
  constructor(private readonly sink?: Logger) {}

  logQuery(query: string, parameters?: unknown[]): void {
    totalStatements += 1;
    const scope = scopes.getStore();
    if (scope) scope.count += 1;
    if (this.sink?.isLevelEnabled('trace')) this.sink.trace({ query, parameters }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    this.sink?.warn({ err: error, query }, 'sql error');
  }

  logQuerySlow(time: number, query: string): void {
    this.sink?.warn({ time, query }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    this.sink?.debug(message);
  }

  logMigration(message: string): void {
    this.sink?.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.sink?.warn(String(message));
    else this.sink?.debug(String(message));
  }
}
