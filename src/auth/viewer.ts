import { Role, type RoleName } from './roles';

/** Who is calling: built once per request from its credentials (or their absence). */
export interface Viewer {
  readonly role: RoleName;
  /** `token:<id>` for API tokens, `jwt:<sub>` for identity-provider tokens, `anonymous` otherwise. */
  readonly subject: string;
  /** Editors write only inside this office's subtree. */
  readonly scopeOfficeCode?: string | null;
  readonly tokenId?: number | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ role: Role.PUBLIC, subject: 'anonymous' });

/** The service itself, e.g. loading the sample into an empty database. */
export const SYSTEM_VIEWER: Viewer = Object.freeze({ role: Role.ADMIN, subject: 'system' });

/** The command line runs with the operator's own authority. */
export function cliViewer(): Viewer {
  return { role: Role.ADMIN, subject: `cli:${process.env.USER ?? process.env.USERNAME ?? 'operator'}` };
}

export function isRoleName(value: unknown): value is RoleName {
  return typeof value === 'string' && (Object.values(Role) as string[]).includes(value);
}
