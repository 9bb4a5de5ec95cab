/**
 * A page's rows as views of the group's flat cells (compare.service.ts GroupSnapshot): a whole
 * city's page is 2,000 rows of 3 values, and each value's figures are computed when a field asks
 * for them instead of stored in an object of its own — fewer and smaller objects per answer, so
 * fewer young-generation collections while a large answer is built.
 */
import { encodeCursor } from '../common/pagination';
import type { Office } from '../offices/office.entity';
import type { ComparedValue, OfficeComparisonRow } from './analysis.types';
import { CELLS_PER_METRIC, type GroupMetricStats } from './compare.sql';

/** One metric of one office: value, last year's value and rank are cells `at`, `at + 1`, `at + 2`. */
export class ComparedCell implements ComparedValue {
  constructor(
    readonly metric: string,
    private readonly stats: GroupMetricStats,
    private readonly cells: readonly (number | null)[],
    private readonly at: number,
  ) {}

  get value(): number | null {
    return this.cells[this.at]!;
  }

  get previousValue(): number | null {
    return this.cells[this.at + 1]!;
  }

  get rank(): number | null {
    return this.cells[this.at + 2]!;
  }

  /** Statistics only for a stated value. */
  get share(): number | null {
    const value = this.value;
    return value === null || this.stats.sum === 0 ? null : value / this.stats.sum;
  }

  get differenceFromMean(): number | null {
    const value = this.value;
    return value === null || this.stats.mean === null ? null : value - this.stats.mean;
  }

  get differenceFromMedian(): number | null {
    const value = this.value;
    return value === null || this.stats.median === null ? null : value - this.stats.median;
  }

  get change(): number | null {
    const [value, previous] = [this.value, this.previousValue];
    return value === null || previous === null ? null : value - previous;
  }

  get percentChange(): number | null {
    const [change, previous] = [this.change, this.previousValue];
    return change === null || previous === null || previous === 0 ? null : (change / Math.abs(previous)) * 100;
  }

  /** Its fields as data, for whoever copies or serialises it (getters are not own properties). */
  toJSON(): ComparedValue {
    const { metric, value, rank, share, differenceFromMean, differenceFromMedian, previousValue, change, percentChange } = this;
    return { metric, value, rank, share, differenceFromMean, differenceFromMedian, previousValue, change, percentChange };
  }
}

/** One row of a page; its cursor is encoded only when asked for (a whole city's page rarely wants 2,000). */
export class ComparedRowEdge {
  readonly node: OfficeComparisonRow;

  constructor(
    office: Office,
    values: ComparedValue[],
    private readonly position: number,
    private readonly snapshotId: string,
  ) {
    this.node = { office, values };
  }

  get cursor(): string {
    return encodeCursor(`${this.position}@${this.snapshotId}`);
  }
}

/** The row at `position` of a group compared on `metrics`. */
export function comparedRow(office: Office, metrics: readonly string[], stats: readonly GroupMetricStats[], cells: readonly (number | null)[], position: number, snapshotId: string): ComparedRowEdge {
  const at = position * metrics.length * CELLS_PER_METRIC;
  const values = metrics.map((metric, i) => new ComparedCell(metric, stats[i]!, cells, at + i * CELLS_PER_METRIC));
  return new ComparedRowEdge(office, values, position, snapshotId);
}
