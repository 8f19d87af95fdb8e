import type { RouteRecordRaw } from 'vue-router';

/** The workbench pages (Element Plus), all behind sign-in; admin pages for admins only. */
export const deskRoutes: RouteRecordRaw[] = [];
