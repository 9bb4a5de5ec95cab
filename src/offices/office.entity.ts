import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OfficeKind, type OfficeKindKey } from './office-kind';

/**
 * A government office in the administrative tree (district → sub-district → …).
 *
 * `path` is the materialised path of ids (`/1/5/23/`), so a whole subtree is one indexed
 * `LIKE '/1/5/%'` range and the ancestors are read from the path, never by walking the tree.
 */
@ObjectType({ description: '政府机关 / A government office', simpleResolvers: true })
@Entity('offices')
export class Office {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field({ description: '稳定编码 / Stable code' })
  @Index('UQ_offices_code', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Field({ description: '名称 / Name' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => OfficeKind)
  @Column({ type: 'varchar', length: 32 })
  kind!: OfficeKindKey;

  @Index('IDX_offices_parent')
  @Column({ type: 'int', nullable: true })
  parentId!: number | null;

  // Declared for the foreign key only; resolvers follow parentId through a DataLoader.
  @ManyToOne(() => Office, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'parentId', foreignKeyConstraintName: 'FK_offices_parent' })
  parent?: Office;

  @Field(() => String, { nullable: true, description: '地区 / Region label' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  region!: string | null;

  @Index('IDX_offices_path')
  @Column({ type: 'varchar', length: 255 })
  path!: string;

  @Field(() => Int, { description: '层级（根为0）/ Depth in the tree, 0 for a root' })
  @Column({ type: 'int' })
  depth!: number;

  @Field()
  @CreateDateColumn()
  createdAt!: Date;

  @Field()
  @UpdateDateColumn()
  updatedAt!: Date;
}

/** Ids of the ancestors, root first, read from the materialised path. */
export function ancestorIdsOf(office: Pick<Office, 'path' | 'id'>): number[] {
  return office.path
    .split('/')
    .filter((s) => s !== '')
    .map(Number)
    .filter((id) => id !== office.id);
}
