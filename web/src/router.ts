import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useAuth } from './shared/auth';
import { deskRoutes } from './desk/routes';
import { screenRoutes } from './screen/routes';
import { reportRoutes } from './report/routes';
import { mRoutes } from './m/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page needs a signed-in user; others are sent to /login?next=… */
    auth?: boolean;
    /** Only these roles may open the page; others see 无权限. */
    roles?: string[];
  }
}

// Faces are lazy chunks: each face's routes file only names its pages with dynamic imports.
const routes: RouteRecordRaw[] = [
  { path: '/', component: () => import('./shared/pages/LandingPage.vue') },
  { path: '/login', component: () => import('./shared/pages/LoginPage.vue') },
  ...deskRoutes,
  ...screenRoutes,
  ...reportRoutes,
  ...mRoutes,
  { path: '/forbidden', component: () => import('./shared/pages/NotFoundPage.vue'), props: { kind: 'forbidden' } },
  { path: '/:pathMatch(.*)*', component: () => import('./shared/pages/NotFoundPage.vue') },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.auth)) return true;
  const auth = useAuth();
  await auth.ensureLoaded().catch(() => undefined);
  if (!auth.me) return { path: '/login', query: { next: to.fullPath } };
  const roles = to.matched.flatMap((r) => r.meta.roles ?? []);
  if (roles.length > 0 && !auth.hasRole(...roles)) return { path: '/forbidden', replace: true };
  return true;
});
