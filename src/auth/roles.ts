import { registerEnumType } from 'type-graphql';

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
registerEnumType(Role, {
  name: 'Role',
  description: '角色 / Role',
  valuesConfig: {
    PUBLIC: { description: '公开（无令牌）/ Anyone, without a token' },
    ANALYST: { description: '分析人员：读取与下载 / Analyst: reads and downloads' },
    EDITOR: { description: '编辑：写入其机关子树 / Editor: writes within its office subtree' },
    ADMIN: { description: '管理员 / Administrator' },
  },
});

export const ROLE_ORDER: readonly RoleName[] = [Role.PUBLIC, Role.ANALYST, Role.EDITOR, Role.ADMIN];

export function roleAtLeast(role: RoleName, required: RoleName): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(required);
}
