import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/auth/actor.js';
import { createApiKey } from '../src/auth/auth.service.js';
import { catalogueRepository } from '../src/catalogue/catalogue.repository.js';
import { createDepartment } from '../src/catalogue/catalogue.service.js';
import { transitionCase } from '../src/cases/case.transition.js';
import { makeCtx } from '../src/context.js';
import { importGrids } from '../src/grids/grid.import.js';
import { setServiceQuestions } from '../src/open311/open311.catalogue.js';
import { fromLocal } from '../src/time/zoned-time.js';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { addUnitChain, expectSchema, form, sameInBoth } from './open311.helpers.js';
import { sharedFiles } from './support/shared.js';

// Replay of a real 311 data set through the Open311 interface: the City of Los Angeles' MyLA311
// requests of 27–31 December 2018 (../shared/data/la311, see its SOURCE.md). Council districts
// become grids of a synthetic city 990100, request types local categories, owners departments;
// a sample of records is posted through POST /requests at their original creation time, closed
// through the workflow at their original close time, then read back through GET /requests and
// compared with the CSV.
// Missing data skips this file with a message; under CI=true it fails (test/support/shared.ts).
const { present, paths: [CSV, DISTRICTS] } = sharedFiles('data/la311/la311_2018_mini.csv', 'data/la311/la-city-council-districts-2012.geojson');
const SAMPLE = 240;
const TZ = 'America/Los_Angeles';
const BASE = '/open311/v2';
const COMMUNITY = '990101001001';

interface Row {
  sr: string; created: Date; createdText: string; closed: Date | null; type: string; owner: string; status: string;
  source: string; address: string; lat: number; lon: number; cd: string;
}

/** One CSV line into fields (quoted fields may hold commas and doubled quotes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** "12/31/2018 11:55:30 PM" (Los Angeles wall clock) → the instant and its W3C form with offset. */
function laTime(text: string): { at: Date; w3c: string } | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(text.trim());
  if (!m) return null;
  const hour = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  const date = `${m[3]}-${m[1]}-${m[2]}`;
  const at = new Date(fromLocal(date, ((hour * 60 + Number(m[5])) * 60 + Number(m[6])) * 1000, TZ));
  // Late December is Pacific Standard Time, UTC−8.
  return { at, w3c: `${date}T${String(hour).padStart(2, '0')}:${m[5]}:${m[6]}-08:00` };
}

function readSample(): Row[] {
  const [header, ...lines] = readFileSync(CSV, 'utf8').trim().split(/\r?\n/);
  const h = splitCsv(header);
  const col = (r: string[], name: string) => r[h.indexOf(name)] ?? '';
  const rows: Row[] = [];
  for (const line of lines) {
    const r = splitCsv(line);
    const created = laTime(col(r, 'CreatedDate'));
    const closed = col(r, 'ClosedDate') ? laTime(col(r, 'ClosedDate')) : null;
    const [lat, lon] = [Number(col(r, 'Latitude')), Number(col(r, 'Longitude'))];
    if (!created || !lat || !lon) continue;
    if (closed && closed.at < created.at) continue; // 23 rows close before they open
    if (['Closed', 'Cancelled'].includes(col(r, 'Status')) && !closed) continue;
    rows.push({ sr: col(r, 'SRNumber'), created: created.at, createdText: created.w3c, closed: closed?.at ?? null, type: col(r, 'RequestType'), owner: col(r, 'Owner'), status: col(r, 'Status'), source: col(r, 'RequestSource'), address: col(r, 'Address'), lat, lon, cd: col(r, 'CD') });
  }
  rows.sort((a, b) => a.created.getTime() - b.created.getTime() || a.sr.localeCompare(b.sr));
  const step = rows.length / SAMPLE;
  return Array.from({ length: SAMPLE }, (_, i) => rows[Math.floor(i * step)]);
}

const OWNERS: Record<string, string> = {
  BOS: 'Bureau of Sanitation', OCB: 'Office of Community Beautification', BSL: 'Bureau of Street Lighting', ITA: 'Information Technology Agency', LADWP: 'Department of Water and Power', BSS: 'Bureau of Street Services',
};
const isClosed = (r: Row) => r.status === 'Closed' || r.status === 'Cancelled';

describe.skipIf(!present)('LA311 replay through Open311 (../shared/data/la311)', () => {
  const clock = frozenClock('2018-12-27T00:00:00Z');
  let env: TestEnv;
  let sample: Row[];
  const codeOf = new Map<string, string>();
  const ownerOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  const refused: Row[] = [];

  beforeAll(async () => {
    sample = readSample();
    env = await createTestEnv({ clock, config: { timeZone: TZ, cityCode: '990100', caseNumberPrefix: 'LA' } });
    const sys = env.sys();
    // Org units: one city, district, street and community; the 15 council districts are its grids.
    await addUnitChain(sys, [['990100', 'Los Angeles (replay)', 'city'], ['990101', 'City of Los Angeles', 'district'], ['990101001', 'LA City Council', 'street'], [COMMUNITY, 'Council districts', 'community']]);
    const fc = JSON.parse(readFileSync(DISTRICTS, 'utf8')) as { features: { properties: { name: string } }[] };
    const features = fc.features.map((f) => ({ ...f, properties: { community: COMMUNITY, code: `${COMMUNITY}${f.properties.name.padStart(3, '0')}`, name: `Council District ${f.properties.name}` } }));
    // The 2012 outlines overlap in digitising slivers of up to ~6,000 m².
    await importGrids(sys, { type: 'FeatureCollection', features }, { overlapToleranceM2: 10_000 });
    // Owners are departments; each request type is a local category routed to its usual owner.
    const byType = new Map<string, Map<string, number>>();
    for (const r of sample) byType.set(r.type, (byType.get(r.type) ?? new Map()).set(r.owner, (byType.get(r.type)?.get(r.owner) ?? 0) + 1));
    for (const owner of new Set(sample.map((r) => r.owner))) await createDepartment(sys, { code: owner, name: OWNERS[owner] ?? owner, orgCode: '990100' });
    const types = [...byType.keys()].sort();
    types.forEach((t, i) => {
      codeOf.set(t, `LA${String(i + 1).padStart(2, '0')}`);
      ownerOf.set(t, [...(byType.get(t) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1])[0][0]);
    });
    await catalogueRepository.insertMissingCategories(sys.db, types.map((t) => ({
      code: codeOf.get(t) ?? '', kind: 'local', standard: 'MyLA311', class_code: 'LA', class_name: 'MyLA311', name: t, legacy_code: null, workflow: 'urban',
      department_code: ownerOf.get(t) ?? null, priority: 3, time_limits: JSON.stringify({ handle: { amount: 5, unit: 'calendar_days' } }), keywords: 'Los Angeles,311', updated_at: clock().toISOString(),
    })));
    const sources = [...new Set(sample.map((r) => r.source))].sort();
    for (const t of types) {
      const [category] = await catalogueRepository.findCategoriesByCode(sys.db, codeOf.get(t) ?? '');
      await setServiceQuestions(sys, category.id, [
        { code: 'request_source', datatype: 'singlevaluelist', required: true, order: 1, description: 'How the request reached 311', values: sources.map((s) => ({ key: s, name: s })) },
      ]);
    }
    const key = (await createApiKey(sys, { name: 'la311 replay', orgCode: '990100' })).key;

    // Post every sampled record at its creation time.
    for (const r of sample) {
      clock.set(r.created.toISOString());
      const res = await env.http.inject({
        method: 'POST', url: `${BASE}/requests.json`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form([['api_key', key], ['service_code', codeOf.get(r.type) ?? ''], ['lat', r.lat], ['long', r.lon], ['address_string', r.address], ['description', `${r.type}: SR ${r.sr}`], ['client_request_id', r.sr], ['attribute[request_source]', r.source]]),
      });
      if (res.statusCode === 200) idOf.set(r.sr, res.json()[0].service_request_id);
      else {
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()[0].description).toMatch(/outside every grid/);
        refused.push(r);
      }
    }
    // Close what the city closed, at the time it closed it.
    const ctx = () => makeCtx(env.app, systemActor());
    const depts = new Map((await catalogueRepository.listDepartments(sys.db)).map((d) => [d.code, d.id]));
    for (const r of sample.filter((x) => isClosed(x) && idOf.has(x.sr)).sort((a, b) => (a.closed?.getTime() ?? 0) - (b.closed?.getTime() ?? 0))) {
      clock.set((r.closed ?? r.created).toISOString());
      const id = Number(idOf.get(r.sr));
      let version = 1;
      const steps: [string, Record<string, unknown>][] = r.status === 'Cancelled'
        ? [['void', { note: 'Cancelled in MyLA311' }]]
        : [['verify', {}], ['register', {}], ['dispatch', { departmentId: depts.get(ownerOf.get(r.type) ?? '') }], ['accept', {}], ['complete', { note: `Closed in MyLA311 (${r.owner})` }], ['check_pass', {}], ['close', {}]];
      for (const [action, input] of steps) version = (await transitionCase(ctx(), id, { action, version, ...input })).version;
    }
    clock.set('2019-01-15T00:00:00Z');
  });
  afterAll(() => env.close());

  const getAll = async (query: string) => {
    const items: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const res = await env.http.inject(`${BASE}/requests.json?${query}&page_size=100&page=${page}`);
      expect(res.statusCode, res.body).toBe(200);
      expectSchema('requests', res.json());
      items.push(...res.json());
      if (res.json().length < 100) return { items, total: Number(res.headers['x-total-count']) };
    }
  };
  const expectedCount = (pred: (r: Row) => boolean) => sample.filter((r) => idOf.has(r.sr) && pred(r)).length;

  it('accepts the records that lie inside the council districts', () => {
    expect(sample).toHaveLength(SAMPLE);
    // SOURCE.md: 99.4 % of 2018 points fall in their council district; a few lie outside all of them.
    expect(idOf.size).toBeGreaterThanOrEqual(SAMPLE * 0.97);
    expect(idOf.size + refused.length).toBe(SAMPLE);
  });

  it('reads every record back, paged, with the fields of the CSV', async () => {
    const { items, total } = await getAll('start_date=2018-12-27T00:00:00-08:00&end_date=2019-01-01T00:00:00-08:00');
    expect(total).toBe(idOf.size);
    expect(items).toHaveLength(idOf.size);
    const bySr = new Map(sample.map((r) => [idOf.get(r.sr), r]));
    for (const item of items) {
      const r = bySr.get(item.service_request_id as string);
      if (!r) throw new Error(`unexpected request ${String(item.service_request_id)}`);
      expect(item).toMatchObject({
        service_code: codeOf.get(r.type), service_name: r.type, description: `${r.type}: SR ${r.sr}`, address: r.address,
        requested_datetime: r.createdText, status: isClosed(r) ? 'closed' : 'open', agency_responsible: OWNERS[ownerOf.get(r.type) ?? ''] ?? ownerOf.get(r.type),
      });
      // Coordinates are stored as double precision on both stores: they come back exactly.
      expect(item.lat).toBe(r.lat);
      expect(item.long).toBe(r.lon);
      if (isClosed(r) && r.closed) expect(new Date(item.updated_datetime as string).getTime()).toBe(r.closed.getTime());
      if (r.type !== 'Other' && r.type !== 'Feedback') expect(item.agency_responsible).toBe(OWNERS[r.owner] ?? r.owner);
    }
  });

  it('counts per local day, per service, per status and per box as the CSV does', async () => {
    for (const day of ['2018-12-27', '2018-12-28', '2018-12-29', '2018-12-30', '2018-12-31']) {
      const { items } = await getAll(`start_date=${day}T00:00:00-08:00&end_date=${day}T23:59:59-08:00`);
      expect(items.length, day).toBe(expectedCount((r) => r.createdText.startsWith(day)));
    }
    for (const [type, code] of codeOf) expect((await getAll(`service_code=${code}&start_date=2018-12-27T00:00:00-08:00`)).items.length, type).toBe(expectedCount((r) => r.type === type));
    const two = [...codeOf.values()].slice(0, 2);
    expect((await getAll(`service_code=${two.join(',')}&start_date=2018-12-27T00:00:00-08:00`)).items.length).toBe(expectedCount((r) => two.includes(codeOf.get(r.type) ?? '')));
    expect((await getAll('status=closed&start_date=2018-12-27T00:00:00-08:00')).items.length).toBe(expectedCount(isClosed));
    expect((await getAll('status=open&start_date=2018-12-27T00:00:00-08:00')).items.length).toBe(expectedCount((r) => !isClosed(r)));
    const box: [number, number, number, number] = [-118.35, 33.95, -118.2, 34.1];
    const inBox = (r: Row) => r.lon >= box[0] && r.lon <= box[2] && r.lat >= box[1] && r.lat <= box[3];
    expect(expectedCount(inBox)).toBeGreaterThan(10);
    expect((await getAll(`bbox=${box.join(',')}&start_date=2018-12-27T00:00:00-08:00`)).items.length).toBe(expectedCount(inBox));
  });

  it('syncs incrementally with updated_after, and serves the default window', async () => {
    const t = new Date('2018-12-30T20:00:00Z');
    const changed = (r: Row) => (isClosed(r) && r.closed ? r.closed : r.created) > t;
    expect((await getAll(`updated_after=${t.toISOString()}`)).items.length).toBe(expectedCount(changed));
    // Now is 2019-01-15: the default window (the last 90 days) holds every record.
    const all = await env.http.inject(`${BASE}/requests.json`);
    expect(all.json()).toHaveLength(idOf.size);
  });

  it('places records in their council district and keeps their attributes, in both formats', async () => {
    const { items } = await getAll('extensions=true&start_date=2018-12-27T00:00:00-08:00');
    const bySr = new Map(sample.map((r) => [idOf.get(r.sr), r]));
    let same = 0;
    for (const item of items) {
      const r = bySr.get(item.service_request_id as string);
      const ext = item.extended_attributes as { grid_code: string; channel: string };
      if (ext.grid_code === `${COMMUNITY}${(r?.cd ?? '').padStart(3, '0')}`) same++;
      expect(ext.channel).toBe('open311');
      expect(item.attributes).toEqual([{ code: 'request_source', label: 'How the request reached 311', name: r?.source, value: r?.source }]);
    }
    expect(same / items.length).toBeGreaterThanOrEqual(0.97);
    await sameInBoth(env.http, { path: `${BASE}/requests`, query: 'extensions=true&page_size=25&page=2&start_date=2018-12-27T00:00:00-08:00', schema: 'requests', root: 'service_requests' });
  });
});
