import type { DataSource } from 'typeorm';
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
  const rows = names.length === 0 ? [] : await dataSource.getRepository(Office).createQueryBuilder('o').where('o.name IN (:...names)', { names }).getMany();
  if (rows.length === 0) return { kind: 'unknown', name: titleName };
  const longest = Math.max(...rows.map((o) => o.name.length));
  let best = rows.filter((o) => o.name.length === longest);
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
