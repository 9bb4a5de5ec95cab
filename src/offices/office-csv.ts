/**
 * An offices CSV (`code,name,parentCode,kind[,aliases][,region]`) read into an ordered list of
 * office inputs, parents before children, or into a list of problems each naming its line and
 * column. Nothing is written here: the caller stores the whole plan in one transaction or nothing.
 */
import { parse } from 'csv-parse/sync';
import { OFFICE_KINDS, OFFICE_KIND_LABELS, type OfficeKindKey } from './office-kind';
import { OFFICE_CODE_PATTERN, type OfficeInput } from './office.input';

export interface OfficeCsvProblem {
  /** 1-based line of the CSV file (the header is line 1). */
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

export type OfficeCsvPlan =
  | { readonly ok: true; readonly offices: readonly (OfficeInput & { readonly line: number })[] }
  | { readonly ok: false; readonly problems: readonly OfficeCsvProblem[] };

const REQUIRED_COLUMNS = ['code', 'name', 'parentCode', 'kind'] as const;
const OPTIONAL_COLUMNS = ['aliases', 'region'] as const;

/** `kind` in any case, the enum's name (SUB_DISTRICT) or its Chinese label (街道办事处). */
export function officeKindOf(text: string): OfficeKindKey | null {
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const byKey = OFFICE_KINDS.find((k) => k === key);
  if (byKey) return byKey;
  const label = text.trim();
  return OFFICE_KINDS.find((k) => OFFICE_KIND_LABELS[k].zh === label || OFFICE_KIND_LABELS[k].zh.split('/').includes(label)) ?? null;
}

/** Aliases are separated by `|`, `;` or `；` within their cell (commas belong to the CSV). */
function aliasesOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[|;；]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** One row of the offices file, by column name, with its 1-based line. */
export interface OfficeRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

/** The CSV's rows by column name, or the problem with its header or quoting. */
export function readOfficeCsv(csv: string): { ok: true; rows: OfficeRow[]; columns: string[] } | { ok: false; problems: OfficeCsvProblem[] } {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return { ok: false, problems: [{ line: e.lines ?? 1, column: '', message: `not a readable CSV: ${e.message}` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: [{ line: 1, column: '', message: 'the file is empty: expected the header code,name,parentCode,kind' }] };
  const columns = header.map((h) => h.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(REQUIRED_COLUMNS as readonly string[]).includes(c) && !(OPTIONAL_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
    return { ok: false, problems: [{ line: 1, column: '', message: `header: ${parts.join('; ')} (expected code,name,parentCode,kind and optionally aliases,region)` }] };
  }
  return {
    ok: true,
    columns,
    rows: rows.map((row, index) => ({ line: index + 2, cells: Object.fromEntries(columns.map((c, i) => [c, row[i]?.trim() ?? ''])) })),
  };
}

/** Parent codes the rows name: the caller looks up which of them are stored. */
export function parentCodesOf(rows: readonly OfficeRow[]): string[] {
  return [...new Set(rows.map((r) => r.cells.parentCode ?? '').filter((c) => c !== ''))];
}

/** Reads and checks the CSV; `existingCodes` are the stored codes among its parents (see parentCodesOf). */
export function planOfficeCsv(csv: string, existingCodes: ReadonlySet<string>): OfficeCsvPlan {
  const read = readOfficeCsv(csv);
  return read.ok ? planOfficeRows(read.rows, read.columns, existingCodes) : read;
}

/**
 * Checks the rows and orders them parents first. A row may name as its parent a stored office
 * (`existingCodes`) or a row elsewhere in the file.
 */
export function planOfficeRows(rows: readonly OfficeRow[], columns: readonly string[], existingCodes: ReadonlySet<string>): OfficeCsvPlan {
  const cell = (row: OfficeRow, name: string) => row.cells[name] ?? '';
  const problems: OfficeCsvProblem[] = [];
  const inputs: (OfficeInput & { line: number })[] = [];
  const lineOfCode = new Map<string, number>();
  rows.forEach((row) => {
    const line = row.line;
    const code = cell(row, 'code');
    const name = cell(row, 'name');
    const kindText = cell(row, 'kind');
    const parentCode = cell(row, 'parentCode');
    const before = problems.length;
    if (!OFFICE_CODE_PATTERN.test(code)) problems.push({ line, column: 'code', message: `"${code}" is not a valid code: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit` });
    else if (lineOfCode.has(code)) problems.push({ line, column: 'code', message: `"${code}" is already on line ${lineOfCode.get(code)}` });
    if (name === '' || name.length > 200) problems.push({ line, column: 'name', message: 'name must be 1–200 characters' });
    const kind = officeKindOf(kindText);
    if (!kind) problems.push({ line, column: 'kind', message: `"${kindText}" is not a kind: one of ${OFFICE_KINDS.join(', ')} (any case) or its Chinese label` });
    if (parentCode !== '' && !OFFICE_CODE_PATTERN.test(parentCode)) problems.push({ line, column: 'parentCode', message: `"${parentCode}" is not a valid code` });
    if (problems.length > before) return;
    lineOfCode.set(code, line);
    const region = columns.includes('region') ? cell(row, 'region') : '';
    inputs.push({ line, code, name, kind: kind!, parentCode: parentCode || null, region: region || null, aliases: columns.includes('aliases') ? aliasesOf(cell(row, 'aliases')) : null });
  });

  // Parents first: a row waits until its parent is stored or placed; what never gets placed has an
  // unknown parent or is part of a cycle.
  const ordered: (OfficeInput & { line: number })[] = [];
  const placed = new Set<string>();
  let pending = inputs;
  while (pending.length > 0) {
    const ready = pending.filter((o) => !o.parentCode || placed.has(o.parentCode) || (existingCodes.has(o.parentCode) && !lineOfCode.has(o.parentCode)));
    if (ready.length === 0) break;
    for (const o of ready) {
      ordered.push(o);
      placed.add(o.code);
    }
    pending = pending.filter((o) => !placed.has(o.code));
  }
  for (const o of pending) {
    const inFile = lineOfCode.has(o.parentCode!);
    problems.push({
      line: o.line,
      column: 'parentCode',
      message: inFile ? `"${o.parentCode}" (line ${lineOfCode.get(o.parentCode!)}) is inside "${o.code}"'s own subtree: an office cannot be its own ancestor` : `no office "${o.parentCode}" in the file or the database: add it first, or leave parentCode empty for a root`,
    });
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, offices: ordered };
}
