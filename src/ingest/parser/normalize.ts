/**
 * Text normalisation: published reports mix full-width and half-width forms, NBSP and ideographic
 * spaces, and write 「—、」 for 「一、」. Everything downstream sees one form.
 */

const SPACE_LIKE = /[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g;

/** Full-width ASCII forms (！ to ～) to ASCII; spaces unified; line endings to \n. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(SPACE_LIKE, ' ')
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    // Indentation only, never across lines: `\s*` at each line start would rescan every blank line after it.
    .replace(/^([^\S\n]*)[—–-]、/gm, '$1一、');
}

/** Label comparison form: no spaces, no punctuation, no brackets. */
export function compactLabel(text: string): string {
  return text.replace(/[\s\u3000|:：,，.。、;；"“”'‘’()（）[\]【】《》<>〈〉·•\-—_/\\*#]/g, '');
}

/** Strip a leading numbering such as 一、 (一) 1. 第一 from a label. */
export function stripNumbering(text: string): string {
  return text
    .trim()
    .replace(/^[(（]?[一二三四五六七八九十]+[)）、.]?\s*/, '')
    .replace(/^[(（]?\d{1,2}[)）、.．]\s*/, '')
    .trim();
}

export interface CellNumber {
  readonly value: number;
  readonly approximate: boolean;
}

const BLANK_MARKS = new Set(['', '-', '—', '——', '–', '/', '\\', '无', '空', 'N/A', 'n/a']);

/** A blank cell: nothing, or a dash that stands for nothing. */
export function isBlankCell(text: string): boolean {
  return BLANK_MARKS.has(text.replace(/\s+/g, ''));
}

/**
 * A cell's number as published: signs kept (「+19」 is 19, 「--253」 is −253), units dropped
 * (「24.5万元」 is 24.5, 「70487元」 is 70487), thousands separators removed, 「1500余」 approximate.
 */
export function parseCellNumber(raw: string): CellNumber | null {
  let text = raw.replace(/\s+/g, '');
  if (text === '') return null;
  text = text.replace(/(万元|亿元|元|件|条|个|次|项|台|人|份|家|%)$/u, '');
  let approximate = false;
  const approx = /^(.*?)(余|多|左右)$/u.exec(text);
  if (approx) {
    text = approx[1]!;
    approximate = true;
  }
  const m = /^([+-]*)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(text);
  if (!m) return null;
  const negative = m[1]!.includes('-');
  const value = Number(`${m[2]!.replace(/,/g, '')}${m[3] ?? ''}`);
  if (!Number.isFinite(value)) return null;
  return { value: negative ? -value : value, approximate };
}
