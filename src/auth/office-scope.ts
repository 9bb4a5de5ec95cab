import type { EntityManager } from 'typeorm';
import { ForbiddenError } from '../common/errors';
import { Office } from '../offices/office.entity';
import { Role, roleAtLeast } from './roles';
import type { Viewer } from './viewer';

/**
 * Editors write only inside the subtree of the office their credential is scoped to; admins write
 * anywhere. Called inside the write's transaction, before anything is written.
 */
export async function assertMayWriteFor(manager: EntityManager, viewer: Viewer, office: Office): Promise<void> {
  if (viewer.role === Role.ADMIN) return;
  if (!roleAtLeast(viewer.role, Role.EDITOR)) throw new ForbiddenError(`Writing reports needs the editor role; this credential has ${viewer.role}.`);
  const scopeCode = viewer.scopeOfficeCode;
  if (!scopeCode) throw new ForbiddenError('This editor credential is not scoped to any office, so it may write none.');
  const scope = await manager.findOneBy(Office, { code: scopeCode });
  if (!scope) throw new ForbiddenError(`This editor credential is scoped to office "${scopeCode}", which does not exist.`);
  if (!office.path.startsWith(scope.path)) {
    throw new ForbiddenError(`Office "${office.code}" is outside this editor's subtree ("${scope.code}"); nothing was written.`);
  }
}
