/**
 * Report texts are parsed on worker threads (piscina), each parse with a time limit: a text that
 * makes the parser slow costs one worker for at most the limit, never the server's event loop,
 * and comes back as a typed failure. A worker still busy at the limit is terminated and replaced.
 */
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ServiceUnavailableError } from '../common/errors';
import type { ParseOptions, ParseResult } from './parser';
import type { ParseTask } from './parse.worker';

export interface ParsePoolOptions {
  /** Longest time one parse may run (from when a worker starts on it). */
  readonly timeLimitMs: number;
  readonly workers: number;
}

export const DEFAULT_PARSE_POOL: ParsePoolOptions = {
  timeLimitMs: 5000,
  // Leave a core to the event loop (and the database on a small machine).
  workers: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
};

/** Why a parse gave no result: over the time limit, or the worker itself failed (out of memory, crashed). */
export class ParseAbandoned extends Error {
  constructor(
    readonly reason: 'TIME_LIMIT' | 'WORKER_FAILED',
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'ParseAbandoned';
  }
}

/** Built from TypeScript sources (ts-jest)? Then workers need the transpiling hook. */
const FROM_SOURCES = __filename.endsWith('.ts');

export class ParsePool {
  private pool: Piscina<ParseTask, ParseResult> | null = null;
  /** Parses handed to the workers (tests check that a refused import parses nothing). */
  readonly stats = { started: 0 };

  constructor(readonly options: ParsePoolOptions = DEFAULT_PARSE_POOL) {}

  /** The parser's result, or ParseAbandoned; SERVICE_UNAVAILABLE when the queue is full. */
  async parse(text: string, options: ParseOptions = {}): Promise<ParseResult> {
    const pool = this.start();
    if (pool.queueSize >= pool.options.maxQueue) throw new ServiceUnavailableError('Too many reports are being parsed right now; try again shortly.');
    const { timeLimitMs } = this.options;
    // The clock starts when the worker takes the task: a worker that is still starting up (or a
    // queue behind a slow text) is not the text's fault.
    const limit = new AbortController();
    const { port1: started, port2: workerSide } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    started.once('message', () => {
      timer = setTimeout(() => limit.abort(), timeLimitMs);
    });
    this.stats.started += 1;
    try {
      return await pool.run({ text, options: { ...options }, started: workerSide }, { signal: limit.signal, transferList: [workerSide] });
    } catch (error) {
      if (limit.signal.aborted) {
        throw new ParseAbandoned('TIME_LIMIT', `parsing took longer than ${timeLimitMs} ms and was stopped`, error);
      }
      throw new ParseAbandoned('WORKER_FAILED', 'the parser failed on this text', error);
    } finally {
      clearTimeout(timer);
      started.close();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }

  /** Started on first use, so processes that never import (token commands, tests) spawn no threads. */
  private start(): Piscina<ParseTask, ParseResult> {
    if (this.pool) return this.pool;
    const workers = Math.max(1, this.options.workers);
    this.pool = new Piscina<ParseTask, ParseResult>({
      filename: path.join(__dirname, FROM_SOURCES ? 'parse.worker.ts' : 'parse.worker.js'),
      execArgv: FROM_SOURCES ? ['--require', path.join(__dirname, 'ts-worker-hook.js')] : [],
      minThreads: 0,
      maxThreads: workers,
      idleTimeout: 30_000,
      maxQueue: workers * 32,
      // A hostile text may also try memory: a worker that runs out dies alone.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    return this.pool;
  }
}
