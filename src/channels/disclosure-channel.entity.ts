import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Office } from '../offices/office.entity';
import { AnnualReport } from '../reports/annual-report.entity';
import { ChannelKind } from '../metrics/enums';
import type { ChannelKindKey } from '../metrics/template';

/** A channel an office publishes through: its website, a WeChat account 「和谐鲸园」, kiosks, … */
@ObjectType({ description: '公开渠道 / A disclosure channel' })
@Entity('disclosure_channels')
@Index('UQ_disclosure_channels_office_kind_name', ['officeId', 'kind', 'name'], { unique: true })
export class DisclosureChannel {
  @Field(() => Int)
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  officeId!: number;

  @ManyToOne(() => Office, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'officeId', foreignKeyConstraintName: 'FK_disclosure_channels_office' })
  office?: Office;

  @Field(() => ChannelKind)
  @Column({ type: 'varchar', length: 32 })
  kind!: ChannelKindKey;

  /** The account name (和谐鲸园); '' when the report names none, so the unique key holds on MySQL. */
  @Column({ type: 'varchar', length: 200, default: '' })
  name!: string;

  @Field(() => String, { nullable: true, description: '网址 / URL' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  url!: string | null;
}

/** A channel's activity as one report states it. */
@ObjectType({ description: '渠道年度发布情况 / A channel\'s activity in one report' })
@Entity('channel_activities')
@Index('UQ_channel_activities_report_channel', ['reportId', 'channelId'], { unique: true })
export class ChannelActivity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  reportId!: number;

  @ManyToOne(() => AnnualReport, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_channel_activities_report' })
  report?: AnnualReport;

  @Index('IDX_channel_activities_channel')
  @Column({ type: 'int' })
  channelId!: number;

  @ManyToOne(() => DisclosureChannel, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'channelId', foreignKeyConstraintName: 'FK_channel_activities_channel' })
  channel?: DisclosureChannel;

  @Field(() => Int, { nullable: true, description: '发布信息条数 / Items published' })
  @Column({ type: 'int', nullable: true })
  items!: number | null;

  @Field(() => Int, { nullable: true, description: '设备数量 / Devices' })
  @Column({ type: 'int', nullable: true })
  devices!: number | null;

  @Field(() => Int, { nullable: true, description: '查询/服务次数 / Queries served' })
  @Column({ type: 'int', nullable: true })
  queries!: number | null;

  @Field({ description: '约数（如「1500余次」）/ Stated approximately (e.g. "over 1500")' })
  @Column({ type: 'boolean', width: 1, default: false })
  approximate!: boolean;
}
