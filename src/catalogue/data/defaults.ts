import type { TimeLimit } from '../time-limits.js';

/**
 * Default 处置 (handle) limits for standard categories, from the local 立结案 examples in
 * ../shared/reference/cn-governance-rules.md §1.6 (暴露垃圾 4 工作时, 道路不洁 2 工作时 …).
 * Categories not listed get 1 工作日. All are editable per city through the API.
 */
export const HANDLE_LIMITS: Record<string, TimeLimit> = {
  '06001': { amount: 20, unit: 'work_days' }, // 私搭乱建: 拆除 20 工作日
  '06010': { amount: 4, unit: 'work_hours' }, // 暴露垃圾
  '06011': { amount: 2, unit: 'work_days' }, // 积存垃圾渣土 (渣土堆 2 工作日)
  '06012': { amount: 2, unit: 'work_hours' }, // 道路不洁
  '06014': { amount: 2, unit: 'work_hours' }, // 道路遗撒
  '06017': { amount: 4, unit: 'work_hours' }, // 绿地脏乱 (绿地保洁 4 工作时)
  '06018': { amount: 4, unit: 'work_hours' }, // 绿化弃料
  '06021': { amount: 5, unit: 'work_days' }, // 病虫害 (绿地养护 5 工作日)
  '06036': { amount: 4, unit: 'work_hours' }, // 乱堆杂物
  '06042': { amount: 2, unit: 'work_hours' }, // 垃圾站（箱）满溢
  '08005': { amount: 4, unit: 'work_hours' }, // 施工废弃料 (建筑垃圾 4 工作时)
  '09006': { amount: 2, unit: 'work_hours' }, // 占道经营
  '09009': { amount: 2, unit: 'work_hours' }, // 机动车乱停放
  '10001': { amount: 4, unit: 'work_hours' }, // 道路积雪、结冰
};

/** Priority 1 (urgent) … 4 (low); matters that endanger people are urgent. */
export const URGENT_CODES = new Set(['01001', '01002', '01003', '01004', '01005', '01011', '01013', '02014', '06013', '06048', '10001', '10002']);

/** Local extension categories (not in GB/T 47678.5): 12345 demands, disputes, petitions, hazards, river issues, sensor alarms. */
export interface LocalCategory {
  code: string;
  classCode: string;
  className: string;
  name: string;
  workflow: 'urban' | 'hotline' | 'mediation' | 'petition' | 'hazard';
  handle: TimeLimit;
  priority: number;
  keywords: string;
}

const hotline = (code: string, name: string, handle: TimeLimit, priority = 3): LocalCategory => ({ code, classCode: 'L12', className: '12345诉求', name, workflow: 'hotline', handle, priority, keywords: '12345,热线,接诉即办' });
const urban = (classCode: string, className: string, keywords: string) => (code: string, name: string, handle: TimeLimit, priority = 3): LocalCategory => ({ code, classCode, className, name, workflow: 'urban', handle, priority, keywords });

// Disputes and petitions run their own flows; their clocks come from configuration (social.limits.ts).
const dispute = (code: string, name: string, priority = 3): LocalCategory => ({ code, classCode: 'LMD', className: '矛盾纠纷', name, workflow: 'mediation', handle: { amount: 30, unit: 'calendar_days' }, priority, keywords: '矛盾纠纷,调解,枫桥经验' });
const petition = (code: string, name: string, priority = 2): LocalCategory => ({ code, classCode: 'LXF', className: '信访', name, workflow: 'petition', handle: { amount: 60, unit: 'calendar_days' }, priority, keywords: '信访,来信,来访' });
const hazard = urban('LYH', '安全隐患', '隐患,双重预防,安全生产');
/** 双重预防 hazards in the hazard flow: the level (一般/重大) is the report's `hazardLevel`, not the category. */
const safety = (code: string, name: string): LocalCategory => ({ code, classCode: 'LYH', className: '安全隐患', name, workflow: 'hazard', handle: { amount: 10, unit: 'work_days' }, priority: 2, keywords: '隐患,双重预防,安全生产,隐患排查治理' });
const river = urban('LHH', '河湖问题', '河长制,河湖');
const sensor = urban('LGZ', '感知告警', '物联网,传感器,告警');

export const LOCAL_CATEGORIES: LocalCategory[] = [
  hotline('L1201', '咨询', { amount: 7, unit: 'calendar_days' }, 4),
  hotline('L1202', '求助', { amount: 7, unit: 'calendar_days' }),
  hotline('L1203', '投诉', { amount: 7, unit: 'calendar_days' }),
  hotline('L1204', '举报', { amount: 7, unit: 'calendar_days' }),
  hotline('L1205', '意见建议', { amount: 15, unit: 'calendar_days' }, 4),
  hotline('L1206', '紧急诉求（可能造成生命财产损失）', { amount: 2, unit: 'hours' }, 1),
  hotline('L1207', '水电气热诉求', { amount: 24, unit: 'hours' }, 2),
  hotline('L1208', '复杂疑难诉求', { amount: 15, unit: 'calendar_days' }),
  dispute('LMD01', '邻里纠纷'),
  dispute('LMD02', '婚姻家庭纠纷'),
  dispute('LMD03', '物业纠纷'),
  dispute('LMD04', '劳动争议'),
  dispute('LMD05', '土地承包纠纷'),
  dispute('LMD06', '征地拆迁纠纷', 2),
  dispute('LMD07', '消费纠纷'),
  dispute('LMD08', '医疗纠纷', 2),
  dispute('LMD09', '交通事故纠纷'),
  dispute('LMD99', '其他纠纷'),
  petition('LXF01', '信访事项'),
  petition('LXF02', '涉法涉诉信访'),
  petition('LXF03', '城乡建设信访'),
  petition('LXF04', '劳动社保信访'),
  petition('LXF05', '农村农业信访'),
  petition('LXF06', '环境保护信访'),
  hazard('LYH01', '一般事故隐患', { amount: 3, unit: 'work_days' }, 2),
  hazard('LYH02', '重大事故隐患', { amount: 30, unit: 'calendar_days' }, 1),
  safety('LYH10', '生产安全事故隐患'),
  safety('LYH11', '消防安全隐患'),
  safety('LYH12', '危险化学品安全隐患'),
  safety('LYH13', '特种设备安全隐患'),
  river('LHH01', '水体污染', { amount: 2, unit: 'work_days' }, 2),
  river('LHH02', '河道垃圾漂浮', { amount: 1, unit: 'work_days' }),
  river('LHH03', '非法排污', { amount: 1, unit: 'work_days' }, 2),
  river('LHH04', '侵占河道', { amount: 10, unit: 'work_days' }),
  sensor('LGZ01', '井盖位移告警', { amount: 2, unit: 'hours' }, 1),
  sensor('LGZ02', '道路积水告警', { amount: 4, unit: 'hours' }, 2),
  sensor('LGZ03', '烟感告警', { amount: 30, unit: 'minutes' }, 1),
  sensor('LGZ04', '水质超标告警', { amount: 4, unit: 'hours' }, 2),
  sensor('LGZ05', '空气质量超标告警', { amount: 4, unit: 'hours' }, 2),
  sensor('LGZ06', '噪声超标告警', { amount: 1, unit: 'work_days' }),
  sensor('LGZ07', '路灯故障告警', { amount: 1, unit: 'work_days' }),
  sensor('LGZ08', '视频事件告警', { amount: 2, unit: 'hours' }, 2),
  sensor('LGZ09', '设备离线告警', { amount: 1, unit: 'work_days' }),
  sensor('LGZ10', '重污染天气应急任务', { amount: 1, unit: 'calendar_days' }, 1),
  sensor('LGZ11', '断面水质不达标', { amount: 5, unit: 'work_days' }, 2),
];
