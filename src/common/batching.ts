import type { Options } from 'dataloader';

/**
 * DataLoader's default dispatch (one process.nextTick after the first load) can split one level
 * of a GraphQL response into two batches when the database answers between field resolutions;
 * waiting for setImmediate collects every load issued in the current turn, so the number of
 * statements per request stays the same whatever the number of rows.
 */
export function batchOptions<K, V, C = K>(extra: Options<K, V, C> = {}): Options<K, V, C> {
  return { batchScheduleFn: (callback) => setImmediate(callback), ...extra };
}

/** Rows grouped under the keys that asked for them, in key order (a DataLoader batch's answer). */
export function groupByKey<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}
