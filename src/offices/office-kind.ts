import { registerEnumType } from 'type-graphql';

export const OFFICE_KINDS = ['government', 'department', 'sub_district', 'town', 'community', 'other'] as const;
export type OfficeKindKey = (typeof OFFICE_KINDS)[number];

export const OFFICE_KIND_LABELS: Readonly<Record<OfficeKindKey, { zh: string; en: string }>> = {
  government: { zh: '人民政府', en: 'Government' },
  department: { zh: '政府部门', en: 'Department' },
  sub_district: { zh: '街道办事处', en: 'Sub-district' },
  town: { zh: '乡镇', en: 'Town or township' },
  community: { zh: '社区/村', en: 'Community or village' },
  other: { zh: '其他', en: 'Other' },
};

export const OfficeKind = Object.fromEntries(OFFICE_KINDS.map((k) => [k.toUpperCase(), k])) as Record<string, OfficeKindKey>;
registerEnumType(OfficeKind, {
  name: 'OfficeKind',
  description: '机关类型 / Kind of office',
  valuesConfig: Object.fromEntries(
    OFFICE_KINDS.map((k) => [k.toUpperCase(), { description: `${OFFICE_KIND_LABELS[k].zh} / ${OFFICE_KIND_LABELS[k].en}` }]),
  ),
});
