import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { METRIC_DECIMAL } from '../db/columns';
import { AnnualReport } from '../reports/annual-report.entity';
import { CorrectionStatusEnum, ReviewTableEnum, type CorrectionStatus } from './review-state';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

/**
 * A value a person set (or blanked) against what the reading gave. Kept apart from the revisions so
 * that a later import of the same text can apply it again instead of silently undoing it.
 */
@ObjectType({ description: '人工更正 / A correction made by a person' })
@Entity('metric_corrections')
@Index('IDX_metric_corrections_report', ['reportId', 'metricKey'])
export class MetricCorrection {
  @Field(() => Int)
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_metric_corrections_report' })
  report?: AnnualReport;

  @Field(() => MetricKeyScalar, { description: '指标键 / Metric key' })
  @Column({ type: 'varchar', length: 96 })
  metricKey!: string;

  @Field(() => Float, { nullable: true, description: '更正后的值；空表示该单元格为空白（非0）/ The corrected value; null: the cell is blank, not 0' })
  @Column({ ...METRIC_DECIMAL, nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: '更正前读出的值（空：未读出或空白）/ What the reading gave before; null: left out or blank' })
  @Column({ ...METRIC_DECIMAL, nullable: true })
  readValue!: number | null;

  @Field(() => Float, { nullable: true, description: '状态为 CONFLICT 时：新原文读出的值 / With CONFLICT: what the newer text reads' })
  @Column({ ...METRIC_DECIMAL, nullable: true })
  conflictingValue!: number | null;

  @Field(() => CorrectionStatusEnum)
  @Column({ type: 'varchar', length: 16 })
  status!: CorrectionStatus;

  @Field({ description: '理由 / Reason' })
  @Column({ type: 'text' })
  reason!: string;

  @Field({ description: '更正者 / Who corrected it' })
  @Column({ type: 'varchar', length: 200 })
  author!: string;

  @Field(() => Int, { description: '更正所产生的版本号 / The revision the correction made' })
  @Column({ type: 'int' })
  revisionNumber!: number;

  @Field()
  @CreateDateColumn()
  createdAt!: Date;
}

/** A table a reviewer accepted whole, at the revision they saw. */
@ObjectType({ description: '已整表确认 / A table accepted whole' })
@Entity('table_acceptances')
export class TableAcceptance {
  @PrimaryColumn({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_table_acceptances_report' })
  report?: AnnualReport;

  @Field(() => ReviewTableEnum)
  @PrimaryColumn({ type: 'varchar', length: 16 })
  tableName!: string;

  @Field(() => Int, { description: '确认时的版本号；报告已有更新版本时需重新确认 / The revision accepted; a newer revision needs a new look' })
  @Column({ type: 'int' })
  revisionNumber!: number;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  acceptedBy!: string;

  @Field()
  @CreateDateColumn()
  acceptedAt!: Date;
}
