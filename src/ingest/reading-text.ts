/**
 * The text the parser reads, reproduced outside it: sources' lines and offsets point into this
 * normalised text, so the revision keeps it beside the numbers for the review page.
 *
 * It repeats the parser's first step (HTML flattened, then normalised) because ParsedReport does
 * not carry the text; if the parser ever changes that step, sources stop matching — which
 * `sourceProblem` catches at import time (a source outside the text is dropped with a warning).
 * A ParsedReport field holding the text would remove this copy.
 */
import { htmlToText, looksLikeHtml } from './parser/html';
import { normalizeText } from './parser/normalize';
import type { ParseOptions } from './parser/types';

export function readingTextOf(input: string, options: ParseOptions = {}): string {
  const html = options.format === 'html' || (options.format !== 'text' && looksLikeHtml(input, options.filename));
  return normalizeText(html ? htmlToText(input) : input);
}
