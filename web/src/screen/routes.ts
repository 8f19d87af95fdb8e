import type { RouteRecordRaw } from 'vue-router';

/** 一屏观全城: the big screen, for signed-in staff (leaders and admins first of all). */
export const screenRoutes: RouteRecordRaw[] = [
  {
    path: '/screen',
    component: () => import('./ScreenPage.vue'),
    meta: { auth: true, roles: ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'mediator'] },
  },
];
