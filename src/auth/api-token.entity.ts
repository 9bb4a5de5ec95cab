import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role, type RoleName } from './roles';

/**
 * An API token. The secret itself is shown once at creation and never stored: only its SHA-256
 * hash, and a short public prefix that finds the row without scanning every hash.
 */
@ObjectType({ description: 'API 令牌（不含密钥）/ An API token, without its secret' })
@Entity('api_tokens')
export class ApiToken {
  @Field(() => Int)
  @PrimaryGeneratedColumn()
  id!: number;

  @Field({ description: '用途说明 / What it is for' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field({ description: '公开前缀（用于识别）/ Public prefix, to recognise it' })
  @Index('UQ_api_tokens_prefix', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @Field(() => Role, { description: '角色 / Role: ANALYST, EDITOR or ADMIN' })
  @Column({ type: 'varchar', length: 16 })
  role!: RoleName;

  @Field(() => String, { nullable: true, description: '可写的机关子树（编辑）/ The office subtree an editor may write' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  scopeOfficeCode!: string | null;

  @Field(() => String, { nullable: true, description: '创建者 / Who created it' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  createdBy!: string | null;

  @Field()
  @CreateDateColumn()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: '吊销时间 / When it was revoked' })
  @Column({ type: 'datetime', nullable: true })
  revokedAt!: Date | null;
}
