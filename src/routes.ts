import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.js';
import { catalogueRoutes } from './catalogue/catalogue.routes.js';
import { caseRoutes } from './cases/case.routes.js';
import { kpiRoutes } from './kpis/kpi.routes.js';
import { calendarRoutes } from './sla/calendar.routes.js';
import { gridRoutes } from './grids/grid.routes.js';
import { screenRoutes } from './screen/screen.routes.js';
import { liveRoutes } from './live/live.routes.js';
import { open311AdminRoutes } from './open311/open311.admin.routes.js';
import { metaRoutes } from './web/meta.routes.js';
import { mineRoutes } from './cases/case.mine.routes.js';
import { publicRoutes } from './public/public.routes.js';
import { patrolRoutes } from './patrols/patrol.routes.js';
import { safetyRoutes } from './safety/safety.routes.js';
import { hazardRoutes } from './safety/hazard.routes.js';
import { deviceRoutes } from './sensors/device.routes.js';
import { readingRoutes } from './sensors/reading.routes.js';
import { alarmRoutes } from './sensors/alarm.routes.js';
import { socialRoutes } from './social/social.routes.js';
import { airRoutes } from './air/air.routes.js';
import { waterRoutes } from './water/water.routes.js';
import { indicatorRoutes } from './indicators/indicator.routes.js';
import { warningRoutes } from './air/warning.routes.js';

/**
 * Route plugins of the domain areas, mounted under /api/v1. Each area exports one plugin taking
 * `{ app }`; add it here (one line) to mount it.
 */
export const apiRoutePlugins: FastifyPluginAsyncTypebox<{ app: AppContext }>[] = [
  catalogueRoutes,
  calendarRoutes,
  gridRoutes,
  caseRoutes,
  kpiRoutes,
  open311AdminRoutes,
  liveRoutes,
  metaRoutes,
  screenRoutes,
  mineRoutes,
  publicRoutes,
  patrolRoutes,
  safetyRoutes,
  hazardRoutes,
  deviceRoutes,
  readingRoutes,
  alarmRoutes,
  socialRoutes,
  airRoutes,
  waterRoutes,
  indicatorRoutes,
  warningRoutes,
];
