import { onBeforeUnmount, ref } from 'vue';

/** A case event of GET /api/v1/live. */
export interface LiveCase {
  id: number;
  number: string;
  status: string;
  light: string;
  categoryCode: string;
  channel: string;
  orgPath: string;
  lon: number | null;
  lat: number | null;
  at: string;
}

export interface LiveItem extends LiveCase {
  kind: 'case.created' | 'case.changed';
  /** Receipt order, for stable keys. */
  seq: number;
}

/**
 * Subscribes to the live feed (server-sent events; the browser reconnects and resumes with
 * Last-Event-ID by itself). Calls `onEvent` for every case event and `onResync` when the server
 * dropped events for this client, so the caller reloads its figures.
 */
export function useLive(onEvent: (item: LiveItem) => void, onResync: () => void) {
  const connected = ref(false);
  let seq = 0;
  const source = new EventSource('/api/v1/live');
  source.onopen = () => (connected.value = true);
  source.onerror = () => (connected.value = false);
  const handle = (kind: LiveItem['kind']) => (e: MessageEvent<string>) => {
    try {
      onEvent({ ...(JSON.parse(e.data) as LiveCase), kind, seq: ++seq });
    } catch {
      // a malformed frame is skipped; the next resync repairs the figures
    }
  };
  source.addEventListener('case.created', handle('case.created'));
  source.addEventListener('case.changed', handle('case.changed'));
  source.addEventListener('resync', () => onResync());
  onBeforeUnmount(() => source.close());
  return { connected };
}
