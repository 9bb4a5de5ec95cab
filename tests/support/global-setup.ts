import { createConnection } from 'mysql2/promise';
import { REDIS_TEST_URL, redisAnswers, redisRequired } from './redis';

/** Probes Redis once; suites read DG_REDIS_AVAILABLE (see tests/support/redis.ts). */
async function probeRedis(): Promise<void> {
  if (await redisAnswers()) {
    process.env.DG_REDIS_AVAILABLE = '1';
    return;
  }
  if (redisRequired()) throw new Error(`REQUIRE_REDIS=1 but Redis does not answer at ${REDIS_TEST_URL}`);
  process.env.DG_REDIS_AVAILABLE = '0';
}

/** Probes MySQL/MariaDB and Redis once; suites read DG_MYSQL_AVAILABLE and DG_REDIS_AVAILABLE (workers inherit the environment). */
export default async function globalSetup(): Promise<void> {
  await probeRedis();
  const url = process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const wanted = (process.env.TEST_DATABASES ?? 'sqlite,mariadb').split(',');
  if (!wanted.includes('mariadb') && !wanted.includes('mysql')) return;
  try {
    const conn = await createConnection({ uri: url, connectTimeout: 3000 });
    await conn.query('SELECT 1');
    await conn.end();
    process.env.DG_MYSQL_AVAILABLE = '1';
  } catch (error) {
    if (process.env.REQUIRE_MYSQL === '1') {
      throw new Error(`REQUIRE_MYSQL=1 but MySQL/MariaDB does not answer at ${url}: ${(error as Error).message}`);
    }
    process.env.DG_MYSQL_AVAILABLE = '0';
    console.warn(`MySQL/MariaDB not reachable at ${url}: its suites are skipped (set REQUIRE_MYSQL=1 to fail instead).`);
  }
}
