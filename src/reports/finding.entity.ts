import { Authorized, Field, Float, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/roles';
import type { FindingResolution } from '../review/review-state';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AnnualReport } from './annual-report.entity';
import { METRIC_DECIMAL } from '../db/columns';
import { FindingCode } from '../metrics/enums';
import type { FindingCode as FindingCodeKey } from '../metrics/consistency';
import { MetricKeyScalar } from '../metrics/metric-key.scalar';

/** A consistency finding (勾稽关系), recomputed whenever the report is written. */
@ObjectType({ description: '勾稽关系问题 / A consistency finding' })
@Entity('report_findings')
export class Finding {
  @Field(() => Int, { description: '编号（每次写入报告时重算；处理结果按代码与范围保留）/ Id; findings are recomputed on each write, their resolution kept by code and scope' })
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

  @Field(() => [MetricKeyScalar], { description: '左侧指标 / Metric keys on the left side' })
  @Column({ type: 'simple-json' })
  leftKeys!: string[];

  @Field(() => [MetricKeyScalar], { description: '右侧指标 / Metric keys on the right side' })
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

  /** Null while open; see review/review-state.ts. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  resolution!: Exclude<FindingResolution, 'open'> | null;

  @Authorized(Role.ANALYST)
  @Field(() => String, { nullable: true, description: '处理人 / Who resolved it' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  resolvedBy!: string | null;

  @Authorized(Role.ANALYST)
  @Field(() => Date, { nullable: true, description: '处理时间 / When it was resolved' })
  @Column({ type: 'datetime', nullable: true })
  resolvedAt!: Date | null;

  @Authorized(Role.ANALYST)
  @Field(() => String, { nullable: true, description: '处理说明 / Why' })
  @Column({ type: 'text', nullable: true })
  resolutionNote!: string | null;
}
