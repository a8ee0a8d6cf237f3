// Every Chinese label for a code value, in one place (docs/GLOSSARY.md maps the domain terms).
import { CASE_STATUS_LABELS, STAGE_LABELS } from '../../src/cases/labels.ts';
import { ROLE_LABELS, type Role } from '../../src/platform/actor.ts';

export type { Role };
export type AgencyKind = 'enforcement' | 'justice_bureau' | 'government';
export type AgencyLevel = 'province' | 'city' | 'county' | 'township';
export type LegalStatus = 'statutory' | 'authorized' | 'entrusted';
export type OfficerStatus = 'valid' | 'suspended' | 'revoked';
export type EffectiveStatus = OfficerStatus | 'expired';
export type IssuerType = 'province' | 'state_council';
export type Qualification = 'exam' | 'legal_professional';
export type Gender = 'male' | 'female';
export type ReviewerRole = 'reviewer' | 'legal_adviser' | 'public_lawyer';
export type TokenScope = 'registry:read' | 'registry:write' | 'evidence:read' | 'evidence:write' | 'cases:read' | 'cases:write';

export const PLATFORM_NAME = '行政执法三项制度平台';

// One list of roles for server and screens: src/platform/actor.ts has no imports, so the bundle stays small.
export const roleLabels: Record<Role, string> = ROLE_LABELS;

export const agencyKindLabels: Record<AgencyKind, string> = {
  enforcement: '执法机关',
  justice_bureau: '司法行政机关',
  government: '人民政府',
};

export const agencyLevelLabels: Record<AgencyLevel, string> = {
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇级',
};

export const legalStatusLabels: Record<LegalStatus, string> = {
  statutory: '法定机关',
  authorized: '法律法规授权组织',
  entrusted: '受委托组织',
};

export const effectiveStatusLabels: Record<EffectiveStatus, string> = {
  valid: '有效',
  suspended: '暂扣',
  revoked: '吊销',
  expired: '已过期',
};

/** antd Tag colours: green / orange / red / grey. */
export const effectiveStatusColors: Record<EffectiveStatus, string> = {
  valid: 'green',
  suspended: 'orange',
  revoked: 'red',
  expired: 'default',
};

/** The statuses an administrator can set; "expired" follows from the validity dates. */
export const settableStatusLabels: Record<OfficerStatus, string> = {
  valid: '有效（恢复）',
  suspended: '暂扣',
  revoked: '吊销',
};

export const issuerTypeLabels: Record<IssuerType, string> = {
  province: '省级政府颁发',
  state_council: '国务院部门颁发（需司法局备案）',
};

export const qualificationLabels: Record<Qualification, string> = {
  exam: '考试合格',
  legal_professional: '法律职业资格免考',
};

export const genderLabels: Record<Gender, string> = {
  male: '男',
  female: '女',
};

export const reviewerRoleLabels: Record<ReviewerRole, string> = {
  reviewer: '法制审核人员',
  legal_adviser: '法律顾问',
  public_lawyer: '公职律师',
};

export const tokenScopeLabels: Record<TokenScope, string> = {
  'registry:read': '读取主体与人员名录',
  'registry:write': '写入主体与人员名录',
  'evidence:read': '下载证据文件',
  'evidence:write': '上传证据文件',
  'cases:read': '读取案件',
  'cases:write': '办理案件',
};

export type CaseStatus = 'open' | 'finished' | 'archived';
export type CaseClockFilter = 'overdue' | 'warning';
export type CaseClockState = 'overdue' | 'warning' | 'running';
export type CaseDocumentStatus = 'draft' | 'final';
export type { RecordKind } from '../../src/cases/labels.ts';

export const caseStatusLabels: Record<CaseStatus, string> = CASE_STATUS_LABELS;

export const caseStatusColors: Record<CaseStatus, string> = {
  open: 'processing',
  finished: 'gold',
  archived: 'default',
};

/** The server's stage labels; "none" lists cases not yet started. */
export const caseStageLabels: Record<string, string> = { none: '待办理', ...STAGE_LABELS };

export const caseClockFilterLabels: Record<CaseClockFilter, string> = {
  overdue: '已逾期',
  warning: '即将到期',
};

export const caseClockStateLabels: Record<CaseClockState, string> = {
  overdue: '已逾期',
  warning: '即将到期',
  running: '期限内',
};

/** Red overdue, orange warning, plain while in time. */
export const caseClockStateColors: Record<CaseClockState, string> = {
  overdue: 'red',
  warning: 'orange',
  running: 'default',
};

export const clockRunStatusLabels: Record<string, string> = {
  running: '计算中',
  paused: '中止',
  stopped: '已终止',
};

export const caseDocumentStatusLabels: Record<CaseDocumentStatus, string> = {
  draft: '草稿',
  final: '已定稿',
};

export const caseDocumentStatusColors: Record<CaseDocumentStatus, string> = {
  draft: 'default',
  final: 'green',
};

/** The server's own labels module (zod-free, shared with the back office). */
export {
  RECORD_KIND_LABELS as recordKindLabels,
  RECORD_KINDS,
  REVIEW_MATERIAL_LABELS as reviewMaterialLabels,
  REVIEW_MATERIALS,
  REVIEW_POINT_LABELS as reviewPointLabels,
  REVIEW_POINTS,
} from '../../src/cases/labels.ts';

/** Audit actions known today; unknown codes are shown as they come. */
export const auditActionLabels: Record<string, string> = {
  login: '登录',
  'auth.login': '登录',
  login_failed: '登录失败',
  'auth.login_failed': '登录失败',
  logout: '退出登录',
  'auth.logout': '退出登录',
  'auth.totp': '动态验证码验证',
  'auth.totp_enroll': '绑定动态验证码',
  'auth.locked': '账号锁定',
  permission_denied: '越权访问被拒绝',
  'permission.denied': '越权访问被拒绝',
  'agency.create': '新增执法主体',
  'agency.update': '修改执法主体',
  'officer.create': '新增执法人员',
  'officer.update': '修改执法人员',
  'officer.status': '变更执法证状态',
  'officer.training': '登记培训记录',
  'reviewer.create': '新增法制审核人员',
  'import.agencies': '批量导入执法主体',
  'import.officers': '批量导入执法人员',
  'token.create': '创建 API 令牌',
  'token.revoke': '吊销 API 令牌',
};

export const auditOutcomeLabels: Record<string, { label: string; color: string }> = {
  success: { label: '成功', color: 'green' },
  ok: { label: '成功', color: 'green' },
  failure: { label: '失败', color: 'orange' },
  failed: { label: '失败', color: 'orange' },
  denied: { label: '拒绝', color: 'red' },
};

/** Options for antd Select / Radio from a label table, in declaration order. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

/** Label for a value that may be unknown to this build (a newer server). */
export function labelOf<K extends string>(labels: Record<K, string>, value: string | null | undefined): string {
  if (value == null || value === '') return '—';
  return (labels as Record<string, string>)[value] ?? value;
}
