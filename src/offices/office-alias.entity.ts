import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Office } from './office.entity';

/**
 * Another name an office's reports use: an old name after a renaming, or the long form a title
 * prints (「鲸园街道办事处」 for 「鲸园街道」). Matching a report's title looks here as well, so next
 * year's report under a new name still lands on the same office.
 */
@Entity('office_aliases')
@Index('UQ_office_aliases_office_alias', ['officeId', 'alias'], { unique: true })
export class OfficeAlias {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  officeId!: number;

  @ManyToOne(() => Office, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'officeId', foreignKeyConstraintName: 'FK_office_aliases_office' })
  office?: Office;

  @Index('IDX_office_aliases_alias')
  @Column({ type: 'varchar', length: 200 })
  alias!: string;
}
