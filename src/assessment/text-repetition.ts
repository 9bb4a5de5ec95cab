/**
 * How much of a report's text repeats the previous year's word for word: the share of its
 * 20-character windows (after folding whitespace and punctuation) found verbatim last year. A
 * report copied from last year with the year changed scores near 1; fresh text near 0.
 */
const WINDOW = 20;

function fold(text: string): string {
  return text.replace(/[\s\u3000,，.。、;；:：!！?？"“”'‘’()（）《》【】\-—|]/g, '').replace(/\d{4}\s*年/g, '年');
}

export function repeatedShare(current: string | null, previous: string | null): number | null {
  if (!current || !previous) return null;
  const a = Array.from(fold(current));
  const b = fold(previous);
  if (a.length < WINDOW || b.length < WINDOW) return null;
  const seen = new Set<string>();
  const chars = Array.from(b);
  for (let i = 0; i + WINDOW <= chars.length; i++) seen.add(chars.slice(i, i + WINDOW).join(''));
  let windows = 0;
  let repeated = 0;
  for (let i = 0; i + WINDOW <= a.length; i++) {
    windows += 1;
    if (seen.has(a.slice(i, i + WINDOW).join(''))) repeated += 1;
  }
  return windows === 0 ? null : repeated / windows;
}
