import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, unwrap } from './api/client';
import { formatDate, formatDateTime } from './format';

/** Public facts about this server (city name, time zone), loaded once; dates format in that zone. */
export const useMeta = defineStore('meta', () => {
  const cityName = ref<string | null>(null);
  const timeZone = ref('Asia/Shanghai');
  const loaded = ref(false);
  let pending: Promise<void> | null = null;

  function load(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    pending ??= unwrap(api.GET('/api/v1/meta'))
      .then((meta) => {
        cityName.value = meta.city?.name ?? null;
        timeZone.value = meta.timeZone;
        loaded.value = true;
      })
      .finally(() => (pending = null));
    return pending;
  }

  const dateTime = (value: string | null | undefined) => formatDateTime(value, timeZone.value);
  const date = (value: string | null | undefined) => formatDate(value, timeZone.value);
  return { cityName, timeZone, loaded, load, dateTime, date };
});
