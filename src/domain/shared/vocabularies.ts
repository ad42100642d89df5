/**
 * Every coded value the API takes or gives, with its Chinese and English label and, where one
 * exists, the official term of the regulations (低保 → 最低生活保障). Inputs keep the stable codes;
 * these labels are what a front end shows. Served at GET /api/v1/vocabularies and attached to the
 * enums of the OpenAPI document (x-enum-descriptions).
 */
export interface VocabularyTerm {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  /** The term the regulations use, where it differs from the everyday label. */
  readonly official?: string;
}

export interface Vocabulary {
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly terms: readonly VocabularyTerm[];
}

const t = (code: string, zh: string, en: string, official?: string): VocabularyTerm => (official ? { code, zh, en, official } : { code, zh, en });

export const VOCABULARIES: readonly Vocabulary[] = [
  {
    name: 'program',
    zh: '救助项目',
    en: 'assistance programme',
    terms: [
      t('dibao', '低保', 'minimum living allowance', '最低生活保障'),
      t('tekun', '特困供养', 'support for people in extreme poverty', '特困人员救助供养'),
      t('temporary', '临时救助', 'temporary assistance', '临时救助'),
      t('orphan', '孤儿', 'orphan', '孤儿基本生活保障'),
      t('unsupported_child', '事实无人抚养儿童', 'de facto unsupported child', '事实无人抚养儿童基本生活保障'),
    ],
  },
  {
    name: 'population_group',
    zh: '重点人群',
    en: 'population group',
    terms: [
      t('dibao', '低保对象', 'minimum living allowance beneficiary', '最低生活保障对象'),
      t('tekun_scattered', '分散供养特困人员', 'person in extreme poverty, scattered support', '分散供养特困人员'),
      t('tekun_institution', '集中供养特困人员', 'person in extreme poverty, institutional support', '集中供养特困人员'),
      t('orphan', '孤儿', 'orphan', '孤儿'),
      t('de_facto_unsupported_child', '事实无人抚养儿童', 'de facto unsupported child', '事实无人抚养儿童'),
      t('left_behind_child', '留守儿童', 'left-behind child', '农村留守儿童'),
      t('left_behind_woman', '留守妇女', 'left-behind woman', '农村留守妇女'),
      t('left_behind_elder', '留守老年人', 'left-behind elder', '农村留守老年人'),
      t('disability', '残疾人', 'person with a disability', '残疾人'),
      t('mental_disorder', '严重精神障碍患者', 'person with a severe mental disorder', '严重精神障碍患者'),
      t('poverty_relapse_monitoring', '防止返贫监测对象', 'poverty-relapse monitoring', '防止返贫监测对象'),
    ],
  },
  {
    name: 'relation',
    zh: '与户主关系',
    en: 'relation to the head of household',
    terms: [
      t('head', '户主', 'head of household'),
      t('spouse', '配偶', 'spouse'),
      t('child', '子女', 'child'),
      t('parent', '父母', 'parent'),
      t('grandparent', '（外）祖父母', 'grandparent'),
      t('grandchild', '（外）孙子女', 'grandchild'),
      t('sibling', '兄弟姐妹', 'sibling'),
      t('daughter_in_law', '儿媳', 'daughter-in-law'),
      t('son_in_law', '女婿', 'son-in-law'),
      t('other', '其他', 'other'),
    ],
  },
  {
    name: 'sex',
    zh: '性别（由身份证号推导）',
    en: 'sex (derived from the ID number)',
    terms: [t('male', '男', 'male'), t('female', '女', 'female')],
  },
  {
    name: 'disability_type',
    zh: '残疾类别',
    en: 'disability type',
    terms: [
      t('visual', '视力残疾', 'visual disability'),
      t('hearing', '听力残疾', 'hearing disability'),
      t('speech', '言语残疾', 'speech disability'),
      t('physical', '肢体残疾', 'physical disability'),
      t('intellectual', '智力残疾', 'intellectual disability'),
      t('mental', '精神残疾', 'mental disability'),
      t('multiple', '多重残疾', 'multiple disabilities'),
    ],
  },
  {
    name: 'labour_capacity',
    zh: '劳动能力',
    en: 'capacity to work',
    terms: [t('full', '有劳动能力', 'full capacity'), t('partial', '部分丧失劳动能力', 'partial capacity'), t('none', '无劳动能力', 'no capacity')],
  },
  {
    name: 'school_status',
    zh: '就学状况',
    en: 'schooling',
    terms: [
      t('not_school_age', '未到入学年龄', 'not of school age'),
      t('preschool', '学前教育', 'preschool'),
      t('primary', '小学', 'primary school'),
      t('junior_secondary', '初中', 'junior secondary school'),
      t('senior_secondary', '高中', 'senior secondary school'),
      t('vocational', '中职', 'vocational school'),
      t('college', '大专及以上', 'college or university'),
      t('dropout', '辍学', 'dropped out'),
      t('graduated', '已毕业', 'graduated'),
    ],
  },
  {
    name: 'income_stability',
    zh: '收入稳定性',
    en: 'income stability',
    terms: [t('stable', '稳定', 'stable'), t('unstable', '不稳定', 'unstable')],
  },
  {
    name: 'need_category',
    zh: '需求类别',
    en: 'need category',
    terms: [
      t('income', '收入', 'income'),
      t('health', '健康', 'health'),
      t('housing', '住房', 'housing'),
      t('family', '家庭', 'family'),
      t('education', '教育', 'education'),
      t('disaster', '灾害', 'disaster'),
      t('other', '其他', 'other'),
    ],
  },
  {
    name: 'visit_kind',
    zh: '走访类型',
    en: 'kind of visit',
    terms: [
      t('routine', '日常走访', 'routine visit'),
      t('review', '复核走访', 'review visit'),
      t('emergency', '紧急走访', 'emergency visit'),
      t('care', '关爱走访', 'care visit'),
      t('alert_follow_up', '预警跟进', 'alert follow-up'),
    ],
  },
  {
    name: 'visit_obligation',
    zh: '走访义务',
    en: 'visit obligation',
    terms: [
      t('group_monthly_visit', '村民小组每月走访', 'monthly visit to a villager group'),
      t('household_monthly_visit', '家庭每月走访', 'monthly visit to a household'),
      t('dynamic_review', '动态复核', 'dynamic review'),
    ],
  },
  {
    name: 'obligation_status',
    zh: '完成情况',
    en: 'obligation status',
    terms: [t('done', '已完成', 'done'), t('due', '待完成', 'due'), t('overdue', '已逾期', 'overdue')],
  },
  {
    name: 'worker_level',
    zh: '社工层级',
    en: 'worker level',
    terms: [t('county', '县级', 'county'), t('town', '乡镇级', 'town'), t('village', '村级', 'village')],
  },
  {
    name: 'worker_status',
    zh: '在职状态',
    en: 'employment status',
    terms: [t('employed', '在职', 'employed'), t('left', '已离职', 'left')],
  },
  {
    name: 'certificate_level',
    zh: '职业资格等级',
    en: 'social-work qualification',
    terms: [
      t('assistant', '助理社会工作师', 'assistant social worker', '助理社会工作师'),
      t('social_worker', '社会工作师', 'social worker', '社会工作师'),
      t('senior', '高级社会工作师', 'senior social worker', '高级社会工作师'),
    ],
  },
  {
    name: 'training_kind',
    zh: '培训形式',
    en: 'kind of training',
    terms: [t('all_staff', '全员培训', 'all-staff training'), t('video', '视频培训', 'video training'), t('external', '外出培训', 'external training')],
  },
  {
    name: 'role',
    zh: '角色',
    en: 'role',
    terms: [
      t('admin', '系统管理员', 'administrator'),
      t('county_worker', '县级社工', 'county worker'),
      t('town_worker', '乡镇社工站社工', 'town worker'),
      t('village_worker', '村（社区）社工', 'village worker'),
      t('auditor', '审计人员', 'auditor'),
      t('evaluator', '考评委员会委员', 'evaluator'),
      t('civil_affairs_officer', '县民政局审批人员', 'civil-affairs officer'),
      t('town_official', '乡镇人民政府审批人员', 'town official'),
    ],
  },
  {
    name: 'village_kind',
    zh: '村类型',
    en: 'kind of village',
    terms: [t('village', '行政村', 'administrative village'), t('community', '社区', 'urban community')],
  },
  {
    name: 'unit_status',
    zh: '在用状态',
    en: 'status of a unit',
    terms: [t('active', '在用', 'active'), t('retired', '已撤销', 'retired')],
  },
  {
    name: 'unit_kind',
    zh: '单位层级',
    en: 'kind of unit',
    terms: [t('worker', '社工', 'worker'), t('village', '村', 'village'), t('town', '乡镇', 'town')],
  },
  {
    name: 'station_kind',
    zh: '站点类型',
    en: 'kind of station',
    terms: [
      t('town_station', '乡镇社工站', 'town social-work station', '乡镇（街道）社工站'),
      t('service_point', '村（社区）服务点', 'village service point', '村（社区）社会工作服务点'),
    ],
  },
  {
    name: 'station_status',
    zh: '站点状态',
    en: 'station status',
    terms: [t('planned', '规划中', 'planned'), t('operating', '运营中', 'operating')],
  },
  {
    name: 'station_standard_item',
    zh: '建设标准项目',
    en: 'station standard item',
    terms: [
      t('venue', '场地', 'venue'),
      t('equipment', '设备', 'equipment'),
      t('staff', '人员', 'staff'),
      t('service_functions', '服务功能', 'service functions'),
      t('workflows', '工作流程', 'workflows'),
      t('rules', '规章制度', 'rules'),
    ],
  },
  {
    name: 'volunteer_status',
    zh: '志愿者状态',
    en: 'volunteer status',
    terms: [t('registered', '已注册', 'registered'), t('withdrawn', '已退出', 'withdrawn')],
  },
  {
    name: 'team_status',
    zh: '队伍状态',
    en: 'team status',
    terms: [t('active', '活动中', 'active'), t('disbanded', '已解散', 'disbanded')],
  },
  {
    name: 'open_status',
    zh: '办理状态',
    en: 'open or closed',
    terms: [t('open', '未结', 'open'), t('closed', '已结', 'closed')],
  },
  {
    name: 'team_kind',
    zh: '志愿服务队类型',
    en: 'kind of volunteer team',
    terms: [
      t('silver_pioneer', '银龄先锋', 'silver pioneers'),
      t('women', '巾帼志愿', 'women volunteers'),
      t('caring_parents', '爱心家长', 'caring parents'),
      t('youth', '青年志愿', 'youth volunteers'),
      t('village_mutual_aid_elder_care', '村级互助养老', 'village mutual-aid elder care', '农村互助养老服务队'),
      t('other', '其他', 'other'),
    ],
  },
  {
    name: 'service_target',
    zh: '服务对象类型',
    en: 'service target',
    terms: [
      t('child', '儿童', 'children'),
      t('elder', '老年人', 'elders'),
      t('disabled', '残疾人', 'people with disabilities'),
      t('hardship', '困难群众', 'people in hardship'),
    ],
  },
  {
    name: 'project_kind',
    zh: '项目类型',
    en: 'kind of project',
    terms: [
      t('government_purchased', '政府购买服务项目', 'government-purchased project', '政府购买社会工作服务'),
      t('brand', '品牌项目', 'brand project'),
      t('station', '社工站项目', 'station project'),
    ],
  },
  {
    name: 'donor_kind',
    zh: '捐赠人类型',
    en: 'kind of donor',
    terms: [t('company', '企业', 'company'), t('person', '个人', 'person'), t('online_platform', '网络平台', 'online platform')],
  },
  {
    name: 'payment_channel',
    zh: '付款渠道',
    en: 'payment channel',
    terms: [
      t('bank_transfer', '银行转账', 'bank transfer'),
      t('cash', '现金', 'cash'),
      t('mobile_payment', '移动支付', 'mobile payment'),
      t('online_charity', '网络慈善平台', 'online charity platform'),
      t('other', '其他', 'other'),
    ],
  },
  {
    name: 'summary_grouping',
    zh: '汇总口径',
    en: 'grouping of a summary',
    terms: [t('volunteer', '按志愿者', 'by volunteer'), t('team', '按队伍', 'by team'), t('month', '按月份', 'by month')],
  },
  {
    name: 'period_kind',
    zh: '考核期类型',
    en: 'kind of period',
    terms: [t('month', '月度', 'month'), t('quarter', '季度', 'quarter'), t('half_year', '半年度', 'half year'), t('year', '年度', 'year')],
  },
  {
    name: 'rating',
    zh: '考核等次',
    en: 'rating',
    terms: [t('优秀', '优秀', 'excellent'), t('合格', '合格', 'satisfactory'), t('不合格', '不合格', 'unsatisfactory')],
  },
  {
    name: 'rating_status',
    zh: '评定状态',
    en: 'rating status',
    terms: [t('rated', '已评定', 'rated'), t('awaiting_assessment', '待评定', 'awaiting assessment')],
  },
  {
    name: 'score_source',
    zh: '评分来源',
    en: 'score source',
    terms: [t('committee', '考评委员会', 'committee'), t('metrics', '系统指标', 'metrics')],
  },
  {
    name: 'metric_type',
    zh: '指标类型',
    en: 'metric type',
    terms: [
      t('text', '文本', 'text'),
      t('int', '整数', 'whole number'),
      t('fen', '金额（分）', 'amount in fen'),
      t('percent_bp', '百分比（万分之一）', 'percentage in basis points'),
    ],
  },
  {
    name: 'consequence',
    zh: '考核结果运用',
    en: 'consequence of an assessment',
    terms: [
      t('reward', '奖励', 'reward'),
      t('commendation', '表扬', 'commendation'),
      t('none', '无', 'none'),
      t('reminder', '提醒', 'reminder'),
      t('warning', '警告', 'warning'),
      t('penalty', '处罚', 'penalty'),
      t('dismissal_proposed', '建议解聘', 'dismissal proposed'),
    ],
  },
  {
    name: 'publication_source',
    zh: '数据来源',
    en: 'data source',
    terms: [t('published', '已发布', 'published'), t('live', '实时', 'live')],
  },
  {
    name: 'data_source',
    zh: '比对数据来源部门',
    en: 'data-sharing department',
    terms: [
      t('education', '教育部门', 'education'),
      t('medical_insurance', '医保部门', 'medical insurance'),
      t('health', '卫生健康部门', 'health'),
      t('disability_federation', '残联', 'disability federation'),
      t('rural_revitalization', '乡村振兴部门', 'rural revitalisation'),
      t('emergency_management', '应急管理部门', 'emergency management'),
      t('civil_affairs', '民政部门', 'civil affairs'),
      t('human_resources', '人力资源和社会保障部门', 'human resources and social security'),
      t('housing', '住房和城乡建设部门', 'housing'),
      t('vehicle_registry', '车辆管理部门', 'vehicle registry'),
      t('bank', '银行', 'bank'),
      t('tax', '税务部门', 'tax'),
      t('market_regulation', '市场监管部门', 'market regulation'),
      t('other', '其他', 'other'),
    ],
  },
  {
    name: 'import_status',
    zh: '导入状态',
    en: 'import status',
    terms: [t('processing', '处理中', 'processing'), t('completed', '已完成', 'completed')],
  },
  {
    name: 'finding_cause',
    zh: '发现原因',
    en: 'cause of a finding',
    terms: [
      t('illness', '疾病', 'illness'),
      t('schooling', '就学', 'schooling'),
      t('disability', '残疾', 'disability'),
      t('disaster', '灾害', 'disaster'),
      t('accident', '意外事故', 'accident'),
      t('person_found', '新发现人员', 'person found'),
    ],
  },
  {
    name: 'severity',
    zh: '严重程度',
    en: 'severity',
    terms: [t('low', '低', 'low'), t('medium', '中', 'medium'), t('high', '高', 'high')],
  },
  {
    name: 'application_channel',
    zh: '申请渠道',
    en: 'channel of an application',
    terms: [t('self', '本人申请', 'applied by the household'), t('proactive', '主动发现', 'found proactively'), t('emergency', '急难', 'emergency')],
  },
  {
    name: 'activity_kind',
    zh: '活动类型',
    en: 'kind of activity',
    terms: [t('visit', '走访', 'visit'), t('finding', '发现', 'finding')],
  },
  {
    name: 'investigator_kind',
    zh: '调查人员类型',
    en: 'kind of investigator',
    terms: [t('social_worker', '社工', 'social worker'), t('village_cadre', '村干部', 'village cadre')],
  },
  {
    name: 'decision',
    zh: '救助决定',
    en: 'decision',
    terms: [
      t('granted', '批准', 'granted'),
      t('denied', '不予批准', 'denied'),
      t('continued', '继续', 'continued'),
      t('adjusted', '调整', 'adjusted'),
      t('stopped', '停止', 'stopped'),
    ],
  },
  {
    name: 'authority',
    zh: '审核确认机关',
    en: 'confirming authority',
    terms: [t('civil_affairs_officer', '县民政局', 'county civil-affairs bureau'), t('town_official', '乡镇人民政府', 'town government')],
  },
  {
    name: 'export_format',
    zh: '导出格式',
    en: 'export format',
    terms: [
      t('csv', 'CSV 表格', 'CSV'),
      t('xlsx', 'Excel 工作簿', 'Excel (xlsx)'),
      t('html', '网页（HTML）', 'HTML'),
      t('json', 'JSON 数据', 'JSON'),
      t('jsonl', 'JSON Lines 逐行数据', 'JSON Lines'),
    ],
  },
  {
    name: 'reserve_fund_entry',
    zh: '备用金收支',
    en: 'reserve-fund entry',
    terms: [t('top_up', '拨付', 'top-up'), t('draw', '支出', 'draw')],
  },
  {
    name: 'official_kind',
    zh: '人员类型',
    en: 'kind of person',
    terms: [t('worker', '社工', 'worker'), t('official', '审批人员', 'official')],
  },
  {
    name: 'import_outcome',
    zh: '导入结果',
    en: 'import outcome',
    terms: [t('created', '新建', 'created'), t('renamed', '已更名', 'renamed'), t('unchanged', '未变化', 'unchanged')],
  },
  {
    name: 'readiness',
    zh: '就绪状态',
    en: 'readiness',
    terms: [t('ready', '就绪', 'ready'), t('not_ready', '未就绪', 'not ready')],
  },
  {
    name: 'demo_state',
    zh: '演示数据状态',
    en: 'demo data state',
    terms: [t('waiting', '等待中', 'waiting'), t('loading', '载入中', 'loading'), t('loaded', '已载入', 'loaded'), t('failed', '失败', 'failed')],
  },
  {
    name: 'run_mode',
    zh: '执行方式',
    en: 'run mode',
    terms: [t('async', '异步', 'asynchronous'), t('inline', '同步', 'inline')],
  },
  {
    name: 'boolean_text',
    zh: '是否',
    en: 'yes or no',
    terms: [t('true', '是', 'yes'), t('false', '否', 'no')],
  },
  {
    name: 'project_status',
    zh: '项目状态',
    en: 'project status',
    terms: [t('active', '执行中', 'active'), t('closed', '已结项', 'closed')],
  },
  {
    name: 'audit_run_kind',
    zh: '审计运行类型',
    en: 'audit run kind',
    terms: [
      t('ledger', '账本（默克尔树）核验', 'ledger (Merkle tree) verification'),
      t('chains', '哈希链核验', 'hash-chain verification'),
      t('replay', '决定重放', 'decision replay'),
    ],
  },
  {
    name: 'audit_run_mode',
    zh: '审计运行方式',
    en: 'audit run mode',
    terms: [t('incremental', '增量（自上次核验的树头起）', 'incremental (from the last verified head)'), t('full', '全量', 'full')],
  },
  {
    name: 'audit_run_state',
    zh: '审计运行状态',
    en: 'audit run state',
    terms: [t('running', '运行中', 'running'), t('succeeded', '已完成', 'succeeded'), t('failed', '失败', 'failed')],
  },
  {
    name: 'schedule_source',
    zh: '走访计划来源',
    en: 'schedule source',
    terms: [t('read-model', '读模型（默认）', 'read model (default)'), t('query', '查询时计算（内部校验）', 'computed at query time (internal oracle)')],
  },
  {
    name: 'coverage_detail',
    zh: '覆盖情况详略',
    en: 'coverage detail',
    terms: [t('summary', '摘要（各村的小组计数）', 'summary (group counts per village)'), t('groups', '含各村民小组', 'with every villager group')],
  },
  {
    name: 'export_language',
    zh: '导出表头语言',
    en: 'export header language',
    terms: [t('zh', '中文', 'Chinese'), t('en', '英文', 'English')],
  },
  {
    name: 'case_status',
    zh: '案件状态',
    en: 'case status',
    terms: [
      t('applied', '已申请', 'applied'),
      t('accepted', '已受理', 'accepted'),
      t('investigating', '调查核实中', 'investigating'),
      t('in_notice', '公示中', 'in public notice'),
      t('submitted', '已报送', 'submitted'),
      t('checked', '已审核', 'checked'),
      t('returned', '已退回', 'returned'),
      t('emergency_granted', '急难先行救助', 'emergency aid granted'),
      t('granted', '已批准', 'granted'),
      t('denied', '不予批准', 'denied'),
      t('stopped', '已停保', 'stopped'),
      t('closed', '已结案', 'closed'),
    ],
  },
  {
    name: 'case_document_kind',
    zh: '案件文书',
    en: 'case document',
    terms: [t('notice', '公示', 'public notice', '低保公示'), t('decision', '救助决定书', 'decision letter'), t('refusal', '不予救助通知书', 'refusal notice')],
  },
];

export function vocabularyNamed(name: string): Vocabulary | undefined {
  return VOCABULARIES.find((v) => v.name === name);
}

/**
 * The vocabulary an enum's codes come from: the one with exactly these codes, else the smallest
 * that holds them all (an input may accept a subset, e.g. the programmes a report covers).
 */
export function vocabularyOf(codes: readonly string[]): Vocabulary | undefined {
  let best: Vocabulary | undefined;
  for (const v of VOCABULARIES) {
    const known = new Set(v.terms.map((term) => term.code));
    if (!codes.every((code) => known.has(code))) continue;
    if (known.size === codes.length) return v;
    if (!best || v.terms.length < best.terms.length) best = v;
  }
  return best;
}

/** The term of each code, in the enum's order; undefined when no vocabulary holds them all. */
export function termsOf(codes: readonly string[]): VocabularyTerm[] | undefined {
  const vocabulary = vocabularyOf(codes);
  if (!vocabulary) return undefined;
  return codes.map((code) => vocabulary.terms.find((term) => term.code === code)!);
}
