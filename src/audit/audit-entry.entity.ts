import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role, type RoleName } from '../auth/roles';
import { AuditTargetType, type AuditTargetTypeName } from './audit-target';

/**
 * One write: who, when, what. Reports keep their before/after content as revisions, so their
 * entries point at the two revisions; offices and tokens keep small JSON snapshots inline. No
 * foreign keys: the log outlives what it describes.
 */
@ObjectType({ description: '审计记录 / An audit log entry' })
@Entity('audit_log')
@Index('IDX_audit_log_target', ['targetType', 'target'])
export class AuditEntry {
  @Field(() => Int)
  @PrimaryGeneratedColumn()
  id!: number;

  @Field({ description: '时间 / When' })
  @Index('IDX_audit_log_at')
  @CreateDateColumn()
  at!: Date;

  @Field({ description: '操作者（令牌或身份提供方主体）/ Who: token or identity-provider subject' })
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Field(() => Role, { description: '操作者角色 / Their role' })
  @Column({ type: 'varchar', length: 16 })
  role!: RoleName;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  tokenId!: number | null;

  @Field({ description: '操作，如 report.revised / The action, e.g. report.revised' })
  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Field(() => AuditTargetType, { description: '对象类型 / What kind of thing' })
  @Column({ type: 'varchar', length: 20 })
  targetType!: AuditTargetTypeName;

  @Field({ description: '对象，如 jingyuan/2020 / Which one, e.g. office code/year' })
  @Column({ type: 'varchar', length: 200 })
  target!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  before!: string | null;

  @Column({ type: 'text', nullable: true })
  after!: string | null;

  @Column({ type: 'int', nullable: true })
  beforeRevisionId!: number | null;

  @Column({ type: 'int', nullable: true })
  afterRevisionId!: number | null;
}
