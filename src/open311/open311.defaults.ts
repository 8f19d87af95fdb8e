import type { Question } from './open311.questions.js';
import type { ServiceType } from './open311.services.js';

/** Shipped Open311 settings for a few categories: editable afterwards, never re-applied once a category has settings. */
export interface ServiceDefault {
  code: string;
  type: ServiceType;
  notice?: string;
  questions?: Question[];
}

// Sensor alarms arrive in bursts from IoT gateways: batch intake, answered with a token.
const sensorQuestions: Question[] = [
  { code: 'device_code', datatype: 'string', required: true, datatype_description: '设备编号，如 WH-JG-000123', order: 1, description: '告警设备编号' },
  { code: 'reading', datatype: 'number', required: false, datatype_description: '数值，单位见设备说明', order: 2, description: '告警读数' },
  { code: 'measured_at', datatype: 'datetime', required: false, datatype_description: 'ISO 8601，如 2026-11-26T10:00:00+08:00', order: 3, description: '测量时间' },
];

const sensor = (code: string): ServiceDefault => ({ code, type: 'batch', notice: '物联网告警已接收，系统将自动生成案件并派遣处置。', questions: sensorQuestions });

export const SERVICE_DEFAULTS: readonly ServiceDefault[] = [
  sensor('LGZ01'),
  sensor('LGZ02'),
  sensor('LGZ03'),
  sensor('LGZ04'),
  {
    // 暴露垃圾: shows every kind of question a city form uses.
    code: '06010',
    type: 'realtime',
    questions: [
      { code: 'photo_hint', datatype: 'text', required: false, datatype_description: null, order: 1, description: '请尽量拍摄垃圾全貌并包含周边参照物。', variable: false },
      {
        code: 'volume', datatype: 'singlevaluelist', required: true, datatype_description: null, order: 2, description: '垃圾数量',
        values: [{ key: 'small', name: '少量（一袋以内）' }, { key: 'pile', name: '一堆（1 立方米以内）' }, { key: 'large', name: '大量（超过 1 立方米）' }],
      },
      {
        code: 'waste_type', datatype: 'multivaluelist', required: false, datatype_description: '可多选', order: 3, description: '垃圾类型',
        values: [{ key: 'household', name: '生活垃圾' }, { key: 'construction', name: '建筑垃圾' }, { key: 'bulky', name: '大件垃圾' }, { key: 'hazardous', name: '有害垃圾' }],
      },
      { code: 'access_notes', datatype: 'text', required: false, datatype_description: '可换行', order: 4, description: '位置补充说明（如楼栋、门牌、通道）' },
    ],
  },
];
