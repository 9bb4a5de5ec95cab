import { Arg, Authorized, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { Connection, connectionOf } from '../common/pagination';
import type { RequestContext } from '../server/context';
import { AuditEntry } from './audit-entry.entity';

@ObjectType()
export class AuditEntryConnection extends Connection('AuditEntry', AuditEntry) {}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: '审计日志（新在前）/ The audit log, newest first' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('targetType', () => String, { nullable: true, description: 'report、office 或 token' }) targetType?: string | null,
    @Arg('target', () => String, { nullable: true, description: '如 jingyuan/2020 / e.g. office code/year' }) target?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEntryConnection> {
    const page = await ctx.services.audit.list({ targetType, target, first, after });
    return connectionOf(page.nodes, page.limit, (e) => String(e.id), page.totalCount, Boolean(after));
  }

  @FieldResolver(() => String, { nullable: true, description: '写入前（JSON；报告为其当时的内容）/ Before, as JSON (a report\'s content then)' })
  before(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<string | null> {
    return snapshotOf(entry.before, entry.beforeRevisionId, ctx);
  }

  @FieldResolver(() => String, { nullable: true, description: '写入后（JSON）/ After, as JSON' })
  after(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<string | null> {
    return snapshotOf(entry.after, entry.afterRevisionId, ctx);
  }
}

/** Reports' snapshots are the revisions the write replaced and made; the rest are stored inline. */
async function snapshotOf(inline: string | null, revisionId: number | null, ctx: RequestContext): Promise<string | null> {
  if (revisionId === null) return inline;
  const content = await ctx.loaders.revisionContent.load(revisionId);
  return content ? JSON.stringify(content) : null;
}
