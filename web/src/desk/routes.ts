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
      {
        path: 'admin',
        meta: { roles: ['admin'] },
        children: [
          { path: '', redirect: '/desk/admin/categories' },
          { path: 'categories', component: () => import('./admin/CategoriesAdmin.vue') },
          { path: 'routing', component: () => import('./admin/RoutingAdmin.vue') },
          { path: 'calendar', component: () => import('./admin/CalendarAdmin.vue') },
          { path: 'departments', component: () => import('./admin/DepartmentsAdmin.vue') },
          { path: 'users', component: () => import('./admin/UsersAdmin.vue') },
        ],
      },
    ],
  },
];
