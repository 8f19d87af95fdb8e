import type { AppContext } from '../../src/context.js';
import { locatePoint } from '../../src/grids/grid.locate.js';
import { seededRandom } from '../../src/grids/grid.synthetic.js';

const DESCRIPTIONS = ['井盖缺失，行人有跌落危险', '路灯不亮已有三天', '垃圾桶满溢无人清运', '占道经营影响通行', '人行道破损积水', '绿化带杂草丛生', '违章停车堵塞消防通道', '噪音扰民夜间施工'];

/** Logs a demo user in over HTTP and returns the session cookie header value. */
export async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl }, body: JSON.stringify({ username, password: 'gridloop-demo' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gridloop_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** Points inside the demo city's grids (seeded), found by trying random points of the city's extent. */
export function cityPoints(app: AppContext, n: number, seed = 20261130): [number, number][] {
  const rand = seededRandom(seed);
  const out: [number, number][] = [];
  // 乌海市's extent, generously.
  const [w, s, e, nth] = [106.6, 39.2, 107.1, 39.95];
  for (let tries = 0; out.length < n && tries < n * 200; tries++) {
    const lon = w + rand() * (e - w);
    const lat = s + rand() * (nth - s);
    if (locatePoint(app, lon, lat).grid) out.push([Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
  }
  if (out.length < n) throw new Error(`only ${out.length} of ${n} points fell inside a grid`);
  return out;
}

/** Category codes of active matters that have a default department (as hotline intake would use). */
export async function intakeCategories(app: AppContext, limit = 12): Promise<string[]> {
  const rows = await app.store.db.selectFrom('categories').select('code').where('active', '=', 1).where('kind', '=', 'matter').where('department_code', 'is not', null).orderBy('code').limit(limit).execute();
  if (rows.length === 0) throw new Error('no categories with a department');
  return rows.map((r) => r.code);
}

/** `n` distinct intake bodies (JSON) over the demo city, seeded. */
export async function intakeBodies(app: AppContext, n: number): Promise<string[]> {
  const categories = await intakeCategories(app);
  const points = cityPoints(app, n);
  return points.map(([lon, lat], i) => JSON.stringify({ categoryCode: categories[i % categories.length], lon, lat, description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]}（压测 ${i}）`, channel: 'hotline', address: `乌海市测试路${i % 300}号` }));
}
