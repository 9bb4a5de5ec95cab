import { EventEmitter } from 'node:events';

export interface ReportChange {
  readonly officeId: number;
  /** The office's materialised path: caches scoped to any of its ancestors are affected. */
  readonly officePath: string;
  readonly year: number;
}

/** Tells whoever keeps derived results (the analysis cache) that a stored report changed. */
export class ReportEvents {
  private readonly emitter = new EventEmitter();

  reportChanged(change: ReportChange): void {
    this.emitter.emit('reportChanged', change);
  }

  onReportChanged(listener: (change: ReportChange) => void): () => void {
    this.emitter.on('reportChanged', listener);
    return () => this.emitter.off('reportChanged', listener);
  }
}
