import { RequestTimeoutError } from '../../src/common/errors';
import { AnalysisGate, type Leave } from '../../src/analysis/analysis-gate';

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('AnalysisGate', () => {
  it("lets a request's second statement run beside its first while nobody waits, and no third", async () => {
    const gate = new AnalysisGate(1, 1);
    const request = new AbortController().signal;
    const first = await gate.enter(request);
    const second = gate.enter(request);
    expect(await settled(second)).toBe(true);
    expect(gate.running).toBe(2);
    const third = gate.enter(request);
    expect(await settled(third)).toBe(false);
    first();
    expect(await settled(third)).toBe(true);
    (await second)();
    (await third)();
    expect(gate.running).toBe(0);
  });

  it('lends no slot to another request, to a request without a signal, nor while someone waits', async () => {
    const gate = new AnalysisGate(1, 1);
    const mine = new AbortController().signal;
    const theirs = new AbortController().signal;
    const leaveMine = await gate.enter(mine);
    const other = gate.enter(theirs);
    const unsignalled = gate.enter();
    expect(await settled(other)).toBe(false);
    expect(await settled(unsignalled)).toBe(false);
    // Their request waits: my sibling statement queues behind it instead of borrowing.
    const sibling = gate.enter(mine);
    expect(await settled(sibling)).toBe(false);
    leaveMine();
    expect(await settled(other)).toBe(true);
    expect(await settled(unsignalled)).toBe(false);
    expect(gate.running).toBe(1);
    (await other)();
    (await unsignalled)();
    (await sibling)();
    expect(gate.running).toBe(0);
  });

  it('gives a borrowed slot back without admitting a waiter, and counts each leave once', async () => {
    const gate = new AnalysisGate(1, 1);
    const mine = new AbortController().signal;
    const leaveFirst = await gate.enter(mine);
    const leaveBorrowed = await gate.enter(mine);
    const waiter = gate.enter(new AbortController().signal);
    leaveBorrowed();
    leaveBorrowed();
    expect(await settled(waiter)).toBe(false);
    expect(gate.running).toBe(1);
    leaveFirst();
    const leaveWaiter: Leave = await waiter;
    expect(gate.running).toBe(1);
    leaveWaiter();
    expect(gate.running).toBe(0);
  });

  it('drops a waiter whose request ends, with a timeout error', async () => {
    const gate = new AnalysisGate(1, 0);
    const request = new AbortController();
    const leave = await gate.enter(request.signal);
    const ended = new AbortController();
    const waiter = gate.enter(ended.signal);
    ended.abort();
    await expect(waiter).rejects.toBeInstanceOf(RequestTimeoutError);
    // With no spare slot, the first request's own second statement waits too.
    const sibling = gate.enter(request.signal);
    expect(await settled(sibling)).toBe(false);
    leave();
    (await sibling)();
    expect(gate.running).toBe(0);
  });
});
