/** The demo city's 专业部门 (city level) with the keywords of the categories they own by default. */
export const DEMO_DEPARTMENTS: { code: string; name: string; keywords: RegExp }[] = [
  { code: 'SW', name: '市水务局', keywords: /供水|污水|雨水|中水|排水|化粪池|水域|河道|堤岸|沙（河）滩|污水口|水质|河湖|排污/ },
  { code: 'RQ', name: '市燃气公司', keywords: /燃气/ },
  { code: 'GD', name: '供电公司乌海分公司', keywords: /电力|电缆|路灯|信号灯电源|架空线缆|加油（气、电）站/ },
  { code: 'TX', name: '通信管线办', keywords: /通信|电视|网络/ },
  { code: 'RL', name: '市热力公司', keywords: /热力/ },
  { code: 'JJ', name: '公安局交警支队', keywords: /交通信号|交通岗亭|机动车乱停放|停车|交通标志|交通标线|减速带|交通护栏|防撞桶|隔离|公安/ },
  { code: 'YL', name: '市园林局', keywords: /园林|绿|树|花|喷泉|林地|病虫害|伐树|公园/ },
  { code: 'HW', name: '市环卫中心', keywords: /垃圾|道路不洁|遗撒|公共厕所|公厕|环卫|动物尸体|积雪|焚烧|烟头|宠物/ },
  { code: 'ZJ', name: '市住建局', keywords: /施工|工地|渣土|掘路|无证建设|道路破损|桥|隧道|台阶|路缘石|盲道|无障碍|边坡|井盖|箅子|消防设施|房|地下/ },
  { code: 'STHJ', name: '市生态环境局', keywords: /油烟|噪声|扬尘|环保|气象|医疗废物|污染/ },
  { code: 'YJ', name: '市应急管理局', keywords: /隐患|烟感|消防通道/ },
  { code: 'SCJG', name: '市市场监管局', keywords: /无证餐饮|无照经营|农贸市场|屠宰|出版物/ },
  { code: 'XF', name: '市信访局', keywords: /信访/ },
  { code: 'SF', name: '市司法局（人民调解）', keywords: /纠纷/ },
  { code: 'RX', name: '12345 热线办', keywords: /咨询|求助|投诉|举报|意见建议|诉求/ },
  // The catch-all: 城管 takes every category no one else claimed.
  { code: 'CG', name: '市城市管理综合执法局', keywords: /./ },
];

/** District branches of 城管, used by routing rules for 街面秩序 and 宣传广告 in their district. */
export const DEMO_DISTRICT_CG: { code: string; name: string; org: string }[] = [
  { code: 'CG-HBW', name: '海勃湾区城管执法局', org: '150302' },
  { code: 'CG-HN', name: '海南区城管执法局', org: '150303' },
  { code: 'CG-WD', name: '乌达区城管执法局', org: '150304' },
];

/** One demo user per role; every password is `gridloop-demo`. */
export const DEMO_PASSWORD = 'gridloop-demo';
export const DEMO_USERS: { username: string; role: string; org: string; department?: string; name: string }[] = [
  { username: 'admin', role: 'admin', org: '150300', name: '系统管理员' },
  { username: 'leader', role: 'leader', org: '150300', name: '市领导' },
  { username: 'dispatcher', role: 'dispatcher', org: '150300', name: '市指挥中心派遣员' },
  { username: 'hotline', role: 'dispatcher', org: '150300', name: '12345 话务员' },
  { username: 'handler', role: 'handler', org: '150300', department: 'HW', name: '环卫中心处置员' },
  { username: 'handler_cg', role: 'handler', org: '150300', department: 'CG', name: '城管执法队员' },
  { username: 'inspector', role: 'inspector', org: '150302', name: '海勃湾区核查员' },
  { username: 'mediator', role: 'mediator', org: '150302001', name: '凤凰岭街道调解员' },
  { username: 'gridworker', role: 'grid_worker', org: '150302001002', name: '和平社区网格员' },
  { username: 'gridworker2', role: 'grid_worker', org: '150302001003', name: '公园社区网格员' },
  { username: 'citizen', role: 'citizen', org: '150300', name: '市民' },
  // The other districts' inspectors: they inspect their district's risk points (双重预防).
  { username: 'inspector_hn', role: 'inspector', org: '150303', name: '海南区安全检查员' },
  { username: 'inspector_wd', role: 'inspector', org: '150304', name: '乌达区安全检查员' },
];
