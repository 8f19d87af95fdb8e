import { describe, expect, it } from 'vitest';
import { publicStatus } from './public.presenter.js';

describe('publicStatus', () => {
  it('says a state in a citizen\'s words in both flows', () => {
    expect(publicStatus('reported', 'urban')).toBe('received');
    expect(publicStatus('accepted', 'hotline')).toBe('received');
    expect(publicStatus('handling', 'urban')).toBe('in_progress');
    expect(publicStatus('handled', 'urban')).toBe('checking');
    expect(publicStatus('callback_done', 'hotline')).toBe('replied');
    expect(publicStatus('closed', 'hotline')).toBe('closed');
    expect(publicStatus('rejected', 'urban')).toBe('rejected');
  });
});
