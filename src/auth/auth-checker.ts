import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../server/context';

/**
 * Decides `@Authorized(...)` fields. Until access control lands every caller is allowed; the
 * decorators already say which role each field needs.
 */
export const authChecker: AuthChecker<RequestContext> = () => true;
