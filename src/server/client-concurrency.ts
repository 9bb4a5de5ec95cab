/**
 * Expensive operations in flight per client (credential subject, or address for anonymous
 * callers). Kept in this process: with several replicas behind a load balancer a client may have
 * this many in flight on each of them; the rate limits (per minute, shared through Redis) still
 * bound the total.
 */
export class ClientConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly limit: number,
    /** What a refused client is told to wait: about one expensive operation's time. */
    readonly retryAfterSeconds = 1,
  ) {}

  tryEnter(client: string): boolean {
    const now = this.inFlight.get(client) ?? 0;
    if (now >= this.limit) return false;
    this.inFlight.set(client, now + 1);
    return true;
  }

  leave(client: string): void {
    const now = (this.inFlight.get(client) ?? 0) - 1;
    if (now <= 0) this.inFlight.delete(client);
    else this.inFlight.set(client, now);
  }

  inFlightFor(client: string): number {
    return this.inFlight.get(client) ?? 0;
  }
}
