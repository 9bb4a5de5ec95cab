/**
 * The report's six sections, found by their headings however they are numbered or worded
 * (「一、」「—、」「一.」「三是收到…」), in order, so that 「（二）主动公开政府信息情况」 inside section 一
 * is not taken for section 二.
 */
export const SECTION_NUMBERS = ['一', '二', '三', '四', '五', '六'] as const;
export type SectionNumber = (typeof SECTION_NUMBERS)[number];

const NUMERAL = (n: string, digit: number) => `(?:${n}\\s*[、.]|${n}是|${digit}\\s*[、.](?!\\d))`;

const HEADINGS: Readonly<Record<SectionNumber, RegExp>> = {
  一: new RegExp(`^${NUMERAL('一', 1)}\\s*(?:总体情况|概述|总体)`),
  二: new RegExp(`^${NUMERAL('二', 2)}\\s*(?:主动公开)`),
  三: new RegExp(`^${NUMERAL('三', 3)}\\s*(?:收到|依申请|政府信息公开申请|处理政府信息公开申请)`),
  四: new RegExp(`^${NUMERAL('四', 4)}\\s*(?:政府信息公开)?(?:的)?(?:行政复议|行政诉讼)`),
  五: new RegExp(`^${NUMERAL('五', 5)}\\s*(?:存在的?主要问题|存在问题|主要问题|问题及改进)`),
  六: new RegExp(`^${NUMERAL('六', 6)}\\s*(?:其他需要报告|其它需要报告|其他事项)`),
};

/** Where a table's rows start when its section heading is missing. */
const TABLE_FALLBACKS: Partial<Record<SectionNumber, RegExp>> = {
  二: /^(?:第二十条第|信息内容)/,
  三: /本年新收政府信息公开申请数量|申请人情况/,
  四: /^行政复议/,
};

/** The section a heading's first character numbers (一 or 1 → 一, …). */
const NUMERAL_OF: Readonly<Record<string, SectionNumber>> = { 一: '一', 1: '一', 二: '二', 2: '二', 三: '三', 3: '三', 四: '四', 4: '四', 五: '五', 5: '五', 六: '六', 6: '六' };

export interface SectionSpan {
  readonly number: SectionNumber;
  /** 0-based line of the heading. */
  readonly headingLine: number;
  /** 0-based first line of the body and exclusive end. */
  readonly start: number;
  readonly end: number;
  /** Text after the heading on its own line (headings run into the text). */
  readonly headingRest: string;
  readonly fromFallback: boolean;
}

/** The line without surrounding whitespace and pipes, by scans from both ends (a `[\s|]+$` pattern is quadratic on long runs). */
function headingText(line: string): string {
  // Normalised text has only ASCII spaces and tabs for whitespace (normalize.ts).
  const skip = (c: string) => c === '|' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
  let start = 0;
  let end = line.length;
  while (start < end && skip(line[start]!)) start++;
  while (end > start && skip(line[end - 1]!)) end--;
  return line.slice(start, end);
}

export function findSections(lines: readonly string[]): Map<SectionNumber, SectionSpan> {
  const found: { number: SectionNumber; line: number; rest: string; fallback: boolean }[] = [];
  // Each line's heading form, computed once for the twelve passes below.
  const texts: (string | undefined)[] = new Array(lines.length);
  const textOf = (i: number): string => (texts[i] ??= headingText(lines[i]!));
  let from = 0;
  for (const number of SECTION_NUMBERS) {
    let hit: { line: number; rest: string; fallback: boolean } | null = null;
    for (let i = from; i < lines.length; i++) {
      const text = textOf(i);
      // A heading starts with its numeral: most lines are passed over without running the pattern.
      if (NUMERAL_OF[text[0] ?? ''] !== number) continue;
      const m = HEADINGS[number].exec(text);
      if (m) {
        hit = { line: i, rest: text.slice(m[0].length).replace(/^(?:[^。，,;；]*?情况|的?事项|[^。，,;；]{0,6}事项)[。:：]?/, '').trim(), fallback: false };
        break;
      }
    }
    const fallback = TABLE_FALLBACKS[number];
    if (!hit && fallback) {
      for (let i = from; i < lines.length; i++) {
        if (fallback.test(textOf(i))) {
          hit = { line: i - 1, rest: '', fallback: true };
          break;
        }
      }
    }
    if (hit) {
      found.push({ number, line: hit.line, rest: hit.rest, fallback: hit.fallback });
      from = hit.line + 1;
    }
  }
  const spans = new Map<SectionNumber, SectionSpan>();
  found.forEach((f, index) => {
    const end = index + 1 < found.length ? found[index + 1]!.line : lines.length;
    spans.set(f.number, { number: f.number, headingLine: f.line, start: f.line + 1, end: Math.max(f.line + 1, end), headingRest: f.rest, fromFallback: f.fallback });
  });
  return spans;
}

/** What pages put after the last section: the signature, the date, page furniture. */
const TRAILER = /^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|[^\s。，,;；:：]{2,30}(?:人民政府|办事处|街道|局|委员会|镇|乡|办公室|中心)|扫一扫.*|.*(?:打印|关闭|分享|收藏)(?:本页|窗口)?.*|[【[]?(?:打印|关闭)[】\]]?)$/;

/** A section's prose: its lines joined, blank lines and table debris dropped. */
export function sectionText(lines: readonly string[], span: SectionSpan | undefined): string | null {
  if (!span) return null;
  const body = [span.headingRest, ...lines.slice(span.start, span.end)]
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '' && !/^\|+$/.test(l));
  if (span.end >= lines.length) while (body.length > 1 && TRAILER.test(body[body.length - 1]!)) body.pop();
  const text = body.join('\n').trim();
  return text === '' ? null : text;
}

/** Section 五 split into problems and improvements where it has a heading for the latter. */
export function splitProblems(text: string | null): { problems: string | null; improvements: string | null } {
  if (!text) return { problems: null, improvements: null };
  const m = /(^|\n)[^\S\n]*(?:[(（]?[二2][)）、.]?\s*|二是)?(?:改进情况|改进措施|整改措施|下一步(?:工作)?(?:计划|打算)?|改进方向)/.exec(text);
  if (!m || m.index === 0) return { problems: text, improvements: null };
  const problems = text.slice(0, m.index).trim();
  const improvements = text.slice(m.index).trim();
  return { problems: problems || null, improvements: improvements || null };
}
