import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectUnderTest, type TestEnv } from './helpers.js';
import { runCli } from './support/cli.js';
import { buildWorld, PLACES } from './world.js';

// `gridloop import-devices <file.csv>` as a user runs it, against the store a test env migrated.

let env: TestEnv;
const dir = mkdtempSync(path.join(tmpdir(), 'gridloop-devices-csv-'));

beforeAll(async () => {
  env = await createTestEnv();
  await buildWorld(env);
}, 60_000);
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const importDevices = (file: string) => runCli(['import-devices', file], { GRIDLOOP_DATA_DIR: env.config.dataDir, DATABASE_URL: env.config.databaseUrl ?? '', GRIDLOOP_DEMO: '0', GRIDLOOP_MQTT_URL: '' });
const devices = () => env.app.store.db.selectFrom('devices').select(['id', 'kind', 'name', 'grid_code', 'status', 'department_id']).orderBy('id').execute();

describe(`gridloop import-devices (${dialectUnderTest})`, () => {
  it('registers devices from a CSV (BOM, quoted commas and quotes, a field over two lines, blank lines) and reports bad lines by file line', async () => {
    const { heping, gongyuan, xinqiao } = PLACES;
    const file = csvFile('devices.csv', [
      '\uFEFFid,kind,lon,lat,name,department,status',
      `AIR-HP,air_station,${heping.lon},${heping.lat},"和平站, 北""一号""",HW,`,
      '',
      `JG-7,manhole_tilt,${gongyuan.lon},${gongyuan.lat},"井盖 7`,
      `(二行)",,maintenance`,
      `BAD-1,volcano,${heping.lon},${heping.lat},,,`,
      `FAR-1,smoke,100,30,,,`,
      `WL-9,water_level,${xinqiao.lon},${xinqiao.lat},,CG,active`,
    ].join('\r\n'));
    const r = await importDevices(file);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('line 6: validation_failed: unknown device kind volcano');
    expect(r.stdout).toContain('line 7: outside_jurisdiction');
    expect(r.stdout).toContain('import-devices: 3 registered, 0 updated, 2 failed');
    expect(await devices()).toEqual([
      { id: 'AIR-HP', kind: 'air_station', name: '和平站, 北"一号"', grid_code: heping.grid, status: 'active', department_id: expect.any(Number) },
      { id: 'JG-7', kind: 'manhole_tilt', name: '井盖 7\n(二行)', grid_code: gongyuan.grid, status: 'maintenance', department_id: null },
      { id: 'WL-9', kind: 'water_level', name: '积水水位传感器 WL-9', grid_code: xinqiao.grid, status: 'active', department_id: expect.any(Number) },
    ]);
  });

  it('updates known devices (place, name, status) and exits 0 when every line went in', async () => {
    const { heping2 } = PLACES;
    const r = await importDevices(csvFile('again.csv', `id,kind,lon,lat,status,name\nJG-7,manhole_tilt,${heping2.lon},${heping2.lat},active,井盖七号\n`));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('import-devices: 0 registered, 1 updated, 0 failed');
    expect((await devices()).find((d) => d.id === 'JG-7')).toMatchObject({ name: '井盖七号', grid_code: heping2.grid, status: 'active' });
  });

  it('refuses a file it cannot read as CSV, a header without lon, an unknown column or a bad number, writing nothing', async () => {
    const before = await devices();
    const cases: [string, string][] = [
      [`id,kind,lon,lat\nX-1,smoke,"106.8,39.67\n`, 'not a readable CSV'],
      ['id,kind,lat\nX-1,smoke,39.67\n', 'the header must name lon'],
      ['id,kind,lon,lat,colour\nX-1,smoke,106.8,39.67,red\n', 'unknown columns: colour'],
      ['id,kind,lon,lat\nX-1,smoke,106.8,39.67\n\nX-2,smoke,east,39.67\n', 'line 4: lon and lat must be numbers'],
      ['', 'the CSV is empty'],
    ];
    for (const [text, message] of cases) {
      const r = await importDevices(csvFile('bad.csv', text));
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toContain('error [import_failed]');
      expect(r.stderr, text).toContain(message);
    }
    expect(await devices()).toEqual(before);
  });
});
