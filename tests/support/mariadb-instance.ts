/**
 * A MariaDB server of the test's own (own data directory, own port) that the test may stop,
 * freeze and restart, to show what the service does when its database goes away; and a primary
 * with a replica (GTID replication, configured here) for the replication tests.
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

export interface MariaDbOptions {
  /** Binary log on, with this server id (a replication primary or replica). */
  readonly serverId?: number;
  /** read_only: users without READ ONLY ADMIN (the service's) cannot write; replication still applies. */
  readonly readOnly?: boolean;
}

export class MariaDbInstance {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly binaries: { server: string; install: string },
    readonly dir: string,
    readonly port: number,
    private readonly options: MariaDbOptions,
  ) {}

  static async create(options: MariaDbOptions = {}): Promise<MariaDbInstance> {
    const binaries = mariadbBinaries();
    if (!binaries) throw new Error('mariadbd / mariadb-install-db not found');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-mariadb-'));
    const install = spawnSync(
      binaries.install,
      ['--no-defaults', `--datadir=${path.join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(process.getuid?.() === 0 ? ['--user=root'] : [])],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
    return new MariaDbInstance(binaries, dir, await freePort(), options);
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
      ...(this.options.serverId
        ? [`--server-id=${this.options.serverId}`, `--log-bin=${path.join(this.dir, 'data', 'binlog')}`, '--binlog-format=ROW', `--relay-log=${path.join(this.dir, 'data', 'relay')}`, '--log-slave-updates=OFF']
        : ['--skip-log-bin']),
      ...(this.options.readOnly ? ['--read-only=ON'] : []),
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

/**
 * A primary and a replica on their own ports, the replica following the primary by GTID
 * (`MASTER_USE_GTID=slave_pos`) from the primary's first binlog on. The service connects as `dg`
 * (no READ ONLY ADMIN), so a write that reached the read-only replica would fail.
 */
export class ReplicationPair {
  private constructor(
    readonly primary: MariaDbInstance,
    readonly replica: MariaDbInstance,
    readonly database: string,
  ) {}

  static async create(database: string): Promise<ReplicationPair> {
    const primary = await MariaDbInstance.create({ serverId: 1 });
    const replica = await MariaDbInstance.create({ serverId: 2, readOnly: true });
    await Promise.all([primary.start(), replica.start()]);
    const pair = new ReplicationPair(primary, replica, database);
    await pair.startReplication();
    await pair.onPrimary(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      "CREATE USER 'dg'@'127.0.0.1' IDENTIFIED BY 'dg-test'",
      `GRANT ALL ON \`${database}\`.* TO 'dg'@'127.0.0.1'`,
      // The lag check reads SHOW REPLICA STATUS.
      "GRANT SLAVE MONITOR ON *.* TO 'dg'@'127.0.0.1'",
    );
    await pair.caughtUp();
    return pair;
  }

  /** The service's URLs: the primary, and the replica. */
  get primaryUrl(): string {
    return `mysql://dg:dg-test@127.0.0.1:${this.primary.port}/${this.database}`;
  }

  get replicaUrl(): string {
    return `mysql://dg:dg-test@127.0.0.1:${this.replica.port}/${this.database}`;
  }

  private async run(server: MariaDbInstance, statements: string[]): Promise<Record<string, unknown>[]> {
    const conn = await createConnection({ uri: server.url });
    try {
      let last: unknown = [];
      for (const sql of statements) [last] = await conn.query(sql);
      return last as Record<string, unknown>[];
    } finally {
      await conn.end();
    }
  }

  onPrimary(...statements: string[]): Promise<Record<string, unknown>[]> {
    return this.run(this.primary, statements);
  }

  onReplica(...statements: string[]): Promise<Record<string, unknown>[]> {
    return this.run(this.replica, statements);
  }

  async startReplication(delaySeconds = 0): Promise<void> {
    await this.onReplica(
      'STOP SLAVE',
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${this.primary.port}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_DELAY=${delaySeconds}, MASTER_CONNECT_RETRY=1`,
      'START SLAVE',
    );
  }

  /** Waits until the replica has applied everything the primary has written so far. */
  async caughtUp(timeoutSeconds = 30): Promise<void> {
    const [row] = await this.onPrimary('SELECT @@gtid_binlog_pos AS pos');
    const pos = String(row?.pos ?? '');
    if (pos === '') return;
    const [waited] = await this.onReplica(`SELECT MASTER_GTID_WAIT('${pos}', ${timeoutSeconds}) AS w`);
    if (Number(waited?.w) !== 0) {
      const status = await this.onReplica('SHOW SLAVE STATUS');
      throw new Error(`the replica did not reach ${pos} within ${timeoutSeconds} s: ${JSON.stringify(status[0] ?? {}).slice(0, 1500)}`);
    }
  }

  async destroy(): Promise<void> {
    await Promise.all([this.replica.destroy(), this.primary.destroy()]);
  }
}
