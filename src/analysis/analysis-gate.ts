import { RequestTimeoutError } from '../common/errors';

export const timedOut = () => new RequestTimeoutError('The request ran out of time (or its client left) and its analysis statements were stopped.');

/** Gives a slot back. */
export type Leave = () => void;

/**
 * A counting semaphore for analysis statements, whose waiters leave the queue when their request
 * ends.
 *
 * A request whose statements are independent (a rollup's counts and totals) would run them one
 * after the other through a gate of one; the hand-written SQL runs them side by side. So a
 * statement may take one of `spare` extra slots when its own request (the same AbortSignal)
 * already holds a slot and nobody else waits: an idle service answers such a request in the time
 * of its longest statement, while under load (someone waiting) a request never takes more than its
 * share and the extra slots stay free. A borrowed slot does not admit a waiter when it is given
 * back: only a regular one does.
 */
export class AnalysisGate {
  private active = 0;
  private borrowed = 0;
  /** Slots held per request, regular and borrowed. */
  private readonly held = new Map<AbortSignal, number>();
  private readonly waiting: { go: () => void; stop: () => void }[] = [];

  constructor(
    readonly size: number,
    readonly spare = 1,
  ) {}

  enter(signal?: AbortSignal): Promise<Leave> {
    if (signal?.aborted) return Promise.reject(timedOut());
    if (this.active < this.size) return Promise.resolve(this.take(signal));
    if (signal && this.waiting.length === 0 && this.borrowed < this.spare && (this.held.get(signal) ?? 0) > 0) return Promise.resolve(this.borrow(signal));
    return new Promise((resolve, reject) => {
      const waiter = {
        go: () => {
          signal?.removeEventListener('abort', waiter.stop);
          resolve(this.take(signal));
        },
        stop: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(timedOut());
        },
      };
      signal?.addEventListener('abort', waiter.stop, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Statements running now, regular and borrowed. */
  get running(): number {
    return this.active + this.borrowed;
  }

  private take(signal: AbortSignal | undefined): Leave {
    this.active += 1;
    this.hold(signal, 1);
    return once(() => {
      this.active -= 1;
      this.hold(signal, -1);
      this.waiting.shift()?.go();
    });
  }

  private borrow(signal: AbortSignal): Leave {
    this.borrowed += 1;
    this.hold(signal, 1);
    return once(() => {
      this.borrowed -= 1;
      this.hold(signal, -1);
    });
  }

  private hold(signal: AbortSignal | undefined, change: 1 | -1): void {
    if (!signal) return;
    const count = (this.held.get(signal) ?? 0) + change;
    if (count > 0) this.held.set(signal, count);
    else this.held.delete(signal);
  }
}

function once(leave: () => void): Leave {
  let left = false;
  return () => {
    if (left) return;
    left = true;
    leave();
  };
}
