import { shallowRef } from 'vue';
import { api, unwrap } from '../../shared/api/client';

const cache = shallowRef<unknown>(null);
let pending: Promise<unknown> | null = null;

/** The grids of my area as GeoJSON (the base map of the patrol pages), loaded once per visit. */
export function useOutlines() {
  if (!cache.value && !pending) {
    pending = unwrap(api.GET('/api/v1/grids.geojson', { params: { query: {} } }))
      .then((fc) => (cache.value = fc))
      .finally(() => (pending = null));
  }
  return cache;
}

/** Red, orange, yellow, blue: the four risk colours (and grey for none). */
export const RISK_COLORS: Record<string, string> = { red: '#e5484d', orange: '#f76b15', yellow: '#f5c400', blue: '#0b5fff', none: '#9aa4b2' };
