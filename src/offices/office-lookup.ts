/**
 * The one check behind every "no office with code …": a code given by a client (a lookup, an
 * analysis scope, an input field, an export's URL parameter) that names no office is NOT_FOUND,
 * naming the code and the field it came in (NotFoundError.office), wherever it was given.
 */
import { NotFoundError } from '../common/errors';
import type { Office } from './office.entity';

/** A DataLoader by code, or anything that looks offices up by code the same way. */
export interface OfficesByCode {
  load(code: string): Promise<Office | null | undefined>;
  loadMany?(codes: readonly string[]): Promise<(Office | null | undefined | Error)[]>;
}

export async function requireOffice(offices: OfficesByCode, code: string, field: string): Promise<Office> {
  const office = await offices.load(code);
  if (!office) throw NotFoundError.office(code, field);
  return office;
}

/** Every code must name an office; all unknown ones are named in one error. In the codes' order. */
export async function requireOffices(offices: OfficesByCode, codes: readonly string[], field: string): Promise<Office[]> {
  const found = offices.loadMany ? await offices.loadMany(codes) : await Promise.all(codes.map((c) => offices.load(c)));
  const unknown = codes.filter((_, i) => !isOffice(found[i]));
  if (unknown.length) throw NotFoundError.office(unknown, field);
  return found as Office[];
}

function isOffice(value: unknown): value is Office {
  return typeof value === 'object' && value !== null && !(value instanceof Error);
}
