import { describe, expect, it } from 'vitest';
import type { Role } from '../../auth/actor.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
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
    expect(message.split('\n')).toEqual(['Workflow "urban" is invalid (2 problems):', '  - initial state "draft" is not a state', '  - terminal state "closed" must have openStatus "closed"']);
    expect(message).toContain('Workflow "urban" is invalid (2 problems)');
    expect(message).toContain('initial state "draft" is not a state');
    expect(message).toContain('terminal state "closed" must have openStatus "closed"');
  });
});

describe('validateWorkflow: states, intake and clocks', () => {
  const more: [problem: string, def: WorkflowDefinition, expected: string[]][] = [
    ['workflow id not snake_case', { ...urban, id: 'urban-Flow' }, ['workflow id "urban-Flow" is not snake_case']],
    ['workflow id starting with a digit', { ...urban, id: '2urban' }, ['workflow id "2urban" is not snake_case']],
    ['initial state terminal', { ...urban, initial: 'closed' }, [
      'initial state "closed" is terminal',
      // From 结案 only reopen leads on (重新办理 → 派遣 → …, 退回 back to 立案): the states before 立案 are lost.
      ...['reported', 'verified', 'rejected'].map((s) => `state "${s}" is unreachable from "closed"`),
    ]],
    ['intake by an unknown role or with an unknown effect', { ...urban, intake: { roles: ['citizen', bogus<Role>('robot')], effects: ['count_reported', bogus<Effect>('beep')] } }, [
      'intake: unknown role "robot"',
      'intake: unknown effect "beep"',
    ]],
    [
      'state id not snake_case',
      addStates({ OnHold: { label: '暂停', stage: 'handle', openStatus: 'open' } }, { action: 'hold', from: ['handling'], to: 'OnHold', roles: ['handler'] }, { action: 'unhold', from: ['OnHold'], to: 'handling', roles: ['handler'] }),
      ['state id "OnHold" is not snake_case'],
    ],
    ['state without a label', changeState('checked', { label: '  ' }), ['state "checked" has no label']],
    ['openStatus neither open nor closed', changeState('checked', { openStatus: bogus<'open'>('pending') }), ['state "checked" has openStatus "pending", not open or closed']],
    ['terminal state with a stage clock', changeState('closed', { stage: 'close' }), ['state "closed" is terminal yet runs stage "close"']],
    ['paused state with a stage clock', changeState('suspended', { stage: 'handle' }), ['state "suspended" is paused yet runs stage "handle"']],
    ['action not snake_case', changeTransition('close', (t) => ({ ...t, action: 'closeCase' })), ['transition "closeCase": action is not snake_case']],
    ['empty from list', changeTransition('evaluate', (t) => ({ ...t, from: [] })), ['transition "evaluate": empty from list']],
    ['resume without resume_clock', changeTransition('resume', (t) => ({ ...t, effects: [] })), ['transition "resume": returns from a pause without resume_clock']],
    ['$previous from a state that is not paused', changeTransition('resume', (t) => ({ ...t, from: ['suspended', 'checked'] })), ['transition "resume": returns to the previous state from "checked", which is not paused']],
    [
      'live state whose only moves stay in it',
      addStates(
        { limbo: { label: '搁置', stage: 'handle', openStatus: 'open' } },
        { action: 'park', from: ['handling'], to: 'limbo', roles: ['handler'] },
        { action: 'ping', from: ['limbo'], to: '$same', roles: ['handler'] },
        { action: 'poke', from: ['limbo'], to: 'limbo', roles: ['handler'] },
      ),
      ['non-terminal state "limbo" has no outgoing transition'],
    ],
    ['unknown source state on a move without start_stage', addTransitions({ action: 'archive', from: ['archived'], to: 'closed', roles: ['dispatcher'] }), ['transition "archive": unknown from state "archived"']],
    ['reopen leaving a terminal state is fine; a $same action on one too', addTransitions({ action: 'annotate', from: ['closed'], to: '$same', roles: ['dispatcher'], requires: ['note'] }), []],
    ['a stage clock ending without start_stage', changeTransition('close', (t) => ({ ...t, effects: ['count_closed'] })), ['transition "close": from "checked" changes the stage clock (close → none) without start_stage']],
    ['a stage clock starting without start_stage', changeTransition('reopen', (t) => ({ ...t, effects: ['reopen'] })), ['transition "reopen": from "closed" changes the stage clock (none → dispatch) without start_stage']],
    ['a stage change with start_stage is fine', changeTransition('accept', (t) => ({ ...t, to: 'handled', effects: ['start_stage'] })), []],
  ];

  it.each(more)('%s', (_problem, def, expected) => {
    expect(listProblems(def)).toEqual(expected);
  });

  it('says "1 problem" for one, and lists each on its own line', () => {
    const message = (thrown(() => validateWorkflow(changeState('checked', { label: '' }))) as Error).message;
    expect(message).toBe('Workflow "urban" is invalid (1 problem):\n  - state "checked" has no label');
  });

  it('names each id used more than once once', () => {
    expect(() => validateWorkflows([urbanFlow, urbanFlow, hotlineFlow, urbanFlow, hotlineFlow])).toThrow(/^Workflow ids used more than once: urban, hotline$/);
  });

  it('a whole registry is checked flow by flow', () => {
    expect(() => validateWorkflows([urbanFlow, { ...hotlineFlow, initial: 'nowhere' }])).toThrow('Workflow "hotline" is invalid');
  });
});

describe('registry', () => {
  // Imported inside the tests: the registry validates every flow when it loads, and a broken flow
  // must fail a test, not the loading of this file (which a mutation run would not count).
  it('holds the built-in flows by id', async () => {
    const { getWorkflow, WORKFLOW_IDS } = await import('./workflow.registry.js');
    expect(WORKFLOW_IDS).toEqual(['urban', 'hotline', 'petition', 'mediation', 'hazard']);
    expect(getWorkflow('hotline')).toBe(hotlineFlow);
    expect(thrown(() => getWorkflow('river'))).toMatchObject({ code: 'validation_failed', details: { field: 'workflow' } });
  });

  it('refuses two flows with one id', () => {
    expect(() => validateWorkflows([urbanFlow, { ...hotlineFlow, id: 'urban' }])).toThrow('Workflow ids used more than once: urban');
  });
});
