/** The service in its own process, as `npm start` runs it, for the benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/paths';
import { SERVER_NODE_FLAGS } from '../src/config/node-flags';

export const round = (n: number) => Math.round(n * 100) / 100;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

/**
 * Production mode, the same V8 flags as `npm start` and the Dockerfile (SERVER_NODE_FLAGS), no comparison cache
 * (every request reaches SQL: what a first visit costs), rate limits out of the way.
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOAD_SAMPLE: '0', ANALYSIS_CACHE: 'off', LOG_LEVEL: 'error', NODE_ENV: 'production', SQL_STATEMENT_COUNTS: '1', RATE_LIMIT_PER_ADDRESS: '100000000', RATE_LIMIT_PER_TOKEN: '100000000', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill();
  throw new Error('the server did not start');
}
