import type { RouteRecordRaw } from 'vue-router';

/** The workbench pages (Element Plus), all behind sign-in; admin pages for admins only. */
export const deskRoutes: RouteRecordRaw[] = [
  {
    path: '/desk',
    component: () => import('./DeskLayout.vue'),
    meta: { auth: true },
    children: [
      { path: '', component: () => import('./DeskHome.vue') },
      { path: 'cases', component: () => import('./CaseList.vue') },
      { path: 'cases/:id(\\d+)', component: () => import('./case/CasePage.vue'), props: (r) => ({ id: Number(r.params.id) }) },
      { path: 'new', component: () => import('./NewCase.vue') },
    ],
  },
];
