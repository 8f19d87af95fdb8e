import path from 'node:path';
import { AppError } from './errors.js';

/** A daily working period in local wall-clock minutes since midnight, e.g. 08:30–12:00 = [510, 720]. */
export interface WorkPeriod {
  start: number;
  end: number;
}

/** The whole validated configuration. Parsed once at boot; tests build it with `loadConfig({...})`. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; undefined means the embedded SQLite file under dataDir. */
  databaseUrl?: string;
  /** IANA time zone of the city: used for calendar days, working periods and display. */
  timeZone: string;
  /** The city code (GB/T 2260) of the default jurisdiction. */
  cityCode: string;
  /** Case-number prefix, e.g. WH → WH20261126000123. */
  caseNumberPrefix: string;
  workPeriods: WorkPeriod[];
  /** Working hours in one working day (1 工作日 = 8 工作时 by default). */
  hoursPerWorkDay: number;
  /** Traffic light thresholds, as fractions of the stage limit. */
  lights: { yellow: number; red: number; severe: number };
  /** SLA sweeper: how often it runs, and after how many overdue stages a case is raised a level (提级). */
  sweeper: { intervalSeconds: number; batchSize: number; escalateAfterOverdue: number };
  /** A point outside every grid snaps to the nearest grid within this distance (metres). */
  locateSnapMetres: number;
  /** Unit-grid code layout: digits of district, street, community and grid serial parts. */
  gridCode: { district: number; street: number; community: number; serial: number };
  attachments: { maxBytes: number; dir: string };
  bodyLimitBytes: number;
  sessionTtlHours: number;
  /** Load the demo city on the first start of an empty database. */
  demoOnEmpty: boolean;
  logLevel: string;
  /** Live feed (SSE): seconds between heartbeat comments. */
  live: { heartbeatSeconds: number };
  /**
   * 按期结案 means closed by the case's own deadline (`deadline`, how most evaluation schemes count
   * it) or every stage within its limit (`stages`, the stricter reading).
   */
  onTimeClosure: 'deadline' | 'stages';
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('config_invalid', `${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

/** Parses "08:30-12:00,13:30-17:30" into ordered, non-overlapping periods. Throws config_invalid. */
export function parseWorkPeriods(text: string): WorkPeriod[] {
  const periods = text.split(',').map((part) => {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part);
    if (!m) throw new AppError('config_invalid', `work period "${part}" is not HH:MM-HH:MM`);
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (start >= end || end > 24 * 60) throw new AppError('config_invalid', `work period "${part}" is empty or past midnight`);
    return { start, end };
  });
  for (let i = 1; i < periods.length; i++) {
    if (periods[i].start < periods[i - 1].end) throw new AppError('config_invalid', 'work periods must be ordered and must not overlap');
  }
  return periods;
}

/**
 * Parses the org-code layout "district,street,community,serial" digits (default 6,3,3,3: GB/T 2260 +
 * 3-digit street + 3-digit community + 3-digit grid serial = the 15-digit unit-grid code).
 * The national split is unverified (cn-governance-rules §1.5), hence configurable. Throws config_invalid.
 */
export function parseCodeLayout(text: string): Config['gridCode'] {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 12)) {
    throw new AppError('config_invalid', `GRIDLOOP_CODE_LAYOUT must be four digit counts "district,street,community,serial", got "${text}"`);
  }
  const [district, street, community, serial] = parts;
  return { district, street, community, serial };
}

function onTimeClosure(raw: string | undefined): Config['onTimeClosure'] {
  if (raw === undefined || raw === '' || raw === 'deadline') return 'deadline';
  if (raw === 'stages') return 'stages';
  throw new AppError('config_invalid', `GRIDLOOP_ON_TIME_CLOSURE must be "deadline" or "stages", got "${raw}"`);
}

/** Builds the configuration from environment variables (or a test's overrides). Throws config_invalid. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.GRIDLOOP_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('config_invalid', 'DATABASE_URL must start with postgres:// or postgresql://');
  }
  const timeZone = env.GRIDLOOP_TIME_ZONE || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('config_invalid', `GRIDLOOP_TIME_ZONE "${timeZone}" is not an IANA time zone`);
  }
  const config: Config = {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl,
    timeZone,
    cityCode: env.GRIDLOOP_CITY_CODE || '150300',
    caseNumberPrefix: env.GRIDLOOP_CASE_PREFIX || 'WH',
    workPeriods: parseWorkPeriods(env.GRIDLOOP_WORK_PERIODS || '08:30-12:00,13:30-17:30'),
    hoursPerWorkDay: int(env, 'GRIDLOOP_HOURS_PER_WORK_DAY', 8, 1, 24),
    lights: { yellow: 0.8, red: 1, severe: 3 },
    sweeper: {
      intervalSeconds: int(env, 'GRIDLOOP_SWEEP_SECONDS', 60, 0, 86_400),
      batchSize: int(env, 'GRIDLOOP_SWEEP_BATCH', 200, 1, 10_000),
      escalateAfterOverdue: int(env, 'GRIDLOOP_ESCALATE_AFTER_OVERDUE', 2, 1, 100),
    },
    locateSnapMetres: int(env, 'GRIDLOOP_LOCATE_SNAP_METRES', 200, 0, 100_000),
    gridCode: parseCodeLayout(env.GRIDLOOP_CODE_LAYOUT || '6,3,3,3'),
    attachments: {
      maxBytes: int(env, 'GRIDLOOP_ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      dir: path.resolve(env.GRIDLOOP_ATTACHMENT_DIR || path.join(dataDir, 'attachments')),
    },
    bodyLimitBytes: int(env, 'GRIDLOOP_BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    sessionTtlHours: int(env, 'GRIDLOOP_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    demoOnEmpty: env.GRIDLOOP_DEMO !== '0',
    logLevel: env.LOG_LEVEL || 'info',
    live: { heartbeatSeconds: int(env, 'GRIDLOOP_LIVE_HEARTBEAT_SECONDS', 15, 1, 3600) },
    onTimeClosure: onTimeClosure(env.GRIDLOOP_ON_TIME_CLOSURE),
    ...overrides,
  };
  return config;
}
