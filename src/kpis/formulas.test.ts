import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addCounters, computeKpis, emptyCounters, gradeFor, KPI_COUNTER_KEYS, type KpiCounters } from './formulas.js';
import { DEFAULT_KPI_CONFIG, validateKpiConfig, type KpiConfig } from './kpi.config.js';
import { AppError } from '../errors.js';

const HOUR = 3_600_000;

function counters(values: Partial<KpiCounters>): KpiCounters {
  return { ...emptyCounters(), ...values };
}

describe('12345 三率 and composite', () => {
  /*
   * 20 有效回访: 18 已联系, 15 已解决, 10 满意, 4 基本满意, 6 不满意
   *   响应率 = 18/20 = 0.9
   *   解决率 = 15/20 = 0.75
   *   满意率 = (10 + 0.9×4)/20 = 13.6/20 = 0.68
   *   综合   = 100 × (0.1×0.9 + 0.5×0.75 + 0.4×0.68) = 100 × (0.09 + 0.375 + 0.272) = 73.7 → C (60 ≤ 73.7 < 75)
   */
  const hotline = counters({ callbacks: 20, contacted: 18, solved: 15, satisfied: 10, basicallySatisfied: 4, dissatisfied: 6 });

  it('computes the three rates, the composite and the grade', () => {
    const k = computeKpis(hotline, DEFAULT_KPI_CONFIG);
    expect(k).toMatchObject({ responseRate: 0.9, resolutionRate: 0.75, satisfactionRate: 0.68, composite: 73.7, grade: 'C' });
  });

  it('uses the configured weights and 基本满意 factor', () => {
    /*
     * basicSatisfiedWeight 0.5: 满意率 = (10 + 0.5×4)/20 = 12/20 = 0.6
     * weights 0.2/0.4/0.4: 综合 = 100 × (0.2×0.9 + 0.4×0.75 + 0.4×0.6) = 100 × (0.18 + 0.3 + 0.24) = 72 → C
     */
    const config: KpiConfig = { ...DEFAULT_KPI_CONFIG, basicSatisfiedWeight: 0.5, weights: { response: 0.2, resolution: 0.4, satisfaction: 0.4 } };
    expect(computeKpis(hotline, config)).toMatchObject({ satisfactionRate: 0.6, composite: 72, grade: 'C' });
  });

  it('grades a composite of exactly 90 as A despite binary noise', () => {
    /*
     * 40 有效回访: 40 已联系, 36 已解决, 35 满意
     *   100 × (0.1×40/40 + 0.5×36/40 + 0.4×35/40) = 100 × (0.1 + 0.45 + 0.35) = 90 → A
     *   (in floating point the sum is 0.9000000000000001; the 2-decimal score is exactly 90)
     */
    const k = computeKpis(counters({ callbacks: 40, contacted: 40, solved: 36, satisfied: 35 }), DEFAULT_KPI_CONFIG);
    expect(k.composite).toBe(90);
    expect(k.grade).toBe('A');
  });
});

describe('urban case indicators', () => {
  /*
   * 50 上报, 40 立案 (10 不予立案), 2 作废 → 应结案 40 − 2 = 38
   * 38 派遣, 36 按时 ............ 按时派遣率 = 36/38 = 0.947368… → 0.9474
   * 32 处置, 28 按期, 4 返工 ..... 按期处置率 = 28/32 = 0.875; 返工率 = 4/32 = 0.125
   * 30 结案, 24 按期 ............ 结案率 = 30/40 = 0.75; 按期结案率 = 24/38 = 0.631578… → 0.6316
   * 立案率 = 40/50 = 0.8
   * 处置时长 100 h over 32 handlings = 3.125 h → 3.13 (half up)
   * urban = 100 × (0.4×0.75 + 0.4×24/38 + 0.2×(1 − 0.125))
   *       = 100 × (0.3 + 0.252631… + 0.175) = 72.763… → 72.76 → C
   */
  const urban = counters({
    reported: 50, registered: 40, rejected: 10, voided: 2, shouldClose: 38,
    dispatched: 38, dispatchedOnTime: 36, handled: 32, handledOnTime: 28, reworked: 4,
    closed: 30, closedOnTime: 24, closedByDeadline: 24, overdue: 5, handlingMsSum: 100 * HOUR, handlingCount: 32,
  });

  it('computes each rate, the average handling time and the urban composite', () => {
    expect(computeKpis(urban, DEFAULT_KPI_CONFIG)).toEqual({
      reported: 50,
      registered: 40,
      registrationRate: 0.8,
      onTimeDispatchRate: 0.9474,
      handled: 32,
      onTimeHandlingRate: 0.875,
      reworkRate: 0.125,
      closed: 30,
      closureRate: 0.75,
      onTimeClosureRate: 0.6316,
      onTimeVerifyRate: null,
      onTimeCheckRate: null,
      averageHandlingHours: 3.13,
      overdue: 5,
      responseRate: null,
      resolutionRate: null,
      satisfactionRate: null,
      composite: null,
      grade: null,
      urbanComposite: 72.76,
      urbanGrade: 'C',
    });
  });

  it('rounds half up on the decimal value, not on its binary approximation', () => {
    // 3 618 000 ms / 1 handling = 1.005 h exactly → 1.01 (naive Math.round(1.005×100) gives 1.00).
    const k = computeKpis(counters({ handlingMsSum: 3_618_000, handlingCount: 1 }), DEFAULT_KPI_CONFIG);
    expect(k.averageHandlingHours).toBe(1.01);
  });

  it('caps each indicator at 1 in the score, not in the rate', () => {
    /*
     * One day: 2 立案, 4 结案 (cases registered earlier), all 4 on time, 4 处置 without rework.
     *   结案率 = 4/2 = 2 (shown as is); 按期结案率 = 4/2 = 2
     *   urban = 100 × (0.4×min(1, 2) + 0.4×min(1, 2) + 0.2×(1 − 0)) = 100 → A
     */
    const day = counters({ registered: 2, shouldClose: 2, closed: 4, closedOnTime: 4, closedByDeadline: 4, handled: 4 });
    expect(computeKpis(day, DEFAULT_KPI_CONFIG)).toMatchObject({ closureRate: 2, urbanComposite: 100, urbanGrade: 'A' });
  });

  it('ignores a missing indicator whose weight is 0', () => {
    // No handling yet → 返工率 null. With noRework weight 0: 100 × (0.5×1/2 + 0.5×1/2) = 50 → D.
    const config: KpiConfig = { ...DEFAULT_KPI_CONFIG, urbanWeights: { closure: 0.5, onTimeClosure: 0.5, noRework: 0 } };
    const k = computeKpis(counters({ registered: 2, shouldClose: 2, closed: 1, closedOnTime: 1, closedByDeadline: 1 }), config);
    expect(k).toMatchObject({ reworkRate: null, urbanComposite: 50, urbanGrade: 'D' });
  });
});

describe('按期结案, two readings', () => {
  /*
   * 10 应结案, 8 closed by the case deadline, of which only 5 had every stage within its limit;
   * 12 核实 of which 9 on time; 4 核查 of which 4 on time.
   *   deadline reading: 8/10 = 0.8; stages reading: 5/10 = 0.5; 按时核实率 9/12 = 0.75; 按时核查率 4/4 = 1
   */
  const c = counters({ registered: 10, shouldClose: 10, closed: 8, closedByDeadline: 8, closedOnTime: 5, verified: 12, verifiedOnTime: 9, checked: 4, checkedOnTime: 4 });

  it('counts a case closed by its own deadline as on time by default', () => {
    expect(computeKpis(c, DEFAULT_KPI_CONFIG)).toMatchObject({ onTimeClosureRate: 0.8, onTimeVerifyRate: 0.75, onTimeCheckRate: 1 });
  });

  it('the strict reading asks every stage to be within its limit', () => {
    expect(computeKpis(c, { ...DEFAULT_KPI_CONFIG, onTimeClosure: 'stages' })).toMatchObject({ onTimeClosureRate: 0.5 });
  });
});

describe('zero denominators', () => {
  it('gives null for every rate, average and score of empty counters', () => {
    expect(computeKpis(emptyCounters(), DEFAULT_KPI_CONFIG)).toEqual({
      reported: 0, registered: 0, registrationRate: null, onTimeDispatchRate: null,
      handled: 0, onTimeHandlingRate: null, reworkRate: null, closed: 0, closureRate: null,
      onTimeClosureRate: null, onTimeVerifyRate: null, onTimeCheckRate: null, averageHandlingHours: null, overdue: 0,
      responseRate: null, resolutionRate: null, satisfactionRate: null,
      composite: null, grade: null, urbanComposite: null, urbanGrade: null,
    });
  });

  it('keeps a 0 % rate distinct from a missing one', () => {
    // 5 上报, 0 立案 → 立案率 0/5 = 0, 结案率 0/0 = null.
    const k = computeKpis(counters({ reported: 5 }), DEFAULT_KPI_CONFIG);
    expect(k.registrationRate).toBe(0);
    expect(k.closureRate).toBeNull();
  });

  it('gives no urban score when a weighted indicator is missing', () => {
    // Registered and closed, but nothing handled: 返工率 null and its weight is 0.2 → no score.
    const k = computeKpis(counters({ registered: 3, shouldClose: 3, closed: 3, closedOnTime: 3 }), DEFAULT_KPI_CONFIG);
    expect(k).toMatchObject({ closureRate: 1, reworkRate: null, urbanComposite: null, urbanGrade: null });
  });

  it('treats a negative 应结案数 bucket (voids only) as nothing to measure', () => {
    const k = computeKpis(counters({ shouldClose: -1, voided: 1, closedOnTime: 0 }), DEFAULT_KPI_CONFIG);
    expect(k.onTimeClosureRate).toBeNull();
  });
});

describe('gradeFor', () => {
  const bands = DEFAULT_KPI_CONFIG.gradeBands;
  it.each([
    [100, 'A'], [90, 'A'], [89.99, 'B'], [75, 'B'], [74.99, 'C'],
    [60, 'C'], [59.99, 'D'], [40, 'D'], [39.99, 'E'], [0, 'E'],
  ] as const)('grades %d as %s', (score, grade) => {
    expect(gradeFor(score, bands)).toBe(grade);
  });
});

describe('addCounters', () => {
  const counterSet = fc.record(
    Object.fromEntries(KPI_COUNTER_KEYS.map((key) => [key, fc.integer({ min: 0, max: 1_000_000_000 })])) as Record<keyof KpiCounters, fc.Arbitrary<number>>,
  );

  it('adds key by key without changing its inputs', () => {
    const a = counters({ reported: 3, closed: 1, handlingMsSum: 5 * HOUR, handlingCount: 2 });
    const b = counters({ reported: 4, satisfied: 2, handlingMsSum: HOUR, handlingCount: 1 });
    const sum = addCounters(a, b);
    expect(sum).toEqual(counters({ reported: 7, closed: 1, satisfied: 2, handlingMsSum: 6 * HOUR, handlingCount: 3 }));
    expect(a.reported).toBe(3);
    expect(b.reported).toBe(4);
    // Average of the sum is over all 3 handlings: 6 h / 3 = 2 h (not the mean of 2.5 h and 1 h).
    expect(computeKpis(sum, DEFAULT_KPI_CONFIG).averageHandlingHours).toBe(2);
  });

  it('is associative, commutative and has emptyCounters as identity', () => {
    fc.assert(
      fc.property(counterSet, counterSet, counterSet, (a, b, c) => {
        expect(addCounters(addCounters(a, b), c)).toEqual(addCounters(a, addCounters(b, c)));
        expect(addCounters(a, b)).toEqual(addCounters(b, a));
        expect(addCounters(a, emptyCounters())).toEqual(a);
      }),
    );
  });

  it('returns a fresh zero set each time', () => {
    const first = emptyCounters();
    first.reported = 9;
    expect(emptyCounters().reported).toBe(0);
    expect(KPI_COUNTER_KEYS).toHaveLength(26);
  });
});

describe('validateKpiConfig', () => {
  function invalid(overrides: Partial<KpiConfig>): AppError {
    try {
      validateKpiConfig({ ...DEFAULT_KPI_CONFIG, ...overrides });
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected validateKpiConfig to throw');
  }

  it('accepts the defaults and a sum within 1e-9 of 1', () => {
    expect(validateKpiConfig(DEFAULT_KPI_CONFIG)).toBe(DEFAULT_KPI_CONFIG);
    expect(() => validateKpiConfig({ ...DEFAULT_KPI_CONFIG, weights: { response: 0.1 + 5e-10, resolution: 0.5, satisfaction: 0.4 } })).not.toThrow();
  });

  it('rejects weights that do not sum to 1, naming the terms', () => {
    const err = invalid({ weights: { response: 0.1, resolution: 0.49, satisfaction: 0.4 } });
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/weights must sum to 1 .*got 0\.99.*response 0\.1 \+ resolution 0\.49 \+ satisfaction 0\.4/);
  });

  it('rejects a negative urban weight', () => {
    const err = invalid({ urbanWeights: { closure: 0.6, onTimeClosure: 0.6, noRework: -0.2 } });
    expect(err.message).toMatch(/urbanWeights\.noRework must be a number between 0 and 1, got -0\.2/);
  });

  it('rejects a 基本满意 factor above 1', () => {
    expect(invalid({ basicSatisfiedWeight: 1.5 }).message).toMatch(/basicSatisfiedWeight must be between 0 and 1, got 1\.5/);
  });

  it('rejects bands that are not strictly descending', () => {
    const err = invalid({ gradeBands: [{ grade: 'A', min: 90 }, { grade: 'B', min: 90 }, { grade: 'C', min: 0 }] });
    expect(err.message).toMatch(/strictly descending by min: A 90 is followed by B 90/);
  });

  it('rejects bands without a floor at 0, duplicates and an empty list', () => {
    expect(invalid({ gradeBands: [{ grade: 'A', min: 90 }, { grade: 'E', min: 40 }] }).message).toMatch(/last grade band \(E\) must start at 0/);
    expect(invalid({ gradeBands: [{ grade: 'A', min: 90 }, { grade: 'A', min: 0 }] }).message).toMatch(/grade A twice/);
    expect(invalid({ gradeBands: [] }).message).toMatch(/at least one band/);
  });

  it('reports every problem at once', () => {
    const err = invalid({ basicSatisfiedWeight: -1, gradeBands: [{ grade: 'A', min: 120 }, { grade: 'E', min: 0 }] });
    expect(err.details).toEqual({
      problems: ['basicSatisfiedWeight must be between 0 and 1, got -1', 'gradeBands[0] (A) min must be between 0 and 100, got 120'],
    });
  });
});
