/**
 * Validation of a correction against the report's template format: every problem collected and
 * named (field, metric key, what is wrong), so one error tells the reviewer all they must fix.
 */
import { BadUserInputError, type InputProblem } from '../common/errors';
import { metricDefinition } from '../metrics/catalog';
import type { TemplateFormat } from '../metrics/template';
import type { MetricChangeInput } from './review.types';

export interface ValidChange {
  readonly key: string;
  /** null: the cell is blank (not 0). */
  readonly value: number | null;
  readonly reason: string;
}

export function validateChanges(changes: readonly MetricChangeInput[], format: TemplateFormat): ValidChange[] {
  const problems: InputProblem[] = [];
  const out: ValidChange[] = [];
  const seen = new Set<string>();
  if (changes.length === 0) problems.push({ field: 'input.changes', problem: 'give at least one change' });
  changes.forEach((c, i) => {
    const field = `input.changes[${i}]`;
    const def = metricDefinition(c.key);
    const bad = (suffix: string, problem: string) => problems.push({ field: `${field}${suffix}`, metric: c.key, problem });
    if (!def) return bad('.key', `unknown metric key "${c.key}" (see metricDefinitions)`);
    if (def.derivation) return bad('.key', `"${c.key}" is derived from other metrics; correct the values it is computed from`);
    if (def.table === 'channels') return bad('.key', `"${c.key}" is derived from the report's channels, which correctMetrics does not change`);
    if (!def.formats.includes(format)) return bad('.key', `"${c.key}" is not in this report's ${format} template format (it is in ${def.formats.join(', ')})`);
    if (seen.has(c.key)) return bad('.key', `"${c.key}" is given more than once`);
    seen.add(c.key);
    if (!c.reason?.trim()) return bad('.reason', `a reason is needed for changing "${c.key}"`);
    const blank = c.blank === true;
    if (blank && c.value !== null && c.value !== undefined) return bad('.value', `"${c.key}": give either blank: true or a value, not both`);
    if (!blank && (c.value === null || c.value === undefined)) return bad('.value', `"${c.key}": give a value, or blank: true for a blank cell (blank is not 0)`);
    if (!blank) {
      const v = c.value!;
      if (!Number.isFinite(v) || Math.abs(v) >= 1e15) return bad('.value', `"${c.key}": ${v} is out of range`);
      if (def.unit === 'count' && !Number.isInteger(v)) return bad('.value', `"${c.key}" is a count; ${v} is not a whole number (out of range)`);
      if (!def.signed && v < 0) return bad('.value', `"${c.key}" cannot be negative; ${v} is out of range`);
    }
    out.push({ key: c.key, value: blank ? null : c.value!, reason: c.reason.trim().slice(0, 2000) });
  });
  if (problems.length > 0) {
    throw new BadUserInputError(`Invalid correction — ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);
  }
  return out;
}
