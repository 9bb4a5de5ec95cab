/**
 * Cutting a run of digits into cells (「801000081」 is 80 | 1 | 0 | 0 | 0 | 0 | 81) where a page ran
 * a table's cells together. A cell is a number as printed: no leading zero unless it is 0 itself,
 * a sign only at its start, a decimal point with digits on both sides. A space or a sign in the
 * run is a cut the page kept. Only cuts that satisfy every constraint the caller gives are
 * returned; enumeration is bounded so that no run can make the parser slow.
 */

export interface Part {
  readonly value: number;
  /** Offsets within the run's text (end exclusive). */
  readonly start: number;
  readonly end: number;
}

/** The longest run that is cut: longer runs are left out (no table row is that long). */
const MAX_RUN = 60;
/** Steps of the search before it gives up (a run that allows this many cuts settles nothing). */
const MAX_STEPS = 200_000;
/** Distinct cuts kept: more than this is "ambiguous" all the same. */
const MAX_CUTS = 64;

interface Glyph {
  readonly ch: string;
  readonly at: number;
  /** A cut is forced before this glyph (a space or a sign preceded it). */
  readonly forced: boolean;
}

function glyphsOf(run: string): Glyph[] | null {
  const glyphs: Glyph[] = [];
  let forced = false;
  const text = run.replace(/(?:万元|元)$/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      forced = true;
      continue;
    }
    if (!/[\d.+-]/.test(ch)) return null;
    glyphs.push({ ch, at: i, forced: forced || ch === '-' || ch === '+' });
    if (glyphs.length > MAX_RUN) return glyphs;
    forced = false;
  }
  return glyphs;
}

const CELL = /^(?:[+-]|--)?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function cellValue(text: string): number | null {
  if (!CELL.test(text)) return null;
  const negative = text.startsWith('-');
  const value = Number(text.replace(/^[+-]+/, ''));
  return Number.isFinite(value) ? (negative ? -value : value) : null;
}

/** A shared allowance of search steps, so that no report's runs together can make it slow. */
export interface Budget {
  steps: number;
}

/**
 * Every cut of `run` into `width` cells that `check` accepts (at most MAX_CUTS; `complete` is
 * false when the search was cut short, which callers treat as "not determined"). `check(parts)`
 * is called after each part is added and may prune early. With `lastIsSum`, the last cell is the
 * sum of the others (table 三's 总计): it is chosen first, and the others are searched only while
 * they can still add up to it — a row of real size then takes a few hundred steps.
 */
export function cutsOf(
  run: string,
  width: number,
  check: (parts: readonly number[]) => boolean,
  options: { lastIsSum?: boolean; budget?: Budget } = {},
): { cuts: Part[][]; complete: boolean } {
  const glyphs = glyphsOf(run);
  if (!glyphs || glyphs.length === 0 || glyphs.length > MAX_RUN || width < 1 || width > glyphs.length) return { cuts: [], complete: glyphs !== null && glyphs.length <= MAX_RUN };
  const budget = options.budget ?? { steps: MAX_STEPS };
  const n = glyphs.length;
  const chars = glyphs.map((g) => g.ch).join('');
  const signed = /[+-]/.test(chars);
  const cuts: Part[][] = [];
  let complete = true;
  const parts: Part[] = [];
  const values: number[] = [];
  // With lastIsSum: the total, its first glyph, and the longest a part may be (no part exceeds the total).
  let total = Number.NaN;
  let end = n;
  let longest = n;

  const walk = (from: number, sum: number): void => {
    if (!complete) return;
    if (--budget.steps < 0 || cuts.length > MAX_CUTS) {
      complete = false;
      return;
    }
    const target = options.lastIsSum ? width - 1 : width;
    if (parts.length === target) {
      if (from !== end) return;
      if (options.lastIsSum) {
        if (sum !== total) return;
        parts.push({ value: total, start: glyphs[end]!.at, end: glyphs[n - 1]!.at + 1 });
        values.push(total);
        if (check(values)) cuts.push([...parts]);
        parts.pop();
        values.pop();
      } else cuts.push([...parts]);
      return;
    }
    const left = target - parts.length;
    // Each remaining part needs at least one glyph.
    for (let to = from + 1; to <= end - (left - 1) && to - from <= longest; to++) {
      if (to > from + 1 && glyphs[to - 1]!.forced) break;
      if (to < end && !glyphs[to]!.forced && left === 1) continue;
      const value = cellValue(chars.slice(from, to));
      if (value === null) continue;
      if (options.lastIsSum && !signed && sum + value > total) break;
      parts.push({ value, start: glyphs[from]!.at, end: glyphs[to - 1]!.at + 1 });
      values.push(value);
      if (options.lastIsSum || check(values)) walk(to, sum + value);
      parts.pop();
      values.pop();
    }
  };

  if (!options.lastIsSum) {
    walk(0, 0);
    return { cuts, complete };
  }
  for (let length = 1; length <= n - (width - 1) && complete; length++) {
    const at = n - length;
    // The total is one cell: a space or sign inside it would be a cut.
    if (length > 1 && glyphs[at + 1]!.forced) break;
    const value = cellValue(chars.slice(at));
    if (value === null) continue;
    total = value;
    end = at;
    longest = signed ? n : length;
    if (!signed && at > (width - 1) * length) continue;
    walk(0, 0);
  }
  return { cuts, complete };
}

/** Checks for table 三's rows: the six applicant cells add up to the seventh (总计). */
export function applicantRowCheck(values: readonly number[]): boolean {
  if (values.length < 7) return true;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += values[i]!;
  return Math.abs(sum - values[6]!) < 1e-9;
}

/** Checks for table 四: each group of five ends with the total of its four outcomes. */
export function reviewRowCheck(values: readonly number[]): boolean {
  const n = values.length;
  if (n === 0 || n % 5 !== 0) return true;
  const g = values.slice(n - 5);
  return g[0]! + g[1]! + g[2]! + g[3]! === g[4]!;
}
