import { checkConsistency } from '../../src/metrics/consistency';

const values = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('consistency rules (勾稽关系)', () => {
  it('finds nothing in a table that adds up', () => {
    expect(
      checkConsistency(
        values({
          'applications.received.natural_person': 3,
          'applications.received.other_organization': 1,
          'applications.received.total': 4,
          'applications.carried_over.total': 1,
          'applications.granted.total': 2,
          'applications.not_processed.duplicate.total': 1,
          'applications.other.no_fee.total': 1,
          'applications.results_total.total': 4,
          'applications.carried_forward.total': 1,
          'review.upheld': 1,
          'review.total': 1,
          'proactive.items_total': 10,
          'channels.website.items': 10,
        }),
        '2021',
      ),
    ).toEqual([]);
  });

  it('checks the balance per applicant column and names both sides', () => {
    const findings = checkConsistency(
      values({ 'applications.received.total': 5, 'applications.carried_over.total': 0, 'applications.results_total.total': 3, 'applications.carried_forward.total': 1 }),
      '2019',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'T3_BALANCE',
        scope: 'total',
        left: 5,
        right: 4,
        difference: 1,
        leftKeys: ['applications.received.total', 'applications.carried_over.total'],
      }),
    ]);
  });

  it('sums （六）其他处理 from its own cell, or from its 2021 sub-rows when the cell is blank', () => {
    const subRowsOnly = values({ 'applications.results_total.total': 3, 'applications.granted.total': 1, 'applications.other.no_correction.total': 2 });
    expect(checkConsistency(subRowsOnly, '2021')).toEqual([]);
    const both = values({
      'applications.results_total.total': 3,
      'applications.granted.total': 1,
      'applications.other.total': 2,
      'applications.other.no_correction.total': 1,
    });
    expect(checkConsistency(both, '2021')).toEqual([expect.objectContaining({ code: 'T3_OTHER_SUM', left: 2, right: 1 })]);
  });

  it('checks rows across applicant columns, table 四 groups, channels and negatives', () => {
    const findings = checkConsistency(
      values({
        'applications.granted.natural_person': 2,
        'applications.granted.commercial_enterprise': 1,
        'applications.granted.total': 2,
        'litigation_direct.upheld': 1,
        'litigation_direct.total': 0,
        'proactive.items_total': 855,
        'channels.website.items': 163,
        'channels.wechat.items': 553,
        'proactive.licensing.change': -3,
        'proactive.rules.made': -1,
      }),
      '2019',
    );
    expect(findings.map((f) => `${f.code}:${f.scope}:${f.difference}`).sort()).toEqual([
      'CHANNEL_SUM:proactive.items_total:139',
      'NEGATIVE:proactive.rules.made:-1',
      'T3_ROW_SUM:granted:-1',
      'T4_SUM:litigation_direct:-1',
    ]);
  });

  it('does not flag a side that the report leaves entirely blank', () => {
    expect(checkConsistency(values({ 'applications.received.total': 0 }), '2019')).toEqual([]);
  });
});
