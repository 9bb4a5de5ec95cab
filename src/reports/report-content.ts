/**
 * Validation of a report's content before it is written: every problem is collected and named
 * (field, metric, what is wrong) so that one error tells the client all it must fix.
 */
import { BadUserInputError, type InputProblem } from '../common/errors';
import { metricDefinition } from '../metrics/catalog';
import { templateFormatForYear, type ChannelKindKey, type TemplateFormat } from '../metrics/template';
import type { ReadingStatus, ValueSource } from '../provenance/provenance';
import type { ChannelActivityInput, MetricInput, ReportInput } from './report.input';

export interface ContentMetric {
  readonly key: string;
  readonly value: number;
  readonly approximate: boolean;
}

export interface ContentChannel {
  readonly kind: ChannelKindKey;
  /** '' when the report names no account. */
  readonly name: string;
  readonly url: string | null;
  readonly items: number | null;
  readonly devices: number | null;
  readonly queries: number | null;
  readonly approximate: boolean;
}

/** What a report write stores: the same shape whether it came from upsertReport or an import. */
export interface ReportContent {
  readonly year: number;
  readonly templateFormat: TemplateFormat;
  readonly title: string | null;
  readonly publishedAt: string | null;
  readonly sourceUrl: string | null;
  readonly contact: string | null;
  readonly sections: { overview: string | null; problems: string | null; improvements: string | null; otherMatters: string | null };
  /** Blank cells are left out: a metric that is absent has no row. */
  readonly metrics: readonly ContentMetric[];
  readonly channels: readonly ContentChannel[];
  /**
   * Imports only: where each value (table metrics and channels.* alike) was read in the
   * normalised text, and how far the reading can be trusted. Absent for upsertReport content,
   * whose values are stored with the method `manual` and no reading status.
   */
  readonly sources?: Readonly<Record<string, ValueSource>>;
  readonly readingStatus?: ReadingStatus;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function isValidDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

export function validateMetrics(metrics: readonly MetricInput[], format: TemplateFormat, problems: InputProblem[]): ContentMetric[] {
  const seen = new Set<string>();
  const out: ContentMetric[] = [];
  metrics.forEach((m, i) => {
    const field = `input.metrics[${i}]`;
    const def = metricDefinition(m.key);
    if (!def) {
      problems.push({ field: `${field}.key`, metric: m.key, problem: `unknown metric key "${m.key}" (see metricDefinitions)` });
      return;
    }
    if (def.derivation) {
      problems.push({ field: `${field}.key`, metric: m.key, problem: `"${m.key}" is derived from other metrics and cannot be written` });
      return;
    }
    if (def.table === 'channels') {
      problems.push({ field: `${field}.key`, metric: m.key, problem: `channel figures are derived from input.channels; give "${m.key}" there` });
      return;
    }
    if (!def.formats.includes(format)) {
      problems.push({ field: `${field}.key`, metric: m.key, problem: `"${m.key}" is not in the ${format} template (it is in ${def.formats.join(', ')})` });
      return;
    }
    if (seen.has(m.key)) {
      problems.push({ field: `${field}.key`, metric: m.key, problem: `"${m.key}" is given more than once` });
      return;
    }
    seen.add(m.key);
    if (m.value === null || m.value === undefined) return; // a blank cell: absent, not 0
    if (!Number.isFinite(m.value)) {
      problems.push({ field: `${field}.value`, metric: m.key, problem: 'value must be a finite number' });
      return;
    }
    if (def.unit === 'count' && !Number.isInteger(m.value)) {
      problems.push({ field: `${field}.value`, metric: m.key, problem: `"${m.key}" is a count; ${m.value} is not a whole number` });
      return;
    }
    if (Math.abs(m.value) >= 1e15) {
      problems.push({ field: `${field}.value`, metric: m.key, problem: `${m.value} is out of range` });
      return;
    }
    // Negative counts are stored as published and flagged (NEGATIVE), not rejected.
    out.push({ key: m.key, value: m.value, approximate: m.approximate === true });
  });
  return out;
}

export function validateChannels(channels: readonly ChannelActivityInput[], problems: InputProblem[]): ContentChannel[] {
  const seen = new Set<string>();
  const out: ContentChannel[] = [];
  channels.forEach((c, i) => {
    const name = c.name?.trim() ?? '';
    const identity = `${c.kind}\u0000${name}`;
    if (seen.has(identity)) {
      problems.push({ field: `input.channels[${i}]`, problem: `channel ${c.kind}${name ? ` "${name}"` : ''} is given more than once` });
      return;
    }
    seen.add(identity);
    out.push({
      kind: c.kind,
      name,
      url: blankToNull(c.url),
      items: c.items ?? null,
      devices: c.devices ?? null,
      queries: c.queries ?? null,
      approximate: c.approximate === true,
    });
  });
  return out;
}

/** Validates an upsertReport input into the content to store, or throws naming every problem. */
export function reportContentFrom(input: ReportInput): ReportContent {
  const problems: InputProblem[] = [];
  const format = input.templateFormat ?? templateFormatForYear(input.year);
  const maxYear = new Date().getUTCFullYear();
  if (input.year > maxYear) problems.push({ field: 'input.year', problem: `a report on ${input.year} cannot exist yet (latest is ${maxYear})` });
  if (input.publishedAt && !isValidDate(input.publishedAt)) problems.push({ field: 'input.publishedAt', problem: `"${input.publishedAt}" is not a calendar date` });
  const metrics = validateMetrics(input.metrics ?? [], format, problems);
  const channels = validateChannels(input.channels ?? [], problems);
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
    throw new BadUserInputError(`Invalid report input — ${summary}`, problems);
  }
  const s = input.sections;
  return {
    year: input.year,
    templateFormat: format,
    title: blankToNull(input.title),
    publishedAt: blankToNull(input.publishedAt),
    sourceUrl: blankToNull(input.sourceUrl),
    contact: blankToNull(input.contact),
    sections: {
      overview: blankToNull(s?.overview),
      problems: blankToNull(s?.problems),
      improvements: blankToNull(s?.improvements),
      otherMatters: blankToNull(s?.otherMatters),
    },
    metrics,
    channels,
  };
}
