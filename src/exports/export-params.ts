/**
 * The export routes take their GraphQL query's arguments as URL parameters (lists comma-separated).
 * Each route declares the parameters it knows; a parameter that is missing, malformed or unknown
 * is refused with the GraphQL API's own BAD_USER_INPUT error naming it, so a typo in a bookmarked
 * URL (`metric=` for `metrics=`) is an answer, not a file that silently ignores it.
 */
import { BadUserInputError } from '../common/errors';

type Query = Record<string, unknown>;

export class ExportParams {
  private readonly seen = new Set<string>();

  constructor(
    private readonly query: Query,
    /** Parameters of the route; anything else is refused by `done()`. */
    private readonly known: readonly string[],
  ) {}

  /** A parameter given once, as text; `undefined` when absent or empty. */
  private raw(name: string): string | undefined {
    this.seen.add(name);
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw BadUserInputError.of(name, 'give this parameter once, as text (lists are comma-separated)');
    return value.trim() === '' ? undefined : value.trim();
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  string(name: string): string {
    const value = this.raw(name);
    if (value === undefined) throw BadUserInputError.of(name, 'required');
    return value;
  }

  optionalInt(name: string): number | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (!/^-?\d{1,9}$/.test(value)) throw BadUserInputError.of(name, `must be a whole number, got "${value}"`);
    return Number(value);
  }

  int(name: string): number {
    const value = this.optionalInt(name);
    if (value === null) throw BadUserInputError.of(name, 'required');
    return value;
  }

  /** A reporting year, as the GraphQL queries take it (Int). */
  year(name: string): number {
    const year = this.int(name);
    if (year < 1900 || year > 2999) throw BadUserInputError.of(name, `must be a year such as 2020, got ${year}`);
    return year;
  }

  /** A comma-separated list; `null` when absent. Empty items (`a,,b`) are refused. */
  optionalList(name: string): string[] | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    const items = value.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw BadUserInputError.of(name, `empty item in the comma-separated list "${value}"`);
    return items;
  }

  list(name: string): string[] {
    const value = this.optionalList(name);
    if (value === null) throw BadUserInputError.of(name, 'required (a comma-separated list)');
    return value;
  }

  intList(name: string): number[] {
    return this.list(name).map((item) => {
      if (!/^-?\d{1,9}$/.test(item)) throw BadUserInputError.of(name, `"${item}" is not a whole number`);
      return Number(item);
    });
  }

  /** One of a closed set of values (an enum of the schema), case-insensitive; `fallback` when absent. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!found) throw BadUserInputError.of(name, `must be one of ${values.join(', ')}, got "${value}"`);
    return found;
  }

  /**
   * The first of `names` that is given: a renamed parameter keeps its old name working
   * (`offices` → `officeCodes`, as the GraphQL argument was renamed). Giving both is refused.
   */
  optionalListAlias(names: readonly [string, ...string[]]): { name: string; value: string[] } | null {
    const given = names.map((name) => ({ name, value: this.optionalList(name) })).filter((g): g is { name: string; value: string[] } => g.value !== null);
    if (given.length > 1) throw BadUserInputError.of(given[1]!.name, `give ${given.map((g) => g.name).join(' or ')}, not both`);
    return given[0] ?? null;
  }

  /** Refuses parameters the route does not know. Call after reading every parameter. */
  done(): void {
    for (const name of Object.keys(this.query)) {
      if (!this.known.includes(name) && !this.seen.has(name)) throw BadUserInputError.of(name, `unknown parameter; this export takes ${this.known.join(', ')}`);
    }
  }
}
