/**
 * A published web page as text: tables become one `a | b | c |` line per row (blank cells kept,
 * a cell merged over several rows written once, as the page shows it), block elements become
 * lines. The text reader then handles it like any other flattening.
 */
import * as cheerio from 'cheerio';

export function looksLikeHtml(text: string, filename?: string): boolean {
  if (filename && /\.html?$/i.test(filename)) return true;
  return /<(?:html|body|table|p|div|tr|td)[\s>]/i.test(text.slice(0, 5000));
}

const cellText = (text: string) => text.replace(/[\s\u00a0\u3000]+/g, ' ').replace(/\|/g, '｜').trim();

/** Trailing spaces, tabs and NBSP dropped by a scan from the end (a `[ \t]+$` pattern is quadratic on long runs of spaces). */
function trimSpacesEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '\u00a0')) end--;
  return line.slice(0, end);
}

export function htmlToText(html: string): string {
  const $ = cheerio.load(html);
  $('script, style, noscript, template').remove();
  // Innermost tables first, so a table nested in a cell is flattened before its container.
  const tables = $('table').toArray().reverse();
  for (const table of tables) {
    const lines: string[] = [];
    $(table)
      .find('tr')
      .each((_, tr) => {
        if ($(tr).closest('table')[0] !== table) return;
        const cells = $(tr)
          .children('td, th')
          .toArray()
          .flatMap((cell) => {
            const text = cellText($(cell).text());
            // A filled cell is one cell whatever it spans (a label over three columns is one label);
            // an empty one spanning columns stands for that many blank cells.
            const span = Math.min(20, Math.max(1, Number($(cell).attr('colspan')) || 1));
            return text === '' ? Array.from({ length: span }, () => '') : [text];
          });
        if (cells.length > 0) lines.push(`${cells.join(' | ')} |`);
      });
    $(table).replaceWith(`\n${lines.join('\n')}\n`);
  }
  $('br').replaceWith('\n');
  $('p, div, li, h1, h2, h3, h4, h5, h6, section, article, header, footer, blockquote, pre, dd, dt').each((_, el) => {
    $(el).prepend('\n').append('\n');
  });
  const text = $.root().text();
  return text
    .split('\n')
    .map(trimSpacesEnd)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
