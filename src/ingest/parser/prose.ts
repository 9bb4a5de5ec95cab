/**
 * Figures the tables don't carry, from the prose: the total of items proactively disclosed
 * (「共主动公开信息855条」), items per channel with account names (「微信公众号“和谐鲸园”共发布553条」),
 * devices (「政府信息自助查询机4台」) and queries (「查询1500余次」). Only numbers the text states and
 * ties to one channel; category breakdowns (「规章类信息5条」) and approximate item counts are not
 * figures of a channel.
 */
import { CHANNEL_KIND_DEFS, type ChannelKindKey } from '../../metrics/template';
import type { ParseWarning, ParsedChannel } from './types';

/** Channel names in the text, longest first so 微信公众号 wins over 微信. */
const KEYWORDS: readonly { word: string; kind: ChannelKindKey }[] = CHANNEL_KIND_DEFS.filter((d) => d.key !== 'other')
  .flatMap((d) => [d.label.zh, ...d.aliases].map((word) => ({ word, kind: d.key })))
  .sort((a, b) => b.word.length - a.word.length);

const DEVICE_KINDS: ReadonlySet<ChannelKindKey> = new Set(['kiosk', 'e_screen', 'bulletin_board']);

function kindsIn(text: string): { kind: ChannelKindKey; at: number; word: string }[] {
  const found: { kind: ChannelKindKey; at: number; word: string }[] = [];
  // Characters already part of a longer keyword (微信 inside 微信公众号): one flag per character
  // keeps the overlap test constant-time whatever the number of keywords in the text.
  const taken = new Uint8Array(text.length);
  for (const { word, kind } of KEYWORDS) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(word, from);
      if (at < 0) break;
      from = at + word.length;
      let overlaps = false;
      for (let i = at; i < at + word.length; i++) if (taken[i]) overlaps = true;
      if (overlaps) continue;
      taken.fill(1, at, at + word.length);
      found.push({ kind, at, word });
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

function quotedName(text: string, from: number): string | null {
  const m = /^[^“"「『]{0,12}?[“"「『]([^”"」』]{1,30})[”"」』]/.exec(text.slice(from));
  return m ? m[1]!.trim() : null;
}

/** Character span of a figure in the text given to readProse (end exclusive). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

interface ChannelFigure {
  kind: ChannelKindKey;
  name: string | null;
  items: number | null;
  devices: number | null;
  queries: number | null;
  approximate: boolean;
  spans: { items?: Span; devices?: Span; queries?: Span };
}

export interface ProseFigures {
  readonly itemsTotal: number | null;
  readonly itemsTotalSpan: Span | null;
  readonly channels: ParsedChannel[];
  /** Where each channel's figures stand, in the order of `channels`. */
  readonly channelSpans: readonly { items?: Span; devices?: Span; queries?: Span }[];
  readonly warnings: ParseWarning[];
}

/** The pieces of `text` between matches of `separator`, each with its offset. */
function piecesOf(text: string, separator: RegExp, offset: number): { text: string; at: number; separator: string }[] {
  const out: { text: string; at: number; separator: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(separator)) {
    out.push({ text: text.slice(last, m.index), at: offset + last, separator: m[0] });
    last = m.index + m[0].length;
  }
  out.push({ text: text.slice(last), at: offset + last, separator: '' });
  return out;
}

/** A count of items; it starts where a run of digits starts, so that a long run is scanned once. */
const COUNT = /(?<![\d,.])(\d[\d,]*)\s*(余|多)?\s*(?:条|件|篇)/;
/** Words that make a count the total of items published (「共公布政府信息2602条」「公开各类信息共计N条」). */
const TOTAL_CUE = /主动(?:公开|发布|公布)|完成[^，,]{0,20}公开|累计(?:主动)?(?:公开|发布|公布)|共(?:计)?(?:主动)?(?:公开|发布|公布)|(?:公开|发布|公布)[^，,]{0,12}?共计|对外公开/;
/** A channel's total over all it carries (「通过“XX”门户网站累计公开政府信息N条」). */
const CHANNEL_TOTAL_CUE = /累计|共计|共(?:公开|发布|公布)|主动(?:公开|发布)/;
const CATEGORY = /(?<!各)类信息|类\s*\d|类文件/;
const SEVERAL = /等|各(?!类)|不同|多种|多个|多渠道/;
/** A part of the total, not the total (「其中…」「其他应主动公开政府信息1053条」). */
const PART_OF = /其中|其他|其余|包括|分别/;
/** A count of one topic's items (「共公开51条疫情防控相关信息」), not the total. */
const TOPICAL = /^[^，,。()（）]{1,16}信息/;
/** Counts of applications, not of items published. */
const NOT_ITEMS = /申请|受理|答复|办理|复议|诉讼/;
/** Clauses longer than this are no figure's clause (and would only cost time). */
const MAX_CLAUSE = 600;

/** Whether `at` in `text` lies inside brackets (a breakdown: 「(其中机构职能类信息82条…)」). */
function bracketDepths(text: string): Int32Array {
  const depth = new Int32Array(text.length + 1);
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '（') d++;
    else if ((c === ')' || c === '）') && d > 0) d--;
    depth[i + 1] = d;
  }
  return depth;
}

export function readProse(text: string): ProseFigures {
  const figures = new Map<string, ChannelFigure>();
  const figure = (kind: ChannelKindKey, name: string | null) => {
    const id = `${kind}\u0000${name ?? ''}`;
    let f = figures.get(id);
    if (!f) {
      f = { kind, name, items: null, devices: null, queries: null, approximate: false, spans: {} };
      figures.set(id, f);
    }
    return f;
  };
  let itemsTotal: number | null = null;
  let itemsTotalSpan: Span | null = null;
  let totalSentenceKinds: ChannelKindKey[] = [];
  let totalConflict = false;
  const channelTotals: { n: number; span: Span }[] = [];
  const warnings: ParseWarning[] = [];
  const depths = bracketDepths(text);

  for (const { text: sentence, at: sentenceAt } of piecesOf(text, /[。；;!！?？\n]/g, 0)) {
    const sentenceKinds = kindsIn(sentence);
    // A channel named in the piece before a 「、」 with no count of its own shares the next count
    // (「政府网站、政务微博发布信息N条」): that count is no one channel's.
    let dangling = false;
    // Commas split clauses, except the thousands separator in 1,206 (full-width ，is already ,).
    for (const { text: clause, at, separator } of piecesOf(sentence, /(?<!\d),|,(?!\d{3}(?!\d))|[、:：]/g, sentenceAt)) {
      const shared = dangling;
      if (clause.length > MAX_CLAUSE) {
        dangling = false;
        continue;
      }
      // Only a clause with a number, or one a 「、」 joins to the next, can hold a channel's figure.
      const hasDigit = /\d/.test(clause);
      const count = hasDigit ? COUNT.exec(clause) : null;
      const countSpan = count ? { start: at + count.index, end: at + count.index + count[1]!.length } : null;
      const kinds = hasDigit || separator === '、' ? kindsIn(clause) : [];
      dangling = separator === '、' && kinds.length > 0 && !count;
      const distinct = [...new Set(kinds.map((k) => k.kind))];
      const before = count ? clause.slice(0, count.index) : '';
      if (count && !count[2] && !CATEGORY.test(before) && !NOT_ITEMS.test(clause)) {
        const n = Number(count[1]!.replace(/,/g, ''));
        if (distinct.length === 1 && !shared && !SEVERAL.test(before) && /公开|发布|推送|更新|信息/.test(clause)) {
          const k = kinds[0]!;
          if (k.at < count.index) {
            const f = figure(k.kind, quotedName(clause, k.at + k.word.length));
            if (f.items === null) {
              f.items = n;
              f.spans.items = countSpan!;
            }
            if (CHANNEL_TOTAL_CUE.test(before) && /政府信息/.test(before) && !PART_OF.test(before)) channelTotals.push({ n, span: countSpan! });
          }
        } else if (TOTAL_CUE.test(clause) && /信息/.test(before) && !PART_OF.test(before) && depths[countSpan!.start] === 0 && !TOPICAL.test(clause.slice(count.index + count[0].length))) {
          if (itemsTotal === null && !totalConflict) {
            itemsTotal = n;
            itemsTotalSpan = countSpan;
            totalSentenceKinds = [...new Set(sentenceKinds.map((k) => k.kind))];
          } else if (itemsTotal !== null && itemsTotal !== n) {
            // Two totals that disagree: which one the report means is not for the parser to guess.
            warnings.push({ code: 'PROSE_AMBIGUOUS', message: `正文给出两个不同的主动公开总数（${itemsTotal}条、${n}条），均未采用 / the text states two different totals of items published (${itemsTotal}, ${n}); neither is read` });
            itemsTotal = null;
            itemsTotalSpan = null;
            totalConflict = true;
          }
        }
      }
      // Devices: 「政府信息自助查询机4台」「电子公示屏1个」
      for (const k of kinds) {
        if (!DEVICE_KINDS.has(k.kind)) continue;
        const m = /^[^\d，,]{0,4}?(\d+)\s*(?:台|个|块|处|面|套|座)/.exec(clause.slice(k.at + k.word.length));
        if (m) {
          const f = figure(k.kind, null);
          if (f.devices === null) {
            f.devices = Number(m[1]);
            const start = at + k.at + k.word.length + m[0].indexOf(m[1]!);
            f.spans.devices = { start, end: start + m[1]!.length };
          }
        }
      }
      // Queries: 「进行政府信息查询1500余次」, tied to the sentence's kiosk (or its only device).
      const q = /查询\D{0,6}?(\d[\d,]*)\s*(余|多)?\s*(?:人)?次/.exec(clause);
      if (q) {
        const devices = [...new Set(sentenceKinds.map((k) => k.kind).filter((k) => DEVICE_KINDS.has(k)))];
        const kind: ChannelKindKey = devices.includes('kiosk') || devices.length !== 1 ? 'kiosk' : devices[0]!;
        const f = figure(kind, null);
        if (f.queries === null) {
          f.queries = Number(q[1]!.replace(/,/g, ''));
          const start = at + q.index + q[0].indexOf(q[1]!, 2);
          f.spans.queries = { start, end: start + q[1]!.length };
          f.approximate = f.approximate || Boolean(q[2]);
        }
      }
    }
  }

  // 「通过“XX”门户网站累计公开政府信息N条」 and nothing else: the channel's count is the total too.
  const withItems = [...figures.values()].filter((f) => f.items !== null);
  if (itemsTotal === null && !totalConflict && channelTotals.length === 1 && withItems.length === 1) {
    itemsTotal = channelTotals[0]!.n;
    itemsTotalSpan = channelTotals[0]!.span;
  }
  // Where the only figure is "N items via the website", it is both the total and the website's.
  if (itemsTotal !== null && totalSentenceKinds.length === 1) {
    const kind = totalSentenceKinds[0]!;
    if (![...figures.values()].some((f) => f.kind === kind && f.items !== null)) {
      const f = figure(kind, null);
      f.items = itemsTotal;
      f.spans.items = itemsTotalSpan ?? undefined;
    }
  }

  const read = [...figures.values()].filter((f) => f.items !== null || f.devices !== null || f.queries !== null);
  const channels: ParsedChannel[] = read.map(({ spans: _spans, ...c }) => c);
  return { itemsTotal, itemsTotalSpan, channels, channelSpans: read.map((f) => f.spans), warnings };
}
