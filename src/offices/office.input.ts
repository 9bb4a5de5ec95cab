import { ArrayMaxSize, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OfficeKind, type OfficeKindKey } from './office-kind';

export const OFFICE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

@InputType({ description: '新增或修改机关 / Create or update an office' })
export class OfficeInput {
  @Field({ description: '稳定编码（字母、数字、._-）/ Stable code (letters, digits, . _ -)' })
  @Matches(OFFICE_CODE_PATTERN, { message: 'code must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  code!: string;

  @Field()
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name!: string;

  @Field(() => OfficeKind)
  kind!: OfficeKindKey;

  @Field(() => String, { nullable: true, description: '上级机关编码；空为根 / Parent office code; null for a root' })
  @IsOptional()
  @Matches(OFFICE_CODE_PATTERN, { message: 'parentCode is not a valid office code' })
  parentCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 200, { message: 'region must be at most 200 characters' })
  region?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: '别名（旧名称、报告标题中的全称）；给出时替换原有别名，不给则不变 / Other names (old names, the long form titles print); when given they replace the stored ones, when omitted they stay',
  })
  @IsOptional()
  @ArrayMaxSize(20, { message: 'at most 20 aliases per office' })
  @Length(1, 200, { each: true, message: 'each alias must be 1–200 characters' })
  aliases?: string[] | null;
}

@InputType({ description: '机关筛选 / Office filter' })
export class OfficeFilter {
  @Field(() => OfficeKind, { nullable: true })
  kind?: OfficeKindKey | null;

  @Field(() => String, { nullable: true, description: '该机关的整个下级树（不含自身）/ The whole subtree under this office code (excluding it)' })
  under?: string | null;

  @Field(() => String, { nullable: true, description: '直接上级机关编码 / Direct parent code' })
  parentCode?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;
}
