import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrate } from '../../src/db/data-source';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');
const BUILD = path.join(ROOT, 'dist', 'shutdown-test');

describeEachDatabase('health endpoints', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db());
  });
  afterAll(() => app.close());

  it('/healthz says the process is alive; /readyz that the database answers and is migrated', async () => {
    const live = await fetch(`${app.url}/healthz`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${app.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'ok', migrations: 'current' }]);
  });

  it('/readyz goes red while a migration is pending, and green once it has run', async () => {
    await db().dataSource.undoLastMigration({ transaction: 'each' });
    const pending = await fetch(`${app.url}/readyz`);
    expect([pending.status, await pending.json()]).toEqual([503, { status: 'unavailable', database: 'ok', migrations: 'pending' }]);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    await migrate(db().dataSource);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-shutdown-'));
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // A build of its own (under dist/, so node_modules resolve), not racing other suites' builds.
    await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: ROOT });
  }, 180_000);
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets an in-flight request finish on SIGTERM, refuses new ones, closes the pool and exits 0', async () => {
    child = spawn(process.execPath, [path.join(BUILD, 'src/server/main.js')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOAD_SAMPLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('close', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
      const check = () => {
        const match = /"port":(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        } else setTimeout(check, 50);
      };
      check();
    });

    // A client whose request is still arriving when the signal comes.
    const body = JSON.stringify({ query: '{ office(code: "weihai-huancui-jingyuan") { name reports { year } } }' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        child!.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 700);
      }, 200);
    });
    await new Promise((r) => setTimeout(r, 500));
    // Once shutting down, the server takes no new connections.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const answer = await response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.office).toEqual({ name: '鲸园街道办事处', reports: [{ year: 2020 }] });
    expect(await exited).toBe(0);
    expect(output).toMatch(/shutting down: finishing in-flight requests/);
    expect(output).toMatch(/stopped: in-flight requests finished, database pool closed/);
  }, 60_000);
});
