/**
 * `npm start` as a new user meets it: a wrong DATABASE_URL or a busy PORT is reported in terms of
 * the setting and the fix, and a busy port fails before anything is migrated or loaded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MYSQL_TEST_URL, testDatabaseKinds } from '../support/databases';
import { buildCli } from '../support/cli';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'src', 'server', 'main.js');

async function start(env: Record<string, string>): Promise<{ stderr: string; code: number }> {
  try {
    const { stderr } = await run(process.execPath, [MAIN], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 60000 });
    return { stderr, code: 0 };
  } catch (error) {
    const e = error as { stderr: string; code: number };
    return { stderr: e.stderr, code: e.code };
  }
}

describe('startup errors name the setting and the fix', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-start-'));
  beforeAll(async () => {
    await buildCli();
  }, 180000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a busy port: names PORT, before the database is even created', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const file = path.join(dir, 'never.sqlite');
    try {
      const result = await start({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${file}` });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`PORT: port ${port} is already in use`);
      expect(result.stderr).toContain(`PORT=${port + 1} npm start`);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('a scheme it does not know: names DATABASE_URL', async () => {
    const result = await start({ PORT: '0', DATABASE_URL: 'postgres://localhost/x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: unsupported scheme "postgres"');
  });

  if (testDatabaseKinds().includes('mariadb')) {
    it('a user the server refuses: names DATABASE_URL and what to check', async () => {
      const url = new URL(MYSQL_TEST_URL);
      url.username = 'nobody';
      url.password = 'wrong';
      const result = await start({ PORT: '0', DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DATABASE_URL:');
      expect(result.stderr).toContain('refused the login');
      expect(result.stderr).not.toContain('wrong');
    });

    it('a database that does not exist: names it and how to create it', async () => {
      const url = new URL(MYSQL_TEST_URL);
      url.pathname = '/dg_no_such_database';
      const result = await start({ PORT: '0', DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DATABASE_URL: the database "dg_no_such_database" does not exist');
      expect(result.stderr).toContain('CREATE DATABASE `dg_no_such_database`');
    });
  }

  it('nothing listening at the URL: says so and offers the embedded database', async () => {
    const result = await start({ PORT: '0', DATABASE_URL: 'mysql://root@127.0.0.1:1/test' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: nothing answers at mysql://root@127.0.0.1:1/test');
  });
});
