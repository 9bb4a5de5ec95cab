import { officeKindOf, planOfficeCsv } from '../../src/offices/office-csv';

describe('offices CSV plan', () => {
  it('orders parents before children, whatever the file order, and reads kinds in any case or in Chinese', () => {
    const csv = [
      'code,name,parentCode,kind,aliases',
      'hc-jingyuan,鲸园街道,hc,Sub_District,鲸园街道办事处|鲸园',
      'hc,环翠区人民政府,weihai,GOVERNMENT,',
      'hc-sjj,环翠区审计局,hc,政府部门,',
    ].join('\n');
    const plan = planOfficeCsv(csv, new Set(['weihai']));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.offices.map((o) => o.code)).toEqual(['hc', 'hc-jingyuan', 'hc-sjj']);
    expect(plan.offices.find((o) => o.code === 'hc-jingyuan')).toMatchObject({ kind: 'sub_district', parentCode: 'hc', aliases: ['鲸园街道办事处', '鲸园'], line: 2 });
    expect(plan.offices.find((o) => o.code === 'hc-sjj')!.kind).toBe('department');
  });

  it('names the line and column of every bad row and plans nothing', () => {
    const csv = ['code,name,parentCode,kind', 'ok-1,甲镇,,town', 'bad code,乙镇,,town', 'ok-2,,,town', 'ok-3,丙镇,,village', 'ok-4,丁镇,nowhere,town', 'ok-1,重复,,town'].join('\n');
    const plan = planOfficeCsv(csv, new Set());
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'code'],
      [4, 'name'],
      [5, 'kind'],
      [6, 'parentCode'],
      [7, 'code'],
    ]);
    expect(plan.problems[3]!.message).toContain('nowhere');
    expect(plan.problems[4]!.message).toContain('line 2');
  });

  it('finds a cycle inside the file', () => {
    const plan = planOfficeCsv(['code,name,parentCode,kind', 'a,甲,b,town', 'b,乙,a,town'].join('\n'), new Set());
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems).toHaveLength(2);
    expect(plan.problems[0]!.message).toContain('own subtree');
  });

  it('rejects a header without the required columns, naming them', () => {
    const plan = planOfficeCsv('code,name,kind,colour\nx,甲,town,red', new Set());
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems[0]).toMatchObject({ line: 1 });
    expect(plan.problems[0]!.message).toContain('missing parentCode');
    expect(plan.problems[0]!.message).toContain('unknown colour');
  });

  it('reads a byte-order mark and quoted cells', () => {
    const plan = planOfficeCsv('\uFEFFcode,name,parentCode,kind\n"x","甲,乙联合办",,"town"', new Set());
    expect(plan.ok && plan.offices[0]!.name).toBe('甲,乙联合办');
  });

  it('knows every kind by name and by label', () => {
    expect(officeKindOf('sub-district')).toBe('sub_district');
    expect(officeKindOf('街道办事处')).toBe('sub_district');
    expect(officeKindOf('乡镇')).toBe('town');
    expect(officeKindOf('ministry')).toBeNull();
  });
});
