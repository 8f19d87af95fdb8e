/** Strings of the workbench's patrol, 河长制 and 双重预防 pages (merged into desk.patrol). */
export const patrolZh = {
  roles: { grid_worker: '网格员', inspector: '核查员', leader: '负责人', handler: '处置人员', dispatcher: '派遣员' },
  nav: { group: '巡查与河长制', plans: '巡查计划', records: '巡查记录', compliance: '巡查考核', risk: '风险四色图', rivers: '河湖名录' },
  plans: {
    title: '巡查计划', hint: '谁、多久、按什么最低要求巡查哪个对象', create: '新建计划', edit: '修改计划', retire: '停用', retireConfirm: '停用计划“{name}”？停用后不再计入考核。',
    target: '巡查对象', kind: '类型', assignee: '责任人', org: '责任单位', level: '层级', frequency: '频次', minimums: '最低要求', startsOn: '起始日期', note: '备注', actions: '操作',
    role: '角色：{role}', person: '人员 ID', assigneeKind: '责任人类型', byRole: '按角色', byPerson: '指定人员',
    period: '周期', times: '次数', minMinutes: '最少时长（分钟）', minMetres: '最少里程（米）', minCoverage: '最低覆盖率', minText: '≥{m} 分钟 · ≥{d} 米', saved: '已保存', none: '暂无巡查计划', all: '全部类型',
  },
  records: {
    title: '巡查记录', person: '巡查人', startedAt: '开始时间', duration: '时长', distance: '里程', points: '轨迹点', flags: '标记', findings: '发现问题', none: '该期间没有巡查记录',
    track: '巡查轨迹', pick: '点击一条记录查看轨迹', legendTrack: '轨迹', legendTarget: '巡查对象', coverage: '覆盖率', speed: '最高速度 {n} km/h', from: '开始日期', to: '结束日期', startPoint: '起点', endPoint: '终点',
  },
  compliance: {
    title: '巡查考核', hint: '按计划应巡、已巡（达到最低要求）、未巡和完成率；速度异常或轨迹不在对象范围的不计入', groupBy: '汇总层级', drill: '下钻', up: '返回上级', csv: '导出 CSV',
    unit: '单位', required: '应巡', done: '已巡', missed: '未巡', rate: '完成率', tooShort: '未达要求', flagged: '异常', person: '责任人', target: '对象', none: '该期间没有考核数据', rows: '明细（按人和对象）', groups: '汇总',
    group: { plan: '按计划', district: '按区', street: '按街道', community: '按社区', grid: '按网格' },
  },
  risk: { title: '安全风险四色图', hint: '企业按其最高风险点着色', enterprises: '企业', name: '企业名称', industry: '行业', grid: '所在网格', level: '风险等级', points: '风险点', none: '暂无企业', map: '风险四色分布图' },
  rivers: {
    title: '河湖名录', hint: '河湖及河段、各级河长、责任部门（演示数据的河道位置为示意）', body: '河湖', reach: '河段', chiefs: '各级河长', department: '责任部门', target: '水质目标', phone: '河长办电话',
    board: '公示牌', demo: '演示几何', none: '暂无河湖', map: '河湖分布图', kind: { river: '河流', lake: '湖泊', channel: '排干/沟渠' },
  },
};

export const patrolEn: typeof patrolZh = {
  roles: { grid_worker: 'Grid worker', inspector: 'Inspector', leader: 'Head', handler: 'Handler', dispatcher: 'Dispatcher' },
  nav: { group: 'Patrols', plans: 'Patrol plans', records: 'Patrol records', compliance: 'Compliance', risk: 'Risk map', rivers: 'River register' },
  plans: {
    title: 'Patrol plans', hint: 'Who patrols which target, how often, with which minimums', create: 'New plan', edit: 'Edit plan', retire: 'Retire', retireConfirm: 'Retire the plan "{name}"? It stops counting in compliance.',
    target: 'Target', kind: 'Kind', assignee: 'Assignee', org: 'Responsible unit', level: 'Level', frequency: 'Frequency', minimums: 'Minimums', startsOn: 'Starts on', note: 'Note', actions: 'Actions',
    role: 'Role: {role}', person: 'User ID', assigneeKind: 'Assignee type', byRole: 'By role', byPerson: 'A person',
    period: 'Period', times: 'Times', minMinutes: 'Minimum minutes', minMetres: 'Minimum metres', minCoverage: 'Minimum coverage', minText: '≥{m} min · ≥{d} m', saved: 'Saved', none: 'No patrol plan yet', all: 'All kinds',
  },
  records: {
    title: 'Patrol records', person: 'Patroller', startedAt: 'Started', duration: 'Duration', distance: 'Distance', points: 'Points', flags: 'Flags', findings: 'Findings', none: 'No patrol in this period',
    track: 'Track', pick: 'Click a record to see its track', legendTrack: 'Track', legendTarget: 'Target', coverage: 'Coverage', speed: 'Top speed {n} km/h', from: 'Start date', to: 'End date', startPoint: 'Start', endPoint: 'End',
  },
  compliance: {
    title: 'Patrol compliance', hint: 'Required, done (meeting the minimums), missed and the rate per plan; implausible or off-target tracks do not count', groupBy: 'Sum by', drill: 'Drill down', up: 'Up one level', csv: 'Export CSV',
    unit: 'Unit', required: 'Required', done: 'Done', missed: 'Missed', rate: 'Rate', tooShort: 'Below minimums', flagged: 'Flagged', person: 'Assignee', target: 'Target', none: 'No compliance data in this period', rows: 'Rows (per person and target)', groups: 'Totals',
    group: { plan: 'Per plan', district: 'Per district', street: 'Per street', community: 'Per community', grid: 'Per grid' },
  },
  risk: { title: 'Work-safety risk map (four colours)', hint: 'Each enterprise coloured by its worst risk point', enterprises: 'Enterprises', name: 'Enterprise', industry: 'Industry', grid: 'Grid', level: 'Risk level', points: 'Risk points', none: 'No enterprise yet', map: 'Four-colour risk map' },
  rivers: {
    title: 'River and lake register', hint: 'Water bodies, reaches, chiefs by level, responsible department (demo courses are illustrative)', body: 'Water body', reach: 'Reach', chiefs: 'Chiefs by level', department: 'Department', target: 'Quality target', phone: 'Office phone',
    board: 'Public board', demo: 'Demo geometry', none: 'No water body yet', map: 'Map of rivers and lakes', kind: { river: 'River', lake: 'Lake', channel: 'Drainage channel' },
  },
};
