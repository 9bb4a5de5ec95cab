/**
 * Words to lines: words whose vertical extents mostly overlap sit on one baseline. Text is joined
 * without spaces between CJK characters and digits (a PDF or OCR engine often cuts 「共计13921条」
 * into several runs) and with one space where the gap is wide between Latin words.
 */
import type { Word } from './types';

export interface Line {
  readonly words: Word[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const heightOf = (w: { y0: number; y1: number }) => Math.max(0.1, w.y1 - w.y0);

/** Groups words into lines by vertical overlap; lines sorted top to bottom, words left to right. */
export function groupLines(words: readonly Word[]): Line[] {
  const sorted = [...words].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2 || a.x0 - b.x0);
  const lines: Line[] = [];
  for (const word of sorted) {
    const mid = (word.y0 + word.y1) / 2;
    // Only the last few lines can take the word: they are sorted by their middle.
    let target: Line | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 3; i--) {
      const line = lines[i]!;
      const overlap = Math.min(line.y1, word.y1) - Math.max(line.y0, word.y0);
      if (overlap >= 0.5 * Math.min(heightOf(line), heightOf(word)) && mid > line.y0 && mid < line.y1) {
        target = line;
        break;
      }
    }
    if (target) {
      target.words.push(word);
      target.x0 = Math.min(target.x0, word.x0);
      target.x1 = Math.max(target.x1, word.x1);
      target.y0 = Math.min(target.y0, word.y0);
      target.y1 = Math.max(target.y1, word.y1);
    } else {
      lines.push({ words: [word], x0: word.x0, x1: word.x1, y0: word.y0, y1: word.y1 });
    }
  }
  for (const line of lines) line.words.sort((a, b) => a.x0 - b.x0);
  return lines.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

const LATIN = /[A-Za-z0-9.,%)\]]$/;
const LATIN_START = /^[A-Za-z0-9(（[]/;

/** Joins two runs of text: no space between CJK, digits or punctuation; one between Latin words set apart. */
export function joinRuns(left: string, right: string, gap: number, height: number): string {
  if (left === '') return right;
  if (right === '') return left;
  const wide = gap > 0.3 * height;
  const latinWords = LATIN.test(left) && LATIN_START.test(right) && !(/\d$/.test(left) && /^\d/.test(right));
  return wide && latinWords ? `${left} ${right}` : `${left}${right}`;
}

export function lineText(words: readonly Word[]): string {
  let text = '';
  let prev: Word | undefined;
  for (const word of words) {
    const t = word.text.trim();
    if (t === '') continue;
    text = prev ? joinRuns(text, t, word.x0 - prev.x1, heightOf(word)) : t;
    prev = word;
  }
  return text;
}
