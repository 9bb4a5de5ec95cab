/**
 * An office named by a report's title, to create under a given parent when no stored office
 * matches (`import --create-offices --under CODE`): its name without the ancestors the title
 * prefixes (威海市环翠区鲸园街道办事处 under 环翠区 → 鲸园街道办事处), its kind from the name's ending,
 * and a code suggested from the name's pinyin under the parent's code.
 */
import { pinyin } from 'pinyin-pro';
import type { OfficeKindKey } from './office-kind';

/** Endings that say what kind of office a name is, most specific first. */
const KIND_ENDINGS: readonly [RegExp, OfficeKindKey][] = [
  [/街道(办事处)?$/, 'sub_district'],
  [/(镇|乡)(人民政府)?$/, 'town'],
  [/(社区|村)(居民委员会|村民委员会|委员会)?$/, 'community'],
  [/(省|市|区|县|旗)人民政府$/, 'government'],
  [/(局|委员会|委|办公室|办|中心|院|站|所|队|署|厅|处)$/, 'department'],
];

export function kindFromName(name: string): OfficeKindKey {
  return KIND_ENDINGS.find(([ending]) => ending.test(name))?.[1] ?? 'other';
}

/** Last characters of administrative divisions (省, 市, 自治州, 县, 区, 旗, 盟). */
const DIVISION_ENDINGS = ['省', '市', '州', '县', '区', '旗', '盟'];

/** The names an ancestor may be printed under in a title: 环翠区人民政府 also as 环翠区. */
function printedForms(name: string): string[] {
  const forms = [name];
  for (const suffix of ['人民政府办公室', '人民政府', '办事处']) if (name.endsWith(suffix) && name.length > suffix.length) forms.push(name.slice(0, -suffix.length));
  return forms.sort((a, b) => b.length - a.length);
}

/** The title's office name without the ancestors' names it starts with. */
export function nameUnder(titleName: string, ancestorNames: readonly string[]): string {
  let name = titleName.replace(/\s+/g, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const form of ancestorNames.flatMap(printedForms)) {
      if (name.startsWith(form) && name.length > form.length + 1) {
        name = name.slice(form.length);
        changed = true;
      }
    }
  }
  // Divisions the title prefixes that are not among the ancestors (海城市西四镇 under a district whose
  // tree does not hold 海城市): the office under `--under` is the last unit named.
  // The last such boundary wins (伊州区丽园街道 → 丽园街道, not 区丽园街道).
  for (let cut = name.length - 2; cut >= 2; cut--) {
    const rest = name.slice(cut);
    if (DIVISION_ENDINGS.includes(name[cut - 1]!) && !['other', 'government'].includes(kindFromName(rest))) return rest;
  }
  return name;
}

/** `weihai-huancui` + 鲸园街道办事处 → `weihai-huancui-jingyuanjiedao`: readable, ASCII, at most 64 characters. */
export function suggestCode(parentCode: string, name: string): string {
  const core = name.replace(/(人民政府办公室|人民政府|办事处)$/, '') || name;
  const slug = pinyin(core, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  const base = slug === '' ? 'office' : slug;
  return `${parentCode}-${base}`.slice(0, 60).replace(/[-_.]+$/, '');
}
