import { Arg, Authorized, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { Connection, connectionOf } from '../common/pagination';
import type { RequestContext } from '../server/context';
import { GraphQLJSON } from 'graphql-scalars';
import { AuditEntry } from './audit-entry.entity';
import { AuditTargetType, type AuditTargetTypeName } from './audit-target';

@ObjectType()
export class AuditEntryConnection extends Connection('AuditEntry', AuditEntry) {}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: '审计日志（新在前）/ The audit log, newest first' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('targetType', () => AuditTargetType, { nullable: true }) targetType?: AuditTargetTypeName | null,
    @Arg('target', () => String, { nullable: true, description: '如 jingyuan/2020 / e.g. office code/year' }) target?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEntryConnection> {
    const page = await ctx.services.audit.list({ targetType, target, first, after });
    return connectionOf(page.nodes, page.limit, (e) => String(e.id), page.totalCount, Boolean(after));
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description:
      '写入前（JSON 值：报告为其当时的内容 {year, metrics, channels, …}，机关与令牌为其字段，审核为所改内容）/ Before, as a JSON value: for a report its content then ({year, metrics, channels, …}), for an office or token its fields, for a review what it changed',
  })
  before(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<unknown> {
    return snapshotOf(entry.before, entry.beforeRevisionId, ctx);
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: '写入后（JSON 值，形状同 before）/ After, as a JSON value shaped as `before`' })
  after(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<unknown> {
    return snapshotOf(entry.after, entry.afterRevisionId, ctx);
  }
}

/** Reports' snapshots are the revisions the write replaced and made; the rest are stored inline. */
async function snapshotOf(inline: string | null, revisionId: number | null, ctx: RequestContext): Promise<unknown> {
  if (revisionId === null) return inline === null ? null : (JSON.parse(inline) as unknown);
  const content = await ctx.loaders.revisionContent.load(revisionId);
  return content ?? null;
}
