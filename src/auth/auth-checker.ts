import type { AuthChecker } from 'type-graphql';
import { AuthenticationError, ForbiddenError } from '../common/errors';
import type { RequestContext } from '../server/context';
import { Role, roleAtLeast, type RoleName } from './roles';
import { isRoleName } from './viewer';

/**
 * Decides `@Authorized(role)` fields: the viewer's role must be at least the field's. Callers
 * without credentials are refused with UNAUTHENTICATED (so they know to sign in), callers whose
 * role is too low with FORBIDDEN. Public fields need credentials too when PUBLIC_ACCESS is off.
 * Editors' office subtree limits are checked by the services, which know the target office.
 */
export const authChecker: AuthChecker<RequestContext> = ({ context, info }, roles) => {
  const required: RoleName = roles.find(isRoleName) ?? Role.ADMIN;
  const viewer = context.viewer;
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (viewer.role === Role.PUBLIC) {
    if (required === Role.PUBLIC && context.publicAccess) return true;
    const why = required === Role.PUBLIC ? 'this deployment does not allow anonymous access' : `it needs the ${required} role`;
    throw new AuthenticationError(`${field}: sign in with a bearer token (API token or identity-provider JWT); ${why}.`);
  }
  if (roleAtLeast(viewer.role, required)) return true;
  throw new ForbiddenError(`${field}: needs the ${required} role; this credential has ${viewer.role}.`);
};
