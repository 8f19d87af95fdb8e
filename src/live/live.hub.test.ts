import { describe, expect, it } from 'vitest';
import { LiveHub, type LiveCase, type LiveEvent } from './live.hub.js';

const data = (id: number): LiveCase => ({
  id, number: `WH${id}`, status: 'reported', light: 'green', categoryCode: '06010', classCode: '06', channel: 'patrol', departmentId: null,
  grid: { code: '150302001002001' }, districtCode: '150302', streetCode: '150302001', communityCode: '150302001002', orgPath: '/150300/150302/150302001/150302001002/150302001002001/',
  lon: 106.8, lat: 39.67, supervised: false, escalationLevel: 0, at: '2026-11-29T00:00:00.000Z',
});
const audience = (orgPath: string): LiveEvent['audience'] => ({ orgPath, departmentId: null, reporterUserId: null, private: false });
const all = () => true;

describe('LiveHub', () => {
  it('numbers events and hands each to the subscribers that accept it', () => {
    const hub = new LiveHub(10);
    const gotA: number[] = [];
    const gotB: number[] = [];
    hub.subscribe({ accepts: all, deliver: (e) => gotA.push(e.data.id), resync: () => undefined });
    hub.subscribe({ accepts: (e) => e.audience.orgPath.startsWith('/150300/150303/'), deliver: (e) => gotB.push(e.data.id), resync: () => undefined });
    hub.publish('case.created', data(1), audience('/150300/150302/'));
    hub.publish('case.created', data(2), audience('/150300/150303/x/'));
    expect(gotA).toEqual([1, 2]);
    expect(gotB).toEqual([2]);
    expect(hub.currentId).toBe(2);
  });

  it('replays what came after Last-Event-ID, and asks for a resync when the buffer no longer reaches back', () => {
    const hub = new LiveHub(3);
    for (let i = 1; i <= 5; i++) hub.publish('case.created', data(i), audience('/1/'));
    // the buffer holds events 3, 4, 5
    expect(hub.since(2, all)?.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(hub.since(4, all)?.map((e) => e.id)).toEqual([5]);
    expect(hub.since(5, all)).toEqual([]);
    expect(hub.since(1, all)).toBeNull();
    expect(hub.since(0, all)).toBeNull();
    expect(hub.since(3, (e) => e.id !== 4)?.map((e) => e.id)).toEqual([5]);
  });

  it('forgets a subscriber that unsubscribes', () => {
    const hub = new LiveHub();
    const got: number[] = [];
    const off = hub.subscribe({ accepts: all, deliver: (e) => got.push(e.id), resync: () => undefined });
    hub.publish('case.created', data(1), audience('/1/'));
    off();
    hub.publish('case.created', data(2), audience('/1/'));
    expect(got).toEqual([1]);
    expect(hub.clientCount).toBe(0);
  });

  it('on resync tells every subscriber and no longer replays from before the gap', () => {
    const hub = new LiveHub(10);
    const reasons: string[] = [];
    hub.subscribe({ accepts: all, deliver: () => undefined, resync: (r) => reasons.push(r) });
    for (let i = 1; i <= 3; i++) hub.publish('case.created', data(i), audience('/1/'));
    hub.resync('cluster');
    hub.publish('case.created', data(4), audience('/1/'));
    expect(reasons).toEqual(['cluster']);
    expect(hub.since(1, all)).toBeNull();
    expect(hub.since(3, all)?.map((e) => e.id)).toEqual([4]);
  });
});
