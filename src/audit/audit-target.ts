import { registerEnumType } from 'type-graphql';

/** What an audit entry is about; `AuditTargetKind` in GraphQL (beside OfficeKind, ChannelKind). */
export const AuditTargetType = { REPORT: 'report', OFFICE: 'office', TOKEN: 'token' } as const;
export type AuditTargetTypeName = (typeof AuditTargetType)[keyof typeof AuditTargetType];
registerEnumType(AuditTargetType, {
  name: 'AuditTargetKind',
  description: '审计对象类型 / What kind of thing an audit entry is about',
  valuesConfig: {
    REPORT: { description: '年度报告（对象为 机关编码/年度）/ An annual report; target is officeCode/year' },
    OFFICE: { description: '机关（对象为机关编码）/ An office; target is its code' },
    TOKEN: { description: 'API 令牌（对象为令牌编号）/ An API token; target is its id' },
  },
});
