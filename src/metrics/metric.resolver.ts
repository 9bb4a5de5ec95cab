import { Arg, Authorized, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import { METRIC_DEFINITIONS, type MetricTable } from './catalog';
import { MetricTableEnum, TemplateFormatEnum } from './enums';
import type { TemplateFormat } from './template';
import type { MetricKey } from './metric-key';
import { MetricKeyScalar } from './metric-key.scalar';

@ObjectType({ description: '跨格式对应 / The counterpart measure across the 2021 template change' })
export class CrossFormatPairing {
  @Field(() => MetricKeyScalar)
  key!: MetricKey;

  @Field({ description: '是否同一口径 / Whether it is the same measure' })
  comparable!: boolean;

  @Field()
  note!: string;
}

@ObjectType('MetricDefinition', { description: '指标定义 / A metric of the vocabulary' })
export class MetricDefinitionType {
  @Field(() => MetricKeyScalar)
  key!: MetricKey;

  @Field({ description: '中文名称 / Chinese label' })
  label!: string;

  @Field()
  labelEn!: string;

  @Field(() => MetricTableEnum)
  table!: MetricTable;

  @Field(() => [TemplateFormatEnum], { description: '载有该指标的格式 / Formats that carry it' })
  formats!: TemplateFormat[];

  @Field({ description: 'count | money | ratio' })
  unit!: string;

  @Field({ description: '可为负（本年增/减）/ May be negative' })
  signed!: boolean;

  @Field({ description: '由其他指标计算 / Computed from other metrics' })
  derived!: boolean;

  @Field(() => CrossFormatPairing, { nullable: true })
  crossFormat!: CrossFormatPairing | null;
}

@Resolver()
export class MetricResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => [MetricDefinitionType], { description: '指标词表（用于选择器）/ The metric vocabulary, for pickers' })
  metricDefinitions(
    @Arg('table', () => MetricTableEnum, { nullable: true }) table?: MetricTable | null,
    @Arg('format', () => TemplateFormatEnum, { nullable: true }) format?: TemplateFormat | null,
  ): MetricDefinitionType[] {
    return METRIC_DEFINITIONS.filter((d) => (!table || d.table === table) && (!format || d.formats.includes(format))).map((d) => ({
      key: d.key,
      label: d.label.zh,
      labelEn: d.label.en,
      table: d.table,
      formats: [...d.formats],
      unit: d.unit,
      signed: d.signed,
      derived: d.derivation !== undefined,
      crossFormat: d.crossFormat ? { ...d.crossFormat } : null,
    }));
  }
}
