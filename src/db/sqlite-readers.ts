/**
 * Read-only better-sqlite3 connections on worker threads, for the long analysis statements.
 *
 * better-sqlite3 is synchronous and has no interrupt: a statement run on the main thread holds the
 * event loop for as long as it runs, so `/healthz`, cheap queries and even the request time limit
 * wait for it. Each worker opens its own read-only connection to the same file (WAL lets it read
 * beside the writer) and runs one statement at a time; the main thread only queues and waits.
 * A statement cannot be stopped once a worker runs it (the worker finishes it and its answer is
 * dropped), so the cost limit is what bounds one statement; a queued one whose request has given up
 * is dropped before it starts.
 */
import { Worker } from 'node:worker_threads';

/** Plain JavaScript: it runs as is under ts-jest and from dist/ alike. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// A lower CPU priority for this thread only (Linux: setpriority on a thread id), so that under
// load the event loop's thread, which answers everyone, wins the cores.
if (workerData.nice > 0) {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) require('node:os').setPriority(tid, workerData.nice);
  } catch {}
}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const prepared = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = prepared.get(sql);
    if (!statement) {
      if (prepared.size >= 256) prepared.clear();
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

export class ReadAbortedError extends Error {
  constructor() {
    super('the request gave up before its statement ran');
    this.name = 'ReadAbortedError';
  }
}

/** An SQLite error from a worker, with the driver's `code` (SQLITE_BUSY…) kept for error mapping. */
export class SqliteReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteReadError';
  }
}

interface Job {
  readonly id: number;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly signal?: AbortSignal;
  resolve(rows: Record<string, unknown>[]): void;
  reject(error: Error): void;
  onAbort?: () => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
}

type Reply = { id: number; rows?: Record<string, unknown>[]; error?: { message: string; code?: string } };

export class SqliteReaderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    readonly size: number,
    /** Niceness of the reader threads (0–19; 0 leaves them at the process's priority). */
    readonly nice = 0,
  ) {}

  /** Statements queued or running: what the pool has been asked for and not answered yet. */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  rows(sql: string, params: readonly unknown[], signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    if (this.closed) return Promise.reject(new Error('the SQLite reader pool is closed'));
    if (signal?.aborted) return Promise.reject(new ReadAbortedError());
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, sql, params, signal, resolve, reject };
      if (signal) {
        // A queued statement whose request has ended is dropped; a running one is answered at once
        // and its rows dropped when the worker finishes.
        job.onAbort = () => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) this.queue.splice(queued, 1);
          reject(new ReadAbortedError());
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Starts the reader threads before the first statement needs them: a thread loads the driver and
   * opens its connection (tens of ms, more on a busy host), which the first analysis of a fresh
   * process — a first visit's overview — would otherwise wait for.
   */
  warm(): void {
    if (this.closed) return;
    while (this.slots.length < this.size) this.spawn();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, sql: job.sql, params: job.params });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: this.file, nice: this.nice } });
    // Idle workers must not keep a CLI command or a test process alive.
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: Reply) => {
      const job = slot.job;
      slot.job = null;
      worker.unref();
      if (job && job.id === reply.id) {
        if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
        if (reply.error) job.reject(new SqliteReadError(reply.error.message, reply.error.code));
        else job.resolve(reply.rows ?? []);
      }
      this.dispatch();
    });
    worker.on('error', (error: Error) => this.retire(slot, error));
    worker.on('exit', () => this.retire(slot, new Error('an SQLite reader thread exited')));
    this.slots.push(slot);
    return slot;
  }

  /** A worker that died fails its statement; the next statement starts a new one. */
  private retire(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    slot.job?.reject(error);
    slot.job = null;
    if (!this.closed) this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the SQLite reader pool is closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
