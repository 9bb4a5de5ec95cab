import type { ValueTransformer } from 'typeorm';

/**
 * mysql2 returns DECIMAL as strings (unless `decimalNumbers` is set) and SQLite as numbers;
 * entities always see numbers.
 */
export const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** Metric values: counts, signed changes and money with up to four decimals (103.3879万元). */
export const METRIC_DECIMAL = { type: 'decimal', precision: 20, scale: 4, transformer: decimalTransformer } as const;
