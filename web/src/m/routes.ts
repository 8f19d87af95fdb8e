import type { RouteRecordRaw } from 'vue-router';

/** The grid worker's phone pages (Vant): my grid and tasks, patrol report, a patrol with its track, a task's actions. */
export const mRoutes: RouteRecordRaw[] = [
  {
    path: '/m',
    component: () => import('./MLayout.vue'),
    meta: { auth: true, roles: ['grid_worker', 'admin'] },
    children: [
      { path: '', component: () => import('./MHome.vue') },
      { path: 'report', component: () => import('./MReport.vue') },
      { path: 'patrol', component: () => import('./MPatrol.vue') },
      { path: 'cases/:id', component: () => import('./MCase.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    ],
  },
];
