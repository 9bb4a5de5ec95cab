/**
 * A report's content as a canonical JSON document: what a revision stores, what its hash is
 * taken over, and what two revisions are compared on.
 */
import { createHash } from 'node:crypto';
import type { ReportContent } from './report-content';

export function canonicalContent(content: ReportContent): ReportContent {
  return {
    ...content,
    metrics: [...content.metrics].sort((a, b) => a.key.localeCompare(b.key)),
    channels: [...content.channels].sort((a, b) => `${a.kind}\u0000${a.name}`.localeCompare(`${b.kind}\u0000${b.name}`)),
    // Absent for hand-entered content, so that its JSON (and hash) is what it was before provenance.
    ...(content.sources ? { sources: Object.fromEntries(Object.entries(content.sources).sort(([a], [b]) => a.localeCompare(b))) } : {}),
  };
}

export function contentJson(content: ReportContent): string {
  return JSON.stringify(canonicalContent(content));
}

/** The hash covers the content and, for imports, the exact source text. */
export function contentHash(content: ReportContent, sourceText?: string | null): string {
  const hash = createHash('sha256').update(contentJson(content));
  if (sourceText) hash.update('\u0000source\u0000').update(sourceText);
  return hash.digest('hex');
}

export function splitChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    // Never split a surrogate pair.
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}

export interface MetricChange {
  key: string;
  before: number | null;
  after: number | null;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface RevisionDiff {
  metrics: MetricChange[];
  fields: FieldChange[];
}

function channelSummary(content: ReportContent | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of content?.channels ?? []) {
    const figures = [c.items !== null ? `items=${c.items}` : '', c.devices !== null ? `devices=${c.devices}` : '', c.queries !== null ? `queries=${c.queries}` : '', c.approximate ? 'approximate' : '']
      .filter(Boolean)
      .join(' ');
    out.set(`channels.${c.kind}${c.name ? `「${c.name}」` : ''}`, figures);
  }
  return out;
}

/** What changed from `before` (null for a first revision) to `after`. */
export function diffContent(before: ReportContent | null, after: ReportContent): RevisionDiff {
  const oldMetrics = new Map((before?.metrics ?? []).map((m) => [m.key, m.value]));
  const newMetrics = new Map(after.metrics.map((m) => [m.key, m.value]));
  const metrics: MetricChange[] = [];
  for (const key of [...new Set([...oldMetrics.keys(), ...newMetrics.keys()])].sort()) {
    const a = oldMetrics.get(key) ?? null;
    const b = newMetrics.get(key) ?? null;
    if (a !== b) metrics.push({ key, before: a, after: b });
  }
  const fields: FieldChange[] = [];
  const scalar = (field: string, a: string | number | null | undefined, b: string | number | null | undefined) => {
    const x = a === null || a === undefined ? null : String(a);
    const y = b === null || b === undefined ? null : String(b);
    if (x !== y) fields.push({ field, before: x, after: y });
  };
  scalar('templateFormat', before?.templateFormat, after.templateFormat);
  scalar('title', before?.title, after.title);
  scalar('publishedAt', before?.publishedAt, after.publishedAt);
  scalar('sourceUrl', before?.sourceUrl, after.sourceUrl);
  scalar('contact', before?.contact, after.contact);
  for (const section of ['overview', 'problems', 'improvements', 'otherMatters'] as const) {
    scalar(`sections.${section}`, before?.sections[section], after.sections[section]);
  }
  const oldChannels = channelSummary(before);
  const newChannels = channelSummary(after);
  for (const key of [...new Set([...oldChannels.keys(), ...newChannels.keys()])].sort()) {
    scalar(key, oldChannels.get(key), newChannels.get(key));
  }
  return { metrics, fields };
}
