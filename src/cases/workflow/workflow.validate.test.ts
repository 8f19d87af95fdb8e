import { describe, expect, it } from 'vitest';
import type { Role } from '../../auth/actor.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { getWorkflow, WORKFLOW_IDS } from './workflow.registry.js';
import type { Effect, InputField, StageKey, StateDefinition, Transition, WorkflowDefinition } from './workflow.types.js';
import { listProblems, validateWorkflow, validateWorkflows } from './workflow.validate.js';
import { thrown } from './workflow.testkit.js';

const urban: WorkflowDefinition = urbanFlow;
/** Deliberately invalid data, as a JSON file could carry it past the compiler. */
const bogus = <T extends string>(value: string) => value as T;

const addTransitions = (...extra: Transition[]): WorkflowDefinition => ({ ...urban, transitions: [...urban.transitions, ...extra] });
const addStates = (states: Record<string, StateDefinition>, ...extra: Transition[]): WorkflowDefinition => ({
  ...addTransitions(...extra),
  states: { ...urban.states, ...states },
});
const changeTransition = (action: string, change: (t: Transition) => Transition): WorkflowDefinition => ({
  ...urban,
  transitions: urban.transitions.map((t) => (t.action === action ? change(t) : t)),
});
const changeState = (id: string, change: Partial<StateDefinition>): WorkflowDefinition => ({
  ...urban,
  states: { ...urban.states, [id]: { ...urban.states[id], ...change } },
});

describe('validateWorkflow', () => {
  it('accepts both built-in flows', () => {
    expect(listProblems(urbanFlow)).toEqual([]);
    expect(listProblems(hotlineFlow)).toEqual([]);
    expect(() => validateWorkflows([urbanFlow, hotlineFlow])).not.toThrow();
  });

  const broken: [problem: string, def: WorkflowDefinition, expected: string[]][] = [
    ['unknown target state', addTransitions({ action: 'archive', from: ['checked'], to: 'archived', roles: ['dispatcher'] }), ['transition "archive": unknown to state "archived"']],
    ['unknown source state', addTransitions({ action: 'archive', from: ['archived'], to: 'closed', roles: ['dispatcher'], effects: ['start_stage'] }), ['transition "archive": unknown from state "archived"']],
    ['unknown initial state', { ...urban, initial: 'draft' }, ['initial state "draft" is not a state']],
    [
      'unreachable state',
      addStates({ orphan: { label: '孤儿', stage: 'check', openStatus: 'open' } }, { action: 'adopt', from: ['orphan'], to: 'handled', roles: ['dispatcher'] }),
      ['state "orphan" is unreachable from "reported"'],
    ],
    [
      'live state with no way forward',
      addStates({ limbo: { label: '搁置', stage: 'handle', openStatus: 'open' } }, { action: 'park', from: ['handling'], to: 'limbo', roles: ['handler'] }),
      ['non-terminal state "limbo" has no outgoing transition'],
    ],
    [
      'duplicate (action, from)',
      addTransitions({ action: 'dispatch', from: ['registered'], to: 'dispatched', roles: ['leader'], requires: ['departmentId'], effects: ['start_stage'] }),
      ['duplicate transition: action "dispatch" from "registered" is defined twice'],
    ],
    [
      "duplicate of a '*' transition",
      addTransitions({ action: 'supervise', from: ['handling'], to: '$same', roles: ['dispatcher'] }),
      ['duplicate transition: action "supervise" from "handling" is defined twice'],
    ],
    ['terminal state with an exit other than reopen', addTransitions({ action: 'archive', from: ['closed'], to: 'voided', roles: ['dispatcher'] }), ['transition "archive": leaves terminal state "closed" (only reopen may; others must stay)']],
    ['unknown role', changeTransition('dispatch', (t) => ({ ...t, roles: [...t.roles, bogus<Role>('janitor')] })), ['transition "dispatch": unknown role "janitor"']],
    ['unknown effect', changeTransition('close', (t) => ({ ...t, effects: [bogus<Effect>('send_fax'), ...(t.effects ?? [])] })), ['transition "close": unknown effect "send_fax"']],
    ['unknown required input', changeTransition('check_fail', (t) => ({ ...t, requires: [bogus<InputField>('reason')] })), ['transition "check_fail": unknown required input "reason"']],
    [
      '$previous outside resume',
      addTransitions({ action: 'unsuspend', from: ['suspended'], to: '$previous', roles: ['handler'], effects: ['resume_clock'] }),
      ['transition "unsuspend": "$previous" is only for resume'],
    ],
    [
      'stage clock changing without start_stage',
      changeTransition('dispatch', (t) => ({ ...t, effects: ['set_department', 'count_dispatched'] })),
      [
        'transition "dispatch": from "registered" changes the stage clock (dispatch → handle) without start_stage',
        'transition "dispatch": from "reopened" changes the stage clock (dispatch → handle) without start_stage',
      ],
    ],
    ['pause without stop_clock', changeTransition('suspend', (t) => ({ ...t, effects: [] })), ['transition "suspend": enters paused state "suspended" without stop_clock']],
    ['unknown stage', changeState('checked', { stage: bogus<StageKey>('archive') }), ['state "checked" has unknown stage "archive"']],
    ['terminal state open for Open311', changeState('closed', { openStatus: 'open' }), ['terminal state "closed" must have openStatus "closed"']],
  ];

  it.each(broken)('catches %s', (_problem, def, expected) => {
    expect(listProblems(def)).toEqual(expected);
    const err = thrown(() => validateWorkflow(def));
    expect(err).toBeInstanceOf(Error);
    for (const line of expected) expect((err as Error).message).toContain(line);
  });

  it('lists every problem at once', () => {
    const def = { ...changeState('closed', { openStatus: 'open' }), initial: 'draft' };
    expect(listProblems(def)).toHaveLength(2);
    const message = (thrown(() => validateWorkflow(def)) as Error).message;
    expect(message).toContain('Workflow "urban" is invalid (2 problems)');
    expect(message).toContain('initial state "draft" is not a state');
    expect(message).toContain('terminal state "closed" must have openStatus "closed"');
  });
});

describe('registry', () => {
  it('holds the built-in flows by id', () => {
    expect(WORKFLOW_IDS).toEqual(['urban', 'hotline', 'petition', 'mediation', 'hazard']);
    expect(getWorkflow('hotline')).toBe(hotlineFlow);
    expect(thrown(() => getWorkflow('river'))).toMatchObject({ code: 'validation_failed', details: { field: 'workflow' } });
  });

  it('refuses two flows with one id', () => {
    expect(() => validateWorkflows([urbanFlow, { ...hotlineFlow, id: 'urban' }])).toThrow('Workflow ids used more than once: urban');
  });
});
