/**
 * 环境空气质量指数 (AQI) by HJ 633-2012, as pure functions.
 *
 * Table 1 of the standard: IAQI breakpoints 0, 50, 100, 150, 200, 300, 400, 500 and, per pollutant
 * and averaging period, the concentrations at them (μg/m³; CO mg/m³). Hourly values use the 1-hour
 * tables for SO2, NO2, CO and O3; PM2.5 and PM10 have 24-hour tables only, which hourly reports use.
 *   IAQI = (IAQI_hi − IAQI_lo) / (BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo, rounded up to an integer.
 * Notes of Table 1: SO2 1-hour above 800 is not indexed, its 24-hour IAQI is reported instead;
 * O3 8-hour above 800 is not indexed, its 1-hour IAQI is reported instead. Above the last
 * breakpoint the IAQI is 500.
 * AQI = the highest IAQI; the primary pollutant(s) those at the AQI when the AQI exceeds 50.
 */

export const IAQI_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** Concentration breakpoints per pollutant and period (HJ 633-2012 Table 1). */
export const BREAKPOINTS = {
  so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  so2_1h: [0, 150, 500, 650, 800],
  no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600],
  co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
  co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
  pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500],
} as const satisfies Record<string, readonly number[]>;

export type Table = keyof typeof BREAKPOINTS;
export const POLLUTANTS = ['pm25', 'pm10', 'so2', 'no2', 'o3', 'co'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** The six levels (Table 2) with their category and colour. */
export const LEVELS = [
  { max: 50, grade: 1, name: '优', color: '#00e400' },
  { max: 100, grade: 2, name: '良', color: '#ffff00' },
  { max: 150, grade: 3, name: '轻度污染', color: '#ff7e00' },
  { max: 200, grade: 4, name: '中度污染', color: '#ff0000' },
  { max: 300, grade: 5, name: '重度污染', color: '#99004c' },
  { max: Infinity, grade: 6, name: '严重污染', color: '#7e0023' },
] as const;

export class AqiInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** The IAQI of concentration `c` on one table (null above a table that stops short, e.g. SO2 1 h > 800). */
export function iaqiOn(table: Table, c: number): number | null {
  const bp = BREAKPOINTS[table];
  if (!(c >= 0) || !Number.isFinite(c)) throw new AqiInputError(table, `${table}: a concentration must be a number ≥ 0`);
  for (let i = 1; i < bp.length; i++) {
    if (c <= bp[i]) return Math.ceil(((IAQI_STEPS[i] - IAQI_STEPS[i - 1]) / (bp[i] - bp[i - 1])) * (c - bp[i - 1]) + IAQI_STEPS[i - 1]);
  }
  return bp.length === IAQI_STEPS.length ? 500 : null;
}

export interface AqiInput {
  period: 'hour' | 'day';
  pm25?: number;
  pm10?: number;
  so2?: number;
  no2?: number;
  /** hour: the 1-hour value; day: the day's highest 8-hour moving average. */
  o3?: number;
  co?: number;
  /** day: the day's highest 1-hour O3 (indexed too; needed when the 8-hour value exceeds 800). */
  o3_1h?: number;
  /** hour: the 24-hour SO2, needed when the 1-hour value exceeds 800. */
  so2_24h?: number;
}

export interface AqiResult {
  aqi: number | null;
  primaryPollutant: string | null;
  primaryPollutants: string[];
  level: { grade: number; name: string; color: string } | null;
  iaqi: Record<string, number>;
}

function iaqiOf(input: AqiInput): Record<string, number> {
  const out: Record<string, number> = {};
  const hour = input.period === 'hour';
  if (input.pm25 !== undefined) out.pm25 = iaqiOn('pm25_24h', input.pm25) as number;
  if (input.pm10 !== undefined) out.pm10 = iaqiOn('pm10_24h', input.pm10) as number;
  if (input.no2 !== undefined) out.no2 = iaqiOn(hour ? 'no2_1h' : 'no2_24h', input.no2) as number;
  if (input.co !== undefined) out.co = iaqiOn(hour ? 'co_1h' : 'co_24h', input.co) as number;
  if (input.so2 !== undefined) {
    const v = hour ? iaqiOn('so2_1h', input.so2) : iaqiOn('so2_24h', input.so2);
    if (v !== null) out.so2 = v;
    else if (input.so2_24h !== undefined) out.so2 = iaqiOn('so2_24h', input.so2_24h) as number;
    else throw new AqiInputError('so2_24h', 'SO2 1-hour above 800 μg/m³ is not indexed (HJ 633-2012): give so2_24h, the 24-hour value');
  }
  if (hour) {
    if (input.o3 !== undefined) out.o3 = iaqiOn('o3_1h', input.o3) as number;
  } else {
    if (input.o3_1h !== undefined) out.o3_1h = iaqiOn('o3_1h', input.o3_1h) as number;
    if (input.o3 !== undefined) {
      const v = iaqiOn('o3_8h', input.o3);
      if (v !== null) out.o3_8h = v;
      else if (input.o3_1h === undefined) throw new AqiInputError('o3_1h', 'O3 8-hour above 800 μg/m³ is not indexed (HJ 633-2012): give o3_1h, the 1-hour value');
    }
  }
  return out;
}

/** The level (优 … 严重污染) of an AQI. */
export function levelOf(aqi: number): { grade: number; name: string; color: string } {
  const l = LEVELS.find((x) => aqi <= x.max) ?? LEVELS[LEVELS.length - 1];
  return { grade: l.grade, name: l.name, color: l.color };
}

/** AQI, primary pollutant(s), level and each IAQI of hourly or daily concentrations. Throws AqiInputError. */
export function computeAqi(input: AqiInput): AqiResult {
  const iaqi = iaqiOf(input);
  const values = Object.values(iaqi);
  if (values.length === 0) return { aqi: null, primaryPollutant: null, primaryPollutants: [], level: null, iaqi };
  const aqi = Math.max(...values);
  const primaryPollutants = aqi > 50 ? Object.entries(iaqi).filter(([, v]) => v === aqi).map(([k]) => k) : [];
  return { aqi, primaryPollutant: primaryPollutants.length ? primaryPollutants.join(',') : null, primaryPollutants, level: levelOf(aqi), iaqi };
}
