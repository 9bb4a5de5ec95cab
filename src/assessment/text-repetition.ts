/**
 * How much of a report's text repeats the previous year's word for word: the share of its
 * 20-character windows (after folding whitespace and punctuation) found verbatim last year. A
 * report copied from last year with the year changed scores near 1; fresh text near 0.
 *
 * Windows are compared by a rolling double hash (two moduli near 2^26, combined into one safe
 * integer) rather than as substrings: an export assesses every office of a district, and
 * millions of short strings would be garbage the server's memory has to carry.
 */
const WINDOW = 20;
const M1 = 67108859;
const M2 = 67108837;
const B1 = 1000003;
const B2 = 999983;

function fold(text: string): string {
  return text.replace(/[\s\u3000,，.。、;；:：!！?？"“”'‘’()（）《》【】\-—|]/g, '').replace(/\d{4}\s*年/g, '年');
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}

/** B^(WINDOW-1) mod m: what the character leaving the window weighed. */
function leadingWeight(base: number, mod: number): number {
  let w = 1;
  for (let i = 1; i < WINDOW; i++) w = (w * base) % mod;
  return w;
}
const W1 = leadingWeight(B1, M1);
const W2 = leadingWeight(B2, M2);

/** The hash of every WINDOW-long run of `cps`, in order. */
function windowHashes(cps: readonly number[], visit: (hash: number) => void): void {
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < cps.length; i++) {
    if (i >= WINDOW) {
      const out = cps[i - WINDOW]!;
      h1 = (h1 - ((out * W1) % M1) + M1) % M1;
      h2 = (h2 - ((out * W2) % M2) + M2) % M2;
    }
    h1 = (h1 * B1 + cps[i]!) % M1;
    h2 = (h2 * B2 + cps[i]!) % M2;
    if (i >= WINDOW - 1) visit(h1 * 67108864 + h2);
  }
}

export function repeatedShare(current: string | null, previous: string | null): number | null {
  if (!current || !previous) return null;
  const a = codePoints(fold(current));
  const b = codePoints(fold(previous));
  if (a.length < WINDOW || b.length < WINDOW) return null;
  const seen = new Set<number>();
  windowHashes(b, (h) => seen.add(h));
  let windows = 0;
  let repeated = 0;
  windowHashes(a, (h) => {
    windows += 1;
    if (seen.has(h)) repeated += 1;
  });
  return windows === 0 ? null : repeated / windows;
}
