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
