import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS } from '../cases/workflow/index.js';
import { canonicalStatus, extendedStatusOf, INCOMING_STATUSES } from './open311.status.js';

// The states FixMyStreet's Open311 client (map_state) turns into a state of its own or keeps.
const FIXMYSTREET_UNDERSTANDS = ['open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate', 'not_councils_responsibility', 'no_further_action', 'internal_referral'];

describe('Open311 status mapping', () => {
  it('sends only statuses FixMyStreet understands, for every state of every flow', () => {
    for (const def of WORKFLOWS) {
      for (const state of Object.keys(def.states)) expect(FIXMYSTREET_UNDERSTANDS, `${def.id}.${state}`).toContain(extendedStatusOf(def.id, state));
    }
    expect(extendedStatusOf('urban', 'reopened')).toBe('open');
    expect(extendedStatusOf('hotline', 'closed')).toBe('closed');
    expect(extendedStatusOf('urban', 'closed')).toBe('fixed');
  });

  it('accepts mySociety\'s whole incoming list, each with a documented meaning', () => {
    const doc = readFileSync(new URL('../../docs/OPEN311.md', import.meta.url), 'utf8');
    for (const status of ['OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'PLANNED', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY', 'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'CANCELLED', 'REOPEN', 'FOR_TRIAGE', 'UNCHANGED']) {
      expect(INCOMING_STATUSES[status], status).toBeDefined();
      expect(doc, status).toContain(`| \`${status}\` |`);
    }
    expect(INCOMING_STATUSES.CANCELLED.actions).toEqual(['void', 'reject']);
    expect(INCOMING_STATUSES.DUPLICATE.actions).toEqual([]);
  });

  it('reads the spellings clients send', () => {
    expect(canonicalStatus(' in progress ')).toBe('IN_PROGRESS');
    expect(canonicalStatus('Not-Councils-Responsibility')).toBe('NOT_COUNCILS_RESPONSIBILITY');
    expect(canonicalStatus('FIXED')).toBe('FIXED');
  });
});
