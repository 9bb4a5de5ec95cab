import { kindFromName, nameUnder, suggestCode } from '../../src/offices/office-from-title';

describe('an office named by a report title', () => {
  it('drops the ancestors the title prefixes, in their printed forms', () => {
    expect(nameUnder('威海市环翠区鲸园街道办事处', ['威海市', '环翠区人民政府'])).toBe('鲸园街道办事处');
    expect(nameUnder('临川区大五里镇', ['抚州市人民政府', '临川区人民政府'])).toBe('大五里镇');
    expect(nameUnder('大五里镇', ['临川区人民政府'])).toBe('大五里镇');
    // Never down to nothing, nor to a single character.
    expect(nameUnder('环翠区', ['环翠区人民政府'])).toBe('环翠区');
  });

  it('reads the kind from the name’s ending', () => {
    expect(kindFromName('鲸园街道办事处')).toBe('sub_district');
    expect(kindFromName('嘉荣里街道')).toBe('sub_district');
    expect(kindFromName('西霍镇')).toBe('town');
    expect(kindFromName('中村乡人民政府')).toBe('town');
    expect(kindFromName('汉阳区人民政府')).toBe('government');
    expect(kindFromName('长春市审计局')).toBe('department');
    expect(kindFromName('虹桥政务服务办')).toBe('department');
    expect(kindFromName('某某')).toBe('other');
  });

  it('suggests an ASCII code from the name’s pinyin under the parent’s code', () => {
    expect(suggestCode('weihai-huancui', '鲸园街道办事处')).toBe('weihai-huancui-jingyuanjiedao');
    expect(suggestCode('lc', '大五里镇')).toBe('lc-dawulizhen');
    expect(suggestCode('x', '第3中心')).toMatch(/^x-di3zhongxin$/);
    expect(suggestCode('p'.repeat(70), '镇').length).toBeLessThanOrEqual(64);
  });
});
