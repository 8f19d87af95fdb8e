/**
 * Where a report came from (recorded on every case; routing rules may match on it):
 * patrol 网格员巡查, hotline 12345, phone other phone lines, web / h5 / app / wechat citizen
 * reporting, email, open311 clients, sensor alarms (物联感知), staff on behalf of someone.
 */
export const CHANNELS = ['patrol', 'hotline', 'phone', 'web', 'h5', 'app', 'wechat', 'email', 'open311', 'sensor', 'staff'] as const;
export type Channel = (typeof CHANNELS)[number];
