import { ref } from 'vue';
import { api, unwrap } from '../shared/api/client';
import { useAuth } from '../shared/auth';
import { errorText } from '../shared/errors';

/** The grid worker's own area as GeoJSON (their grids, from GET /grids.geojson, scoped by the server). */
export function useMyGrid() {
  const auth = useAuth();
  const geojson = ref<unknown>(null);
  const names = ref<string[]>([]);
  const error = ref<string | null>(null);
  async function load(): Promise<void> {
    error.value = null;
    try {
      await auth.ensureLoaded();
      const fc = await unwrap(api.GET('/api/v1/grids.geojson', { params: { query: {} } }));
      geojson.value = fc;
      names.value = fc.features.map((f) => f.properties.name);
    } catch (err) {
      error.value = errorText(err);
    }
  }
  return { geojson, names, error, load, auth };
}
