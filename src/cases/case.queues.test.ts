import { describe, expect, it } from 'vitest';
import { queueFilter, queuesFor } from './case.queues.js';

describe('workbench queues from the workflows', () => {
  it('gives each role the queues of the actions it takes', () => {
    // Dispatchers also 受理 and answer petitions (信访), so they have the handling queue.
    expect(queuesFor('dispatcher')).toEqual(['verify', 'register', 'dispatch', 'handle', 'callback', 'close', 'overdue', 'supervised']);
    // Hazards: the department also accepts (验收) and closes (销号) its own.
    expect(queuesFor('handler')).toEqual(['handle', 'check', 'close', 'overdue', 'supervised']);
    expect(queuesFor('grid_worker')).toEqual(['verify', 'check', 'overdue', 'supervised']);
    expect(queuesFor('inspector')).toEqual(['check', 'overdue', 'supervised']);
    expect(queuesFor('admin')).toEqual(['verify', 'register', 'dispatch', 'handle', 'check', 'callback', 'close', 'overdue', 'supervised']);
    expect(queuesFor('leader')).toEqual(queuesFor('admin'));
    expect(queuesFor('citizen')).toEqual([]);
  });

  it('selects the states the action leaves from, across the flows', () => {
    expect(queueFilter('dispatch', 'dispatcher')?.status.sort()).toEqual(['accepted', 'found', 'registered', 'reopened']);
    expect(queueFilter('handle', 'handler')?.status.sort()).toEqual(['dispatched', 'governing', 'handling', 'planning', 'processing', 'rectifying']);
    expect(queueFilter('handle', 'dispatcher')?.status.sort()).toEqual(['lodged', 'processing']);
    expect(queueFilter('close', 'dispatcher')?.status.sort()).toEqual(['acceptance_passed', 'answered', 'callback_done', 'checked', 'failed', 'followed_up', 'reviewed']);
    expect(queueFilter('dispatch', 'handler')).toBeNull();
  });

  it('watch queues take open cases only', () => {
    const overdue = queueFilter('overdue', 'handler');
    expect(overdue?.light).toEqual(['red', 'severe']);
    expect(overdue?.status).toContain('handling');
    expect(overdue?.status).not.toContain('closed');
    expect(overdue?.status).not.toContain('voided');
    expect(queueFilter('supervised', 'leader')).toMatchObject({ supervised: true });
  });
});
