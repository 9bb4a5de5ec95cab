import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { decodeCursor, pageSize } from '../common/pagination';
import { AuditEntry } from './audit-entry.entity';
import type { AuditTargetTypeName } from './audit-target';
import { currentRequestId } from '../server/request-id';

export interface AuditRecord {
  readonly action: string;
  readonly targetType: AuditTargetTypeName;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly beforeRevisionId?: number | null;
  readonly afterRevisionId?: number | null;
}

export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Written with the caller's manager, so the entry commits or rolls back with the write itself. */
  async record(manager: EntityManager, viewer: Viewer, record: AuditRecord): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntry)
      .values({
        actor: viewer.subject.slice(0, 200),
        role: viewer.role,
        tokenId: viewer.tokenId ?? null,
        action: record.action,
        targetType: record.targetType,
        target: record.target.slice(0, 200),
        requestId: currentRequestId() ?? null,
        before: record.before === undefined || record.before === null ? null : JSON.stringify(record.before),
        after: record.after === undefined || record.after === null ? null : JSON.stringify(record.after),
        beforeRevisionId: record.beforeRevisionId ?? null,
        afterRevisionId: record.afterRevisionId ?? null,
      })
      .execute();
  }

  /** Newest first; `after` is the cursor of the last entry seen. */
  async list(args: { targetType?: AuditTargetTypeName | null; target?: string | null; first?: number | null; after?: string | null }): Promise<{ nodes: AuditEntry[]; limit: number; totalCount: number }> {
    const limit = pageSize(args.first);
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC').take(limit + 1);
    if (args.targetType) qb.andWhere('a.targetType = :targetType', { targetType: args.targetType });
    if (args.target) qb.andWhere('a.target = :target', { target: args.target });
    const totalCount = await qb.clone().getCount();
    if (args.after) {
      const id = Number(decodeCursor(args.after));
      if (Number.isInteger(id)) qb.andWhere('a.id < :id', { id });
    }
    return { nodes: await qb.getMany(), limit, totalCount };
  }
}
