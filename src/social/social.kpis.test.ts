import { describe, expect, it } from 'vitest';
import { disputeKpis, petitionKpis, type DisputeFacts, type PetitionFacts } from './social.kpis.js';

// November 2026 (UTC instants for simplicity). Every expected figure below is counted by hand
// from the fixtures, row by row.
const NOV = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };

const d = (over: Partial<DisputeFacts>): DisputeFacts => ({
  createdAt: '2026-11-02T00:00:00Z', concludedAt: null, succeeded: false, courtReferred: false, resolvedLevel: null,
  agreementAt: null, agreementKept: null, referral: null, nextSameParties: null, ...over,
});

describe('dispute KPIs', () => {
  const facts = [
    // 1: court-referred, agreed at community level, kept; its parties come back 100 days later (回流).
    d({ concludedAt: '2026-11-10T00:00:00Z', succeeded: true, courtReferred: true, resolvedLevel: 'community', agreementAt: '2026-11-10T00:00:00Z', agreementKept: true, nextSameParties: '2027-02-18T00:00:00Z' }),
    // 2: agreed at district level, not kept; the parties came back after 200 days (not 回流).
    d({ concludedAt: '2026-11-12T00:00:00Z', succeeded: true, resolvedLevel: 'district', agreementAt: '2026-11-12T00:00:00Z', agreementKept: false, nextSameParties: '2027-05-31T00:00:00Z' }),
    // 3: court-referred, failed, sent to court.
    d({ concludedAt: '2026-11-20T00:00:00Z', courtReferred: true, referral: 'litigation' }),
    // 4: failed, to arbitration.
    d({ concludedAt: '2026-11-21T00:00:00Z', referral: 'arbitration' }),
    // 5: received in November, still open.
    d({}),
    // 6: received in October, agreed at street level in November, not yet followed up.
    d({ createdAt: '2026-10-20T00:00:00Z', concludedAt: '2026-11-03T00:00:00Z', succeeded: true, resolvedLevel: 'street', agreementAt: '2026-11-03T00:00:00Z' }),
    // 7: concluded in December: outside the period.
    d({ concludedAt: '2026-12-02T00:00:00Z', succeeded: true, resolvedLevel: 'community', agreementAt: '2026-12-02T00:00:00Z' }),
  ];

  it('counts and rates by hand', () => {
    expect(disputeKpis(facts, NOV, 20_000)).toEqual({
      received: 6, // 1, 2, 3, 4, 5, 7 (6 came in October)
      concluded: 5, // 1, 2, 3, 4, 6
      succeeded: 3, // 1, 2, 6
      successRate: 0.6, // 3 / 5
      grassrootsRate: 0.6667, // 1 (community) and 6 (street) of 3
      courtReferred: 2, // 1, 3
      preSuitSuccessRate: 0.5, // 1 of 1 and 3
      fulfilmentRate: 0.5, // of 1 and 2 followed up, 1 kept
      returnRate: 0.3333, // 1 of 3 agreements
      litigated: 1, // 3
      litigationPer10k: 0.5, // 1 / 20,000 × 10,000
    });
  });

  it('has no rates without denominators, and no 万人成讼率 without a population', () => {
    expect(disputeKpis([], NOV, null)).toMatchObject({ received: 0, successRate: null, grassrootsRate: null, preSuitSuccessRate: null, fulfilmentRate: null, returnRate: null, litigationPer10k: null });
  });
});

const p = (over: Partial<PetitionFacts>): PetitionFacts => ({
  createdAt: '2026-11-02T00:00:00Z', decidedAt: null, decisionDue: '2026-11-17T00:00:00Z', repliedAt: null, concludeDue: null,
  ratedAt: null, satisfaction: null, repeat: false, skippedLevel: false, backlogSince: null, backlogResolvedAt: null, ...over,
});

describe('petition KPIs', () => {
  const facts = [
    // 1: decided in time, replied by its deadline, rated satisfied.
    p({ decidedAt: '2026-11-05T00:00:00Z', repliedAt: '2026-11-25T00:00:00Z', concludeDue: '2027-01-04T00:00:00Z', ratedAt: '2026-11-26T00:00:00Z', satisfaction: 'satisfied' }),
    // 2: decided a day late; a repeat, so a 积案 from registration, resolved in November; filed above its level.
    p({ decidedAt: '2026-11-18T00:00:00Z', repeat: true, skippedLevel: true, backlogSince: '2026-11-02T00:00:00Z', backlogResolvedAt: '2026-11-28T00:00:00Z' }),
    // 3: registered in September, replied late in November, rated dissatisfied.
    p({ createdAt: '2026-09-01T00:00:00Z', decisionDue: '2026-09-16T00:00:00Z', decidedAt: '2026-09-10T00:00:00Z', repliedAt: '2026-11-15T00:00:00Z', concludeDue: '2026-11-09T00:00:00Z', ratedAt: '2026-11-16T00:00:00Z', satisfaction: 'dissatisfied' }),
    // 4: a 积案 since October, still open.
    p({ createdAt: '2026-08-01T00:00:00Z', decisionDue: '2026-08-16T00:00:00Z', decidedAt: '2026-08-02T00:00:00Z', backlogSince: '2026-10-05T00:00:00Z' }),
    // 5: a 积案 resolved in October: not open in November.
    p({ createdAt: '2026-07-01T00:00:00Z', decisionDue: '2026-07-16T00:00:00Z', backlogSince: '2026-09-01T00:00:00Z', backlogResolvedAt: '2026-10-30T00:00:00Z' }),
    // 6: registered in November, undecided, a repeat.
    p({ repeat: true }),
  ];

  it('counts and rates by hand', () => {
    expect(petitionKpis(facts, NOV)).toEqual({
      registered: 3, // 1, 2, 6
      decided: 2, // 1, 2
      timelyAcceptanceRate: 0.5, // 1 in time, 2 late
      replied: 2, // 1, 3
      onTimeConclusionRate: 0.5, // 1 by its deadline, 3 after
      rated: 2, // 1, 3
      satisfactionRate: 0.5, // 1
      repeatRate: 0.6667, // 2 and 6 of 3
      backlog: 2, // 2 and 4 (5 was resolved before November)
      backlogResolutionRate: 0.5, // 2
      skippedLevel: 1, // 2
    });
  });
});
