import { socialEn, socialZh } from './social/i18n';
import { patrolEn, patrolZh } from './patrol/i18n';

/** The workbench's strings (merged into vue-i18n when the workbench loads). */
const zhCN = {
  desk: {
    title: '工作台',
    nav: { home: '我的待办', cases: '案件查询', new: '新建案件', social: '矛盾纠纷与信访', admin: '系统管理' },
    queues: {
      title: '我的待办',
      hint: '点击队列查看案件',
      empty: '当前角色没有待办队列。',
      unit: '件',
      verify: '待核实', register: '待立案', dispatch: '待派遣', handle: '待签收/处置中', check: '待核查', callback: '待回访', close: '待结案', overdue: '超期/红灯', supervised: '督办',
    },
    status: {
      reported: '上报', verified: '已核实', rejected: '不予立案', registered: '立案', dispatched: '已派遣', handling: '处置中', handled: '已处置', checked: '已核查', closed: '结案',
      suspended: '挂起', reopened: '重新办理', merged: '已合并', voided: '已作废', accepted: '受理', replied: '答复', callback_done: '已回访',
      lodged: '登记', not_accepted: '不予受理', processing: '办理中', answered: '已答复', reviewing: '复查中', reviewed: '已复查', rechecking: '复核中', hearing: '听证',
      rechecked: '已复核', received: '受理', assigned: '已分派调解员', mediating: '调解中', agreed: '调解成功', failed: '调解不成', followed_up: '已回访', transferred: '已转调解',
    },
    channel: { patrol: '监督员巡查', hotline: '12345热线', phone: '电话', web: '网站', h5: '移动端', app: 'App', wechat: '微信', email: '电子邮件', open311: 'Open311', sensor: '物联感知', staff: '工作人员', visit: '来访', letter: '来信', online: '网上信访', court: '法院委派' },
    light: { green: '绿', yellow: '黄', red: '红', severe: '严重超期', none: '—' },
    action: {
      verify: '核实', reject: '不予立案', register: '立案', dispatch: '派遣', accept: '签收', complete: '处置完成', check_pass: '核查通过', check_fail: '核查不通过', close: '结案',
      return: '退回', reassign: '改派', request_extension: '申请延期', approve_extension: '批准延期', suspend: '挂起', resume: '恢复', escalate: '上报上级', supervise: '督办',
      merge: '合并', void: '作废', reopen: '重新办理', reply: '答复', callback: '回访', report: '上报', sweep: '时限检查',
      alarm: '感知告警', alarm_clear: '告警解除', water_below_target: '水质低于目标', water_recovered: '水质恢复',
      request_review: '请求复查', review_opinion: '复查意见', request_recheck: '请求复核', start_hearing: '听证', recheck_opinion: '复核意见',
      assign: '分派调解员', start_mediation: '开始调解', succeed: '调解成功', fail: '调解不成', transfer: '转调解',
      ...socialZh.event,
    },
    list: {
      title: '案件查询',
      status: '状态', area: '区域', class: '大类', category: '小类', channel: '来源', light: '亮灯', overdue: '仅超期', dates: '上报日期', text: '关键词',
      textPlaceholder: '编号、描述或地址', from: '开始日期', to: '结束日期', any: '全部', search: '查询', reset: '重置', export: '导出 CSV',
      number: '编号', description: '问题描述', address: '地址', createdAt: '上报时间', stageDeadline: '本环节时限', priority: '优先级',
      queue: '队列：{name}', clearQueue: '清除队列', total: '共 {n} 件', empty: '没有符合条件的案件。',
    },
    case: {
      back: '返回列表', forbiddenText: '此案件不存在，或不在您的权限范围内。', number: '编号', status: '状态', category: '类别', channel: '来源', createdAt: '上报时间',
      description: '问题描述', address: '地址', reporter: '上报人', phone: '电话', anonymous: '未留姓名', department: '责任部门', none: '无',
      actions: '可执行操作', noActions: '您在当前状态下没有可执行的操作。', map: '位置', grid: '网格 {code}', photos: '照片',
      before: '处置前', after: '处置后', other: '其他', noPhotos: '暂无照片', upload: '上传照片', uploadPhase: '照片类型', uploading: '正在上传…', uploaded: '照片已上传',
      routing: '派遣依据', noRouting: '无自动派遣规则命中', duplicates: '疑似重复', noDuplicates: '未发现疑似重复案件', merge: '合并到此案', timeline: '处置过程',
      stageSla: '本环节', caseSla: '全案', remaining: '剩余 {time}', overdueBy: '已超期 {time}', dueAt: '时限 {at}', suspended: '已挂起', noSla: '无进行中的时限',
      hoursMinutes: '{h} 小时 {m} 分', workHoursMinutes: '{h} 工作时 {m} 分', supervised: '督办中', escalation: '已上报上级 {n} 次', version: '版本 {v}',
      done: '操作成功：{action}', reloaded: '已刷新为最新状态',
    },
    form: {
      title: '{action}', department: '责任部门', note: '说明', notePlaceholder: '请填写原因或说明', extensionAmount: '延期时长', extensionUnit: '（按本环节时限单位）',
      photo: '处置后照片', photoHint: '请上传处置后的现场照片', photoRequired: '请先选择一张处置后照片。', contacted: '已联系到市民', solved: '问题已解决', satisfaction: '满意度',
      satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意', yes: '是', no: '否', targetCaseId: '合并到的案件编号（ID）', submit: '提交', required: '请填写{field}。',
      newDeadline: '新期限',
      plan: {
        hint: '重大隐患治理方案（目标任务、方法措施、经费物资、机构人员、时限要求、安全措施和应急预案）；治理时限即案件期限。',
        targets: '治理目标和任务', measures: '方法和措施', funds: '治理经费（元）', materials: '物资', organisation: '负责治理的机构', responsible: '负责人',
        deadline: '治理时限', requirements: '治理要求', safetyMeasures: '安全措施', emergencyPlan: '应急预案',
      },
    },
    intake: {
      title: '新建案件（热线受理）', caller: '来电人', callerName: '姓名', callerPhone: '电话', category: '问题类别', categorySearch: '按名称或编码搜索', byClass: '或按大类选择',
      location: '位置', area: '所在社区', pickOnMap: '在地图上点击选择位置', picked: '已选位置：{lon}, {lat}（{grid}）', address: '详细地址', description: '问题描述', submit: '提交受理',
      created: '已受理，案件编号 {number}', open: '查看案件', needPoint: '请选择所在社区并在地图上点击位置。', needCategory: '请选择问题类别。', needDescription: '请填写问题描述。', outside: '该位置不在任何网格内',
    },
    admin: {
      categories: '类别与时限', routing: '派遣规则', calendar: '工作日历', departments: '专业部门', users: '用户与密钥',
      code: '编码', name: '名称', class: '大类', workflow: '流程', departmentCode: '默认部门', limits: '各环节时限', edit: '编辑', stage: '环节', amount: '时长', unit: '单位', saved: '已保存',
      ruleName: '规则名称', position: '顺序', active: '启用', test: '测试规则', testCategory: '类别编码', testOrg: '区域编码', testChannel: '来源', explain: '试算', result: '结果：{dept}', trace: '匹配过程',
      weekdays: '一,二,三,四,五,六,日', month: '月份', workday: '工作日', holiday: '休息日', markWorkday: '设为工作日', markHoliday: '设为休息日', importIcs: '导入 .ics 文件', importNotice: '导入国务院放假通知（JSON）', imported: '已导入 {n} 天', dayName: '名称',
      orgCode: '所属区域', addDepartment: '新增部门', username: '用户名', role: '角色', password: '初始密码', addUser: '新增用户', disabled: '停用', keys: 'API 密钥', keyName: '密钥名称',
      createKey: '创建密钥', keyShownOnce: '请立即复制保存，此密钥只显示这一次：', revoke: '吊销', keyId: '密钥 ID', revoked: '已吊销',
    },
    social: socialZh,
    patrol: patrolZh,
    units: { work_hours: '工作时', work_days: '工作日', calendar_days: '自然日', hours: '小时', minutes: '分钟' },
  },
};

const en: typeof zhCN = {
  desk: {
    title: 'Workbench',
    nav: { home: 'My queues', cases: 'Cases', new: 'New case', social: 'Disputes & petitions', admin: 'Administration' },
    queues: {
      title: 'My queues',
      hint: 'Open a queue to see its cases',
      empty: 'Your role has no work queues.',
      unit: 'cases',
      verify: 'To verify', register: 'To register', dispatch: 'To dispatch', handle: 'To accept / handling', check: 'To check', callback: 'To call back', close: 'To close', overdue: 'Overdue / red', supervised: 'Supervised',
    },
    status: {
      reported: 'Reported', verified: 'Verified', rejected: 'Rejected', registered: 'Registered', dispatched: 'Dispatched', handling: 'Handling', handled: 'Handled', checked: 'Checked', closed: 'Closed',
      suspended: 'Suspended', reopened: 'Reopened', merged: 'Merged', voided: 'Voided', accepted: 'Accepted', replied: 'Replied', callback_done: 'Called back',
      lodged: 'Registered', not_accepted: 'Not accepted', processing: 'Being handled', answered: 'Answered', reviewing: 'Under review', reviewed: 'Reviewed', rechecking: 'Under re-examination', hearing: 'Hearing',
      rechecked: 'Re-examined', received: 'Received', assigned: 'Mediator assigned', mediating: 'Mediating', agreed: 'Agreement reached', failed: 'Mediation failed', followed_up: 'Followed up', transferred: 'Transferred to mediation',
    },
    channel: { patrol: 'Patrol', hotline: '12345 hotline', phone: 'Phone', web: 'Web', h5: 'Mobile web', app: 'App', wechat: 'WeChat', email: 'E-mail', open311: 'Open311', sensor: 'Sensors', staff: 'Staff', visit: 'Visit', letter: 'Letter', online: 'Online petition', court: 'Court referral' },
    light: { green: 'Green', yellow: 'Yellow', red: 'Red', severe: 'Severely overdue', none: '—' },
    action: {
      verify: 'Verify', reject: 'Reject', register: 'Register', dispatch: 'Dispatch', accept: 'Accept', complete: 'Complete', check_pass: 'Pass check', check_fail: 'Fail check', close: 'Close',
      return: 'Return', reassign: 'Reassign', request_extension: 'Request extension', approve_extension: 'Approve extension', suspend: 'Suspend', resume: 'Resume', escalate: 'Escalate', supervise: 'Supervise',
      merge: 'Merge', void: 'Void', reopen: 'Reopen', reply: 'Reply', callback: 'Call back', report: 'Reported', sweep: 'Deadline check',
      alarm: 'Sensor alarm', alarm_clear: 'Alarm cleared', water_below_target: 'Water below target', water_recovered: 'Water quality recovered',
      request_review: 'Request review', review_opinion: 'Review opinion', request_recheck: 'Request re-examination', start_hearing: 'Hearing', recheck_opinion: 'Re-examination opinion',
      assign: 'Assign mediator', start_mediation: 'Start mediation', succeed: 'Agreement reached', fail: 'Mediation failed', transfer: 'Transfer to mediation',
      ...socialEn.event,
    },
    list: {
      title: 'Cases',
      status: 'Status', area: 'Area', class: 'Class', category: 'Category', channel: 'Channel', light: 'Light', overdue: 'Overdue only', dates: 'Reported', text: 'Text',
      textPlaceholder: 'Number, description or address', from: 'From', to: 'To', any: 'Any', search: 'Search', reset: 'Reset', export: 'Export CSV',
      number: 'Number', description: 'Description', address: 'Address', createdAt: 'Reported at', stageDeadline: 'Stage deadline', priority: 'Priority',
      queue: 'Queue: {name}', clearQueue: 'Clear queue', total: '{n} cases', empty: 'No case matches these filters.',
    },
    case: {
      back: 'Back to the list', forbiddenText: 'This case does not exist or is outside your area.', number: 'Number', status: 'Status', category: 'Category', channel: 'Channel', createdAt: 'Reported at',
      description: 'Description', address: 'Address', reporter: 'Reporter', phone: 'Phone', anonymous: 'No name given', department: 'Department', none: 'None',
      actions: 'Actions', noActions: 'You have no action on this case in its current state.', map: 'Location', grid: 'Grid {code}', photos: 'Photos',
      before: 'Before', after: 'After', other: 'Other', noPhotos: 'No photos yet', upload: 'Upload a photo', uploadPhase: 'Photo type', uploading: 'Uploading…', uploaded: 'Photo uploaded',
      routing: 'Why this department', noRouting: 'No routing rule matched', duplicates: 'Possible duplicates', noDuplicates: 'No possible duplicates found', merge: 'Merge into this', timeline: 'Timeline',
      stageSla: 'This stage', caseSla: 'Whole case', remaining: '{time} left', overdueBy: 'Overdue by {time}', dueAt: 'Due {at}', suspended: 'Suspended', noSla: 'No running deadline',
      hoursMinutes: '{h} h {m} min', workHoursMinutes: '{h} working h {m} min', supervised: 'Supervised', escalation: 'Escalated {n} times', version: 'Version {v}',
      done: 'Done: {action}', reloaded: 'Reloaded to the latest state',
    },
    form: {
      title: '{action}', department: 'Department', note: 'Note', notePlaceholder: 'Give the reason or a note', extensionAmount: 'Extension', extensionUnit: '(in the unit of this stage’s limit)',
      photo: 'After photo', photoHint: 'Upload a photo of the site after handling', photoRequired: 'Choose an after photo first.', contacted: 'Reached the citizen', solved: 'Problem solved', satisfaction: 'Satisfaction',
      satisfied: 'Satisfied', basically_satisfied: 'Mostly satisfied', dissatisfied: 'Dissatisfied', yes: 'Yes', no: 'No', targetCaseId: 'Merge into case (ID)', submit: 'Submit', required: 'Please fill in: {field}.',
      newDeadline: 'New deadline',
      plan: {
        hint: 'Remediation plan of a major hazard (targets, measures, funds and materials, organisation and people, deadline, safety measures and emergency plan); its deadline becomes the case’s.',
        targets: 'Targets and tasks', measures: 'Methods and measures', funds: 'Funds (yuan)', materials: 'Materials', organisation: 'Organisation in charge', responsible: 'Person responsible',
        deadline: 'Deadline', requirements: 'Requirements', safetyMeasures: 'Safety measures', emergencyPlan: 'Emergency plan',
      },
    },
    intake: {
      title: 'New case (hotline intake)', caller: 'Caller', callerName: 'Name', callerPhone: 'Phone', category: 'Category', categorySearch: 'Search by name or code', byClass: 'or pick by class',
      location: 'Location', area: 'Community', pickOnMap: 'Click the map to place the case', picked: 'Placed at {lon}, {lat} ({grid})', address: 'Address', description: 'Description', submit: 'Submit',
      created: 'Taken in as case {number}', open: 'Open the case', needPoint: 'Choose the community and click the map.', needCategory: 'Choose a category.', needDescription: 'Describe the problem.', outside: 'That point is in no grid',
    },
    admin: {
      categories: 'Categories and limits', routing: 'Routing rules', calendar: 'Working calendar', departments: 'Departments', users: 'Users and API keys',
      code: 'Code', name: 'Name', class: 'Class', workflow: 'Workflow', departmentCode: 'Default department', limits: 'Stage limits', edit: 'Edit', stage: 'Stage', amount: 'Amount', unit: 'Unit', saved: 'Saved',
      ruleName: 'Rule', position: 'Order', active: 'Active', test: 'Test a rule', testCategory: 'Category code', testOrg: 'Area code', testChannel: 'Channel', explain: 'Explain', result: 'Result: {dept}', trace: 'How the rules matched',
      weekdays: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun', month: 'Month', workday: 'Working day', holiday: 'Day off', markWorkday: 'Make working day', markHoliday: 'Make day off', importIcs: 'Import an .ics file', importNotice: 'Import a State Council notice (JSON)', imported: 'Imported {n} days', dayName: 'Name',
      orgCode: 'Area', addDepartment: 'Add department', username: 'User name', role: 'Role', password: 'Initial password', addUser: 'Add user', disabled: 'Disabled', keys: 'API keys', keyName: 'Key name',
      createKey: 'Create key', keyShownOnce: 'Copy it now; this key is shown only once:', revoke: 'Revoke', keyId: 'Key ID', revoked: 'Revoked',
    },
    social: socialEn,
    patrol: patrolEn,
    units: { work_hours: 'working hours', work_days: 'working days', calendar_days: 'calendar days', hours: 'hours', minutes: 'minutes' },
  },
};

export const messages = { 'zh-CN': zhCN, en };
