import type { DataSource } from 'typeorm';
import { OfficeAlias } from '../offices/office-alias.entity';
import { Office, ancestorIdsOf } from '../offices/office.entity';

export type OfficeMatch =
  | { readonly kind: 'found'; readonly office: Office }
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'ambiguous'; readonly name: string; readonly candidates: readonly Office[] };

/** Suffixes such as 人民政府 that titles add to (or drop from) an office's registered name. */
const NAME_SUFFIXES = ['人民政府办公室', '人民政府', '办事处'];

/** Every tail of the name (鲸园街道办事处, 园街道办事处, …) and the same without a common suffix. */
function candidateNames(titleName: string): string[] {
  const names = new Set<string>();
  const chars = Array.from(titleName.replace(/\s+/g, ''));
  for (let i = 0; i < chars.length - 1; i++) names.add(chars.slice(i).join(''));
  for (const name of [...names]) {
    for (const suffix of NAME_SUFFIXES) {
      if (name.endsWith(suffix) && name.length > suffix.length + 1) names.add(name.slice(0, -suffix.length));
      else names.add(name + suffix);
    }
  }
  return [...names];
}

/**
 * The stored office a report's title names (威海市环翠区鲸园街道办事处 → 鲸园街道办事处 under 环翠区).
 * The longest registered name that ends the title wins; offices sharing that name are told apart
 * by their ancestors' names appearing earlier in the title.
 */
export async function matchOffice(dataSource: DataSource, titleName: string): Promise<OfficeMatch> {
  const names = candidateNames(titleName);
  if (names.length === 0) return { kind: 'unknown', name: titleName };
  const byName = await dataSource.getRepository(Office).createQueryBuilder('o').where('o.name IN (:...names)', { names }).getMany();
  // An alias (an old name, the long form a title prints) counts as the office's name, by its own length.
  const aliases = await dataSource.getRepository(OfficeAlias).createQueryBuilder('a').where('a.alias IN (:...names)', { names }).getMany();
  const aliased = aliases.length === 0 ? [] : await dataSource.getRepository(Office).createQueryBuilder('o').where('o.id IN (:...ids)', { ids: [...new Set(aliases.map((a) => a.officeId))] }).getMany();
  const matchedLength = new Map<number, number>(byName.map((o) => [o.id, o.name.length]));
  for (const alias of aliases) matchedLength.set(alias.officeId, Math.max(matchedLength.get(alias.officeId) ?? 0, alias.alias.length));
  const rows = [...new Map([...byName, ...aliased].map((o) => [o.id, o])).values()];
  if (rows.length === 0) return { kind: 'unknown', name: titleName };
  const lengthOf = (o: Office) => matchedLength.get(o.id) ?? 0;
  const longest = Math.max(...rows.map(lengthOf));
  let best = rows.filter((o) => lengthOf(o) === longest);
  if (best.length > 1) {
    const ancestorIds = [...new Set(best.flatMap((o) => ancestorIdsOf(o)))];
    const ancestors = ancestorIds.length ? await dataSource.getRepository(Office).createQueryBuilder('o').where('o.id IN (:...ids)', { ids: ancestorIds }).getMany() : [];
    const nameOf = new Map(ancestors.map((a) => [a.id, a.name]));
    const score = (o: Office) => ancestorIdsOf(o).filter((id) => titleName.includes(nameOf.get(id) ?? '\u0000')).length;
    const top = Math.max(...best.map(score));
    best = best.filter((o) => score(o) === top);
  }
  return best.length === 1 ? { kind: 'found', office: best[0]! } : { kind: 'ambiguous', name: titleName, candidates: best };
}
