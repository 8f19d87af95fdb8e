import { i18n } from './i18n';

/** How often a plan asks for a patrol, in the page's language ({period: 'week', times: 1} → 每周 1 次). */
export function frequencyText(f: { period: string; times: number; label?: string }): string {
  const key = `patrol.freq.${f.period}`;
  return i18n.global.te(key) ? i18n.global.t(key, { n: f.times }) : (f.label ?? `${f.times}/${f.period}`);
}

/** A distance in metres, as metres under 1 km, else km with one decimal. */
export function distanceText(metres: number): string {
  const t = i18n.global.t;
  return metres < 1000 ? t('patrol.metres', { n: Math.round(metres) }) : t('patrol.km', { n: (metres / 1000).toFixed(1) });
}

/** A duration in seconds, as seconds under a minute, minutes under an hour, else hours and minutes. */
export function durationText(seconds: number): string {
  const t = i18n.global.t;
  if (seconds < 60) return t('patrol.seconds', { n: Math.round(seconds) });
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? t('patrol.minutes', { n: minutes }) : t('patrol.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A label from a `patrol.<group>.<key>` message, or the key itself when there is none. */
export function patrolLabel(group: 'kind' | 'level' | 'flag' | 'risk', key: string | null | undefined): string {
  if (!key) return '—';
  const k = `patrol.${group}.${key}`;
  return i18n.global.te(k) ? i18n.global.t(k) : key;
}

const ZH_PERIODS: Record<string, string> = { 每日: 'day', 每周: 'week', 每旬: 'xun', 每月: 'month', 每季度: 'quarter', 每半年: 'halfyear', 每年: 'year' };

/** A server frequency label ("每周 1 次") in the page's language; other text as it is. */
export function frequencyLabelText(label: string): string {
  const m = /^(\S+?)\s*(\d+)\s*次$/.exec(label);
  return m && ZH_PERIODS[m[1]] ? frequencyText({ period: ZH_PERIODS[m[1]], times: Number(m[2]), label }) : label;
}
