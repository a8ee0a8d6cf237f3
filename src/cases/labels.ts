// Words of the cases domain shared by the server's schemas and the back office (web/ imports this
// file directly, so it must not import zod or anything else that would enter the browser bundle).

export const RECORD_KINDS = ['text', 'video', 'audio', 'photo', 'electronic'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const RECORD_KIND_LABELS: Record<RecordKind, string> = { text: '文字记录', video: '录像', audio: '录音', photo: '照片', electronic: '电子数据' };

export const REVIEW_MATERIALS = ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records', 'hearing_record', 'appraisal'] as const;
export type ReviewMaterial = (typeof REVIEW_MATERIALS)[number];
export const REVIEW_MATERIAL_LABELS: Record<ReviewMaterial, string> = {
  case_summary: '案件情况说明',
  evidence: '证据材料',
  legal_basis: '法律依据',
  proposed_decision: '拟作出的执法决定',
  statements: '当事人陈述、申辩意见',
  process_records: '执法过程记录',
  hearing_record: '听证笔录',
  appraisal: '鉴定意见、评估报告',
};

export const REVIEW_POINTS = [
  'lawful_body', 'officers_qualified', 'procedure_lawful', 'facts_clear', 'evidence_sufficient',
  'law_applied', 'discretion_proper', 'within_powers', 'documents_complete', 'crime_transfer',
] as const;
export type ReviewPoint = (typeof REVIEW_POINTS)[number];
export const REVIEW_POINT_LABELS: Record<ReviewPoint, string> = {
  lawful_body: '执法主体是否合法',
  officers_qualified: '执法人员是否具备执法资格',
  procedure_lawful: '执法程序是否合法',
  facts_clear: '案件事实是否清楚',
  evidence_sufficient: '证据是否合法充分',
  law_applied: '适用法律、法规、规章是否准确',
  discretion_proper: '裁量基准运用是否适当',
  within_powers: '执法是否超越执法机关法定权限',
  documents_complete: '执法文书是否完备、规范',
  crime_transfer: '违法行为是否涉嫌犯罪需要移送司法机关',
};

/** Stages in the order a flowchart and a case file list them (DESIGN §2, glossary §8). */
export const STAGES = [
  'intake', 'plan', 'initiate', 'investigate', 'examine', 'measure', 'notify', 'hearing', 'review',
  'discuss', 'decide', 'serve', 'execute', 'publish', 'close', 'archive',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  intake: '受理',
  plan: '检查准备',
  initiate: '立案',
  investigate: '调查取证',
  examine: '审查',
  measure: '强制措施',
  notify: '告知',
  hearing: '听证',
  review: '法制审核',
  discuss: '集体讨论',
  decide: '决定',
  serve: '送达',
  execute: '执行',
  publish: '公示',
  close: '结案',
  archive: '归档',
};

export const CASE_STATUSES = ['open', 'finished', 'archived'] as const;
export const CASE_STATUS_LABELS = { open: '办理中', finished: '已办结待归档', archived: '已归档' } as const;
