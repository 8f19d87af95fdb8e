import { isIP } from 'node:net';
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
  /** The name of the city root created in an empty store when the demo is off. */
  cityName: string;
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
  /** Fastify's trustProxy: false, a hop count or proxy addresses/CIDRs (GRIDLOOP_TRUST_PROXY). */
  trustProxy: false | number | string[];
  /** When the session cookie carries `Secure`: over HTTPS only (`auto`), always, or never. */
  cookieSecure: 'auto' | 'always' | 'never';
  /** Origins besides the server's own allowed to make cookie-authenticated writes (CSRF check). */
  trustedOrigins: string[];
  /** Origins allowed to call /open311/* from a browser (CORS); empty = CORS off; '*' = any. */
  corsOrigins: string[];
  /** Load the demo city on the first start of an empty database. */
  demoOnEmpty: boolean;
  logLevel: string;
  /** Live feed (SSE): seconds between heartbeat comments. */
  live: { heartbeatSeconds: number };
  /** Several instances on PostgreSQL: how often a follower tries to take the leadership of the periodic jobs. */
  cluster: { leaderPollSeconds: number };
  /**
   * 按期结案 means closed by the case's own deadline (`deadline`, how most evaluation schemes count
   * it) or every stage within its limit (`stages`, the stricter reading).
   */
  onTimeClosure: 'deadline' | 'stages';
  /**
   * Personal data at rest: encryption keys ("id:base64,…", first current) and the search-hash key;
   * without keys, a generated key file in the data dir. Reporters of cases closed more than
   * `retentionDays` ago are anonymised (0: never).
   */
  privacy: { keys?: string; hmacKey?: string; retentionDays: number };
  /** 信访 and 矛盾纠纷调解 time limits (social/social.limits.ts); population per district for 万人成讼率. */
  social: {
    petitionDayUnit: 'calendar_days' | 'work_days';
    mediation: { courtDays: number; courtExtensionDays: number; defaultDays: number };
    districtPopulation: Record<string, number>;
  };
  /**
   * 城市运行监测: the MQTT broker (unset = MQTT intake off) and the persistent session's client id;
   * how long raw readings are kept (rollups stay); how far in the future a reading may be stamped;
   * how often `serve` checks offline rules and purges old readings; the built-in simulator.
   */
  sensors: { mqttUrl?: string; mqttClientId: string; retentionDays: number; maxFutureSeconds: number; sweepSeconds: number; jointZone: { name: string; members: string[] } | null; simulate: boolean };
  /** Patrols: plausibility limits, default minimums of new plans, and the frequency tables (patrols/). */
  patrol: PatrolConfig;
}

/** Patrol settings (GRIDLOOP_PATROL_*, GRIDLOOP_RIVER_FREQUENCIES, GRIDLOOP_RISK_FREQUENCIES). */
export interface PatrolConfig {
  maxSpeedKmh: number;
  bufferM: number;
  /** Local hours [from, to) in which a patrol's start flags it `night`. */
  night: { from: number; to: number };
  minDurationS: number;
  minDistanceM: number;
  /** 河长制: frequency rule per chief level ("quarter:1"). */
  riverFrequencies: Record<string, string>;
  /** 双重预防: inspection frequency rule per risk colour. */
  riskFrequencies: Record<string, string>;
  /** 双重预防: score thresholds (red, orange, yellow) of LEC (D = L×E×C) and of the 5×5 risk matrix (L×S). */
  riskThresholds: { lec: [number, number, number]; matrix: [number, number, number] };
}

type Env = Record<string, string | undefined>;

/** One environment variable: its embedded default (as text, '' = unset) and what it means. */
export interface Setting {
  default: string;
  /** How the README shows the default when the raw text would mislead (e.g. a derived path). */
  shown?: string;
  meaning: string;
}

/**
 * Every setting Gridloop reads, in the order the README lists them. This table is the single
 * source of the defaults (`setting()` falls back to them) and of the README's configuration table
 * (`npm run docs:config` rewrites it; a test fails when the README differs).
 */
export const SETTINGS = {
  PORT: { default: '3000', meaning: 'HTTP port' },
  HOST: { default: '127.0.0.1', meaning: 'listen address' },
  GRIDLOOP_DATA_DIR: { default: './data', meaning: 'the SQLite file `gridloop.db` and `attachments/` (relative to the current directory)' },
  DATABASE_URL: { default: '', meaning: '`postgres://…`: use PostgreSQL instead of SQLite' },
  GRIDLOOP_TIME_ZONE: { default: 'Asia/Shanghai', meaning: "the city's IANA zone: calendar days, working periods, routing by time of day" },
  GRIDLOOP_CITY_CODE: { default: '150300', meaning: 'GB/T 2260 code of the default jurisdiction (any digits under GRIDLOOP_CODE_LAYOUT: see docs/ONBOARDING.md)' },
  GRIDLOOP_CITY_NAME: { default: '乌海市', meaning: 'name of the city root created on the first start of an empty store when GRIDLOOP_DEMO=0' },
  GRIDLOOP_WORK_PERIODS: { default: '08:30-12:00,13:30-17:30', meaning: 'daily working periods for 工作时' },
  GRIDLOOP_HOURS_PER_WORK_DAY: { default: '8', meaning: '1 工作日 = N 工作时 (the default periods hold 7.5 h, so a 工作日 runs 30 min into the next working day; set periods that add up to N hours if your city counts whole days)' },
  GRIDLOOP_CASE_PREFIX: { default: 'WH', meaning: 'case numbers `WH20261126000123`' },
  GRIDLOOP_CODE_LAYOUT: { default: '6,3,3,3', meaning: 'digits of district (GB/T 2260), street, community and grid serial in org codes (15-digit unit-grid code)' },
  GRIDLOOP_LOCATE_SNAP_METRES: { default: '200', meaning: 'a point outside all grids snaps to the nearest grid within this distance' },
  GRIDLOOP_SWEEP_SECONDS: { default: '60', meaning: 'how often the SLA sweeper runs in `serve` (0 = never)' },
  GRIDLOOP_SWEEP_BATCH: { default: '200', meaning: 'cases the sweeper handles per batch' },
  GRIDLOOP_ESCALATE_AFTER_OVERDUE: { default: '2', meaning: 'overdue stages before a case is raised a level (提级)' },
  GRIDLOOP_ATTACHMENT_DIR: { default: '', shown: '`<data dir>/attachments`', meaning: 'where attachments are stored, content-addressed (`ab/cd/<sha256>`)' },
  GRIDLOOP_ATTACHMENT_MAX_BYTES: { default: '10485760', shown: '10485760 (10 MiB)', meaning: 'largest attachment' },
  GRIDLOOP_BODY_LIMIT_BYTES: { default: '262144', shown: '262144 (256 KiB)', meaning: 'largest JSON or form body' },
  GRIDLOOP_SESSION_TTL_HOURS: { default: '12', meaning: 'lifetime of a login session' },
  GRIDLOOP_TRUST_PROXY: { default: '', shown: '(off)', meaning: 'reverse proxies whose `X-Forwarded-For`/`-Proto`/`-Host` are believed: a comma list of addresses or CIDRs (`127.0.0.1,10.0.0.0/8`; also `loopback`, `linklocal`, `uniquelocal`) or a hop count (`1`). Off: the peer address is the client (see docs/SECURITY.md)' },
  GRIDLOOP_COOKIE_SECURE: { default: 'auto', meaning: '`auto`: the session cookie is `Secure` when the request came over HTTPS (as seen through a trusted proxy); `always`; `never` (plain-HTTP development only)' },
  GRIDLOOP_TRUSTED_ORIGINS: { default: '', meaning: 'extra origins (comma list, e.g. a Vite dev server `http://localhost:5173`) allowed to make cookie-authenticated writes besides the server\'s own origin' },
  GRIDLOOP_CORS_ORIGINS: { default: '', shown: '(none)', meaning: 'browser origins (comma list, or `*`) allowed to call `/open311/*` cross-origin; CORS is off everywhere else' },
  GRIDLOOP_DEMO: { default: '1', meaning: '`0`: do not load the demo city into an empty store' },
  GRIDLOOP_LIVE_HEARTBEAT_SECONDS: { default: '15', meaning: 'live feed (SSE): seconds between heartbeat comments' },
  GRIDLOOP_LEADER_POLL_SECONDS: { default: '5', meaning: 'several instances on PostgreSQL: how often an instance that does not run the periodic jobs (SLA sweeper, retention) checks whether the leader is gone and takes over' },
  GRIDLOOP_ON_TIME_CLOSURE: { default: 'deadline', meaning: '按期结案 means closed by the case\'s own deadline (`deadline`) or with every stage within its limit (`stages`, stricter)' },
  GRIDLOOP_PII_KEYS: { default: '', shown: '(a generated key file)', meaning: "reporters' phone and ID numbers are encrypted at rest (AES-256-GCM) with these keys: `id:base64,id:base64`, 32 bytes each, the first current (rotation: docs/SECURITY.md). Unset: `<data dir>/pii-keys.json`, created on first start (mode 0600)" },
  GRIDLOOP_PII_HMAC_KEY: { default: '', shown: '(from the key file)', meaning: '32 bytes in base64, required with `GRIDLOOP_PII_KEYS`: the key of the phone search hashes; never rotate it alone' },
  GRIDLOOP_RETENTION_DAYS: { default: '0', meaning: 'anonymise the reporters of cases closed more than N days ago (0 = off; hourly in `serve`, or `gridloop retention`)' },
  GRIDLOOP_PATROL_MAX_SPEED_KMH: { default: '40', meaning: 'a patrol track faster than this over any 10 s stretch is flagged `too_fast` and does not count (UNVERIFIED default)' },
  GRIDLOOP_PATROL_BUFFER_METRES: { default: '200', meaning: 'a patrol passes a place of its target when its track comes this close; a track never this close to the target is flagged `outside_target`' },
  GRIDLOOP_PATROL_NIGHT_HOURS: { default: '0-5', meaning: 'local hours `from-to` in which a patrol that starts is flagged `night` and does not count' },
  GRIDLOOP_PATROL_MIN_MINUTES: { default: '10', meaning: 'default minimum duration of a patrol in a new plan (UNVERIFIED default, after 广州 2021: ≥10 min and ≥1 km)' },
  GRIDLOOP_PATROL_MIN_METRES: { default: '1000', meaning: 'default minimum track length of a patrol in a new plan (UNVERIFIED default)' },
  GRIDLOOP_RIVER_FREQUENCIES: { default: 'city=quarter:1,district=month:1,street=xun:1,community=week:1', meaning: '河长制 patrol frequency per chief level (市级 每季度, 区级 每月, 乡级 每旬, 村级 每周 ≥1: UNVERIFIED defaults; no national or Wuhai table was found)' },
  GRIDLOOP_RISK_FREQUENCIES: { default: 'red=week:1,orange=xun:1,yellow=month:1,blue=quarter:1', meaning: '双重预防 inspection frequency per risk colour (重大/较大/一般/低: UNVERIFIED defaults)' },
  GRIDLOOP_PETITION_DAYS: { default: 'calendar', meaning: '信访 limits (15/60/+30/30/30 日) count `calendar` days (信访工作条例) or `working` days (one local reading; UNVERIFIED)' },
  GRIDLOOP_MEDIATION_COURT_DAYS: { default: '30', meaning: "days of a court-referred pre-suit mediation (诉前调解, channel `court`)" },
  GRIDLOOP_MEDIATION_COURT_EXTENSION_DAYS: { default: '30', meaning: "the one extension of a court-referred mediation, with both parties' consent (a court's rule; others set no cap)" },
  GRIDLOOP_MEDIATION_DEFAULT_DAYS: { default: '30', meaning: 'days of any other mediation (人民调解 “一般在一个月内调结”: an UNVERIFIED default)' },
  GRIDLOOP_DISTRICT_POPULATION: { default: '150302:345000,150303:96000,150304:116000', meaning: "resident population per district (`code:people,…`) for 万人成讼率; the default is the demo city's 乌海市 districts (approximate, UNVERIFIED)" },
  GRIDLOOP_MQTT_URL: { default: '', shown: '(off)', meaning: 'the MQTT broker sensors publish to (`mqtt://host:1883`, `mqtts://…`, credentials in the URL): Gridloop subscribes to `gridloop/devices/+/readings` with QoS 1 and a persistent session. Unset: no MQTT intake (HTTP `POST /api/v1/readings` still works)' },
  GRIDLOOP_MQTT_CLIENT_ID: { default: 'gridloop', meaning: "the MQTT client id of the persistent session: keep it stable (the broker holds QoS 1 messages for it while Gridloop is down) and unique per Gridloop installation on a shared broker" },
  GRIDLOOP_READINGS_RETENTION_DAYS: { default: '90', meaning: 'raw sensor readings older than this are deleted (hourly and daily rollups are kept); readings stamped before it are refused' },
  GRIDLOOP_READINGS_MAX_FUTURE_SECONDS: { default: '300', meaning: 'a reading stamped more than this after the server clock is refused (dead letter)' },
  GRIDLOOP_SIMULATE_SENSORS: { default: '0', meaning: '`1`: `serve` also runs the demo sensor simulator (`gridloop simulate-sensors`) on the active devices: to GRIDLOOP_MQTT_URL when set, else straight into the intake' },
  GRIDLOOP_SENSOR_SWEEP_SECONDS: { default: '60', meaning: 'how often `serve` checks offline alarm rules, purges old raw readings, snapshots the computed city indicators and runs the 重污染天气 rule on measured AQI (0 = never)' },
  GRIDLOOP_AIR_JOINT_ZONE: { default: '乌海及周边大气污染联防联控区:乌海市,石嘴山市,鄂尔多斯市,阿拉善盟', meaning: 'the 大气污染联防联控 zone the city shares, `name:member,member,…` (the demo city\'s by default; `off` = none): each 重污染天气 warning names it and its members, and its task cases say it is a joint response' },
  GRIDLOOP_RISK_LEC_THRESHOLDS: { default: '320,160,70', meaning: 'LEC (D = L×E×C) above the first is 重大 (红), from the second 较大 (橙), from the third 一般 (黄), else 低 (蓝) (UNVERIFIED defaults)' },
  GRIDLOOP_RISK_MATRIX_THRESHOLDS: { default: '20,15,9', meaning: '5×5 risk matrix (L×S) from the first 重大 (红), from the second 较大 (橙), from the third 一般 (黄), else 低 (蓝) (UNVERIFIED defaults)' },
  LOG_LEVEL: { default: 'info', meaning: 'pino log level (`fatal` … `trace`, `silent`)' },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The text of a setting: the environment's value, or the table's default when unset or empty. */
export function setting(env: Env, name: SettingName): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? SETTINGS[name].default : raw;
}

function int(env: Env, key: SettingName, min: number, max: number): number {
  const raw = setting(env, key);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
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

/**
 * Parses GRIDLOOP_TRUST_PROXY into Fastify's `trustProxy`: false when unset, a hop count for a
 * bare integer, else a list of addresses, CIDRs or proxy-addr's names. `true` (trust every peer)
 * is refused: anyone could then forge their address. Throws config_invalid.
 */
export function parseTrustProxy(text: string): false | number | string[] {
  const value = text.trim();
  if (value === '' || value === 'false' || value === 'off') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10) throw new AppError('config_invalid', `GRIDLOOP_TRUST_PROXY hop count must be 1–10, got "${text}"`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const cidrOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named && (family === 0 || !cidrOk || extra !== undefined)) {
      throw new AppError('config_invalid', `GRIDLOOP_TRUST_PROXY: "${entry}" is not an IP address, a CIDR, loopback, linklocal or uniquelocal (use a list of proxy addresses or a hop count; "true" is not allowed)`);
    }
  }
  return entries;
}

/** Parses a comma list of web origins (`https://host[:port]`), normalised. `*` allowed when `allowAny`. Throws config_invalid. */
export function parseOrigins(name: SettingName, text: string, allowAny = false): string[] {
  const out: string[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    if (entry === '*' && allowAny) {
      out.push('*');
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '').toLowerCase()) {
      throw new AppError('config_invalid', `${name}: "${entry}" is not an origin like https://city.example or http://localhost:5173`);
    }
    out.push(url.origin);
  }
  return out;
}

/** Parses "0-5" into local hours [from, to) (from may exceed to: "22-5" wraps midnight; "0-0" = never). Throws config_invalid. */
export function parseHours(text: string): { from: number; to: number } {
  const m = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 24) throw new AppError('config_invalid', `GRIDLOOP_PATROL_NIGHT_HOURS must be "from-to" hours like 0-5, got "${text}"`);
  return { from: Number(m[1]), to: Number(m[2]) };
}

/**
 * Parses a frequency table "key=period:times,…" (period: day, week, xun, month, quarter, halfyear,
 * year) whose keys must be among `keys`. Throws config_invalid.
 */
export function parseRuleTable(name: SettingName, text: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=((day|week|xun|month|quarter|halfyear|year):([1-9]\d{0,2}))$/.exec(entry);
    if (!m || !keys.includes(m[1])) throw new AppError('config_invalid', `${name}: "${entry}" is not key=period:times with key one of ${keys.join(', ')}`);
    out[m[1]] = m[2];
  }
  return out;
}

/** Parses "150302:560000,150303:102000" into people per district code. Throws config_invalid. */
export function parsePopulation(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d{6}):(\d{1,10})$/.exec(part);
    if (!m || Number(m[2]) <= 0) throw new AppError('config_invalid', `GRIDLOOP_DISTRICT_POPULATION entry "${part}" is not code:people`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** GRIDLOOP_MQTT_URL: empty = off, else an mqtt(s)/ws(s) URL. Throws config_invalid. */
export function parseMqttUrl(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text.trim());
  } catch {
    url = undefined;
  }
  if (!url || !/^(mqtts?|wss?|tcp|ssl):$/.test(url.protocol) || !url.hostname) throw new AppError('config_invalid', 'GRIDLOOP_MQTT_URL must be a broker URL like mqtt://127.0.0.1:1883 or mqtts://user:pass@broker.city:8883');
  return text.trim();
}

function parseClientId(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new AppError('config_invalid', 'GRIDLOOP_MQTT_CLIENT_ID: letters, digits, - and _, at most 64');
  return text;
}

/** Parses three descending positive thresholds "320,160,70". Throws config_invalid. */
export function parseThresholds(name: SettingName, text: string): [number, number, number] {
  const n = text.split(',').map((p) => Number(p.trim()));
  if (n.length !== 3 || n.some((v) => !(v > 0)) || !(n[0] > n[1] && n[1] > n[2])) throw new AppError('config_invalid', `${name} must be three descending positive numbers like 320,160,70, got "${text}"`);
  return [n[0], n[1], n[2]];
}

function oneOf<T extends string>(env: Env, name: SettingName, values: readonly T[]): T {
  const value = setting(env, name) as T;
  if (!values.includes(value)) throw new AppError('config_invalid', `${name} must be one of ${values.join(', ')}, got "${value}"`);
  return value;
}

/** `name:member,member` → the joint-control zone; `off` → none. Throws on a zone without a name or members. */
function parseJointZone(text: string): { name: string; members: string[] } | null {
  if (text.trim() === '' || text.trim() === 'off') return null;
  const at = text.indexOf(':');
  const name = at > 0 ? text.slice(0, at).trim() : '';
  const members = at > 0 ? text.slice(at + 1).split(',').map((m) => m.trim()).filter(Boolean) : [];
  if (!name || members.length === 0) throw new AppError('config_invalid', `GRIDLOOP_AIR_JOINT_ZONE must be name:member,member (got "${text}")`);
  return { name, members };
}

/** Builds the configuration from environment variables (or a test's overrides). Throws config_invalid. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(setting(env, 'GRIDLOOP_DATA_DIR'));
  const databaseUrl = setting(env, 'DATABASE_URL') || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('config_invalid', 'DATABASE_URL must start with postgres:// or postgresql://');
  }
  const timeZone = setting(env, 'GRIDLOOP_TIME_ZONE');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('config_invalid', `GRIDLOOP_TIME_ZONE "${timeZone}" is not an IANA time zone`);
  }
  const config: Config = {
    port: int(env, 'PORT', 0, 65535),
    host: setting(env, 'HOST'),
    dataDir,
    databaseUrl,
    timeZone,
    cityCode: setting(env, 'GRIDLOOP_CITY_CODE'),
    cityName: setting(env, 'GRIDLOOP_CITY_NAME'),
    caseNumberPrefix: setting(env, 'GRIDLOOP_CASE_PREFIX'),
    workPeriods: parseWorkPeriods(setting(env, 'GRIDLOOP_WORK_PERIODS')),
    hoursPerWorkDay: int(env, 'GRIDLOOP_HOURS_PER_WORK_DAY', 1, 24),
    lights: { yellow: 0.8, red: 1, severe: 3 },
    sweeper: {
      intervalSeconds: int(env, 'GRIDLOOP_SWEEP_SECONDS', 0, 86_400),
      batchSize: int(env, 'GRIDLOOP_SWEEP_BATCH', 1, 10_000),
      escalateAfterOverdue: int(env, 'GRIDLOOP_ESCALATE_AFTER_OVERDUE', 1, 100),
    },
    locateSnapMetres: int(env, 'GRIDLOOP_LOCATE_SNAP_METRES', 0, 100_000),
    gridCode: parseCodeLayout(setting(env, 'GRIDLOOP_CODE_LAYOUT')),
    attachments: {
      maxBytes: int(env, 'GRIDLOOP_ATTACHMENT_MAX_BYTES', 1024, 1024 * 1024 * 1024),
      dir: path.resolve(setting(env, 'GRIDLOOP_ATTACHMENT_DIR') || path.join(dataDir, 'attachments')),
    },
    bodyLimitBytes: int(env, 'GRIDLOOP_BODY_LIMIT_BYTES', 1024, 64 * 1024 * 1024),
    sessionTtlHours: int(env, 'GRIDLOOP_SESSION_TTL_HOURS', 1, 24 * 90),
    trustProxy: parseTrustProxy(setting(env, 'GRIDLOOP_TRUST_PROXY')),
    cookieSecure: oneOf(env, 'GRIDLOOP_COOKIE_SECURE', ['auto', 'always', 'never'] as const),
    trustedOrigins: parseOrigins('GRIDLOOP_TRUSTED_ORIGINS', setting(env, 'GRIDLOOP_TRUSTED_ORIGINS')),
    corsOrigins: parseOrigins('GRIDLOOP_CORS_ORIGINS', setting(env, 'GRIDLOOP_CORS_ORIGINS'), true),
    demoOnEmpty: setting(env, 'GRIDLOOP_DEMO') !== '0',
    logLevel: setting(env, 'LOG_LEVEL'),
    live: { heartbeatSeconds: int(env, 'GRIDLOOP_LIVE_HEARTBEAT_SECONDS', 1, 3600) },
    cluster: { leaderPollSeconds: int(env, 'GRIDLOOP_LEADER_POLL_SECONDS', 1, 60) },
    onTimeClosure: oneOf(env, 'GRIDLOOP_ON_TIME_CLOSURE', ['deadline', 'stages'] as const),
    privacy: { keys: setting(env, 'GRIDLOOP_PII_KEYS') || undefined, hmacKey: setting(env, 'GRIDLOOP_PII_HMAC_KEY') || undefined, retentionDays: int(env, 'GRIDLOOP_RETENTION_DAYS', 0, 36_500) },
    patrol: {
      maxSpeedKmh: int(env, 'GRIDLOOP_PATROL_MAX_SPEED_KMH', 1, 1000),
      bufferM: int(env, 'GRIDLOOP_PATROL_BUFFER_METRES', 1, 100_000),
      night: parseHours(setting(env, 'GRIDLOOP_PATROL_NIGHT_HOURS')),
      minDurationS: int(env, 'GRIDLOOP_PATROL_MIN_MINUTES', 0, 24 * 60) * 60,
      minDistanceM: int(env, 'GRIDLOOP_PATROL_MIN_METRES', 0, 1_000_000),
      riverFrequencies: parseRuleTable('GRIDLOOP_RIVER_FREQUENCIES', setting(env, 'GRIDLOOP_RIVER_FREQUENCIES'), ['province', 'city', 'district', 'street', 'community', 'village']),
      riskFrequencies: parseRuleTable('GRIDLOOP_RISK_FREQUENCIES', setting(env, 'GRIDLOOP_RISK_FREQUENCIES'), ['red', 'orange', 'yellow', 'blue']),
      riskThresholds: { lec: parseThresholds('GRIDLOOP_RISK_LEC_THRESHOLDS', setting(env, 'GRIDLOOP_RISK_LEC_THRESHOLDS')), matrix: parseThresholds('GRIDLOOP_RISK_MATRIX_THRESHOLDS', setting(env, 'GRIDLOOP_RISK_MATRIX_THRESHOLDS')) },
    },
    social: {
      petitionDayUnit: oneOf(env, 'GRIDLOOP_PETITION_DAYS', ['calendar', 'working'] as const) === 'calendar' ? 'calendar_days' : 'work_days',
      mediation: {
        courtDays: int(env, 'GRIDLOOP_MEDIATION_COURT_DAYS', 1, 365),
        courtExtensionDays: int(env, 'GRIDLOOP_MEDIATION_COURT_EXTENSION_DAYS', 0, 365),
        defaultDays: int(env, 'GRIDLOOP_MEDIATION_DEFAULT_DAYS', 1, 365),
      },
      districtPopulation: parsePopulation(setting(env, 'GRIDLOOP_DISTRICT_POPULATION')),
    },
    sensors: {
      mqttUrl: parseMqttUrl(setting(env, 'GRIDLOOP_MQTT_URL')),
      mqttClientId: parseClientId(setting(env, 'GRIDLOOP_MQTT_CLIENT_ID')),
      retentionDays: int(env, 'GRIDLOOP_READINGS_RETENTION_DAYS', 1, 36_500),
      maxFutureSeconds: int(env, 'GRIDLOOP_READINGS_MAX_FUTURE_SECONDS', 0, 86_400),
      sweepSeconds: int(env, 'GRIDLOOP_SENSOR_SWEEP_SECONDS', 0, 86_400),
      simulate: setting(env, 'GRIDLOOP_SIMULATE_SENSORS') === '1',
      jointZone: parseJointZone(setting(env, 'GRIDLOOP_AIR_JOINT_ZONE')),
    },
    ...overrides,
  };
  return config;
}
