/**
 * Label matching by similarity, because published labels carry typos (「就法制亍政收禁止公开」),
 * stray spaces, cut-off text and notes. Scores are 0..1.
 */
import { compactLabel, stripNumbering } from './normalize';

function bigrams(text: string): string[] {
  const chars = Array.from(text);
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Sørensen–Dice over character bigrams. */
export function dice(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of y) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      common += 1;
      counts.set(g, n - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

export function labelKey(text: string): string {
  return compactLabel(stripNumbering(text));
}

/**
 * How well a published label matches a template label or one of its aliases: exact, containment
 * (a label with a note, or cut short) or bigram similarity.
 */
export function labelScore(published: string, names: readonly string[]): number {
  const p = labelKey(published);
  if (p === '') return 0;
  let best = 0;
  for (const name of names) {
    const n = labelKey(name);
    if (n === '') continue;
    let score: number;
    if (p === n) score = 1;
    else if (n.length >= 2 && p.includes(n)) score = 0.9 - Math.min(0.2, (p.length - n.length) / 100);
    else if (p.length >= 3 && n.startsWith(p)) score = 0.6 + 0.3 * (p.length / n.length);
    else score = dice(p, n);
    if (score > best) best = score;
  }
  return best;
}
