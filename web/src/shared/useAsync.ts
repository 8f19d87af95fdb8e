import { ref, shallowRef, type Ref } from 'vue';

/** Data loading with its states together: `data`, `loading`, `error` (an Error or ApiFailure) and `reload`. */
export function useAsync<T>(load: () => Promise<T>, opts: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let seq = 0;
  async function reload(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const value = await load();
      if (mine === seq) data.value = value;
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  if (opts.immediate !== false) void reload();
  return { data, loading, error, reload };
}
