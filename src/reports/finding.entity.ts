import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AnnualReport } from './annual-report.entity';
import { METRIC_DECIMAL } from '../db/columns';
import { FindingCode } from '../metrics/enums';
import type { FindingCode as FindingCodeKey } from '../metrics/consistency';

/** A consistency finding (勾稽关系), recomputed whenever the report is written. */
@ObjectType({ description: '勾稽关系问题 / A consistency finding' })
@Entity('report_findings')
export class Finding {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('IDX_report_findings_report')
  @Column({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_report_findings_report' })
  report?: AnnualReport;

  @Field(() => FindingCode)
  @Column({ type: 'varchar', length: 32 })
  code!: FindingCodeKey;

  @Field({ description: '范围（申请人列、行、组或指标）/ Scope: applicant column, row, group or metric' })
  @Column({ type: 'varchar', length: 96 })
  scope!: string;

  @Field(() => [String], { description: '左侧指标 / Metric keys on the left side' })
  @Column({ type: 'simple-json' })
  leftKeys!: string[];

  @Field(() => [String], { description: '右侧指标 / Metric keys on the right side' })
  @Column({ type: 'simple-json' })
  rightKeys!: string[];

  @Field(() => Float)
  @Column({ ...METRIC_DECIMAL, name: 'left_value' })
  left!: number;

  @Field(() => Float)
  @Column({ ...METRIC_DECIMAL, name: 'right_value' })
  right!: number;

  @Field(() => Float, { description: '左减右 / left − right' })
  @Column(METRIC_DECIMAL)
  difference!: number;

  @Field()
  @Column({ type: 'text' })
  message!: string;
}
