import type { RouteRecordRaw } from 'vue-router';

/** The citizen portal (Vant, phone first): report, track, my reports. No sign-in needed except "mine". */
export const reportRoutes: RouteRecordRaw[] = [
  {
    path: '/report',
    component: () => import('./ReportLayout.vue'),
    children: [
      { path: '', component: () => import('./ReportPage.vue') },
      { path: 'track', component: () => import('./TrackPage.vue') },
      { path: 'mine', component: () => import('./MyReportsPage.vue') },
    ],
  },
];
