/**
 * Redis for the suites that need one (the shared analysis cache). The global setup probes it once
 * (DG_REDIS_AVAILABLE). Without Redis those suites are skipped — visibly, as skipped tests with a
 * warning — except with REQUIRE_REDIS=1 (CI), where a Redis that does not answer fails the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export const redisRequired = () => process.env.REQUIRE_REDIS === '1';

export async function redisAnswers(url = REDIS_TEST_URL): Promise<boolean> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** `describe` when Redis answered the global setup's probe (or is required); `describe.skip` with a warning otherwise. */
export function describeWithRedis(title: string, body: () => void): void {
  if (process.env.DG_REDIS_AVAILABLE === '1' || redisRequired()) {
    describe(title, body);
    return;
  }
  console.warn(`Redis not reachable at ${REDIS_TEST_URL}: skipping "${title}" (set REQUIRE_REDIS=1 to fail instead).`);
  describe.skip(title, body);
}

/** A key prefix of this test's own, so parallel runs sharing one Redis never see each other's entries. */
export function testRedisPrefix(name: string): string {
  return `dg:test:${name}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}

/** Deletes every key under a test prefix. */
export async function dropRedisPrefix(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** redis-server on PATH (or the usual places), for suites that start a Redis of their own. */
export function redisServerBinary(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin', '/usr/sbin']) {
    const candidate = path.join(dir, 'redis-server');
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * A Redis of the test's own on a free port, which the test may stop and start again (the shared
 * one on 6379 stays up for everyone else). Its data survive a restart (append-only file in its own
 * directory), the harder case for a cache: entries from before an outage are still there after it.
 */
export class RedisInstance {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  static async create(): Promise<RedisInstance> {
    const binary = redisServerBinary();
    if (!binary) throw new Error('redis-server not found');
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    return new RedisInstance(binary, port, fs.mkdtempSync(path.join(os.tmpdir(), 'dg-redis-')));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(this.binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir, '--protected-mode', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await redisAnswers(this.url))) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
