import type { AppContext } from '../context.js';
import { everyOnLeader } from '../cluster/cluster.js';
import { sweepOffline } from './alarm.service.js';
import { readingRepository } from './reading.repository.js';
import { snapshotIndicators } from '../indicators/indicator.service.js';
import { assessMeasured } from '../air/warning.service.js';

/**
 * Deletes raw readings older than GRIDLOOP_READINGS_RETENTION_DAYS in bounded batches (rollups
 * stay). Idempotent; returns how many went.
 */
export async function purgeOldReadings(app: AppContext, now: Date = app.clock(), maxBatches = 20): Promise<number> {
  const before = new Date(now.getTime() - app.config.sensors.retentionDays * 86_400_000).toISOString();
  let purged = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await readingRepository.purgeBefore(app.store.db, before, 500);
    purged += n;
    if (n < 500) break;
  }
  return purged;
}

/**
 * Start hook of `serve`: offline rules, the raw-reading retention, today's snapshot of the
 * computed city indicators and the 重污染天气 rule on measured AQI, every GRIDLOOP_SENSOR_SWEEP_SECONDS.
 */
export async function startSensorJobs(app: AppContext): Promise<(() => void) | void> {
  const seconds = app.config.sensors.sweepSeconds;
  if (seconds === 0) return;
  // On several instances, one (the leader) checks: an offline device opens one case, not one per instance.
  return everyOnLeader(app, 'sensor jobs', seconds * 1000, () => Promise.all([sweepOffline(app), purgeOldReadings(app), snapshotIndicators(app), assessMeasured(app)]));
}
