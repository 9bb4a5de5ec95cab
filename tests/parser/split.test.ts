import { applicantRowCheck, cutsOf, reviewRowCheck } from '../../src/ingest/parser/split';

const values = (run: string, width: number, check: (v: readonly number[]) => boolean = () => true, lastIsSum = false) =>
  cutsOf(run, width, check, { lastIsSum }).cuts.map((cut) => cut.map((p) => p.value));

describe('cutting a run of digits into cells', () => {
  it('finds the one cut of a table 三 row whose six applicant cells add up to its total', () => {
    expect(values('801000081', 7, applicantRowCheck, true)).toEqual([[80, 1, 0, 0, 0, 0, 81]]);
    // Spaces the page kept are cuts: 20 | 0 | 0 | 0 | 0 | 1 | 21.
    expect(values('20 0 00 0 121', 7, applicantRowCheck, true)).toEqual([[20, 0, 0, 0, 0, 1, 21]]);
  });

  it('returns every cut that satisfies the row, so that the caller can refuse to choose', () => {
    expect(values('101000011', 7, applicantRowCheck, true)).toEqual(expect.arrayContaining([[10, 1, 0, 0, 0, 0, 11], [1, 0, 10, 0, 0, 0, 11]]));
    expect(values('3125', 3)).toHaveLength(3);
  });

  it('never makes a cell with a leading zero, and keeps signs and decimals whole', () => {
    expect(values('007', 3)).toEqual([[0, 0, 7]]);
    expect(values('35-15', 2)).toEqual([[35, -15]]);
    expect(values('5949.088667', 1)).toEqual([[5949.088667]]);
  });

  it('cuts table 四 by the totals of its three groups', () => {
    expect(values('110024001510102', 15, reviewRowCheck)).toEqual([[1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]]);
  });

  it('gives up, saying so, on runs too long to settle', () => {
    expect(cutsOf('1'.repeat(59), 7, applicantRowCheck, { lastIsSum: true, budget: { steps: 1000 } }).complete).toBe(false);
    expect(cutsOf('1'.repeat(200), 7, applicantRowCheck, { lastIsSum: true }).cuts).toEqual([]);
  });
});
