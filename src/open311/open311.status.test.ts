import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS } from '../cases/workflow/index.js';
import { canonicalStatus, extendedStatusOf, INCOMING_STATUSES, openStatusOf, statesByOpenStatus } from './open311.status.js';

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

// The expectations below are read off the state tables of docs/WORKFLOWS.md (urban: 上报 … 结案,
// hotline: 受理 … 办结, plus the shared side states 挂起, 重新办理, 已合并, 已作废, 已转调解), written out by hand.
describe('GeoReport open/closed per state', () => {
  it('reads open/closed from each state of each flow', () => {
    expect(openStatusOf('urban', 'reported')).toBe('open');
    expect(openStatusOf('urban', 'checked')).toBe('open');
    expect(openStatusOf('urban', 'closed')).toBe('closed');
    expect(openStatusOf('urban', 'rejected')).toBe('closed');
    expect(openStatusOf('urban', 'voided')).toBe('closed');
    expect(openStatusOf('urban', 'merged')).toBe('closed');
    expect(openStatusOf('urban', 'suspended')).toBe('open');
    expect(openStatusOf('hotline', 'callback_done')).toBe('open');
    expect(openStatusOf('hotline', 'closed')).toBe('closed');
  });

  it('counts a state the flow does not know as open', () => {
    expect(openStatusOf('urban', 'no_such_state')).toBe('open');
    expect(openStatusOf('hotline', 'verified')).toBe('open');
  });

  it('lists, per flow, exactly the states with the asked statuses', () => {
    const closed = statesByOpenStatus(['closed']);
    expect(closed.find((f) => f.workflow === 'urban')?.states.sort()).toEqual(['closed', 'merged', 'rejected', 'transferred', 'voided']);
    expect(closed.find((f) => f.workflow === 'hotline')?.states.sort()).toEqual(['closed', 'merged', 'transferred', 'voided']);
    const open = statesByOpenStatus(['open']);
    expect(open.find((f) => f.workflow === 'hotline')?.states.sort()).toEqual(['accepted', 'callback_done', 'dispatched', 'handling', 'reopened', 'replied', 'suspended']);
    expect(open.find((f) => f.workflow === 'urban')?.states).not.toContain('closed');
    const both = statesByOpenStatus(['open', 'closed']);
    expect(both.find((f) => f.workflow === 'urban')?.states).toHaveLength(14);
    expect(statesByOpenStatus([]).every((f) => f.states.length === 0)).toBe(true);
    expect(both.map((f) => f.workflow)).toEqual(expect.arrayContaining(['urban', 'hotline']));
  });

  it('maps the shared states to the same extended status in both flows, and falls back on open/closed', () => {
    const expected: [string, string, string][] = [
      ['urban', 'reported', 'open'], ['hotline', 'accepted', 'open'], ['urban', 'verified', 'investigating'],
      ['urban', 'registered', 'action_scheduled'], ['urban', 'dispatched', 'action_scheduled'], ['hotline', 'dispatched', 'action_scheduled'],
      ['urban', 'handling', 'in_progress'], ['urban', 'handled', 'in_progress'], ['hotline', 'replied', 'in_progress'],
      ['hotline', 'callback_done', 'fixed'], ['urban', 'checked', 'fixed'], ['urban', 'rejected', 'not_councils_responsibility'],
      ['urban', 'suspended', 'investigating'], ['hotline', 'reopened', 'open'], ['urban', 'merged', 'duplicate'],
      ['hotline', 'voided', 'no_further_action'], ['hotline', 'merged', 'duplicate'],
    ];
    for (const [flow, state, status] of expected) expect(extendedStatusOf(flow, state), `${flow}.${state}`).toBe(status);
    // Unknown states: open unless the flow says closed (it cannot: unknown counts as open).
    expect(extendedStatusOf('urban', 'no_such_state')).toBe('open');
  });
});

describe('incoming statuses as docs/OPEN311.md tables them', () => {
  // The table's rows: | `STATUS` | meaning | actions, or "— (comment)" |
  const doc = readFileSync(new URL('../../docs/OPEN311.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map(([, status, meaning, actions]) => ({
    status,
    meaning: meaning.trim(),
    actions: actions.trim().startsWith('—') ? [] : actions.replace(/\(.*\)/, '').split(',').map((a) => a.trim()),
  }));
  const words = (text: string) => text.toLowerCase().split(/[^a-z]+/).filter(Boolean).slice(0, 2);

  it('asks for the actions the table lists, in its order, for every status', () => {
    expect(rows.length).toBe(15);
    for (const row of rows) {
      expect(INCOMING_STATUSES[row.status]?.actions, row.status).toEqual(row.actions);
      expect(words(INCOMING_STATUSES[row.status].meaning), row.status).toEqual(words(row.meaning));
    }
    expect(Object.keys(INCOMING_STATUSES).sort()).toEqual(rows.map((r) => r.status).sort());
  });

  it('reads runs of spaces and hyphens as one separator', () => {
    expect(canonicalStatus('in  progress')).toBe('IN_PROGRESS');
    expect(canonicalStatus('no -further- action')).toBe('NO_FURTHER_ACTION');
  });
});
