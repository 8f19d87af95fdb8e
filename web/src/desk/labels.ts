import { useI18n } from 'vue-i18n';

/** Translated names of server codes (status, action, light, channel), falling back to the server's label. */
export function useLabels() {
  const { t, te } = useI18n();
  const pick = (group: string, key: string, fallback?: string) => (te(`desk.${group}.${key}`) ? t(`desk.${group}.${key}`) : (fallback ?? key));
  return {
    status: (key: string, fallback?: string) => pick('status', key, fallback),
    action: (key: string, fallback?: string) => pick('action', key, fallback),
    light: (key: string) => pick('light', key),
    channel: (key: string) => pick('channel', key),
    queue: (key: string, fallback?: string) => pick('queues', key, fallback),
    unit: (key: string) => pick('units', key),
  };
}

/** Element Plus tag types per light, so colour matches the words. */
export const LIGHT_TAG: Record<string, 'success' | 'warning' | 'danger' | 'info'> = { green: 'success', yellow: 'warning', red: 'danger', severe: 'danger', none: 'info' };
