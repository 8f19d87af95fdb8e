/**
 * What the demo's sensors read: a deterministic model of each built-in kind's values at an instant
 * (pure; the same device and instant always give the same values). Used by the demo's reading
 * history and by `gridloop simulate-sensors`. The shapes are plausible for 乌海 (a dusty, coal-
 * industry city on the 黄河): winter heating raises PM2.5, SO2 and CO, spring brings dust (PM10),
 * summer afternoons bring ozone, and a few days a year are pollution episodes city-wide.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A device as the model needs it: its id (the noise seed), kind, and for water stations the body. */
export interface ModelDevice {
  id: string;
  kind: string;
  /** water_quality_station: river or lake (TP and TN differ), and how polluted the reach is (0 = clean). */
  waterBody?: 'river' | 'lake';
  load?: number;
}

/** A uniform number in [0, 1) from the parts (FNV-1a then a mulberry32 step). */
export function unit(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2c, 0x01000193);
  }
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A value around 1 (0.75–1.25) for a device and a time slot. */
const jitter = (id: string, slot: number, spread = 0.25) => 1 + spread * (2 * unit(id, slot) - 1);

/** The city-local day number and hour of an instant (offset in hours east of UTC). */
function local(at: number, offsetHours: number): { day: number; hour: number; doy: number } {
  const t = at + offsetHours * HOUR;
  const day = Math.floor(t / DAY);
  const d = new Date(t);
  const doy = Math.floor((t - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY);
  return { day, hour: d.getUTCHours(), doy };
}

/** 1 in mid-January, 0 in mid-July. */
const winter = (doy: number) => (Math.cos((2 * Math.PI * (doy - 15)) / 365) + 1) / 2;

/** Whether a city day is a pollution episode (heating season: more often), and how strong (1 = none). */
export function episodeFactor(day: number, doy: number): { smog: number; dust: number } {
  const w = winter(doy);
  // An episode lasts the day it starts and the next.
  const starts = (d: number) => unit('episode', d) < 0.02 + 0.05 * w;
  const smog = starts(day) || starts(day - 1) ? 1.8 + 1.4 * unit('smog', day) : 1;
  const spring = doy >= 60 && doy < 150;
  const dust = spring && unit('dust', day) < 0.08 ? 3 + 2 * unit('dust-size', day) : 1;
  return { smog, dust };
}

function air(id: string, at: number, offsetHours: number): Record<string, number> {
  const { day, hour, doy } = local(at, offsetHours);
  const w = winter(doy);
  const slot = Math.floor(at / HOUR);
  const { smog, dust } = episodeFactor(day, doy);
  // Rush hours and the night inversion lift primary pollutants; the afternoon sun makes ozone.
  const rush = hour >= 7 && hour <= 9 ? 1.2 : hour >= 18 && hour <= 22 ? 1.3 : hour >= 12 && hour <= 16 ? 0.8 : 1;
  const sun = hour >= 10 && hour <= 18 ? Math.sin(((hour - 10) / 8) * Math.PI) : 0;
  const station = 0.9 + 0.2 * unit(id, 'site');
  const pm25 = (17 + 30 * w) * rush * smog * (1 + (dust - 1) * 0.4) * station * jitter(id, slot);
  const pm10 = (pm25 * 1.35 + 18) * dust * jitter(id, slot + 0.5, 0.15);
  const so2 = (9 + 34 * w) * rush * Math.sqrt(smog) * station * jitter(id, slot + 0.25);
  const no2 = (20 + 14 * w) * rush * station * jitter(id, slot + 0.75);
  const o3 = (38 + (95 + 55 * (1 - w)) * sun * (1 - w * 0.7)) * jitter(id, slot + 0.125, 0.2);
  const co = (0.45 + 0.75 * w) * rush * Math.sqrt(smog) * jitter(id, slot + 0.375, 0.2);
  return { pm25: r1(pm25), pm10: r1(pm10), so2: r1(so2), no2: r1(no2), o3: r1(o3), co: Math.round(co * 100) / 100 };
}

function water(d: ModelDevice, at: number, offsetHours: number): Record<string, number> {
  const { day, doy } = local(at, offsetHours);
  const summer = 1 - winter(doy);
  const slot = Math.floor(at / (4 * HOUR));
  const load = d.load ?? 0;
  // Flood season (July–August) washes nutrients in on some days.
  const flood = doy >= 180 && doy < 243 && unit(d.id, 'flood', day) < 0.12 ? 1.8 : 1;
  const j = (k: number, s = 0.12) => jitter(d.id, slot + k, s);
  const lake = d.waterBody === 'lake';
  const v = {
    do: (8.9 - 1.9 * summer - 1.2 * load) * j(0.1, 0.06),
    codmn: (2.5 + 1.6 * load) * flood ** 0.5 * j(0.2),
    cod: (10.5 + 7 * load) * flood ** 0.5 * j(0.3),
    bod5: (1.9 + 1.2 * load) * j(0.4),
    nh3n: (0.22 + 0.5 * load) * flood * j(0.5, 0.2),
    tp: (lake ? 0.018 : 0.062 + 0.07 * load) * flood * j(0.6, 0.15),
    tn: (lake ? 0.4 : 1.3 + load) * flood ** 0.6 * j(0.7),
    ph: 8.1 * j(0.8, 0.02),
    temp: (3 + 21 * summer) * j(0.9, 0.05),
  };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'tp' || k === 'nh3n' ? Math.round(x * 1000) / 1000 : Math.round(x * 100) / 100]));
}

/**
 * The values of a device at an instant (metric → number), in the units of the built-in kinds
 * (src/sensors/device.kinds.ts). Unknown kinds read nothing (an empty object).
 */
export function modelValues(d: ModelDevice, at: number, offsetHours: number): Record<string, number> {
  const { day, hour, doy } = local(at, offsetHours);
  const slot = Math.floor(at / (10 * 60_000));
  switch (d.kind) {
    case 'air_station': return air(d.id, at, offsetHours);
    case 'water_quality_station': return water(d, at, offsetHours);
    case 'manhole_tilt': return { tilt: r1(0.4 + 0.8 * unit(d.id, slot)), battery: Math.max(20, r1(98 - (day % 500) * 0.12 - 6 * unit(d.id, 'bat'))) };
    case 'water_level': {
      // Summer storms: a few hours of standing water on low-lying roads.
      const storm = doy >= 160 && doy < 250 && unit('storm', day) < 0.1 && hour >= 14 && hour <= 19;
      return { level: storm ? r1(4 + 14 * unit(d.id, slot) * unit(d.id, 'low')) : 0, battery: r1(96 - 8 * unit(d.id, 'bat')) };
    }
    case 'smoke': return { smoke: Math.round(0.3 * unit(d.id, slot) * 100) / 100, battery: r1(97 - 10 * unit(d.id, 'bat')) };
    case 'noise': {
      const daytime = hour >= 6 && hour < 22;
      return { leq: r1((daytime ? 57 : 45) + 6 * unit(d.id, 'road') + 4 * (unit(d.id, slot) - 0.5)) };
    }
    case 'street_light': {
      const on = hour >= 19 || hour < 6 ? 1 : 0;
      return { on, power: on ? r1(142 + 12 * unit(d.id, slot)) : r1(0.4 + 0.3 * unit(d.id, slot)) };
    }
    case 'camera_event': {
      const busy = hour >= 8 && hour < 21 ? 4 : 1;
      return { events: Math.floor(busy * unit(d.id, slot) * 1.6) };
    }
    default: return {};
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The offset of a time zone from UTC at an instant, in hours (Asia/Shanghai: 8). */
export function offsetHoursOf(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000) / 60;
}
