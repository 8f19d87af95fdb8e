import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { isAppError } from '../src/errors.js';
import { readGridFile } from '../src/grids/grid.file.js';
import { parseHistoryTime } from '../src/history/history.time.js';
import { parseHistoryMapping } from '../src/history/history.mapping.js';
import { MAX_METRICS, parseMqttMessage } from '../src/sensors/reading.parse.js';
import { ingestBatch, readingLimits } from '../src/sensors/reading.service.js';
import { createTestEnv, dialectUnderTest, type TestEnv } from './helpers.js';
import { gridRepository } from '../src/grids/grid.repository.js';
import { interiorPoint, polygonsOf, type GridGeometry } from '../src/grids/geometry.js';
import { buildWorld, PLACES, type World } from './world.js';

// Property-based fuzzing of every body schema and parser that takes input from outside (issue 12):
// generated garbage and mutated valid inputs never get a 5xx, and a rejected input writes nothing
// (row counts of the tables it could touch are compared before and after). Runs are bounded
// (NUM_RUNS per property) so the suite stays fast; FUZZ_RUNS raises it for a longer local hunt.

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const TABLES = ['cases', 'case_events', 'case_attachments', 'grid_shapes', 'calendar_days', 'kpi_rollup', 'kpi_hours', 'notifications', 'org_units', 'org_boundaries', 'categories', 'legacy_category_codes', 'indicators', 'indicator_values', 'pollution_warnings', 'pollution_warning_tasks'] as const;

let env: TestEnv;
let world: World;
let key: string;
let caseId: number;

beforeAll(async () => {
  env = await createTestEnv({ config: {} });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'fuzz', orgCode: '150300' })).key;
  const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', payload: validCase(), headers: { cookie: world.cookies.admin } });
  expect(res.statusCode, res.body).toBe(201);
  caseId = res.json().id;
});
afterAll(async () => env?.close());

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await env.app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/**
 * Sends one request and checks the two properties: no 5xx, and when the answer is not a success,
 * no table changed. Returns the response for further checks.
 */
async function expectClean(send: () => Promise<LightMyRequestResponse>, label: string): Promise<LightMyRequestResponse> {
  const before = await counts();
  const res = await send();
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 300) expect(await counts(), `${label} was refused (${res.statusCode}) but wrote`).toEqual(before);
  return res;
}

const admin = () => ({ cookie: world.cookies.admin });
const json = (url: string, payload: unknown, headers: Record<string, string> = admin()) => () =>
  env.http.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

// Text that breaks naive code: control characters, NUL, lone surrogates, RTL marks, huge numbers
// as text, SQL and markup, Chinese, emoji, very long runs.
const nasty = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\u0000'.repeat(3), '\ud800', '\u202e', '1e400', '-0', 'NaN', "'; drop table cases; --", '<script>', '%', '_', '\\', '暴露垃圾', '🚮', 'x'.repeat(5000), '2026-02-30', '9999999999999999999999'),
);
const anyValue = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 3 }), fc.dictionary(nasty, nasty, { maxKeys: 3 }));

/** A valid body with some fields replaced by arbitrary values, some removed, some extra added. */
function mutated(valid: Record<string, unknown>, extraKeys: string[] = []) {
  const keys = [...Object.keys(valid), ...extraKeys];
  return fc.tuple(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 3 }), fc.subarray(Object.keys(valid), { maxLength: 2 }), fc.dictionary(nasty, anyValue, { maxKeys: 1 }))
    .map(([replaced, removed, extra]) => {
      const body: Record<string, unknown> = { ...valid, ...replaced, ...extra };
      for (const k of removed) delete body[k];
      return body;
    });
}

/** A valid body with one text field (nested ones too) replaced by nasty text: reaches the store more often than `mutated`. */
function nastyText(valid: Record<string, unknown>) {
  const paths: string[][] = [];
  const walk = (v: unknown, at: string[]) => {
    if (typeof v === 'string') paths.push(at);
    else if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(child, [...at, k]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), nasty).map(([at, text]) => {
    const body = structuredClone(valid);
    let node = body as Record<string, unknown>;
    for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
    node[at[at.length - 1]] = text;
    return body;
  });
}

function validCase(): Record<string, unknown> {
  return { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾一堆', channel: 'patrol', address: '和平社区3号楼', reporter: { name: '王小明', phone: '13700001111' } };
}

describe(`fuzzing REST bodies (${dialectUnderTest})`, () => {
  it('POST /cases: garbage and mutated reports', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(anyValue, mutated(validCase(), ['idempotencyKey', 'private', 'photos']), nastyText(validCase())), async (body) => {
      await expectClean(json('/api/v1/cases', body), `POST /cases ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  const transition = () => ({ note: '已核实', departmentId: world.departments.HW, newDeadline: '2030-01-01T00:00:00Z', extensionAmount: 2, callback: { contacted: true, solved: true, satisfaction: 'satisfied' } });

  it('POST /cases/{id}/transitions: garbage and mutated actions, on a case whose version is read each time', async () => {
    const actions = fc.constantFrom('verify', 'register', 'dispatch', 'accept', 'handle', 'check', 'close', 'reopen', 'merge', 'extend', 'suspend', 'callback', 'nope');
    await fc.assert(fc.asyncProperty(actions, fc.oneof(anyValue, mutated(transition(), ['targetCaseId', 'notePublic']), nastyText(transition())), async (action, extra) => {
      const current = (await env.http.inject({ url: `/api/v1/cases/${caseId}`, headers: admin() })).json();
      const body = extra && typeof extra === 'object' && !Array.isArray(extra) ? { action, version: current.version, ...extra } : extra;
      const res = await expectClean(json(`/api/v1/cases/${caseId}/transitions`, body), `transition ${JSON.stringify(body).slice(0, 200)}`);
      if (res.statusCode >= 300) expect((await env.http.inject({ url: `/api/v1/cases/${caseId}`, headers: admin() })).json().version).toBe(current.version);
    }), { numRuns: NUM_RUNS });
  });

  it('GET /cases and GET /cases.csv: arbitrary query strings', async () => {
    const params = fc.dictionary(fc.constantFrom('status', 'org', 'category', 'channel', 'light', 'overdue', 'from', 'to', 'q', 'limit', 'offset', 'sort', 'queue', 'x'), nasty, { maxKeys: 4 });
    await fc.assert(fc.asyncProperty(params, fc.boolean(), async (query, csv) => {
      const qs = new URLSearchParams(query).toString();
      await expectClean(() => env.http.inject({ url: `/api/v1/cases${csv ? '.csv' : ''}?${qs}`, headers: admin() }), `GET /cases?${qs}`);
    }), { numRuns: NUM_RUNS });
  });
});

describe(`fuzzing Open311 forms (${dialectUnderTest})`, () => {
  const fields = ['api_key', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'description', 'email', 'first_name', 'last_name', 'phone', 'device_id', 'account_id', 'media_url', 'jurisdiction_id', 'attribute[volume]', 'attribute[waste_type][]', 'attribute[x]'];
  const valid: [string, string][] = [['service_code', '06010'], ['lat', String(PLACES.heping.lat)], ['long', String(PLACES.heping.lon)], ['description', '路边有一堆生活垃圾'], ['attribute[volume]', 'pile']];
  const pairs = fc.tuple(fc.array(fc.tuple(fc.constantFrom(...fields), nasty), { maxLength: 6 }), fc.boolean(), fc.subarray(valid))
    .map(([random, withKey, kept]) => [...(withKey ? [['api_key', key] as [string, string]] : []), ...kept, ...random]);

  it('POST /requests: urlencoded (with a key and anonymous) and JSON', async () => {
    await fc.assert(fc.asyncProperty(pairs, fc.boolean(), async (form, asJson) => {
      const payload = asJson ? JSON.stringify(Object.fromEntries(form)) : new URLSearchParams(form).toString();
      const type = asJson ? 'application/json' : 'application/x-www-form-urlencoded';
      await expectClean(() => env.http.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, headers: { 'content-type': type } }), `Open311 POST ${payload.slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('POST /servicerequestupdates: urlencoded and JSON', async () => {
    const update = fc.tuple(fc.array(fc.tuple(fc.constantFrom('api_key', 'update_id', 'service_request_id', 'status', 'description', 'updated_datetime', 'email', 'first_name', 'media_url', 'x'), nasty), { maxLength: 6 }), fc.boolean(), fc.constantFrom('OPEN', 'CLOSED', 'CANCELLED', 'FIXED', 'IN_PROGRESS', 'nope'))
      .map(([random, withKey, status]) => [...(withKey ? [['api_key', key] as [string, string]] : []), ['service_request_id', String(caseId)], ['update_id', String(Math.random()).slice(2)], ['status', status], ['description', '已处理'], ['updated_datetime', '2026-11-30T10:00:00+08:00'], ...random] as [string, string][]);
    await fc.assert(fc.asyncProperty(update, fc.boolean(), async (form, asJson) => {
      const payload = asJson ? JSON.stringify(Object.fromEntries(form)) : new URLSearchParams(form).toString();
      const type = asJson ? 'application/json' : 'application/x-www-form-urlencoded';
      await expectClean(() => env.http.inject({ method: 'POST', url: '/open311/v2/servicerequestupdates.json', payload, headers: { 'content-type': type } }), `Open311 update ${payload.slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('GET /requests and /servicerequestupdates: arbitrary query strings', async () => {
    const names = fc.constantFrom('service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'page', 'page_size', 'updated_after', 'updated_before', 'bbox', 'q', 'extensions', 'jurisdiction_id', 'api_key');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(names, nasty), { maxLength: 5 }), fc.boolean(), async (query, updates) => {
      const qs = new URLSearchParams(query).toString();
      await expectClean(() => env.http.inject({ url: `/open311/v2/${updates ? 'servicerequestupdates' : 'requests'}.json?${qs}` }), `Open311 GET ?${qs}`);
    }), { numRuns: NUM_RUNS });
  });
});

describe(`fuzzing imports (${dialectUnderTest})`, () => {
  const coordinate = fc.oneof(fc.double({ min: -200, max: 200 }), fc.constantFrom(106.8, 39.67, Number.MAX_VALUE, 0), fc.constant(null), nasty);
  const ring = fc.array(fc.tuple(coordinate, coordinate), { maxLength: 7 });
  const geometry = fc.oneof(
    fc.record({ type: fc.constantFrom('Polygon', 'MultiPolygon', 'Point', 'LineString', 'GeometryCollection', 'x'), coordinates: fc.oneof(fc.array(ring, { maxLength: 2 }), fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 2 }), anyValue) }),
    anyValue,
  );
  const feature = fc.record({
    type: fc.constantFrom('Feature', 'feature', 'x'),
    geometry,
    properties: fc.oneof(fc.record({ community: fc.constantFrom('150302001002', '150302001003', '1503', 'x'), code: fc.oneof(fc.constantFrom('150302001002009', '150302001002001'), nasty), name: nasty }), anyValue),
  });
  const square = (d: number) => ({ type: 'Feature', properties: { community: '150302001002', code: '150302001002009', name: '网格009' }, geometry: { type: 'Polygon', coordinates: [[[106.83, 39.67], [106.83 + d, 39.67], [106.83 + d, 39.67 + d], [106.83, 39.67 + d], [106.83, 39.67]]] } });

  it('POST /grids/import: mutated GeoJSON FeatureCollections', async () => {
    const collection = fc.oneof(anyValue, fc.record({ type: fc.constantFrom('FeatureCollection', 'x'), features: fc.array(fc.oneof(feature, fc.constant(square(0.001))), { maxLength: 3 }) }));
    const query = fc.constantFrom('', '?dryRun=true', '?mode=replace', '?mode=replace&requireCoverage=true', '?communityProperty=name');
    await fc.assert(fc.asyncProperty(collection, query, fc.boolean(), async (body, q, geo) => {
      await expectClean(() => env.http.inject({ method: 'POST', url: `/api/v1/grids/import${q}`, payload: JSON.stringify(body), headers: { ...admin(), 'content-type': geo ? 'application/geo+json' : 'application/json' } }), `grid import ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('POST /calendar/ics: random and mutated iCalendar text', async () => {
    const valid = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270102', 'SUMMARY:元旦 休', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART:20270104T000000Z', 'SUMMARY:补班', 'END:VEVENT', 'END:VCALENDAR'];
    const lines = fc.tuple(fc.array(fc.tuple(fc.nat(valid.length), fc.oneof(nasty, fc.constantFrom('DTSTART;VALUE=DATE:20270230', 'DTEND:2027', 'BEGIN:VEVENT', 'END:VEVENT', 'SUMMARY:休', 'DTSTART;VALUE=DATE:99991231', 'RRULE:FREQ=DAILY'))), { maxLength: 5 }), fc.subarray(valid.map((_, i) => i), { maxLength: 3 }))
      .map(([inserts, dropped]) => {
        const out = valid.filter((_, i) => !dropped.includes(i));
        for (const [at, line] of inserts) out.splice(Math.min(at, out.length), 0, line);
        return out.join('\r\n');
      });
    await fc.assert(fc.asyncProperty(fc.oneof(lines, nasty), async (text) => {
      await expectClean(() => env.http.inject({ method: 'POST', url: '/api/v1/calendar/ics', payload: text, headers: { ...admin(), 'content-type': 'text/calendar' } }), `ics ${text.slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('POST /calendar/notices: mutated State Council notices', async () => {
    const valid = { year: 2027, holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-13' }], workdays: ['2027-02-14'] };
    const holiday = fc.record({ name: nasty, from: fc.oneof(nasty, fc.constantFrom('2027-02-06', '2027-10-01')), to: fc.oneof(nasty, fc.constantFrom('2027-02-13', '2027-10-07', '2026-12-31')) });
    const notice = fc.oneof(anyValue, mutated(valid, ['source']), nastyText(valid), fc.record({ year: fc.oneof(fc.integer(), fc.constant(2027)), holidays: fc.array(holiday, { maxLength: 3 }), workdays: fc.array(fc.oneof(nasty, fc.constant('2027-02-14')), { maxLength: 3 }) }));
    await fc.assert(fc.asyncProperty(notice, async (body) => {
      await expectClean(json('/api/v1/calendar/notices', body), `notice ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('the shapefile reader: random and truncated .shp/.dbf bytes give import_failed, never another error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-fuzz-shp-'));
    try {
      const header = Buffer.alloc(100);
      header.writeInt32BE(9994, 0);
      header.writeInt32BE(50, 24);
      header.writeInt32LE(1000, 28);
      header.writeInt32LE(5, 32);
      const shp = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }).map((tail) => Buffer.concat([header, tail])));
      await fc.assert(fc.asyncProperty(shp, fc.option(fc.uint8Array({ maxLength: 200 })), async (bytes, dbf) => {
        const file = path.join(dir, 'grids.shp');
        writeFileSync(file, bytes);
        if (dbf) writeFileSync(path.join(dir, 'grids.dbf'), dbf);
        else rmSync(path.join(dir, 'grids.dbf'), { force: true });
        try {
          await readGridFile(file);
        } catch (err) {
          expect(isAppError(err) && err.code === 'import_failed', `${(err as Error).stack}`).toBe(true);
        }
      }), { numRuns: NUM_RUNS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`fuzzing onboarding imports (${dialectUnderTest})`, () => {
  it('POST /org-units/import: mutated unit collections', async () => {
    const square = { type: 'Polygon', coordinates: [[[106.80, 39.66], [106.85, 39.66], [106.85, 39.70], [106.80, 39.70], [106.80, 39.66]]] };
    const unit = fc.record({
      type: fc.constantFrom('Feature', 'x'),
      properties: fc.oneof(anyValue, fc.record({ code: fc.oneof(nasty, fc.constantFrom('150302001', '150302001099', '150399')), name: nasty, level: fc.oneof(nasty, fc.constantFrom('district', 'street', 'community', 'grid')), parentCode: fc.oneof(nasty, fc.constantFrom('150302', '150302001', '150300')) })),
      geometry: fc.oneof(fc.constant(null), fc.constant(square), anyValue),
    });
    const body = fc.oneof(anyValue, fc.record({ type: fc.constantFrom('FeatureCollection', 'x'), features: fc.array(unit, { maxLength: 3 }) }));
    const query = fc.constantFrom('', '?repair=true', '?dryRun=true', '?toleranceM2=0');
    await fc.assert(fc.asyncProperty(body, query, async (b, q) => {
      await expectClean(() => env.http.inject({ method: 'POST', url: `/api/v1/org-units/import${q}`, payload: JSON.stringify(b), headers: { ...admin(), 'content-type': 'application/json' } }), `org import ${JSON.stringify(b).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });

  it('POST /categories and POST /category-legacy-codes/import: mutated bodies and CSV text', async () => {
    const valid = { code: 'FZ01', name: '模糊', classCode: '06', kind: 'matter', workflow: 'urban', timeLimits: { handle: { amount: 2, unit: 'work_hours' } } };
    await fc.assert(fc.asyncProperty(fc.oneof(anyValue, mutated(valid, ['nameEn', 'questions', 'priority']), nastyText(valid)), async (b) => {
      await expectClean(json('/api/v1/categories', b), `category ${JSON.stringify(b).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
    const line = fc.tuple(fc.oneof(nasty, fc.constant('city')), fc.oneof(nasty, fc.constant('X-1')), fc.oneof(nasty, fc.constantFrom('06010', '99999'))).map((cells) => cells.join(','));
    const csv = fc.tuple(fc.oneof(nasty, fc.constant('scheme,legacy_code,category_code')), fc.array(line, { maxLength: 4 })).map(([h, lines]) => [h, ...lines].join('\n'));
    await fc.assert(fc.asyncProperty(fc.oneof(csv, anyValue), async (text) => {
      await expectClean(json('/api/v1/category-legacy-codes/import', { csv: text }), `legacy ${typeof text === 'string' ? text.slice(0, 200) : typeof text}`);
    }), { numRuns: NUM_RUNS });
  });

  it('import-cases parsers: any time text gives an instant or null; any mapping is accepted or refused with validation_failed', () => {
    fc.assert(fc.property(fc.oneof(nasty, fc.constantFrom('12/31/2018 11:55:30 PM', '2018-12-31 23:55:30', '2018-12-31T23:55:30+08:00')), fc.constantFrom('America/Los_Angeles', 'Asia/Shanghai'), (text, zone) => {
      const t = parseHistoryTime(text, zone);
      expect(t === null || Number.isFinite(t.getTime())).toBe(true);
    }), { numRuns: NUM_RUNS * 5 });
    const valid = { columns: { sourceId: 'id', createdAt: 'created', type: 'type' }, types: { a: '06010' }, timeZone: 'Asia/Shanghai' };
    fc.assert(fc.property(fc.oneof(anyValue, mutated(valid, ['timeFormat', 'closedStatuses', 'channels']), nastyText(valid)), (m) => {
      try {
        parseHistoryMapping(m);
      } catch (err) {
        expect(isAppError(err) && err.code === 'validation_failed', `${(err as Error).stack}`).toBe(true);
      }
    }), { numRuns: NUM_RUNS * 5 });
  });
});


describe(`fuzzing sensor readings (${dialectUnderTest})`, () => {
  const READING_TABLES = ['readings', 'reading_rollups', 'reading_dead_letters', 'cases', 'alarm_states'] as const;
  let readingsKey: string;
  const sensorCounts = async () => {
    const out: Record<string, number> = {};
    for (const table of READING_TABLES) out[table] = Number((await env.app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return out;
  };
  const now = () => env.app.clock();
  // Instants around now: valid, in the future, before the retention, impossible dates, no zone.
  const instant = fc.oneof(
    fc.integer({ min: -3 * 86_400, max: 86_400 }).map((s) => new Date(now().getTime() + s * 1000).toISOString()),
    fc.constantFrom('2026-02-30T01:00:00Z', '2026-11-26T25:00:00Z', '2026-11-26T01:00:00', '1999-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-11-26T10:00:00+08:00'),
    nasty,
  );
  const metricName = fc.oneof(fc.constantFrom('pm25', 'pm10', 'tilt', 'no2', 'rain', 'PM25', '__proto__', 'constructor', 'a'.repeat(40)), nasty);
  const metricValue = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.MAX_VALUE, -0, 1e308), anyValue);
  const values = fc.oneof(fc.dictionary(metricName, metricValue, { maxKeys: MAX_METRICS + 2 }), anyValue);
  const body = fc.oneof(fc.record({ ts: instant, values }), mutated({ ts: new Date().toISOString(), values: { pm25: 35 } }, ['deviceId']), anyValue);

  beforeAll(async () => {
    readingsKey = (await createApiKey(env.sys(), { name: 'fuzz readings', orgCode: '150300', scopes: ['readings:write'] })).key;
    // A point inside a grid that is there now: the import fuzzing above may have replaced the
    // world's grids with a valid collection of its own (mode=replace).
    const [grid] = await gridRepository.listShapes(env.app.store.db, '/');
    const [lon, lat] = interiorPoint(polygonsOf(JSON.parse(grid.geometry) as GridGeometry));
    for (const [id, kind] of [['FZ-AIR', 'air_station'], ['FZ-JG', 'manhole_tilt']]) {
      const res = await env.http.inject({ method: 'POST', url: '/api/v1/devices', payload: { id, kind, lon, lat }, headers: admin() });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('POST /readings: garbage and mutated batches; refused items and refused requests store no reading', async () => {
    const item = fc.oneof(
      fc.record({ deviceId: fc.oneof(fc.constantFrom('FZ-AIR', 'FZ-JG', 'NOPE'), nasty), ts: instant, values }),
      mutated({ deviceId: 'FZ-AIR', ts: new Date().toISOString(), values: { pm25: 35 } }),
      anyValue,
    );
    await fc.assert(fc.asyncProperty(fc.oneof(fc.array(item, { maxLength: 4 }), anyValue), async (batch) => {
      const before = await sensorCounts();
      const res = await env.http.inject({ method: 'POST', url: '/api/v1/readings', payload: JSON.stringify(batch), headers: { 'content-type': 'application/json', authorization: `Bearer ${readingsKey}` } });
      const label = `POST /readings ${JSON.stringify(batch).slice(0, 200)}`;
      expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      const after = await sensorCounts();
      if (res.statusCode >= 300) {
        expect(after, `${label} was refused (${res.statusCode}) but wrote`).toEqual(before);
        return;
      }
      const out = res.json() as { stored: number; duplicates: number; refused: { index: number }[] };
      expect(out.stored + out.duplicates + out.refused.length, label).toBe((batch as unknown[]).length);
      // Nothing stored: no reading, no rollup; a refusal writes at most one dead letter per item.
      if (out.stored === 0) expect([after.readings, after.reading_rollups], label).toEqual([before.readings, before.reading_rollups]);
      expect(after.reading_dead_letters - before.reading_dead_letters, label).toBeLessThanOrEqual(out.refused.length);
      expect(after.cases, label).toBe(before.cases);
    }), { numRuns: NUM_RUNS });
  });

  it('MQTT messages: any topic and bytes parse to a reading or a reason, and a refused message writes only its dead letter', async () => {
    const topic = fc.oneof(fc.constantFrom('gridloop/devices/FZ-AIR/readings', 'gridloop/devices/FZ-JG/readings', 'gridloop/devices/NOPE/readings', 'gridloop/devices//readings', 'gridloop/devices/a/b/readings', 'gridloop/devices/+/readings'), nasty.map((t) => `gridloop/devices/${t}/readings`), nasty);
    const bytes = fc.oneof(
      body.map((b) => new TextEncoder().encode(JSON.stringify(b) ?? '')),
      fc.uint8Array({ maxLength: 200 }),
      nasty.map((t) => new TextEncoder().encode(t)),
      fc.constant(new Uint8Array(16 * 1024 + 1).fill(32)),
    );
    await fc.assert(fc.asyncProperty(topic, bytes, async (t, payload) => {
      const at = now();
      const parsed = parseMqttMessage(t, payload, at, readingLimits(env.app, at));
      if (parsed.ok) {
        expect(Object.values(parsed.reading.values).every(Number.isFinite)).toBe(true);
        expect(new Date(parsed.reading.ts).toISOString()).toBe(parsed.reading.ts);
      } else expect(parsed.reason.length).toBeGreaterThan(0);
      const before = await sensorCounts();
      const [outcome] = await ingestBatch(env.app, [{ source: 'mqtt', parsed, topic: t, payload: Buffer.from(payload.subarray(0, 4096)).toString('utf8'), orgPath: '/' }], at);
      const after = await sensorCounts();
      if (outcome.status !== 'stored') {
        expect({ ...after, reading_dead_letters: 0 }, `${t} ${outcome.status}`).toEqual({ ...before, reading_dead_letters: 0 });
        expect(after.reading_dead_letters - before.reading_dead_letters).toBeLessThanOrEqual(outcome.status === 'refused' ? 1 : 0);
      } else expect(after.readings - before.readings).toBe(outcome.inserted);
    }), { numRuns: NUM_RUNS });
  });
});

describe(`fuzzing city indicators and 重污染天气 warnings (${dialectUnderTest})`, () => {
  it('POST /indicators, /indicators/{code}/values and /pollution-warnings: garbage and mutated bodies', async () => {
    const value = { asOf: '2026-01-01', value: 42, evidence: '统计公报' };
    const indicator = { code: 'fz_ind', name: '模糊指标', unit: '%', direction: 'higher', target: 50, targetYear: 2026 };
    const warning = { level: 'yellow', reason: '模糊', lon: PLACES.heping.lon, lat: PLACES.heping.lat };
    const codes = fc.constantFrom('green_coverage_built_up', 'water_huanghe_class', 'air_good_days_share', 'nope');
    await fc.assert(fc.asyncProperty(codes, fc.oneof(anyValue, mutated(value), nastyText(value)), async (code, body) => {
      await expectClean(json(`/api/v1/indicators/${code}/values`, body), `indicator value ${code} ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
    await fc.assert(fc.asyncProperty(fc.oneof(anyValue, mutated(indicator, ['source', 'sourceRef']), nastyText(indicator)), async (body) => {
      await expectClean(json('/api/v1/indicators', body), `indicator ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
    await fc.assert(fc.asyncProperty(fc.oneof(anyValue, mutated(warning), nastyText(warning)), fc.boolean(), async (body, assess) => {
      const url = assess ? '/api/v1/pollution-warnings/assess' : '/api/v1/pollution-warnings';
      const payload = assess && body && typeof body === 'object' && !Array.isArray(body) ? { forecast: [{ date: '2026-12-01', aqi: 120 }], ...body } : body;
      await expectClean(json(url, payload), `${url} ${JSON.stringify(payload).slice(0, 200)}`);
    }), { numRuns: NUM_RUNS });
  });
});
