/**
 * Redis for the suites that need one (the shared analysis cache). The global setup probes it once
 * (DG_REDIS_AVAILABLE). Without Redis those suites are skipped — visibly, as skipped tests with a
 * warning — except with REQUIRE_REDIS=1 (CI), where a Redis that does not answer fails the run.
 */
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
