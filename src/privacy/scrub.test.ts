import { describe, expect, it } from 'vitest';
import { luhnValid, scrubText, validIdCheckDigit } from './scrub.js';

// Check digits and Luhn sums below were worked out independently (GB 11643's own examples
// 11010519491231002X and 440524188001010014; the card numbers are issuers' published test numbers).

describe('scrubText: phone numbers', () => {
  it.each([
    ['已电话联系举报人王小明 13700001111，住3单元401', '已电话联系举报人王小明 137****1111，住3单元401'],
    ['联系电话13912345678请回电', '联系电话139****5678请回电'],
    ['手机：138 1234 5678。', '手机：138 **** 5678。'],
    ['手机 138-1234-5678', '手机 138-****-5678'],
    ['境外拨打 +86 139-1234-5678 即可', '境外拨打 +86 139-****-5678 即可'],
    ['拨8615912345678', '拨86159****5678'],
    ['全角号码１３７００００１１１１已核实', '全角号码１３７****１１１１已核实'],
    ['座机0473-2345678（白天）', '座机0473-***5678（白天）'],
    ['北京号码(010)62345678', '北京号码(010)****5678'],
    ['上海 021-87654321转123', '上海 021-****4321转123'],
    ['电话04733456789', '电话0473***6789'],
    ['两个号码：13700001111、18600002222', '两个号码：137****1111、186****2222'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });
});

describe('scrubText: ID numbers, e-mail addresses, bank cards', () => {
  it.each([
    ['身份证号11010519491231002X，已登记', '身份证号110***********002X，已登记'],
    ['身份证 11010519491231002x', '身份证 110***********002x'],
    ['证件号码440524188001010014。', '证件号码440***********0014。'],
    ['身份证150302199001011231住海勃湾区', '身份证150***********1231住海勃湾区'],
    ['旧身份证号150302850101123', '旧身份证号150********1123'],
    ['邮箱 wang.xiaoming@163.com 已回复', '邮箱 w***@163.com 已回复'],
    ['请发至ｗａｎｇ＠ｑｑ．ｃｏｍ', '请发至ｗ***＠ｑｑ．ｃｏｍ'],
    ['退款到卡号6212262201023557228', '退款到卡号6212***********7228'],
    ['银行卡 4111 1111 1111 1111 已核对', '银行卡 4111 **** **** 1111 已核对'],
    ['卡号6250946000000016。', '卡号6250********0016。'],
    ['运通 378282246310005', '运通 3782*******0005'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });
});

describe('scrubText: what is not personal data stays as it is', () => {
  it.each([
    '案件 WH20261126000123 已转派',
    '编号WH20261126000123，2026-11-26 10:00 受理',
    '2026年11月26日处置完毕，日期20261126',
    '时间 2026-11-26T10:00:00+08:00',
    '罚款金额 13700 元，合计 ¥1370000.00',
    '门牌号 1370000111 号',
    '类别 01001 供水井盖异常，事项代码 06010',
    '网格 150302001002001 内发现',
    '统计区划代码 150302001002',
    '订单号A13700001111',
    '设备 WH-JG-000123 读数 12.5',
    '校验位错误的号码 110105194912310021',
    'Luhn 不通过的 4111111111111112',
    '热线 12345 受理',
    '住3单元401室',
  ])('%s', (input) => {
    expect(scrubText(input)).toBe(input);
  });

  it('keeps null and empty text', () => {
    expect(scrubText(null)).toBeNull();
    expect(scrubText('')).toBe('');
  });

  it('masks every occurrence in a long staff note and leaves the rest intact', () => {
    const note = '已电话联系举报人王小明 13700001111，住3单元401；其妻手机１８６００００２２２２，身份证11010519491231002X，邮箱 xm@example.org，案件 WH20261126000123。';
    expect(scrubText(note)).toBe('已电话联系举报人王小明 137****1111，住3单元401；其妻手机１８６****２２２２，身份证110***********002X，邮箱 x***@example.org，案件 WH20261126000123。');
  });
});

describe('check digits', () => {
  it('GB 11643 check character', () => {
    expect(validIdCheckDigit('11010519491231002X')).toBe(true);
    expect(validIdCheckDigit('440524188001010014')).toBe(true);
    expect(validIdCheckDigit('440524188001010015')).toBe(false);
    expect(validIdCheckDigit('4405241880010100')).toBe(false);
  });

  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('6222600260001072444')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});
