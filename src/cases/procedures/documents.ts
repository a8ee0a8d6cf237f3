// The standard documents (执法文书) that procedure steps require and produce (R-R02). Keys are stable:
// definitions, case states and the document templates of the documents module all refer to them.
// A definition may add its own kinds (an agency's internal approval form) in `documents`.

export interface DocumentType {
  key: string;
  name: string;
}

const list: readonly DocumentType[] = [
  // 行政处罚（普通程序、简易程序）
  { key: 'case_source_record', name: '案件来源登记表' },
  { key: 'filing_approval', name: '立案审批表' },
  { key: 'no_filing_approval', name: '不予立案审批表' },
  { key: 'case_dismissal_approval', name: '撤销立案审批表' },
  { key: 'inspection_record', name: '现场检查（勘验）笔录' },
  { key: 'inquiry_record', name: '询问笔录' },
  { key: 'sampling_record', name: '抽样取证凭证' },
  { key: 'evidence_preservation_notice', name: '证据先行登记保存通知书' },
  { key: 'preservation_disposal_decision', name: '先行登记保存物品处理决定书' },
  { key: 'investigation_report', name: '案件调查终结报告' },
  { key: 'prior_notice', name: '行政处罚事先告知书' },
  { key: 'statement_record', name: '陈述申辩笔录' },
  { key: 'hearing_application', name: '听证申请书' },
  { key: 'hearing_waiver', name: '放弃陈述申辩和听证声明' },
  { key: 'hearing_notice', name: '听证通知书' },
  { key: 'hearing_record', name: '听证笔录' },
  { key: 'hearing_report', name: '听证报告' },
  { key: 'review_opinion', name: '法制审核意见书' },
  { key: 'review_coordination_record', name: '法制审核分歧协调记录' },
  { key: 'collective_discussion_record', name: '重大案件集体讨论记录' },
  { key: 'penalty_decision', name: '行政处罚决定书' },
  { key: 'no_penalty_decision', name: '不予行政处罚决定书' },
  { key: 'onsite_penalty_decision', name: '当场行政处罚决定书' },
  { key: 'fine_receipt', name: '罚没款专用票据' },
  { key: 'fine_remittance_record', name: '当场收缴罚款缴付记录' },
  { key: 'onsite_filing_report', name: '当场处罚备案表' },
  { key: 'case_transfer', name: '涉嫌犯罪案件移送书' },
  { key: 'service_receipt', name: '送达回证' },
  { key: 'enforcement_notice', name: '催告书' },
  { key: 'court_enforcement_application', name: '强制执行申请书' },
  { key: 'execution_record', name: '行政处罚执行记录' },
  { key: 'closing_approval', name: '结案审批表' },
  // 行政强制措施（查封、扣押）
  { key: 'coercion_approval', name: '行政强制措施审批表' },
  { key: 'seizure_decision', name: '查封（扣押）决定书' },
  { key: 'seizure_list', name: '查封（扣押）财物清单' },
  { key: 'seizure_record', name: '现场笔录' },
  { key: 'emergency_approval', name: '紧急情况当场实施行政强制措施补办批准表' },
  { key: 'testing_notice', name: '检测（检验、检疫、技术鉴定）期间告知书' },
  { key: 'testing_report', name: '检测（检验、检疫、技术鉴定）报告' },
  { key: 'seizure_extension_decision', name: '延长查封（扣押）期限决定书' },
  { key: 'release_decision', name: '解除查封（扣押）决定书' },
  { key: 'property_return_list', name: '退还财物清单' },
  { key: 'seizure_disposal_decision', name: '查封（扣押）财物处理决定书' },
  // 行政检查
  { key: 'inspection_task', name: '行政检查任务单' },
  { key: 'inspection_result_notice', name: '检查结果告知书' },
  { key: 'rectification_order', name: '责令改正通知书' },
  { key: 'rectification_review_record', name: '整改复查笔录' },
  // 行政许可
  { key: 'licence_application', name: '行政许可申请书' },
  { key: 'acceptance_notice', name: '受理通知书' },
  { key: 'rejection_notice', name: '不予受理决定书' },
  { key: 'correction_notice', name: '补正材料通知书' },
  { key: 'correction_materials', name: '补正材料接收凭证' },
  { key: 'verification_record', name: '现场核查笔录' },
  { key: 'special_procedure_notice', name: '特别程序期间告知书' },
  { key: 'special_procedure_result', name: '检验（检测、鉴定、专家评审）结论' },
  { key: 'hearing_rights_notice', name: '听证告知书' },
  { key: 'hearing_public_notice', name: '听证公告' },
  { key: 'licence_extension_notice', name: '延长行政许可期限告知书' },
  { key: 'licence_decision', name: '准予行政许可决定书' },
  { key: 'licence_refusal', name: '不予行政许可决定书' },
  { key: 'licence_certificate', name: '行政许可证件' },
  // 公示（R-P11、R-P15）
  { key: 'publication_record', name: '执法决定公示记录' },
  // 立卷归档（R-R07）: made by the archive step of every procedure
  { key: 'case_file_cover', name: '案卷封面' },
  { key: 'case_file_index', name: '卷内文件目录' },
];

export const DOCUMENT_TYPES: ReadonlyMap<string, DocumentType> = new Map(list.map((d) => [d.key, d]));

export function documentName(key: string, local: readonly DocumentType[] = []): string {
  return local.find((d) => d.key === key)?.name ?? DOCUMENT_TYPES.get(key)?.name ?? key;
}
