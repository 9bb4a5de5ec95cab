import { createConnection } from 'mysql2/promise';

/** Probes MySQL/MariaDB once; suites read DG_MYSQL_AVAILABLE (workers inherit the environment). */
export default async function globalSetup(): Promise<void> {
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
