/**
 * The worker side of the parse pool (parse-pool.ts): runs the pure, synchronous parser on a
 * thread of its own, so a slow or hostile text never blocks the server's event loop.
 */
import type { MessagePort } from 'node:worker_threads';
import { parseReport, type ParseOptions, type ParseResult } from './parser';

export interface ParseTask {
  readonly text: string;
  readonly options: ParseOptions;
  /** Told when parsing starts: the time limit counts from then, not from a worker's start-up. */
  readonly started: MessagePort;
}

export default function parseTask(task: ParseTask): ParseResult {
  task.started.postMessage('started');
  task.started.close();
  return parseReport(task.text, task.options);
}
