import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TemplateFormatEnum } from '../metrics/enums';
import type { TemplateFormat } from '../metrics/template';

@ObjectType({ description: '报告年度 / A reporting year' })
@Entity('reporting_years')
export class ReportingYear {
  @Field(() => Int, { description: '报告所述年度 / The year reported on' })
  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Field(() => TemplateFormatEnum, { description: '适用格式 / Template format that applies' })
  @Column({ type: 'varchar', length: 4 })
  templateFormat!: TemplateFormat;

  @Field({ description: '公布期限（次年1月31日）/ Publication deadline (31 January of the following year)' })
  @Column({ type: 'varchar', length: 10 })
  deadline!: string;
}
