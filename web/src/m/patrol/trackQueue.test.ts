import { describe, expect, it } from 'vitest';
import { acknowledge, addFix, nextBatch, startState, type PatrolState } from './trackQueue';

const T0 = Date.parse('2026-11-26T01:00:00Z');
const start = () => startState({ planId: 7, code: 'G-1', name: '网格' }, T0, 'p-1');

describe('the phone track queue', () => {
  it('queues fixes with their own times and drops a repeated or older time', () => {
    let s = start();
    s = addFix(s, { lon: 106.8, lat: 39.67, t: T0 + 1000 });
    s = addFix(s, { lon: 106.8001, lat: 39.6701, t: T0 + 1000 });
    s = addFix(s, { lon: 106.8002, lat: 39.6702, t: T0 + 500 });
    s = addFix(s, { lon: 106.8003, lat: 39.6703, t: T0 + 2000 });
    expect(s.pending.map((f) => f.t)).toEqual([T0 + 1000, T0 + 2000]);
    expect(s.fixes).toBe(2);
  });

  it('builds a batch naming the plan, the times as properties.times, and the end only with the last fixes', () => {
    let s = start();
    s = addFix(s, { lon: 106.8, lat: 39.67, t: T0 + 1000 });
    s = { ...s, endedAt: '2026-11-26T01:30:00.000Z', findings: [{ clientId: 'f-1', categoryCode: '06010', lon: 106.8, lat: 39.67, description: '垃圾' }] };
    const batch = nextBatch(s);
    expect(batch.body).toMatchObject({ clientId: 'p-1', planId: 7, startedAt: '2026-11-26T01:00:00.000Z', endedAt: '2026-11-26T01:30:00.000Z' });
    expect(batch.body.track?.properties.times).toEqual(['2026-11-26T01:00:01.000Z']);
    expect(batch.body.track?.geometry.coordinates).toEqual([[106.8, 39.67]]);
    expect(batch.body.findings?.map((f) => f.clientId)).toEqual(['f-1']);
    expect('target' in batch.body).toBe(false);
  });

  it('keeps the end back while more than one batch of fixes is queued', () => {
    let s: PatrolState = { ...start(), planId: null };
    for (let i = 1; i <= 501; i++) s = addFix(s, { lon: 106.8, lat: 39.67 + i * 1e-5, t: T0 + i * 1000 });
    s = { ...s, endedAt: '2026-11-26T02:00:00.000Z' };
    const first = nextBatch(s);
    expect(first.fixes).toHaveLength(500);
    expect(first.body).not.toHaveProperty('endedAt');
    expect(first.body).toMatchObject({ target: 'G-1' });
    s = acknowledge(s, first);
    expect(s.pending).toHaveLength(1);
    expect(nextBatch(s).body).toHaveProperty('endedAt', '2026-11-26T02:00:00.000Z');
  });

  it('an acknowledged batch leaves only what came after it (a failed send keeps everything)', () => {
    let s = start();
    s = addFix(s, { lon: 106.8, lat: 39.67, t: T0 + 1000 });
    const batch = nextBatch(s);
    s = addFix(s, { lon: 106.8, lat: 39.671, t: T0 + 2000 });
    s = { ...s, findings: [{ clientId: 'f-2', categoryCode: '06010', lon: 1, lat: 1, description: 'x' }] };
    s = acknowledge(s, batch);
    expect(s.pending.map((f) => f.t)).toEqual([T0 + 2000]);
    expect(s.findings.map((f) => f.clientId)).toEqual(['f-2']);
  });
});
