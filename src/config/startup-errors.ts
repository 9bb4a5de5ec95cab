/**
 * What to do when the service cannot start: the driver's and the OS's errors name neither the
 * setting that caused them nor the fix, so they are said again here in those terms.
 */
import net from 'node:net';
import type { DatabaseConfig } from './config';

function where(config: DatabaseConfig): string {
  if (config.type === 'sqlite') return `the SQLite file ${config.path}`;
  try {
    const url = new URL(config.url);
    return `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
  } catch {
    return 'the database';
  }
}

/** A startup error rewritten to name the setting (DATABASE_URL, PORT) and the next step; null when there is nothing to add. */
export function explainStartupError(error: unknown, database?: DatabaseConfig, port?: number): string | null {
  const e = error as { code?: string; errno?: number; message?: string; sqlMessage?: string };
  const message = e?.sqlMessage ?? e?.message ?? String(error);
  const target = database ? where(database) : 'the database';
  switch (e?.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `DATABASE_URL: ${target} refused the login (${message}). Check the user name and password in DATABASE_URL, and that the user may use that database (GRANT ALL ON dbname.* TO 'user'@'%').`;
    case 'ER_BAD_DB_ERROR': {
      const name = database && database.type !== 'sqlite' ? new URL(database.url).pathname.slice(1) : 'the database';
      return `DATABASE_URL: the database "${name}" does not exist on ${target}. Create it (CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci) or correct the name in DATABASE_URL.`;
    }
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `DATABASE_URL: nothing answers at ${target} (${e.code}). Is MySQL/MariaDB running and listening there? Leave DATABASE_URL unset to use the embedded SQLite database.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host of ${target} cannot be resolved (${e.code}). Correct the host name in DATABASE_URL.`;
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
      if (database?.type === 'sqlite') return `DATABASE_URL: ${target} cannot be opened (${message}). Check that its folder exists and is writable, or point DATABASE_URL=sqlite:PATH elsewhere.`;
      return null;
    case 'EADDRINUSE':
      return `PORT: port ${port ?? ''} is already in use (another disclosure-graph, or another program, listens there). Stop it, or start on another port: PORT=${(port ?? 4000) + 1} npm start.`;
    default:
      return null;
  }
}

/** Fails at once, before migrations or the sample load, when the port is taken. */
export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
