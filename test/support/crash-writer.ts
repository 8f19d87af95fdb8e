// Child process of test/loop-crash.test.ts: `node --import tsx test/support/crash-writer.ts`.
// Opens the store named by GRIDLOOP_DATA_DIR / DATABASE_URL, builds a one-grid world, prints
// "ready", then runs intakes and transitions from a few concurrent workers for ever, printing one
// JSON line per write only after its promise resolved (the write was acknowledged). The parent
// kills it with SIGKILL at some moment and checks the store.
import { loadConfig } from '../../src/config.js';
import { createAppContext } from '../../src/boot.js';
import { makeCtx, type AppContext } from '../../src/context.js';
import { systemActor, type Actor } from '../../src/auth/actor.js';
import { actorFromSession, addUser, login } from '../../src/auth/auth.service.js';
import { importDivisions } from '../../src/org/org.service.js';
import { importGrids } from '../../src/grids/grid.import.js';
import { createDepartment } from '../../src/catalogue/catalogue.service.js';
import { intakeCase } from '../../src/cases/case.intake.js';
import { transitionCase, type TransitionRequest } from '../../src/cases/case.transition.js';

/** The one grid of the world: 和平社区 grid 001, a 0.01° square. */
const CRASH_PLACE = { lon: 106.8005, lat: 39.6705, community: '150302001002', grid: '150302001002001' };
const WORKERS = 3;

async function buildWorld(app: AppContext) {
  const sys = makeCtx(app, systemActor());
  await importDivisions(sys, '1503');
  const [lon, lat, d] = [106.8, 39.67, 0.01];
  await importGrids(sys, {
    type: 'FeatureCollection',
    features: [{
      type: 'Feature',
      properties: { community: CRASH_PLACE.community, code: CRASH_PLACE.grid, name: '网格001' },
      geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    }],
  });
  const HW = await createDepartment(sys, { code: 'HW', name: '环卫局', orgCode: '150300' });
  const actors = {} as Record<'worker' | 'dispatcher' | 'handler' | 'inspector', Actor>;
  const users = [['worker', 'grid_worker', CRASH_PLACE.community, null], ['dispatcher', 'dispatcher', '150300', null], ['handler', 'handler', '150300', HW], ['inspector', 'inspector', '150300', null]] as const;
  for (const [name, role, orgCode, departmentId] of users) {
    await addUser(sys, { username: name, password: 'crash-pass-123', role, orgCode, departmentId });
    const actor = await actorFromSession(app, (await login(app, name, 'crash-pass-123')).token);
    if (!actor) throw new Error(`no actor for ${name}`);
    actors[name] = actor;
  }
  return { HW, actors };
}

type World = Awaited<ReturnType<typeof buildWorld>>;

/** The next step of the happy path (with some 不予立案 and 返工), or null when the case is done. */
function nextStep(status: string, world: World): { who: keyof World['actors']; request: Omit<TransitionRequest, 'version'> } | null {
  const dice = Math.random();
  switch (status) {
    case 'reported': return dice < 0.1 ? { who: 'dispatcher', request: { action: 'reject', note: '不予立案' } } : { who: 'dispatcher', request: { action: 'verify' } };
    case 'verified': return { who: 'dispatcher', request: { action: 'register' } };
    case 'registered': return { who: 'dispatcher', request: { action: 'dispatch', departmentId: world.HW } };
    case 'dispatched': return { who: 'handler', request: { action: 'accept' } };
    case 'handling': return { who: 'handler', request: { action: 'complete', note: '已清理' } };
    case 'handled': return dice < 0.25 ? { who: 'inspector', request: { action: 'check_fail', note: '仍有残留' } } : { who: 'inspector', request: { action: 'check_pass' } };
    case 'checked': return { who: 'dispatcher', request: { action: 'close' } };
    default: return null;
  }
}

const ack = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** One worker: owns its cases (no version conflicts between workers), alternates intake and steps. */
async function work(app: AppContext, world: World): Promise<never> {
  const open = new Map<number, { version: number; status: string }>();
  for (;;) {
    if (open.size < 3 || Math.random() < 0.25) {
      const { case: row } = await intakeCase(makeCtx(app, world.actors.worker), { categoryCode: '06010', lon: CRASH_PLACE.lon, lat: CRASH_PLACE.lat, description: '暴露垃圾', channel: 'patrol' });
      open.set(row.id, { version: row.version, status: row.status });
      ack({ id: row.id, version: row.version, status: row.status, action: 'report' });
      continue;
    }
    const ids = [...open.keys()];
    const id = ids[Math.floor(Math.random() * ids.length)];
    const current = open.get(id);
    const step = current && nextStep(current.status, world);
    if (!current || !step) {
      open.delete(id);
      continue;
    }
    const row = await transitionCase(makeCtx(app, world.actors[step.who]), id, { ...step.request, version: current.version });
    open.set(id, { version: row.version, status: row.status });
    ack({ id, version: row.version, status: row.status, action: step.request.action });
  }
}

const config = loadConfig({ GRIDLOOP_DATA_DIR: process.env.GRIDLOOP_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, GRIDLOOP_DEMO: '0' });
const app = await createAppContext(config);
const world = await buildWorld(app);
process.stdout.write('ready\n');
await Promise.all(Array.from({ length: WORKERS }, () => work(app, world)));
