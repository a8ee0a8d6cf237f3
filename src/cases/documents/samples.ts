// One filled-in example of every document: used by the tests, the benchmark and the demo data.
// The party's codes are valid (check characters computed), the legal citations real.
import type { DocumentFields, DocumentType, Party } from './schema.ts';

export const SAMPLE_AGENCY = '杭州市西湖区市场监督管理局';

export const samplePartyOrganization: Party = {
  type: 'organization',
  name: '杭州某某食品贸易有限公司',
  idType: 'credit_code',
  idNumber: '91330106MA2H3K7Q4Q',
  address: '浙江省杭州市西湖区文三路 100 号 3 幢 101 室',
  legalRepresentative: '王某某',
  phone: '0571-88001234',
};

export const samplePartyIndividual: Party = {
  type: 'individual',
  name: '李某某',
  idType: 'id_card',
  idNumber: '330106198503122314',
  address: '浙江省杭州市西湖区古荡街道某某小区 5 幢 2 单元 301 室',
  phone: '13800000000',
};

const officers = [
  { name: '张明', certificateNumber: '33010601234' },
  { name: '陈静', certificateNumber: '33010605678' },
];

const remedies = { reviewBody: '杭州市西湖区人民政府', court: '杭州市西湖区人民法院' };

const evidence = [
  '当事人营业执照复印件、法定代表人身份证复印件',
  '2026年10月12日现场检查（勘验）笔录及现场照片 12 张',
  '2026年10月15日对当事人法定代表人王某某的询问笔录',
  '进货单据、销售记录复印件共 8 页',
  '杭州市食品药品检验研究院出具的检验报告（编号：FS2026-1012）',
];

const items = [
  { name: '某某牌风味酸奶（250ml/瓶）', specification: '250ml', quantity: '48 瓶', remarks: '标示保质期至2026年10月1日' },
  { name: '某某牌全麦面包', specification: '400g/袋', quantity: '15 袋', remarks: '标示保质期至2026年10月8日' },
];

const FIELDS: { [T in DocumentType]: DocumentFields<T> } = {
  filing_approval: {
    caseSource: '监督检查',
    clueReceivedOn: '2026-10-12',
    cause: '涉嫌经营超过保质期的食品案',
    party: samplePartyOrganization,
    summary:
      '2026年10月12日，执法人员对当事人位于文三路 100 号的经营场所进行监督检查，发现其货架上陈列销售的某某牌风味酸奶 48 瓶、某某牌全麦面包 15 袋均已超过标示的保质期，涉嫌违反《中华人民共和国食品安全法》第三十四条第（十）项的规定。',
    filingReason: '有证据初步证明当事人涉嫌违法，依法应当给予行政处罚，属于本机关管辖，且在给予行政处罚的追责期限内，符合《中华人民共和国行政处罚法》第五十四条和《市场监督管理行政处罚程序规定》第二十条规定的立案条件。',
    handlers: officers,
    handlerOpinion: '建议立案调查。',
    departmentOpinion: '同意立案。',
    approverOpinion: '同意立案，由张明、陈静承办。',
    approver: '赵某某',
    approvedOn: '2026-10-13',
  },
  inspection_record: {
    caseNumber: '西湖市监立〔2026〕58号',
    startAt: '2026-10-12T09:30',
    endAt: '2026-10-12T10:45',
    place: '浙江省杭州市西湖区文三路 100 号 3 幢 101 室当事人经营场所',
    party: samplePartyOrganization,
    onSitePerson: { name: '王某某', position: '法定代表人', phone: '13900000000' },
    inspectors: officers,
    recorder: '陈静',
    recusalRequested: false,
    findings:
      '当事人经营场所面积约 80 平方米，悬挂营业执照和食品经营许可证。执法人员在现场东侧第二排货架发现某某牌风味酸奶 48 瓶，标示保质期至2026年10月1日；在西侧面包柜发现某某牌全麦面包 15 袋，标示保质期至2026年10月8日，均标有销售价格。现场负责人王某某确认上述食品系当事人用于销售。执法人员对现场进行了拍照，照片 12 张。\n上述食品已由执法人员依法先行登记保存。',
    partyOpinion: '以上笔录我已看过，与事实相符。',
    avRecordRef: 'AV-2026-1012-003',
  },
  inquiry_record: {
    caseNumber: '西湖市监立〔2026〕58号',
    startAt: '2026-10-15T14:00',
    endAt: '2026-10-15T15:10',
    place: '杭州市西湖区市场监督管理局 3 楼询问室',
    interviewers: officers,
    recorder: '陈静',
    interviewee: { name: '王某某', gender: '男', idNumber: '330102199007184427', employer: '杭州某某食品贸易有限公司', position: '法定代表人', phone: '13900000000', relation: '当事人的法定代表人' },
    recusalRequested: false,
    qa: [
      { q: '你是否看清了我们出示的执法证件？是否申请回避？', a: '看清楚了，不申请回避。' },
      { q: '2026年10月12日在你公司货架上查获的风味酸奶和全麦面包是谁进的货？', a: '是我公司从杭州某某批发部进的货，有进货单据。' },
      { q: '这些食品超过保质期多久了？为什么还在销售？', a: '酸奶过期十来天，面包过期四天。店员疏忽，没有及时下架。' },
      { q: '过期食品卖出去多少？', a: '酸奶卖出 6 瓶，每瓶 8 元；面包没有卖出。' },
    ],
    intervieweeConfirmation: '以上笔录我看过，和我说的相符。',
  },
  evidence_preservation_notice: {
    party: samplePartyOrganization,
    suspectedViolation: '经营超过保质期的食品',
    reasons: '因上述物品是认定违法行为的证据，可能灭失或者以后难以取得。',
    legalBasis: '《中华人民共和国行政处罚法》第五十六条',
    items,
    storageMethod: '就地保存',
    storagePlace: '当事人经营场所仓库（已加贴封条）',
    contactPerson: '张明',
    contactPhone: '0571-87000000',
  },
  seizure_decision: {
    measure: '扣押',
    party: samplePartyOrganization,
    facts: '当事人在其经营场所陈列销售超过保质期的某某牌风味酸奶 48 瓶、某某牌全麦面包 15 袋。',
    reasons: '上述食品属于不符合食品安全标准的食品，继续存放可能被销售，危害公众身体健康，需要依法予以扣押。',
    legalBasis: '《中华人民共和国食品安全法》第一百一十条第（四）项、《中华人民共和国行政强制法》第二十二条、第二十三条',
    items,
    startDate: '2026-10-16',
    endDate: '2026-11-14',
    custody: '存放于杭州市西湖区市场监督管理局涉案物品仓库，由本机关妥善保管',
    remedies,
  },
  seizure_record: {
    caseNumber: '西湖市监立〔2026〕58号',
    measure: '扣押',
    startAt: '2026-10-16T09:00',
    endAt: '2026-10-16T09:50',
    place: '浙江省杭州市西湖区文三路 100 号 3 幢 101 室当事人经营场所',
    party: samplePartyOrganization,
    partyPresent: true,
    partyRepresentative: '王某某（法定代表人）',
    officers,
    recorder: '陈静',
    approval: '经本机关负责人赵某某于2026年10月16日批准',
    rightsNotified: true,
    partyStatement: '当事人表示无异议。',
    proceedings: '执法人员出示执法证件，宣读《扣押决定书》，当场清点扣押物品并装箱，由当事人核对清单后签名。扣押物品运回本机关涉案物品仓库。',
    items,
    avRecordRef: 'AV-2026-1016-001',
  },
  prior_notice: {
    party: samplePartyOrganization,
    facts: '当事人于2026年10月12日在其经营场所陈列销售超过保质期的某某牌风味酸奶 48 瓶、某某牌全麦面包 15 袋，已售出风味酸奶 6 瓶，违法所得 48 元，货值金额共计 696 元。',
    evidence,
    reasons: '当事人作为食品经营者，未履行食品安全第一责任人义务，经营超过保质期的食品，事实清楚，证据确凿。',
    violatedProvisions: '《中华人民共和国食品安全法》第三十四条第（十）项',
    penaltyBasis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
    discretion: '当事人货值金额不足一万元，积极配合调查，如实陈述违法事实，主动提供证据材料，依据《浙江省市场监督管理行政处罚裁量基准》属于一般情节，按照法定幅度的中间档次处罚',
    proposedPenalties: [
      { kind: '没收违法所得', amount: 48 },
      { kind: '罚款', amount: 50000 },
      { kind: '没收非法财物', detail: '扣押的超过保质期食品某某牌风味酸奶 42 瓶、某某牌全麦面包 15 袋' },
    ],
    statementDeadlineDays: 5,
    hearingApplicable: true,
    largeAmountThreshold: 10000,
    contactPerson: '张明',
    contactPhone: '0571-87000000',
    agencyAddress: '杭州市西湖区文二路 200 号',
  },
  hearing_notice: {
    party: samplePartyOrganization,
    cause: '杭州某某食品贸易有限公司经营超过保质期的食品案',
    hearingRequestedOn: '2026-11-04',
    hearingAt: '2026-11-20T09:30',
    place: '杭州市西湖区市场监督管理局 5 楼听证室',
    publicHearing: true,
    presidingOfficer: '刘某某',
    hearingOfficers: ['周某某', '吴某某'],
    clerk: '郑某某',
    contactPerson: '刘某某',
    contactPhone: '0571-87000001',
  },
  hearing_record: {
    caseNumber: '西湖市监立〔2026〕58号',
    cause: '杭州某某食品贸易有限公司经营超过保质期的食品案',
    startAt: '2026-11-20T09:30',
    endAt: '2026-11-20T11:05',
    place: '杭州市西湖区市场监督管理局 5 楼听证室',
    publicHearing: true,
    presidingOfficer: '刘某某',
    hearingOfficers: ['周某某', '吴某某'],
    clerk: '郑某某',
    party: samplePartyOrganization,
    partyAttendees: '王某某（法定代表人）、孙某某（委托代理人，浙江某某律师事务所律师）',
    investigators: officers,
    recusalRequested: false,
    investigatorStatement: '调查人员陈述了当事人经营超过保质期食品的事实，出示了现场检查笔录、询问笔录、进货单据和检验报告等证据，建议没收违法所得 48 元、罚款 50000 元。',
    partyStatement: '当事人对违法事实无异议，但认为系店员疏忽所致，已经整改，违法所得很少，请求从轻处罚。',
    debate: '双方就当事人是否具有从轻情节进行了辩论。',
    finalStatement: '请求从轻处罚。',
    avRecordRef: 'AV-2026-1120-002',
  },
  penalty_decision: {
    party: samplePartyOrganization,
    caseHistory:
      '2026年10月12日，本机关执法人员在监督检查中发现当事人涉嫌经营超过保质期的食品，经本机关负责人批准，于2026年10月13日立案调查。本机关于2026年11月2日向当事人送达了《行政处罚事先告知书》，当事人于2026年11月4日要求举行听证，本机关于2026年11月20日依法举行了听证。本案经法制审核，审核意见为同意。',
    facts: '当事人于2026年10月12日在其经营场所陈列销售超过保质期的某某牌风味酸奶 48 瓶、某某牌全麦面包 15 袋，已售出风味酸奶 6 瓶，违法所得 48 元，货值金额共计 696 元。',
    evidence,
    partyStatement: '当事人在听证中对违法事实无异议，提出系店员疏忽所致、已经整改、违法所得较少，请求从轻处罚',
    statementResponse:
      '经复核，当事人在案发后立即下架全部过期食品，并建立了临期食品检查制度，属于主动消除违法行为危害后果的情形，本机关予以采纳；“店员疏忽”不属于法定从轻或者减轻处罚的情形，本机关不予采纳',
    reasons: '当事人作为食品经营者，应当对其经营的食品安全负责。当事人经营超过保质期的食品，事实清楚，证据确凿，程序合法',
    violatedProvisions: '《中华人民共和国食品安全法》第三十四条第（十）项',
    penaltyBasis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
    discretion: '当事人货值金额不足一万元，主动消除违法行为危害后果，依据《中华人民共和国行政处罚法》第三十二条第（一）项和《浙江省市场监督管理行政处罚裁量基准》，予以从轻处罚',
    legalReview: '本案属于重大执法决定，已经本机关法制审核机构审核通过',
    penalties: [
      { kind: '没收违法所得', amount: 48 },
      { kind: '罚款', amount: 50000 },
      { kind: '没收非法财物', detail: '扣押的超过保质期食品某某牌风味酸奶 42 瓶、某某牌全麦面包 15 袋' },
    ],
    payment: { deadlineDays: 15, method: '持本决定书或者《非税收入缴款通知书》到指定银行或者通过电子支付系统', account: '缴款码见《非税收入缴款通知书》' },
    remedies,
  },
  no_penalty_decision: {
    party: samplePartyIndividual,
    caseHistory: '2026年9月3日，本机关接到投诉举报，反映当事人经营的小吃店未公示食品经营许可证。经本机关负责人批准，于2026年9月5日立案调查。',
    facts: '当事人持有有效的食品经营许可证，但未在经营场所显著位置悬挂，系初次违法，且在执法人员指出后当场改正，未造成危害后果。',
    evidence: ['2026年9月5日现场检查（勘验）笔录及现场照片 4 张', '当事人食品经营许可证复印件', '2026年9月6日对当事人的询问笔录'],
    ground: '初次违法且危害后果轻微并及时改正',
    reasons: '当事人未在经营场所显著位置悬挂食品经营许可证的行为违反了《中华人民共和国食品安全法》第三十五条的规定，但当事人系初次违法，危害后果轻微并已及时改正',
    legalBasis: '《中华人民共和国行政处罚法》第三十三条第一款',
    education: '本机关已对当事人进行了食品安全法律法规的教育，当事人表示今后将严格遵守。',
    remedies,
  },
  service_receipt: {
    caseNumber: '西湖市监立〔2026〕58号',
    documents: [{ title: '行政处罚决定书', number: '西湖市监处罚〔2026〕12号' }],
    recipient: '杭州某某食品贸易有限公司',
    place: '浙江省杭州市西湖区文三路 100 号 3 幢 101 室',
    method: '直接送达',
    servers: ['张明', '陈静'],
    servedAt: '2026-11-24T10:00',
    receiver: '王某某（法定代表人）',
  },
  closing_approval: {
    caseNumber: '西湖市监立〔2026〕58号',
    cause: '经营超过保质期的食品案',
    party: samplePartyOrganization,
    filedOn: '2026-10-13',
    decisionNumber: '西湖市监处罚〔2026〕12号',
    decisionSummary: '没收违法所得 48 元，罚款 50000 元，没收扣押的超过保质期食品。',
    execution: '当事人已于2026年12月2日缴纳罚没款 50048 元；没收的食品已于2026年12月5日监督销毁。',
    closingReason: '行政处罚决定已执行完毕',
    handlers: officers,
    handlerOpinion: '本案处罚决定已执行完毕，建议结案。',
    departmentOpinion: '同意结案。',
    approverOpinion: '同意。',
    approver: '赵某某',
    approvedOn: '2026-12-08',
  },
  case_file_cover: {
    caseTitle: '杭州某某食品贸易有限公司经营超过保质期的食品案',
    caseNumber: '西湖市监立〔2026〕58号',
    party: '杭州某某食品贸易有限公司',
    filedOn: '2026-10-13',
    closedOn: '2026-12-08',
    result: '没收违法所得 48 元，罚款 50000 元，没收非法财物',
    retention: '定期30年',
    documentCount: 14,
    pageCount: 63,
    fondsNumber: 'Z012',
    catalogNumber: '2026-XZCF',
    volumeNumber: '058',
    compiler: '陈静',
    checker: '赵某某',
    archivedOn: '2026-12-15',
  },
  case_file_index: {
    caseNumber: '西湖市监立〔2026〕58号',
    entries: [
      { number: '西湖市监处罚〔2026〕12号', author: SAMPLE_AGENCY, title: '行政处罚决定书', date: '2026-11-23', pages: '1-4' },
      { author: SAMPLE_AGENCY, title: '送达回证', date: '2026-11-24', pages: '5' },
      { number: '西湖市监立〔2026〕58号', author: SAMPLE_AGENCY, title: '立案审批表', date: '2026-10-13', pages: '6-7' },
      { author: SAMPLE_AGENCY, title: '现场检查（勘验）笔录', date: '2026-10-12', pages: '8-10' },
      { author: SAMPLE_AGENCY, title: '询问笔录', date: '2026-10-15', pages: '11-14' },
      { number: '西湖市监罚告〔2026〕31号', author: SAMPLE_AGENCY, title: '行政处罚事先告知书', date: '2026-11-02', pages: '15-17' },
      { author: SAMPLE_AGENCY, title: '听证笔录', date: '2026-11-20', pages: '18-23' },
      { author: SAMPLE_AGENCY, title: '结案审批表', date: '2026-12-08', pages: '24-25', remarks: '' },
    ],
  },
};

/** Issue dates that satisfy each document's date rules. */
export const SAMPLE_ISSUED_ON: Record<DocumentType, string> = {
  filing_approval: '2026-10-13',
  inspection_record: '2026-10-12',
  inquiry_record: '2026-10-15',
  evidence_preservation_notice: '2026-10-12',
  seizure_decision: '2026-10-16',
  seizure_record: '2026-10-16',
  prior_notice: '2026-11-02',
  hearing_notice: '2026-11-06',
  hearing_record: '2026-11-20',
  penalty_decision: '2026-11-23',
  no_penalty_decision: '2026-09-20',
  service_receipt: '2026-11-24',
  closing_approval: '2026-12-08',
  case_file_cover: '2026-12-15',
  case_file_index: '2026-12-15',
};

export const SAMPLE_NUMBERS: Partial<Record<DocumentType, string>> = {
  filing_approval: '西湖市监立〔2026〕58号',
  evidence_preservation_notice: '西湖市监先登保〔2026〕21号',
  seizure_decision: '西湖市监强制〔2026〕9号',
  prior_notice: '西湖市监罚告〔2026〕31号',
  hearing_notice: '西湖市监听通〔2026〕4号',
  penalty_decision: '西湖市监处罚〔2026〕12号',
  no_penalty_decision: '西湖市监不罚〔2026〕7号',
};

/** A deep copy of the sample fields of one document type. */
export function sampleFields<T extends DocumentType>(type: T): DocumentFields<T> {
  return structuredClone(FIELDS[type]);
}

/** A complete render input for one document type. */
export function sampleDocument(type: DocumentType, qrUrl?: string) {
  return {
    type,
    number: SAMPLE_NUMBERS[type],
    agencyName: SAMPLE_AGENCY,
    fields: sampleFields(type) as unknown,
    issuedOn: SAMPLE_ISSUED_ON[type],
    ...(qrUrl ? { qrUrl } : {}),
  };
}
