import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { BadUserInputError } from '../common/errors';
import { requireOffice } from './office-lookup';
import { Connection, connectionOf, listPage } from '../common/pagination';
import { DisclosureChannel } from '../channels/disclosure-channel.entity';
import { AnnualReport } from '../reports/annual-report.entity';
import type { RequestContext } from '../server/context';
import { Office, ancestorIdsOf } from './office.entity';
import { OfficeFilter, OfficeInput } from './office.input';

@ObjectType()
export class OfficeConnection extends Connection('Office', Office) {}

@Resolver(() => Office)
export class OfficeResolver {
  @Authorized(Role.PUBLIC)
  @Query(() => OfficeConnection, { description: '按名称或编码搜索机关（分页）/ Offices by name or code substring, paginated' })
  async offices(
    @Ctx() ctx: RequestContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('filter', () => OfficeFilter, { nullable: true }) filter?: OfficeFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '每页条数（最多100）/ Page size, capped at 100' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<OfficeConnection> {
    const page = await ctx.services.offices.list({ search, filter, first, after });
    // Fields below that lead back to these offices (a channel's office, a report's office) are then
    // cache hits rather than a second batch whose timing depends on which query answers first.
    for (const office of page.nodes) {
      ctx.loaders.officeById.prime(office.id, office);
      ctx.loaders.officeByCode.prime(office.code, office);
    }
    return connectionOf(page.nodes, page.limit, (o) => o.code, page.totalCount, page.hasPrevious);
  }

  @Authorized(Role.PUBLIC)
  @Query(() => Office, { nullable: true, description: '按编码取机关；编码不存在时报 NOT_FOUND / An office by its code; NOT_FOUND when no office has the code' })
  async office(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode', () => String, { nullable: true, description: '机关编码（必填；可空仅为兼容 code）/ The office code (required; nullable only while `code` is kept)' }) officeCode?: string | null,
    @Arg('code', () => String, { nullable: true, deprecationReason: '改用 officeCode / Use officeCode (removed in the next release)' }) code?: string | null,
  ): Promise<Office | null> {
    if (officeCode && code) throw BadUserInputError.of('officeCode', 'give officeCode (or the deprecated code), not both');
    const given = officeCode ?? code;
    if (!given) throw BadUserInputError.of('officeCode', 'give the office code');
    return requireOffice(ctx.loaders.officeByCode, given, officeCode ? 'officeCode' : 'code');
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Office, { description: '新增或修改机关（按编码）/ Create or update an office by code' })
  upsertOffice(@Ctx() ctx: RequestContext, @Arg('input', () => OfficeInput) input: OfficeInput): Promise<Office> {
    return ctx.services.offices.upsert(input, ctx.viewer);
  }

  @FieldResolver(() => Office, { nullable: true })
  parent(@Root() office: Office, @Ctx() ctx: RequestContext): Promise<Office | null> | null {
    return office.parentId === null ? null : ctx.loaders.officeById.load(office.parentId);
  }

  @FieldResolver(() => [Office], { description: '直接下级（按编码，每次最多100个；全部请用 offices(filter: {parentCode})）/ Direct children by code, at most 100 at a time' })
  async children(
    @Root() office: Office,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 100, description: '最多100 / At most 100' }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<Office[]> {
    return listPage(await ctx.loaders.childrenByParentId.load(office.id), first, offset);
  }

  @FieldResolver(() => [String], { description: '别名（旧名称、全称），匹配报告标题时使用 / Other names, matched against report titles' })
  async aliases(@Root() office: Office, @Ctx() ctx: RequestContext): Promise<string[]> {
    return (await ctx.loaders.aliasesByOfficeId.load(office.id)).map((a) => a.alias);
  }

  @FieldResolver(() => [Office], { description: '上级链（根在前）/ Ancestors, root first' })
  async ancestors(@Root() office: Office, @Ctx() ctx: RequestContext): Promise<Office[]> {
    const found = await ctx.loaders.officeById.loadMany(ancestorIdsOf(office));
    return found.filter((o): o is Office => o instanceof Office);
  }

  @FieldResolver(() => [DisclosureChannel], { description: '公开渠道（每次最多100个）/ Its channels, at most 100 at a time' })
  async channels(
    @Root() office: Office,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: '最多100 / At most 100' }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<DisclosureChannel[]> {
    return listPage(await ctx.loaders.channelsByOfficeId.load(office.id), first, offset);
  }

  @FieldResolver(() => [AnnualReport], { description: '各年度报告（按年，每次最多100份）/ Its reports, by year, at most 100 at a time' })
  async reports(
    @Root() office: Office,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: '最多100 / At most 100' }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<AnnualReport[]> {
    return listPage(await ctx.loaders.reportsByOfficeId.load(office.id), first, offset);
  }

  @FieldResolver(() => AnnualReport, { nullable: true })
  async report(@Root() office: Office, @Ctx() ctx: RequestContext, @Arg('year', () => Int) year: number): Promise<AnnualReport | null> {
    // Through the same batch as `reports`, so both lead to one metrics batch, not two.
    const reports = await ctx.loaders.reportsByOfficeId.load(office.id);
    return reports.find((r) => r.year === year) ?? null;
  }
}
