/**
 * The suites' own side effects: they must not rewrite tracked files (the README's screenshots) nor
 * touch MariaDB databases they did not create.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { PROJECT_ROOT } from '../../src/config/paths';
import { RESULTS_DIR, SCREENSHOT_DIR } from '../support/browser';
import { MYSQL_TEST_URL, TEST_DATABASE_PREFIX, createTestDatabase, testDatabaseKinds } from '../support/databases';

describe('test hygiene', () => {
  it('saves screenshots under test-results/, which git ignores, unless npm run screenshots asks for docs/screenshots', () => {
    expect(process.env.SCREENSHOT_OUT ?? process.env.DG_SCREENSHOT_DIR ?? "").toBe("");
    expect(SCREENSHOT_DIR.startsWith(RESULTS_DIR + path.sep)).toBe(true);
    const ignored = execFileSync('git', ['check-ignore', '-q', path.relative(PROJECT_ROOT, path.join(SCREENSHOT_DIR, 'dashboard-ranking.png'))], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    expect(ignored.toString()).toBe('');
  });

  const mariadb = testDatabaseKinds().includes('mariadb') ? it : it.skip;
  mariadb('creates MariaDB databases under one prefix and drops only its own', async () => {
    const admin = await createConnection({ uri: MYSQL_TEST_URL });
    const neighbour = `${TEST_DATABASE_PREFIX}neighbour_${process.pid}`;
    try {
      await admin.query(`CREATE DATABASE \`${neighbour}\``);
      const a = await createTestDatabase('mariadb', { migrate: false });
      const b = await createTestDatabase('mariadb', { migrate: false });
      const nameOf = (db: typeof a) => (db.config.type === 'sqlite' ? '' : new URL(db.config.url).pathname.slice(1));
      expect(nameOf(a)).toMatch(new RegExp(`^${TEST_DATABASE_PREFIX}[0-9a-f]{10}_test_hygiene$`));
      expect(nameOf(a)).not.toBe(nameOf(b));
      await a.drop();
      await b.drop();
      const [rows] = await admin.query<any[]>('SHOW DATABASES');
      const names = rows.map((r) => Object.values(r)[0]);
      expect(names).toContain(neighbour);
      expect(names).not.toContain(nameOf(a));
      expect(names).not.toContain(nameOf(b));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${neighbour}\``);
      await admin.end();
    }
  });
});
