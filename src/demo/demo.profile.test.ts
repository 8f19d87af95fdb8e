import { describe, expect, it } from 'vitest';
import { closeFraction, demoProfile, drawSatisfaction, lateChance } from './demo.profile.js';

const streets = ['150302001', '150302002', '150302003', '150303001', '150303002', '150304001', '150304002', '150304003', '150304004', '150304005'];
const p = demoProfile(streets);
const ordinary = { streetCode: '150302001', departmentCode: 'HW', categoryCode: '06010', day: '2026-06-10' };

describe('demo profile', () => {
  it('picks two streets from the city list, the same for the same list in any order', () => {
    // 10 streets sorted: index floor(3) = 150303001 and floor(7.5) = 150304003
    expect([...p.slowStreets]).toEqual(['150303001', '150304003']);
    expect([...demoProfile([...streets].reverse()).slowStreets]).toEqual(['150303001', '150304003']);
  });

  it('makes the slow street, department, category and winter week late more often than an ordinary case', () => {
    const base = lateChance(p, ordinary);
    expect(base).toBeCloseTo(0.02);
    expect(lateChance(p, { ...ordinary, streetCode: '150303001' })).toBeCloseTo(0.12);
    expect(lateChance(p, { ...ordinary, departmentCode: 'STHJ' })).toBeCloseTo(0.24);
    expect(lateChance(p, { ...ordinary, categoryCode: '06013' })).toBe(0.45);
    expect(lateChance(p, { ...ordinary, day: '2026-01-10' })).toBe(0.4);
    expect(lateChance(p, { ...ordinary, day: '2026-01-15' })).toBeCloseTo(0.02);
    expect(lateChance(p, { ...ordinary, streetCode: '150303001', departmentCode: 'STHJ', day: '2026-01-08' })).toBe(0.9);
  });

  it('on-time cases close inside the limit, late ones past it', () => {
    const rand = () => 0.999;
    expect(closeFraction(false, rand)).toBeLessThan(1);
    expect(closeFraction(true, () => 0)).toBeGreaterThan(1);
  });

  it('late cases leave fewer people satisfied', () => {
    expect(drawSatisfaction(false, () => 0.8)).toBe('satisfied');
    expect(drawSatisfaction(true, () => 0.8)).toBe('dissatisfied');
    expect(drawSatisfaction(true, () => 0.5)).toBe('basically_satisfied');
  });
});
