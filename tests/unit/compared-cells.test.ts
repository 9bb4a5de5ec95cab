import { decodeCursor } from '../../src/common/pagination';
import { ComparedCell, comparedRow } from '../../src/analysis/compared-cells';
import type { Office } from '../../src/offices/office.entity';

const stats = { sum: 40, statedCount: 3, mean: 10, median: 8 };

describe('compared rows as views of the group cells', () => {
  it("computes a value's figures from its cells and the group's statistics", () => {
    // Row 0: value 12, last year 8, rank 1; row 1: blank this year, 5 last year.
    const cells = [12, 8, 1, null, 5, null];
    const stated = new ComparedCell('a', stats, cells, 0);
    expect(stated.toJSON()).toEqual({ metric: 'a', value: 12, rank: 1, share: 12 / 40, differenceFromMean: 2, differenceFromMedian: 4, previousValue: 8, change: 4, percentChange: 50 });
    // A blank has no rank, share, differences nor change: statistics are over the stated values only.
    expect(new ComparedCell('a', stats, cells, 3).toJSON()).toEqual({ metric: 'a', value: null, rank: null, share: null, differenceFromMean: null, differenceFromMedian: null, previousValue: 5, change: null, percentChange: null });
    // A zero total has no shares; a zero last year no percentage.
    expect(new ComparedCell('a', { ...stats, sum: 0 }, [0, 0, 1], 0).toJSON()).toMatchObject({ share: null, change: 0, percentChange: null });
    expect(JSON.parse(JSON.stringify(stated))).toEqual(stated.toJSON());
  });

  it('lays out a row at its position, metric by metric, with a cursor naming position and snapshot', () => {
    const office = { id: 7, code: 'x' } as Office;
    // Two metrics, two rows: row 1's second metric starts at cell (1 × 2 + 1) × 3 = 9.
    const cells = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 40, 4];
    const edge = comparedRow(office, ['a', 'b'], [stats, { ...stats, sum: 8 }], cells, 1, 'snap');
    expect(edge.node.office).toBe(office);
    expect(edge.node.values.map((v) => [v.metric, v.value, v.previousValue, v.rank, v.share])).toEqual([
      ['a', 3, 3, 3, 3 / 40],
      ['b', 4, 40, 4, 4 / 8],
    ]);
    expect(decodeCursor(edge.cursor)).toBe('1@snap');
  });
});
