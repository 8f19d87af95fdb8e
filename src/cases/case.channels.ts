/**
 * Where a report came from (recorded on every case; routing rules may match on it):
 * patrol 网格员巡查, hotline 12345, phone other phone lines, web / h5 / app / wechat citizen
 * reporting, email, open311 clients, sensor alarms (物联感知), staff on behalf of someone; 信访
 * 来访 (visit, also a party walking in to a 调委会), 来信 (letter), 网上信访 (online), and a court's
 * referral to pre-suit mediation (court, 委派/委托调解).
 */
export const CHANNELS = ['patrol', 'hotline', 'phone', 'web', 'h5', 'app', 'wechat', 'email', 'open311', 'sensor', 'staff', 'visit', 'letter', 'online', 'court'] as const;
export type Channel = (typeof CHANNELS)[number];
