import type { AppContext } from './context.js';
import { seedCatalogue } from './catalogue/catalogue.seed.js';
import { seedLegacyCodes } from './catalogue/legacy.service.js';
import { calendarBootStep } from './sla/calendar.loader.js';
import { loadGridIndex } from './grids/grid.locate.js';
import { startSweeper } from './cases/case.sweeper.js';
import { startSocialSweeper } from './social/social.jobs.js';
import { demoOnFirstStart } from './demo/demo.commands.js';
import { cityRootOnFirstStart } from './org/org.service.js';
import { keyringBootStep } from './privacy/keyring.js';
import { sealLegacyReporters, startRetention } from './privacy/retention.js';
import { followSharedCaches, startCluster, startLimitPruning } from './cluster/cluster.start.js';
import { checkKeysAgainstStore } from './privacy/key-check.js';
import { seedDeviceKinds } from './sensors/device.kinds.js';
import { seedIndicators } from './indicators/indicator.seed.js';
import { seedResponsePlan } from './air/warning.plan.js';
import { startMqttIntake } from './sensors/mqtt.intake.js';
import { startSensorSimulator } from './demo/simulate.command.js';
import { startStoreChangeChecks, watchStoreChanges } from './cache/store-changes.js';
import { startSensorJobs } from './sensors/sensor.jobs.js';
import { refreshPlannerStats, startPlannerStats } from './db/planner-stats.js';

async function sealLegacyReportersStep(app: AppContext): Promise<void> {
  const sealed = await sealLegacyReporters(app);
  if (sealed > 0) console.log(`privacy: encrypted the reporter phones of ${sealed} cases stored before encryption at rest`);
}

/**
 * Steps run on every boot after migrations, in order: seed reference data that must always be
 * there (catalogue, calendar) and build in-memory indexes (grid locator). Each must be idempotent.
 */
export const bootSteps: ((app: AppContext) => Promise<void>)[] = [
  keyringBootStep,
  sealLegacyReportersStep,
  seedCatalogue,
  seedLegacyCodes,
  seedDeviceKinds,
  seedIndicators,
  seedResponsePlan,
  calendarBootStep,
  loadGridIndex,
  followSharedCaches,
  watchStoreChanges,
  refreshPlannerStats,
];

/**
 * Hooks run by `gridloop serve` only, after boot and before listening: refuse personal-data keys
 * other than those the store was written with, join the cluster of
 * instances (PostgreSQL), load the demo city into an empty store, start background jobs (each runs
 * on the leader only). A hook may return a stop function called on shutdown.
 */
export const startHooks: ((app: AppContext) => Promise<(() => Promise<void> | void) | void>)[] = [
  checkKeysAgainstStore,
  startCluster,
  demoOnFirstStart,
  cityRootOnFirstStart,
  startSweeper,
  startSocialSweeper,
  startRetention,
  startLimitPruning,
  startSensorJobs,
  startMqttIntake,
  startSensorSimulator,
  startStoreChangeChecks,
  startPlannerStats,
];
