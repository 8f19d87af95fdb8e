import type { TestEnv } from './helpers.js';
import { loginCookie } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { importGrids } from '../src/grids/grid.import.js';
import { addUser } from '../src/auth/auth.service.js';
import { createDepartment } from '../src/catalogue/catalogue.service.js';

/** A square grid polygon [lon, lat] with side `d` degrees, counter-clockwise. */
function square(lon: number, lat: number, d: number, community: string, code: string) {
  return {
    type: 'Feature',
    properties: { community, code, name: `网格${code.slice(-3)}` },
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
  };
}

/** Points inside each test grid. */
export const PLACES = {
  /** 和平社区 (150302001002), grid 001. */
  heping: { lon: 106.8005, lat: 39.6705, grid: '150302001002001', community: '150302001002' },
  /** 和平社区 (150302001002), grid 002. */
  heping2: { lon: 106.8105, lat: 39.6705, grid: '150302001002002', community: '150302001002' },
  /** 公园社区 (150302001003). */
  gongyuan: { lon: 106.8205, lat: 39.6705, grid: '150302001003001', community: '150302001003' },
  /** 新桥社区 (150303001006), 海南区. */
  xinqiao: { lon: 106.8805, lat: 39.4405, grid: '150303001006001', community: '150303001006' },
};

export const PASSWORD = 'test-pass-123';

export interface World {
  departments: { HW: number; CG: number };
  cookies: Record<'admin' | 'dispatcher' | 'handler' | 'handler2' | 'inspector' | 'leader' | 'workerA' | 'workerB' | 'citizen' | 'hbDispatcher', string>;
}

/**
 * The test city: Wuhai's divisions, four 0.01° grids in three communities, two departments and one
 * user per role. Workers A and B sit in neighbouring communities of 凤凰岭街道.
 */
export async function buildWorld(env: TestEnv): Promise<World> {
  const sys = env.sys();
  await importDivisions(sys, '1503');
  await importGrids(sys, {
    type: 'FeatureCollection',
    features: [
      square(106.8, 39.67, 0.01, '150302001002', '150302001002001'),
      square(106.81, 39.67, 0.01, '150302001002', '150302001002002'),
      square(106.82, 39.67, 0.01, '150302001003', '150302001003001'),
      square(106.88, 39.44, 0.01, '150303001006', '150303001006001'),
    ],
  });
  const HW = await createDepartment(sys, { code: 'HW', name: '环卫局', orgCode: '150300' });
  const CG = await createDepartment(sys, { code: 'CG', name: '城管局', orgCode: '150300' });
  const users: [keyof World['cookies'], string, string, number | null][] = [
    ['admin', 'admin', '150300', null],
    ['dispatcher', 'dispatcher', '150300', null],
    ['hbDispatcher', 'dispatcher', '150302', null],
    ['handler', 'handler', '150300', HW],
    ['handler2', 'handler', '150300', CG],
    ['inspector', 'inspector', '150300', null],
    ['leader', 'leader', '150300', null],
    ['workerA', 'grid_worker', '150302001002', null],
    ['workerB', 'grid_worker', '150302001003', null],
    ['citizen', 'citizen', '150300', null],
  ];
  const cookies = {} as World['cookies'];
  for (const [name, role, org, dept] of users) {
    await addUser(sys, { username: name, password: PASSWORD, role, orgCode: org, departmentId: dept, phone: '13812345678' });
    cookies[name] = await loginCookie(env.http, name, PASSWORD);
  }
  return { departments: { HW, CG }, cookies };
}
