/**
 * A MariaDB server of the test's own (own data directory, own port) that the test may stop,
 * freeze and restart, to show what the service does when its database goes away.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';

function which(binary: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/bin']) {
    const candidate = path.join(dir, binary);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export function mariadbBinaries(): { server: string; install: string } | null {
  const server = which('mariadbd');
  const install = which('mariadb-install-db');
  return server && install ? { server, install } : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class MariaDbInstance {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly binaries: { server: string; install: string },
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<MariaDbInstance> {
    const binaries = mariadbBinaries();
    if (!binaries) throw new Error('mariadbd / mariadb-install-db not found');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-mariadb-'));
    const install = spawnSync(
      binaries.install,
      ['--no-defaults', `--datadir=${path.join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(process.getuid?.() === 0 ? ['--user=root'] : [])],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
    return new MariaDbInstance(binaries, dir, await freePort());
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--no-defaults',
      `--datadir=${path.join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(this.dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
      '--innodb-buffer-pool-size=32M',
      '--skip-log-bin',
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ];
    const log = fs.openSync(path.join(this.dir, 'server.log'), 'a');
    this.child = spawn(this.binaries.server, args, { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const conn = await createConnection({ uri: this.url, connectTimeout: 1000 });
        await conn.end();
        return;
      } catch (error) {
        if (Date.now() > deadline || this.child.exitCode !== null) {
          throw new Error(`MariaDB did not start: ${(error as Error).message}\n${fs.readFileSync(path.join(this.dir, 'server.log'), 'utf8').slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Stops the server (SIGTERM, as an operator or a crash-restart supervisor would) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    });
  }

  /** Freezes the server: connections stay open but nothing answers (a hung host or network). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
