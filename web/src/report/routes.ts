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
  {
    // 河长公示牌: public, the page behind a physical board's QR code.
    path: '/river',
    component: () => import('./ReportLayout.vue'),
    children: [
      { path: '', component: () => import('./RiverBoardList.vue') },
      { path: ':code', component: () => import('./RiverBoardPage.vue'), props: (r) => ({ code: String(r.params.code) }) },
    ],
  },
];
