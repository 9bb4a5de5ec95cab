import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { MAX_PAGE_SIZE } from '../common/pagination';
import { findByColumnIn } from '../db/entity-reads';
import { withTransaction } from '../db/transaction';
import type { OfficeService } from '../offices/office.service';
import { ApiToken } from './api-token.entity';
import { Role, type RoleName } from './roles';
import { isRoleName, type Viewer } from './viewer';

/** `dg_<prefix>_<secret>`: the prefix finds the row, the whole string is what gets hashed. */
const TOKEN_PATTERN = /^dg_([A-Za-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith('dg_');
}

function newToken(): { token: string; prefix: string } {
  const prefix = randomBytes(8).toString('base64url').replace(/[-_]/g, '').padEnd(10, '0').slice(0, 10);
  return { token: `dg_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

export interface TokenRequest {
  readonly name: string;
  readonly role: string;
  readonly scopeOfficeCode?: string | null;
}

export class TokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offices: OfficeService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a token; the returned secret is the only copy there will ever be. */
  async create(request: TokenRequest, viewer: Viewer): Promise<{ token: ApiToken; secret: string }> {
    const name = request.name.trim();
    if (!name || name.length > 200) throw BadUserInputError.of('input.name', 'must be 1–200 characters');
    if (!isRoleName(request.role) || request.role === Role.PUBLIC) {
      throw BadUserInputError.of('input.role', `must be one of analyst, editor, admin; got "${request.role}"`);
    }
    const role: RoleName = request.role;
    const scope = request.scopeOfficeCode?.trim() || null;
    if (role === Role.EDITOR && !scope) throw BadUserInputError.of('input.scopeOfficeCode', 'an editor token needs the code of the office whose subtree it may write');
    return withTransaction(this.dataSource, async (manager) => {
      if (scope) await this.offices.requireByCode(scope, 'input.scopeOfficeCode', manager);
      const { token, prefix } = newToken();
      const row = await manager.save(manager.create(ApiToken, { name, prefix, hash: hashToken(token), role, scopeOfficeCode: scope, createdBy: viewer.subject, revokedAt: null }));
      await this.audit.record(manager, viewer, { action: 'token.created', targetType: 'token', target: `${row.id}`, after: publicView(row) });
      return { token: row, secret: token };
    });
  }

  list(includeRevoked = false, page: { first: number; offset: number } = { first: MAX_PAGE_SIZE, offset: 0 }): Promise<ApiToken[]> {
    if (!Number.isInteger(page.first) || page.first < 1) throw BadUserInputError.of('first', `must be a positive integer, got ${page.first}`);
    if (!Number.isInteger(page.offset) || page.offset < 0) throw BadUserInputError.of('offset', `must be zero or a positive integer, got ${page.offset}`);
    const qb = this.dataSource.getRepository(ApiToken).createQueryBuilder('t').orderBy('t.id', 'ASC');
    if (!includeRevoked) qb.where('t.revokedAt IS NULL');
    return qb.skip(page.offset).take(Math.min(page.first, MAX_PAGE_SIZE)).getMany();
  }

  async revoke(id: number, viewer: Viewer): Promise<ApiToken> {
    return withTransaction(this.dataSource, async (manager) => {
      const row = await manager.findOneBy(ApiToken, { id });
      if (!row) throw new NotFoundError('API token', String(id));
      if (row.revokedAt) return row;
      const before = publicView(row);
      row.revokedAt = new Date();
      await manager.update(ApiToken, { id }, { revokedAt: row.revokedAt });
      await this.audit.record(manager, viewer, { action: 'token.revoked', targetType: 'token', target: `${id}`, before, after: publicView(row) });
      return row;
    });
  }

  /** The viewer a presented token stands for, or null when it is unknown, malformed or revoked. */
  async authenticate(presented: string): Promise<Viewer | null> {
    const match = TOKEN_PATTERN.exec(presented);
    if (!match) return null;
    // Every authenticated request reads its token: one plain statement, not find()'s query builder.
    const [row] = await findByColumnIn(this.dataSource, ApiToken, 'prefix', [match[1]]);
    if (!row || row.revokedAt) return null;
    const expected = Buffer.from(row.hash, 'hex');
    const actual = Buffer.from(hashToken(presented), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    return { role: row.role, subject: `token:${row.id}`, scopeOfficeCode: row.scopeOfficeCode, tokenId: row.id };
  }
}

function publicView(row: ApiToken): Record<string, unknown> {
  return { id: row.id, name: row.name, prefix: row.prefix, role: row.role, scopeOfficeCode: row.scopeOfficeCode, revokedAt: row.revokedAt?.toISOString() ?? null };
}
