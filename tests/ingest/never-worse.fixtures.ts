/**
 * Texts a new user actually feeds the import, made from a real report: its page with the tables
 * as images, its prose without the tables, an excerpt cut short, and a stray file with a year.
 */

const lineIndex = (lines: readonly string[], heading: RegExp): number => {
  const index = lines.findIndex((l) => heading.test(l.trim()));
  if (index < 0) throw new Error(`no line matches ${heading}`);
  return index;
};

/** The report's page as offices often publish it: prose as paragraphs, each of tables 二, 三, 四 an image. */
export function imageTablePage(text: string): string {
  const lines = text.split('\n');
  const [two, three, four, five] = [/^二、/, /^三、/, /^四、/, /^五、/].map((h) => lineIndex(lines, h)) as [number, number, number, number];
  const paragraphs = (from: number, to: number) => lines.slice(from, to).map((l) => `<p>${l}</p>`).join('\n');
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开工作年度报告</title></head><body>',
    paragraphs(0, two),
    `<p>${lines[two]}</p><p><img src="table2.png" alt=""></p>`,
    `<p>${lines[three]}</p><p><img src="table3.png" alt=""></p>`,
    `<p>${lines[four]}</p><p><img src="table4.png" alt=""></p>`,
    paragraphs(five, lines.length),
    '</body></html>',
  ].join('\n');
}

/** Sections 一 only: the figures the prose states, none of the tables. */
export function proseOnly(text: string): string {
  const lines = text.split('\n');
  return lines.slice(0, lineIndex(lines, /^二、/)).join('\n');
}

/** The text up to a few rows into table 三: what a copy cut short by a page break leaves. */
export function cutInTable3(text: string): string {
  const lines = text.split('\n');
  return lines.slice(0, lineIndex(lines, /^三、/) + 40).join('\n');
}

/** A file that is no report but names a year (a notice saved into the reports folder). */
export const JUNK_WITH_YEAR = '关于做好2020年度政务公开工作的通知\n请各单位于1月31日前按时报送。\n';
