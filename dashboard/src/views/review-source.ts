/**
 * The source side of the review page: the stored reading text, line by line, each value the
 * service read marked at its span (the parser's provenance: 1-based line, 0-based start, end
 * exclusive within the line), and the original HTML page beside it when the report was a page.
 */
import { h } from '../dom';

export interface SpannedValue {
  readonly key: string;
  readonly source?: { readonly line?: number | null; readonly start?: number | null; readonly end?: number | null } | null;
}

interface Span {
  start: number;
  end: number;
  keys: string[];
}

/** The spans of each line; values sharing a span share one mark, an overlapping span is left to the line. */
function spansByLine(values: readonly SpannedValue[], lineLengths: readonly number[]): Map<number, Span[]> {
  const out = new Map<number, Span[]>();
  for (const v of values) {
    const s = v.source;
    if (!s || s.line == null || s.start == null || s.end == null) continue;
    const length = lineLengths[s.line - 1];
    if (length === undefined || s.start < 0 || s.end > length || s.start >= s.end) continue;
    const spans = out.get(s.line) ?? [];
    const same = spans.find((x) => x.start === s.start && x.end === s.end);
    if (same) same.keys.push(v.key);
    else spans.push({ start: s.start, end: s.end, keys: [v.key] });
    out.set(s.line, spans);
  }
  for (const [line, spans] of out) {
    spans.sort((a, b) => a.start - b.start);
    const kept: Span[] = [];
    for (const span of spans) if (!kept.length || span.start >= kept[kept.length - 1]!.end) kept.push(span);
    out.set(line, kept);
  }
  return out;
}

export interface SourceView {
  readonly element: HTMLElement;
  /** Marks the spans of `key` (clearing any other) and scrolls the first into view; false when it has none. */
  showKey(key: string | null): boolean;
  /** Marks whole lines (the lines a finding's values come from). */
  showLines(lines: readonly number[]): void;
}

export function sourceView(readingText: string, html: string | null, values: readonly SpannedValue[], onKey: (key: string) => void, onLine: (line: number) => void): SourceView {
  const lines = readingText.split('\n');
  const spans = spansByLine(values, lines.map((l) => l.length));
  const text = h('div', { class: 'review-text', 'data-testid': 'review-source-text' });
  for (const [i, line] of lines.entries()) {
    const number = i + 1;
    const content = h('span', { class: 'src-content' });
    let at = 0;
    for (const span of spans.get(number) ?? []) {
      content.append(line.slice(at, span.start));
      const mark = h('mark', { class: 'src-value', 'data-keys': span.keys.join(' '), title: span.keys.join('\n') }, line.slice(span.start, span.end));
      mark.addEventListener('click', (event) => {
        event.stopPropagation();
        onKey(span.keys[0]!);
      });
      content.append(mark);
      at = span.end;
    }
    content.append(line.slice(at));
    const row = h('div', { class: 'src-line', 'data-line': String(number) }, h('span', { class: 'src-number' }, String(number)), content);
    row.addEventListener('click', () => onLine(number));
    text.append(row);
  }
  const tabs = h('div', { class: 'review-tabs' });
  const element = h('div', { class: 'review-source', 'data-testid': 'review-source' }, tabs, text);
  if (html) {
    // The page as published, inert: no script runs, nothing is fetched from elsewhere.
    const frame = h('iframe', { class: 'review-html', sandbox: '', title: '原始网页 / The page as published', 'data-testid': 'review-source-html', hidden: true });
    frame.srcdoc = html;
    const asText = h('button', { type: 'button', class: 'toggle current' }, '读取文本 / Text read');
    const asPage = h('button', { type: 'button', class: 'toggle', 'data-testid': 'review-source-html-tab' }, '原始网页 / Page as published');
    const pick = (page: boolean) => {
      frame.hidden = !page;
      text.hidden = page;
      asPage.classList.toggle('current', page);
      asText.classList.toggle('current', !page);
    };
    asText.addEventListener('click', () => pick(false));
    asPage.addEventListener('click', () => pick(true));
    tabs.append(asText, asPage);
    element.append(frame);
  }
  const clear = () => text.querySelectorAll('.active').forEach((e) => e.classList.remove('active'));
  return {
    element,
    showKey(key) {
      clear();
      if (!key) return false;
      const marks = [...text.querySelectorAll<HTMLElement>('mark.src-value')].filter((m) => (m.dataset.keys ?? '').split(' ').includes(key));
      for (const m of marks) m.classList.add('active');
      marks[0]?.closest('.src-line')?.classList.add('active');
      marks[0]?.scrollIntoView({ block: 'center' });
      return marks.length > 0;
    },
    showLines(numbers) {
      clear();
      for (const n of numbers) text.querySelector(`.src-line[data-line="${n}"]`)?.classList.add('active');
      text.querySelector(`.src-line[data-line="${numbers[0]}"]`)?.scrollIntoView({ block: 'center' });
    },
  };
}
