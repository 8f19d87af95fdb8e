import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiFailure, unwrap, type Schemas } from './api/client';

type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;

async function fetchMe() {
  const { data, response } = await api.GET('/api/v1/me');
  if (response.status === 401) return null;
  if (!response.ok || !data) throw new ApiFailure(response.status, `http_${response.status}`, response.statusText);
  return data;
}

/** The signed-in user (GET /me), login and logout. `ensureLoaded` is what the route guard awaits. */
export const useAuth = defineStore('auth', () => {
  const me = ref<Me | null>(null);
  const loaded = ref(false);
  let pending: Promise<void> | null = null;

  async function reload(): Promise<void> {
    me.value = await fetchMe();
    loaded.value = true;
  }

  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    pending ??= reload().finally(() => (pending = null));
    return pending;
  }

  /** Signs in; throws ApiFailure (`invalid_credentials` 401, `too_many_requests` 429 …). */
  async function login(username: string, password: string): Promise<void> {
    await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }));
    await reload();
  }

  async function logout(): Promise<void> {
    await unwrap(api.POST('/api/v1/auth/logout'));
    me.value = null;
  }

  const role = computed(() => me.value?.roles[0] ?? null);
  const hasRole = (...roles: string[]) => !!me.value && me.value.roles.some((r) => roles.includes(r));
  return { me, loaded, role, hasRole, ensureLoaded, reload, login, logout };
});

export type { Me, Schemas };
