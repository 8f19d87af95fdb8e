import { describe, expect, it } from 'vitest';
import { matchRoute, type RoutingRule, type RoutingInput } from './routing.js';

const rule = (id: number, position: number, extra: Partial<RoutingRule>): RoutingRule => ({
  id, position, name: `r${id}`, categoryCode: null, classCode: null, orgCode: null, channel: null, weekdays: null, timeFrom: null, timeTo: null, departmentCode: `D${id}`, ...extra,
});

const input: RoutingInput = { categoryCode: '06010', classCode: '06', orgPath: '/150300/150302/150302001/150302001002/', channel: 'patrol', local: { weekday: 6, hour: 22, minute: 15 } };

describe('matchRoute', () => {
  it('takes the first matching rule by position, not by id', () => {
    const rules = [rule(1, 20, { classCode: '06' }), rule(2, 10, { categoryCode: '06010' })];
    const { rule: matched, trace } = matchRoute(rules, input);
    expect(matched?.id).toBe(2);
    expect(trace).toHaveLength(1);
  });

  it('explains each rejected rule with the first failing condition', () => {
    const rules = [rule(1, 1, { channel: 'hotline' }), rule(2, 2, { orgCode: '150303' }), rule(3, 3, { orgCode: '150302' })];
    const { rule: matched, trace } = matchRoute(rules, input);
    expect(matched?.id).toBe(3);
    expect(trace.map((t) => t.matched)).toEqual([false, false, true]);
    expect(trace[0].reasons[0]).toContain('channel patrol');
    expect(trace[1].reasons[0]).toContain('150303');
    expect(trace[2].reasons).toEqual(['location under 150302']);
  });

  it('matches weekday sets and time windows that wrap midnight', () => {
    const night = rule(1, 1, { timeFrom: '20:00', timeTo: '08:00' });
    const weekdaysOnly = rule(2, 0, { weekdays: [1, 2, 3, 4, 5] });
    expect(matchRoute([weekdaysOnly, night], input).rule?.id).toBe(1);
    const morning = { ...input, local: { weekday: 2, hour: 9, minute: 0 } };
    expect(matchRoute([night], morning).rule).toBeNull();
    expect(matchRoute([weekdaysOnly, night], morning).rule?.id).toBe(2);
  });

  it('does not match an org code that is only a string prefix of a path segment', () => {
    expect(matchRoute([rule(1, 1, { orgCode: '15030' })], input).rule).toBeNull();
  });
});
