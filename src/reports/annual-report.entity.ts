import { Authorized, Field, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/roles';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Office } from '../offices/office.entity';
import { ReportingYear } from '../years/reporting-year.entity';
import { TemplateFormatEnum } from '../metrics/enums';
import type { TemplateFormat } from '../metrics/template';
import { ReadingStatusEnum, type ReadingStatus } from '../provenance/provenance';
import { ReviewStateEnum, type ReviewState } from '../review/review-state';

/** One office's annual report on one year (unique per office and year). */
@ObjectType({ description: '政府信息公开工作年度报告 / Annual report on government information disclosure' })
@Entity('annual_reports')
@Index('UQ_annual_reports_office_year', ['officeId', 'year'], { unique: true })
export class AnnualReport {
  @Field(() => Int)
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  officeId!: number;

  // Declared for the foreign keys only; resolvers follow the ids through DataLoaders.
  @ManyToOne(() => Office, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'officeId', foreignKeyConstraintName: 'FK_annual_reports_office' })
  office?: Office;

  @ManyToOne(() => ReportingYear, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'year', foreignKeyConstraintName: 'FK_annual_reports_year' })
  reportingYear?: ReportingYear;

  @Field(() => Int, { description: '报告所述年度 / The year reported on' })
  @Index('IDX_annual_reports_year')
  @Column({ type: 'int' })
  year!: number;

  @Field(() => TemplateFormatEnum, { description: '所用格式（按表格判断）/ Template format the tables follow' })
  @Column({ type: 'varchar', length: 4 })
  templateFormat!: TemplateFormat;

  @Field(() => String, { nullable: true, description: '标题 / Title' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true, description: '发布日期（YYYY-MM-DD）/ Publication date' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  publishedAt!: string | null;

  @Field(() => String, { nullable: true, description: '发布网址 / Where it was published' })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  sourceUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  overview!: string | null;

  @Column({ type: 'text', nullable: true })
  problems!: string | null;

  @Column({ type: 'text', nullable: true })
  improvements!: string | null;

  @Column({ type: 'text', nullable: true })
  otherMatters!: string | null;

  @Field(() => ReadingStatusEnum, { nullable: true, description: '当前版本的原文读取情况；手工录入为空 / How the current revision was read; null when entered by hand' })
  @Column({ type: 'varchar', length: 24, nullable: true })
  readingStatus!: ReadingStatus | null;

  @Field(() => ReviewStateEnum, { description: '审核状态 / Review state' })
  @Column({ type: 'varchar', length: 16, default: 'unreviewed' })
  reviewState!: ReviewState;

  @Authorized(Role.ANALYST)
  @Field(() => String, { nullable: true, description: '最后改变审核状态者（确认人）/ Who last set the review state (who confirmed it)' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  reviewedBy!: string | null;

  @Authorized(Role.ANALYST)
  @Field(() => Date, { nullable: true, description: '最后改变审核状态的时间 / When the review state was last set' })
  @Column({ type: 'datetime', nullable: true })
  reviewedAt!: Date | null;

  @Authorized(Role.ANALYST)
  @Field(() => String, { nullable: true, description: '审核说明；重新导入重开审核时写明改动 / The reviewer\'s note; when a re-import reopened the review, what changed' })
  @Column({ type: 'text', nullable: true })
  reviewNote!: string | null;

  @Field(() => String, { nullable: true, description: '联系方式 / Publication contact' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  contact!: string | null;

  @Field()
  @CreateDateColumn()
  createdAt!: Date;

  @Field()
  @UpdateDateColumn()
  updatedAt!: Date;
}
