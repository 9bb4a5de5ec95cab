export interface ReportChange {
  readonly officeId: number;
  /** The office's materialised path: caches scoped to any of its ancestors are affected. */
  readonly officePath: string;
  readonly year: number;
}

export interface OfficeChange {
  readonly officeId: number;
  /** Where the office is now. */
  readonly officePath: string;
  /** Where it was before a move (its whole subtree moved with it); null when created or not moved. */
  readonly previousPath: string | null;
}

type Listener<T> = (change: T) => Promise<void> | void;

/**
 * Tells whoever keeps derived results (the analysis cache) that stored data changed: a report, or
 * an office created or moved (office counts, missing lists and groups depend on the tree).
 * Emitting waits for the listeners, so a write answers only once shared caches have dropped what
 * it made stale — another replica asked right after sees the new data.
 */
export class ReportEvents {
  private readonly reportListeners = new Set<Listener<ReportChange>>();
  private readonly officeListeners = new Set<Listener<OfficeChange>>();

  async reportChanged(change: ReportChange): Promise<void> {
    await Promise.all([...this.reportListeners].map((listener) => listener(change)));
  }

  async officeChanged(change: OfficeChange): Promise<void> {
    await Promise.all([...this.officeListeners].map((listener) => listener(change)));
  }

  onReportChanged(listener: Listener<ReportChange>): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  onOfficeChanged(listener: Listener<OfficeChange>): () => void {
    this.officeListeners.add(listener);
    return () => this.officeListeners.delete(listener);
  }
}
