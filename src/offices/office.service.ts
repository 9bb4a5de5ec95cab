import { withTransaction } from '../db/transaction';
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { OfficeChange, ReportEvents } from '../reports/report-events';
import type { Viewer } from '../auth/viewer';
import { BadUserInputError } from '../common/errors';
import { decodeCursor, pageSize } from '../common/pagination';
import { OfficeAlias } from './office-alias.entity';
import { Office, ancestorIdsOf } from './office.entity';
import { kindFromName, nameUnder, suggestCode } from './office-from-title';
import type { OfficeFilter, OfficeInput } from './office.input';
import { requireOffice } from './office-lookup';

/**
 * `LIKE` pattern matching `text` literally anywhere, for `ESCAPE '!'`: not a backslash, which
 * MySQL's string literals would swallow and SQLite's would not.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export type OfficeWriteOutcome = 'created' | 'updated' | 'unchanged';

/** One input of a batch could not be stored; `index` says which (none of the batch is stored). */
export class OfficeBatchError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'OfficeBatchError';
  }
}

export interface OfficePage {
  readonly nodes: Office[];
  readonly limit: number;
  readonly totalCount: number;
  readonly hasPrevious: boolean;
}

export class OfficeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events?: ReportEvents,
  ) {}

  async byCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<Office | null> {
    return manager.findOneBy(Office, { code });
  }

  async byCodes(codes: readonly string[]): Promise<Office[]> {
    if (codes.length === 0) return [];
    return this.dataSource.getRepository(Office).createQueryBuilder('o').where('o.code IN (:...codes)', { codes }).getMany();
  }

  /** An office that must exist; `field` names the input that gave its code. */
  async requireByCode(code: string, field: string, manager?: EntityManager): Promise<Office> {
    return requireOffice({ load: (c) => this.byCode(c, manager) }, code, field);
  }

  /**
   * The office a report's title names, created under `parentCode` (`import --create-offices`):
   * named without the ancestors the title prefixes, its kind from the name, a code suggested from
   * the name's pinyin. An office of that name already under the parent is returned as it is.
   */
  async createFromTitle(titleName: string, parentCode: string, viewer: Viewer): Promise<{ office: Office; created: boolean }> {
    const parent = await this.requireByCode(parentCode, 'createOfficesUnder');
    const ancestors = await this.dataSource.getRepository(Office).findBy({ id: In([...ancestorIdsOf(parent), parent.id]) });
    const name = nameUnder(titleName, ancestors.map((a) => a.name)).slice(0, 200);
    const existing = await this.dataSource.getRepository(Office).findOneBy({ parentId: parent.id, name });
    if (existing) return { office: existing, created: false };
    const base = suggestCode(parent.code, name);
    let code = base;
    for (let n = 2; await this.byCode(code); n += 1) code = `${base}-${n}`;
    await this.upsertMany([{ code, name, kind: kindFromName(name), parentCode: parent.code, region: null }], viewer);
    return { office: (await this.byCode(code))!, created: true };
  }

  /** Ids of an office's whole subtree (itself included): one indexed range on the path. */
  async subtreeIds(root: Office, includeRoot = true): Promise<number[]> {
    const rows = await this.dataSource
      .getRepository(Office)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.path LIKE :prefix', { prefix: `${root.path}%` })
      .getRawMany<{ id: number }>();
    const ids = rows.map((r) => Number(r.id));
    return includeRoot ? ids : ids.filter((id) => id !== root.id);
  }

  async list(args: { search?: string | null; filter?: OfficeFilter | null; first?: number | null; after?: string | null }): Promise<OfficePage> {
    const limit = pageSize(args.first);
    const qb = this.dataSource.getRepository(Office).createQueryBuilder('o');
    const search = args.search?.trim();
    if (search) {
      qb.andWhere(
        new Brackets((w) => {
          w.where("o.name LIKE :pattern ESCAPE '!'", { pattern: containsPattern(search) }).orWhere("o.code LIKE :pattern ESCAPE '!'");
        }),
      );
    }
    const filter = args.filter;
    if (filter?.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter?.region) qb.andWhere('o.region = :region', { region: filter.region });
    if (filter?.parentCode) {
      const parent = await this.requireByCode(filter.parentCode, 'filter.parentCode');
      qb.andWhere('o.parentId = :parentId', { parentId: parent.id });
    }
    if (filter?.under) {
      const root = await this.requireByCode(filter.under, 'filter.under');
      qb.andWhere('o.path LIKE :prefix AND o.id <> :rootId', { prefix: `${root.path}%`, rootId: root.id });
    }
    const totalCount = await qb.clone().getCount();
    if (args.after) qb.andWhere('o.code > :after', { after: decodeCursor(args.after) });
    const nodes = await qb.orderBy('o.code', 'ASC').take(limit + 1).getMany();
    return { nodes, limit, totalCount, hasPrevious: Boolean(args.after) };
  }

  /** Creates or updates an office by code, moving its subtree when the parent changes. */
  async upsert(input: OfficeInput, viewer: Viewer): Promise<Office> {
    const saved = await withTransaction(this.dataSource, async (manager) => {
      const saved = await this.write(manager, input);
      await this.audit.record(manager, viewer, {
        action: saved.before ? 'office.updated' : 'office.created',
        targetType: 'office',
        target: input.code,
        before: saved.before,
        after: snapshot(saved.office),
      });
      return saved;
    });
    // After the commit: comparisons count a scope's offices, list the missing ones and group them by kind.
    await this.events?.officeChanged(officeChangeOf(saved));
    return saved.office;
  }

  /**
   * Many offices in one transaction (parents before children), each created, updated or left
   * as it is; a failure names the input's index and stores none of them.
   */
  async upsertMany(inputs: readonly OfficeInput[], viewer: Viewer): Promise<OfficeWriteOutcome[]> {
    const changes: OfficeChange[] = [];
    const outcomes = await withTransaction(this.dataSource, async (manager) => {
      changes.length = 0;
      const outcomes: OfficeWriteOutcome[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          if (await this.isUnchanged(manager, input)) {
            outcomes.push('unchanged');
            continue;
          }
          const saved = await this.write(manager, input);
          await this.audit.record(manager, viewer, {
            action: saved.before ? 'office.updated' : 'office.created',
            targetType: 'office',
            target: input.code,
            before: saved.before,
            after: snapshot(saved.office),
          });
          outcomes.push(saved.before ? 'updated' : 'created');
          changes.push(officeChangeOf(saved));
        } catch (error) {
          throw new OfficeBatchError(index, error instanceof Error ? error.message : String(error));
        }
      }
      return outcomes;
    });
    // After the commit, as for one office: shared caches drop what the batch made stale.
    for (const change of changes) await this.events?.officeChanged(change);
    return outcomes;
  }

  private async isUnchanged(manager: EntityManager, input: OfficeInput): Promise<boolean> {
    const existing = await this.byCode(input.code, manager);
    if (!existing) return false;
    const parent = input.parentCode ? await this.byCode(input.parentCode, manager) : null;
    const region = input.region?.trim() ? input.region.trim() : null;
    if (existing.name !== input.name.trim() || existing.kind !== input.kind || existing.region !== region || existing.parentId !== (parent?.id ?? null)) return false;
    if (!input.aliases) return true;
    const stored = (await manager.findBy(OfficeAlias, { officeId: existing.id })).map((a) => a.alias).sort();
    const wanted = [...new Set(input.aliases.map((a) => a.trim()).filter((a) => a !== '' && a !== existing.name))].sort();
    return stored.length === wanted.length && stored.every((a, i) => a === wanted[i]);
  }

  private async write(manager: EntityManager, input: OfficeInput): Promise<{ office: Office; before: Record<string, unknown> | null }> {
    const saved = await this.writeOffice(manager, input);
    if (input.aliases) await this.replaceAliases(manager, saved.office, input.aliases);
    return saved;
  }

  /** The office's other names, replaced as a set; its own name is never an alias of itself. */
  private async replaceAliases(manager: EntityManager, office: Office, aliases: readonly string[]): Promise<void> {
    const wanted = [...new Set(aliases.map((a) => a.trim()).filter((a) => a !== '' && a !== office.name))];
    await manager.delete(OfficeAlias, { officeId: office.id });
    if (wanted.length > 0) await manager.insert(OfficeAlias, wanted.map((alias) => ({ officeId: office.id, alias })));
  }

  async aliasesOf(officeIds: readonly number[]): Promise<OfficeAlias[]> {
    if (officeIds.length === 0) return [];
    return this.dataSource.getRepository(OfficeAlias).createQueryBuilder('a').where('a.officeId IN (:...ids)', { ids: [...officeIds] }).orderBy('a.alias', 'ASC').getMany();
  }

  private async writeOffice(manager: EntityManager, input: OfficeInput): Promise<{ office: Office; before: Record<string, unknown> | null }> {
    const parent = input.parentCode ? await this.requireByCode(input.parentCode, 'input.parentCode', manager) : null;
    const existing = await this.byCode(input.code, manager);
    if (existing && parent && (parent.id === existing.id || parent.path.startsWith(existing.path))) {
      throw BadUserInputError.of('input.parentCode', `"${input.parentCode}" is inside "${input.code}"'s own subtree; an office cannot be its own ancestor`);
    }
    const region = input.region?.trim() ? input.region.trim() : null;
    const before = existing ? snapshot(existing) : null;
    if (!existing) {
      const office = manager.create(Office, {
        code: input.code,
        name: input.name.trim(),
        kind: input.kind,
        parentId: parent?.id ?? null,
        region,
        path: '/',
        depth: parent ? parent.depth + 1 : 0,
      });
      await manager.save(office);
      office.path = `${parent?.path ?? '/'}${office.id}/`;
      await manager.update(Office, { id: office.id }, { path: office.path });
      return { office, before };
    }
    const oldPath = existing.path;
    const newPath = `${parent?.path ?? '/'}${existing.id}/`;
    Object.assign(existing, { name: input.name.trim(), kind: input.kind, region, parentId: parent?.id ?? null });
    if (newPath !== oldPath) {
      const depthChange = (parent ? parent.depth + 1 : 0) - existing.depth;
      const subtree = await manager
        .getRepository(Office)
        .createQueryBuilder('o')
        .where('o.path LIKE :prefix AND o.id <> :id', { prefix: `${oldPath}%`, id: existing.id })
        .getMany();
      for (const office of subtree) {
        await manager.update(Office, { id: office.id }, { path: newPath + office.path.slice(oldPath.length), depth: office.depth + depthChange });
      }
      existing.path = newPath;
      existing.depth += depthChange;
    }
    return { office: await manager.save(existing), before };
  }
}

/** What a write changed, for the caches: where the office is, and where it was if it moved. */
function officeChangeOf(saved: { office: Office; before: Record<string, unknown> | null }): OfficeChange {
  const previousPath = typeof saved.before?.path === 'string' && saved.before.path !== saved.office.path ? saved.before.path : null;
  return { officeId: saved.office.id, officePath: saved.office.path, previousPath };
}

/** What the audit log keeps of an office before and after a write. */
function snapshot(office: Office): Record<string, unknown> {
  return { code: office.code, name: office.name, kind: office.kind, parentId: office.parentId, region: office.region, path: office.path };
}
