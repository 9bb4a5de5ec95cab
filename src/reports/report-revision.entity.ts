import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ReadingStatusEnum, type ReadingStatus } from '../provenance/provenance';
import { AnnualReport } from './annual-report.entity';

/**
 * Every version a report has had. A write whose content equals the latest revision's changes
 * nothing; any other write adds a revision and becomes current, so nothing is ever lost.
 */
@ObjectType({ description: '报告版本 / A revision of a report' })
@Entity('report_revisions')
@Index('UQ_report_revisions_report_number', ['reportId', 'number'], { unique: true })
export class ReportRevision {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_report_revisions_report' })
  report?: AnnualReport;

  @Field(() => Int, { description: '版本号（从1起）/ Revision number, from 1' })
  @Column({ type: 'int' })
  number!: number;

  @Field({ description: '内容摘要（SHA-256）/ SHA-256 of the normalised content' })
  @Column({ type: 'varchar', length: 64 })
  contentHash!: string;

  @Field({ description: '来源：upsert（API写入）或 import（导入原文）/ How it was written' })
  @Column({ type: 'varchar', length: 16 })
  origin!: string;

  @Field(() => String, { nullable: true, description: '写入者 / Who wrote it' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  author!: string | null;

  @Field(() => ReadingStatusEnum, { nullable: true, description: '原文读取情况；手工录入为空 / How the text was read; null when entered by hand' })
  @Column({ type: 'varchar', length: 24, nullable: true })
  readingStatus!: ReadingStatus | null;

  @Field()
  @CreateDateColumn()
  createdAt!: Date;
}

/**
 * A revision's stored text (its content as JSON, and for imports the source text), in chunks that
 * fit MySQL's TEXT on every database: one migration, no driver-specific LONGTEXT.
 */
@Entity('report_revision_chunks')
export class ReportRevisionChunk {
  @PrimaryColumn({ type: 'int' })
  revisionId!: number;

  @ManyToOne(() => ReportRevision, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'revisionId', foreignKeyConstraintName: 'FK_report_revision_chunks_revision' })
  revision?: ReportRevision;

  /**
   * `content` (the ReportContent JSON), `source` (the imported text as given) or `normalised` (the
   * text the parser read, which sources' lines and offsets point into; kept only where it differs
   * from `source`).
   */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  part!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  text!: string;
}

/** 16,000 characters are at most 64,000 bytes of UTF-8: under MySQL TEXT's 65,535. */
export const CHUNK_CHARACTERS = 16000;
