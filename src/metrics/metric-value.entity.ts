import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AnnualReport } from '../reports/annual-report.entity';
import { METRIC_DECIMAL } from '../db/columns';

/**
 * One number of one report, keyed by the metric vocabulary. A blank cell has no row.
 *
 * `officeId` and `year` repeat the report's so that one indexed query fetches any set of metrics
 * for any set of offices and years without a join; the (year, metricKey, officeId, value) index
 * answers such a query from the index alone (the comparisons rely on it).
 */
@Entity('metric_values')
@Index('IDX_metric_values_year_key_office_value', ['year', 'metricKey', 'officeId', 'value'])
export class MetricValue {
  @PrimaryColumn({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_metric_values_report' })
  report?: AnnualReport;

  @PrimaryColumn({ type: 'varchar', length: 96 })
  metricKey!: string;

  @Column({ type: 'int' })
  officeId!: number;

  @Column({ type: 'int' })
  year!: number;

  @Column(METRIC_DECIMAL)
  value!: number;

  /** Stated approximately (「1500余次」). */
  @Column({ type: 'boolean', width: 1, default: false })
  approximate!: boolean;

  // Where the value came from (provenance/provenance.ts): line and character span in the
  // normalised text of the revision it was read from, the method, and for tables the cell. Kept
  // out of the covering index: the comparisons never read them.
  @Column({ type: 'int', nullable: true })
  sourceLine!: number | null;

  @Column({ type: 'int', nullable: true })
  sourceStart!: number | null;

  @Column({ type: 'int', nullable: true })
  sourceEnd!: number | null;

  /** A ReadingMethod, `manual` for upsertReport values, null when none was recorded. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  sourceMethod!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  sourceTable!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  sourceRow!: string | null;

  @Column({ type: 'int', nullable: true })
  sourceColumn!: number | null;
}
