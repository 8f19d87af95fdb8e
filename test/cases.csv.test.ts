import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { streamCases } from '../src/cases/case.query.js';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';

// GET /cases.csv streams every case matching the list's filters. The clock is frozen, so every case
// has the same created_at: the export's keyset must break ties on id, or rows repeat or go missing.

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
const TRICKY = ['含逗号,和"引号"的描述', '第一行\r\n第二行', '=HYPERLINK("http://evil")', '+86 电话', '-1', '@SUM(A1)', '普通描述 路灯不亮'];
const MATCHING = 620;

/** An RFC 4180 reader written for this test (independent of the code under test). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') record.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += ch;
  }
  if (field || record.length) throw new Error('the CSV does not end with CRLF');
  return records;
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const ctx = makeCtx(env.app, systemActor());
  for (let i = 0; i < MATCHING; i++) {
    await intakeCase(ctx, { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: TRICKY[i % TRICKY.length], address: null, reporter: { name: '王小明', phone: '13700001111' } });
  }
  // Not matching the category filter, or outside worker A's community.
  for (let i = 0; i < 30; i++) await intakeCase(ctx, { categoryCode: '06012', lon: PLACES.heping.lon, lat: PLACES.heping.lat, channel: 'patrol', description: '道路不洁', address: null });
  for (let i = 0; i < 30; i++) await intakeCase(ctx, { categoryCode: '06010', lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat, channel: 'patrol', description: '公园社区', address: null });
}, 300_000);
afterAll(() => env.close());

const get = (who: keyof World['cookies'], url: string) => env.http.inject({ url, headers: { cookie: world.cookies[who] } });

/** Every number of the filtered list, paging through GET /cases. */
async function listNumbers(who: keyof World['cookies'], query: string): Promise<string[]> {
  const out: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await get(who, `/api/v1/cases?${query}&limit=500&offset=${offset}`)).json();
    out.push(...page.items.map((c: { number: string }) => c.number));
    if (page.items.length < 500) return out;
  }
}

describe(`CSV export on ${dialectUnderTest}`, () => {
  it('streams every matching row, more than a list page or an export batch, with a BOM and a header', async () => {
    const res = await get('admin', '/api/v1/cases.csv?category=06010');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = parseCsv(res.body.slice(1));
    expect(header.slice(0, 3)).toEqual(['number', 'status', 'status_label']);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const numbers = rows.map((r) => r[0]);
    expect(numbers).toHaveLength(MATCHING + 30);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort()).toEqual([...(await listNumbers('admin', 'category=06010'))].sort());
  });

  it('applies the actor scope and the filters exactly as the list does', async () => {
    const res = await get('workerA', '/api/v1/cases.csv?category=06010&q=描述');
    expect(res.statusCode, res.body).toBe(200);
    const numbers = parseCsv(res.body.slice(1)).slice(1).map((r) => r[0]);
    const listed = await listNumbers('workerA', `category=06010&q=${encodeURIComponent('描述')}`);
    expect(listed.length).toBeGreaterThan(50);
    expect([...numbers].sort()).toEqual([...listed].sort());
  });

  it('quotes, keeps Chinese and line breaks, defuses formulas and masks reporters', async () => {
    const rows = parseCsv((await get('admin', '/api/v1/cases.csv?category=06010')).body.slice(1));
    const col = rows[0].indexOf('description');
    const descriptions = new Set(rows.slice(1).map((r) => r[col]));
    expect(descriptions).toEqual(new Set(['含逗号,和"引号"的描述', '第一行\r\n第二行', `'=HYPERLINK("http://evil")`, `'+86 电话`, `'-1`, `'@SUM(A1)`, '普通描述 路灯不亮', '公园社区']));
    const phone = rows[0].indexOf('reporter_phone');
    expect(new Set(rows.slice(1).map((r) => r[phone]))).toEqual(new Set(['137****1111', '']));
  });

  it('refuses paging parameters and an org outside scope before sending anything', async () => {
    expect((await get('admin', '/api/v1/cases.csv?limit=10')).statusCode).toBe(400);
    const outside = await get('workerA', `/api/v1/cases.csv?org=${PLACES.gongyuan.community}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error).toBe('org_unit_not_found');
  });

  it('walks batches smaller than the set without repeating or losing a row', async () => {
    const ids: number[] = [];
    for await (const row of streamCases(makeCtx(env.app, systemActor()), {}, 7)) ids.push(row.id);
    expect(ids).toHaveLength(MATCHING + 60);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});
