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
      { path: 'disputes', component: () => import('./CaseList.vue'), props: { area: 'disputes' } },
      { path: 'disputes/new', component: () => import('./social/SocialIntake.vue'), props: { kind: 'dispute' } },
      { path: 'petitions', component: () => import('./CaseList.vue'), props: { area: 'petitions' } },
      { path: 'petitions/new', component: () => import('./social/SocialIntake.vue'), props: { kind: 'petition' } },
      { path: 'petitions/backlog', component: () => import('./social/PetitionBacklog.vue') },
      { path: 'social-kpis', component: () => import('./social/SocialKpis.vue') },
      { path: 'patrol/plans', component: () => import('./patrol/PatrolPlans.vue') },
      { path: 'patrol/records', component: () => import('./patrol/PatrolRecords.vue') },
      { path: 'patrol/compliance', component: () => import('./patrol/PatrolCompliance.vue') },
      { path: 'patrol/risk', component: () => import('./patrol/RiskMap.vue') },
      { path: 'patrol/rivers', component: () => import('./patrol/RiverRegister.vue') },
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
