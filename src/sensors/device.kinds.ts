import type { AppContext } from '../context.js';
import { deviceRepository } from './device.repository.js';

/** A kind of device: what it measures and which local category its alarms open. */
export interface DeviceKind {
  code: string;
  name: string;
  metrics: readonly string[];
  alarmCategory: string;
}

/** The category of cases opened by an offline rule (设备离线告警), whatever the device's kind. */
export const OFFLINE_CATEGORY = 'LGZ09';

/**
 * The built-in kinds (issue 14). Metric names are lower-case ASCII; units: air pollutants in μg/m³
 * (co in mg/m³), water parameters in mg/L, tilt in degrees, water level in cm, noise Leq in dB(A).
 * A city adds its own kinds through the API; these are seeded on boot when missing.
 */
export const BUILTIN_KINDS: readonly DeviceKind[] = [
  { code: 'air_station', name: '空气质量监测站', metrics: ['pm25', 'pm10', 'so2', 'no2', 'o3', 'co'], alarmCategory: 'LGZ05' },
  { code: 'water_quality_station', name: '水质自动监测站', metrics: ['do', 'codmn', 'cod', 'bod5', 'nh3n', 'tp', 'tn', 'ph', 'temp'], alarmCategory: 'LGZ04' },
  { code: 'manhole_tilt', name: '井盖倾斜传感器', metrics: ['tilt', 'battery'], alarmCategory: 'LGZ01' },
  { code: 'water_level', name: '积水水位传感器', metrics: ['level', 'battery'], alarmCategory: 'LGZ02' },
  { code: 'smoke', name: '烟感探测器', metrics: ['smoke', 'battery'], alarmCategory: 'LGZ03' },
  { code: 'noise', name: '噪声监测仪', metrics: ['leq'], alarmCategory: 'LGZ06' },
  { code: 'street_light', name: '智慧路灯', metrics: ['power', 'on'], alarmCategory: 'LGZ07' },
  { code: 'camera_event', name: '视频事件识别', metrics: ['events'], alarmCategory: 'LGZ08' },
];

/** Boot step: inserts the built-in kinds that are missing; never overwrites a city's edits. */
export async function seedDeviceKinds(app: AppContext): Promise<void> {
  await deviceRepository.insertMissingKinds(app.store.db, BUILTIN_KINDS, app.clock().toISOString());
}
