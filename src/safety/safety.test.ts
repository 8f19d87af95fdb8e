import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from './credit-code.js';
import { assessRisk, worstLevel } from './risk.js';

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts published codes and refuses a changed character', () => {
    // Codes published on the companies' own licences: 华为技术, 腾讯计算机系统, 阿里巴巴(中国), 小米科技.
    for (const code of ['914403001922038216', '91440300708461136T', '91330100716105852F', '91110108551385082Q']) expect(isValidCreditCode(code), code).toBe(true);
    expect(isValidCreditCode('914403001922038217')).toBe(false);
    expect(isValidCreditCode('91440300708461I36T')).toBe(false); // I is not in the charset
    expect(isValidCreditCode('91440300708461136')).toBe(false);
    expect(isValidCreditCode('91440300708461136t')).toBe(false);
  });

  it('computes the check character, refusing characters outside the set', () => {
    expect(creditCodeCheckChar('91440300708461136')).toBe('T');
    expect(creditCodeCheckChar('91440300708461I36')).toBeNull();
  });
});

describe('risk grading', () => {
  it('LEC: D = L×E×C against 320/160/70', () => {
    expect(assessRisk({ method: 'lec', l: 10, e: 6, c: 7 })).toEqual({ score: 420, level: 'red' });
    expect(assessRisk({ method: 'lec', l: 6, e: 6, c: 7 })).toEqual({ score: 252, level: 'orange' });
    expect(assessRisk({ method: 'lec', l: 3, e: 6, c: 7 })).toEqual({ score: 126, level: 'yellow' });
    expect(assessRisk({ method: 'lec', l: 1, e: 6, c: 3 })).toEqual({ score: 18, level: 'blue' });
    expect(assessRisk({ method: 'lec', l: 10, e: 4, c: 8 }).level).toBe('orange'); // 320 is not above 320
  });

  it('risk matrix L×S and the 5-grade scheme map to four colours', () => {
    expect(assessRisk({ method: 'matrix', l: 4, s: 5 }).level).toBe('red');
    expect(assessRisk({ method: 'matrix', l: 3, s: 5 }).level).toBe('orange');
    expect(assessRisk({ method: 'matrix', l: 3, s: 3 }).level).toBe('yellow');
    expect(assessRisk({ method: 'matrix', l: 2, s: 4 }).level).toBe('blue');
    expect(assessRisk({ method: 'grade5', grade: 5 }).level).toBe('blue');
    expect(() => assessRisk({ method: 'matrix', l: 6, s: 1 })).toThrow(/1–5/);
    expect(worstLevel(['blue', 'orange', 'yellow'])).toBe('orange');
  });
});
