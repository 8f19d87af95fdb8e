/** Where a report came from. Recorded on every case; routing rules may match on it. */
export const CHANNELS = ['patrol', 'hotline', 'web', 'open311', 'sensor', 'staff', 'wechat', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];
