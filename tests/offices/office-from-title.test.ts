import { kindFromName, nameUnder, suggestCode } from '../../src/offices/office-from-title';

describe('an office named by a report title', () => {
  it('drops the ancestors the title prefixes, in their printed forms', () => {
    expect(nameUnder('威海市环翠区鲸园街道办事处', ['威海市', '环翠区人民政府'])).toBe('鲸园街道办事处');
    expect(nameUnder('临川区大五里镇', ['抚州市人民政府', '临川区人民政府'])).toBe('大五里镇');
    expect(nameUnder('大五里镇', ['临川区人民政府'])).toBe('大五里镇');
    // Divisions the tree does not hold are dropped too, down to the unit itself.
    expect(nameUnder('海城市西四镇', ['示例地区'])).toBe('西四镇');
    expect(nameUnder('长沙市天心区桂花坪街道办事处', ['示例地区'])).toBe('桂花坪街道办事处');
    expect(nameUnder('得荣县卫生健康局', ['示例地区'])).toBe('卫生健康局');
    expect(nameUnder('伊州区丽园街道办事处', ['示例地区'])).toBe('丽园街道办事处');
    expect(nameUnder('汉台区徐望镇人民政府', ['示例地区'])).toBe('徐望镇人民政府');
    expect(nameUnder('市场监督管理局', ['示例地区'])).toBe('市场监督管理局');
    expect(nameUnder('光明社区', [])).toBe('光明社区');
    expect(nameUnder('汉阳区人民政府', [])).toBe('汉阳区人民政府');
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
