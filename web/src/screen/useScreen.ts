import { computed, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api, unwrap } from '../shared/api/client';
import type { Measure } from './charts';

export const PERIODS = ['today', '7d', '30d', 'year'] as const;
export type Period = (typeof PERIODS)[number];
export const MEASURES: readonly Measure[] = ['open', 'overdue', 'density', 'onTimeClosure', 'satisfaction', 'petitionBacklog'];
export const VIEWS = ['ops', 'vitals'] as const;
export type View = (typeof VIEWS)[number];

type Cards = Awaited<ReturnType<typeof fetchCards>>;
type Areas = Awaited<ReturnType<typeof fetchAreas>>;
type Rankings = Awaited<ReturnType<typeof fetchRankings>>;
type Trends = Awaited<ReturnType<typeof fetchTrends>>;
type Pins = Awaited<ReturnType<typeof fetchPins>>;
type Outlines = Awaited<ReturnType<typeof fetchOutlines>>;
export type { Cards, Areas, Rankings, Trends, Pins, Outlines };

const fetchCards = (org: string, period: Period) => unwrap(api.GET('/api/v1/screen/cards', { params: { query: { org, period } } }));
const fetchAreas = (org: string, period: Period, measure: Measure) => unwrap(api.GET('/api/v1/screen/areas', { params: { query: { org, period, measure } } }));
const fetchRankings = (org: string, period: Period) => unwrap(api.GET('/api/v1/screen/rankings', { params: { query: { org, period } } }));
const fetchTrends = (org: string, period: Period) => unwrap(api.GET('/api/v1/screen/trends', { params: { query: { org, period } } }));
const fetchPins = (org: string) => unwrap(api.GET('/api/v1/screen/pins', { params: { query: { org } } }));
const fetchOutlines = (org: string) => unwrap(api.GET('/api/v1/screen/outlines', { params: { query: { org } } }));
const fetchChain = (code: string) => unwrap(api.GET('/api/v1/org-units/{code}', { params: { path: { code } } }));

/**
 * The screen's state lives in the URL (`?org=…&period=…&measure=…`), so a link or a reload shows
 * the same view; this composable reads it, loads every panel for it, and reloads on change.
 */
export function useScreen(homeOrg: () => string) {
  const route = useRoute();
  const router = useRouter();
  const org = computed(() => (typeof route.query.org === 'string' && /^\d{4,20}$/.test(route.query.org) ? route.query.org : homeOrg()));
  const period = computed<Period>(() => (PERIODS as readonly string[]).includes(String(route.query.period)) ? (route.query.period as Period) : '30d');
  const measure = computed<Measure>(() => (MEASURES as readonly string[]).includes(String(route.query.measure)) ? (route.query.measure as Measure) : 'open');
  const view = computed<View>(() => (route.query.view === 'vitals' ? 'vitals' : 'ops'));

  const data = reactive({
    cards: null as Cards | null, areas: null as Areas | null, rankings: null as Rankings | null, trends: null as Trends | null,
    pins: null as Pins | null, outlines: null as Outlines | null, chain: [] as { code: string; name: string; level: string }[],
  });
  const loading = ref(false);
  const error = ref<string | null>(null);
  const updatedAt = ref<Date | null>(null);

  function set(patch: { org?: string; period?: Period; measure?: Measure; view?: View }) {
    const query = { org: patch.org ?? org.value, period: patch.period ?? period.value, measure: patch.measure ?? measure.value, view: patch.view ?? view.value };
    return router.replace({ path: '/screen', query });
  }

  let generation = 0;
  /** Loads every panel; `figuresOnly` skips the geometry and the breadcrumb (live refresh). */
  async function reload(figuresOnly = false) {
    const mine = ++generation;
    if (!figuresOnly) loading.value = true;
    try {
      const o = org.value;
      const [cards, areas, rankings, trends, pins, outlines, unit] = await Promise.all([
        fetchCards(o, period.value), fetchAreas(o, period.value, measure.value), fetchRankings(o, period.value), fetchTrends(o, period.value), fetchPins(o),
        figuresOnly && data.outlines ? Promise.resolve(data.outlines) : fetchOutlines(o),
        figuresOnly && data.chain.length ? Promise.resolve(null) : fetchChain(o),
      ]);
      if (mine !== generation) return;
      Object.assign(data, { cards, areas, rankings, trends, pins, outlines });
      if (unit) data.chain = unit.chain.filter((u) => u.code !== '' && unit.chain.findIndex((c) => c.code === homeOrg()) <= unit.chain.indexOf(u));
      error.value = null;
      updatedAt.value = new Date();
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  watch([org, period, measure], ([o], [before]) => {
    if (o !== before) data.outlines = null;
    void reload();
  }, { immediate: true });

  return { org, period, measure, view, data, loading, error, updatedAt, set, reload };
}
