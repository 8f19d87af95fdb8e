import { describe, expect, it } from 'vitest';
import { classifyWater, meetsTarget } from './water.class.js';

// Worked by hand from GB 3838-2002 Table 1 (mg/L).
describe('water class (GB 3838-2002)', () => {
  it('a river sample: the worst parameter decides', () => {
    // DO 6.5 → Ⅱ (≥6); CODMn 3.5 → Ⅱ (≤4); NH3-N 0.8 → Ⅲ (≤1.0); TP 0.15 → Ⅲ (≤0.2); BOD5 2 → Ⅰ
    expect(classifyWater({ do: 6.5, codmn: 3.5, nh3n: 0.8, tp: 0.15, bod5: 2 }, 'river')).toEqual({
      waterClass: 'III', label: 'Ⅲ类', deciding: ['nh3n', 'tp'], classes: { do: 'II', codmn: 'II', bod5: 'I', nh3n: 'III', tp: 'III' },
    });
  });
  it('TP limits differ for lakes; TN counts for lakes only', () => {
    // TP 0.04: river Ⅱ (≤0.1), lake Ⅲ (≤0.05); TN 1.2: lake Ⅳ (≤1.5)
    expect(classifyWater({ tp: 0.04, tn: 1.2 }, 'river')).toMatchObject({ waterClass: 'II', deciding: ['tp'] });
    expect(classifyWater({ tp: 0.04, tn: 1.2 }, 'lake')).toMatchObject({ waterClass: 'IV', deciding: ['tn'], classes: { tp: 'III', tn: 'IV' } });
  });
  it('beyond Ⅴ is 劣Ⅴ; DO is a floor', () => {
    expect(classifyWater({ cod: 45 }, 'river')).toMatchObject({ waterClass: '劣V', label: '劣Ⅴ类' });
    expect(classifyWater({ do: 1.5 }, 'river')).toMatchObject({ waterClass: '劣V' });
    expect(classifyWater({ do: 7.5 }, 'river')).toMatchObject({ waterClass: 'I' });
    expect(classifyWater({}, 'river')).toMatchObject({ waterClass: null, deciding: [] });
  });
  it('a class meets a target when it is as good or better', () => {
    expect(meetsTarget('II', 'II')).toBe(true);
    expect(meetsTarget('I', 'II')).toBe(true);
    expect(meetsTarget('III', 'II')).toBe(false);
  });
});
