/**
 * Roles, from least to most privileged. A field marked `@Authorized(Role.ANALYST)` is open to
 * analysts and every role above them; subtree limits for editors are checked in the services.
 */
export const Role = {
  PUBLIC: 'public',
  ANALYST: 'analyst',
  EDITOR: 'editor',
  ADMIN: 'admin',
} as const;
export type RoleName = (typeof Role)[keyof typeof Role];

export const ROLE_ORDER: readonly RoleName[] = [Role.PUBLIC, Role.ANALYST, Role.EDITOR, Role.ADMIN];

export function roleAtLeast(role: RoleName, required: RoleName): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(required);
}
