import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { Role } from '../auth/roles';
import { TemplateFormatEnum } from '../metrics/enums';
import type { TemplateFormat } from '../metrics/template';
import { Office } from '../offices/office.entity';
import { ReadingStatusEnum, type ReadingStatus } from '../provenance/provenance';
import { AnnualReport } from '../reports/annual-report.entity';
import { ReportRevision } from '../reports/report-revision.entity';
import type { RequestContext } from '../server/context';
import { ImportProblemCodeEnum, ParseWarningCodeEnum, type ImportProblemCode, type ParseWarningCode } from './import-codes';
import type { ImportOutcome } from './import.service';

export const ImportStatusEnum = { IMPORTED: 'IMPORTED', REVISED: 'REVISED', UNCHANGED: 'UNCHANGED', FAILED: 'FAILED', REFUSED: 'REFUSED' } as const;
registerEnumType(ImportStatusEnum, {
  name: 'ImportStatus',
  description: '导入结果 / Outcome of an import',
  valuesConfig: {
    IMPORTED: { description: '新报告 / A new report' },
    REVISED: { description: '已有报告的新版本（旧版本保留）/ A new revision; the earlier one is kept' },
    UNCHANGED: { description: '与当前版本相同，未改动 / Same as the current revision; nothing changed' },
    FAILED: { description: '未导入，见 problem / Not imported; see problem' },
    REFUSED: {
      description: '已读取但拒绝导入：会使已存报告变差（表格无法读出、没有数值或少于当前版本），见 problem；force 可强制导入 / Read but refused: storing it would make the stored report worse (tables unreadable, no values, fewer than the current version); see problem; force overrides',
    },
  },
});

@ObjectType({ description: '导入失败原因 / Why an import failed' })
export class ImportProblem {
  @Field(() => ImportProblemCodeEnum, { description: 'FAILED 或 REFUSED 的原因（各值说明见枚举）/ Why it FAILED or was REFUSED: see the enum\'s values' })
  code!: ImportProblemCode;

  @Field()
  message!: string;

  @Field(() => Int, { nullable: true, description: '原文行号 / Line of the text' })
  line!: number | null;

  @Field(() => String, { nullable: true, description: '相关参数 / The argument concerned' })
  field!: string | null;

  @Field(() => [String], { description: '可能的机关编码 / Candidate office codes' })
  candidates!: string[];
}

@ObjectType('ParseWarning', { description: '解析提示（如原文不完整）/ A parser warning, e.g. the text ends early' })
export class ParseWarningType {
  @Field(() => ParseWarningCodeEnum)
  code!: ParseWarningCode;

  @Field()
  message!: string;

  @Field(() => Int, { nullable: true })
  line!: number | null;

  @Field(() => String, { nullable: true, description: '表格（二、三、四）/ Table' })
  table!: string | null;

  @Field(() => String, { nullable: true })
  row!: string | null;
}

@ObjectType({ description: '导入一份年度报告的结果 / The result of importing one report' })
export class ImportResult {
  @Field(() => ImportStatusEnum)
  status!: keyof typeof ImportStatusEnum;

  @Field(() => ImportProblem, { nullable: true })
  problem!: ImportProblem | null;

  @Field(() => Office, { nullable: true })
  office!: Office | null;

  @Field(() => AnnualReport, { nullable: true })
  report!: AnnualReport | null;

  @Field(() => ReportRevision, { nullable: true, description: '当前版本 / The current revision' })
  revision!: ReportRevision | null;

  @Field(() => ReportRevision, { nullable: true, description: '导入前的当前版本 / The revision that was current before' })
  previousRevision!: ReportRevision | null;

  @Field(() => Int, { nullable: true, description: '标题中的年度 / Year read from the title' })
  year!: number | null;

  @Field(() => TemplateFormatEnum, { nullable: true })
  templateFormat!: TemplateFormat | null;

  @Field(() => String, { nullable: true, description: '标题中的机关名称 / Office as named in the title' })
  officeNamed!: string | null;

  @Field(() => Int, { description: '读出的数值个数 / Numbers read' })
  metricsRead!: number;

  @Field(() => [ParseWarningType])
  warnings!: ParseWarningType[];

  @Field(() => ReadingStatusEnum, { nullable: true, description: '原文读取情况；未能解析时为空 / How far the reading can be trusted; null when the text could not be parsed' })
  readingStatus!: ReadingStatus | null;

  @Field({ description: '本应拒绝、因 force 而导入 / Stored although it would have been refused, because of force' })
  forced!: boolean;
}

export function importResultOf(outcome: ImportOutcome): ImportResult {
  return {
    status: outcome.status,
    problem: outcome.problem ? { ...outcome.problem, candidates: [...outcome.problem.candidates] } : null,
    office: outcome.office,
    report: outcome.write?.report ?? null,
    revision: outcome.write?.revision ?? null,
    previousRevision: outcome.write?.previousRevision ?? null,
    year: outcome.parsed?.year ?? null,
    templateFormat: outcome.parsed?.templateFormat ?? null,
    officeNamed: outcome.parsed?.office ?? null,
    metricsRead: outcome.parsed ? Object.keys(outcome.parsed.metrics).length : 0,
    warnings: outcome.warnings.map((w) => ({ code: w.code, message: w.message, line: w.line ?? null, table: w.table ?? null, row: w.row ?? null })),
    readingStatus: outcome.readingStatus,
    forced: outcome.forced,
  };
}

@Resolver()
export class ImportResolver {
  @Authorized(Role.EDITOR)
  @Mutation(() => ImportResult, {
    description: '导入已发布报告的原文（文本或HTML）；相同原文重复导入不改动，不同原文保留旧版本 / Import a published report (text or HTML)',
  })
  async importReport(
    @Ctx() ctx: RequestContext,
    @Arg('text', { description: '报告原文 / The report as published' }) text: string,
    @Arg('officeCode', () => String, { nullable: true, description: '标题能确定机关时可省略 / Optional when the title names a known office' }) officeCode?: string | null,
    @Arg('force', { defaultValue: false, description: '即使会使已存报告变差（见 REFUSED）也导入 / Import even what would be REFUSED' }) force?: boolean,
  ): Promise<ImportResult> {
    return importResultOf(await ctx.services.imports.importText(text, { officeCode, viewer: ctx.viewer, log: ctx.log, force: force === true }));
  }
}
