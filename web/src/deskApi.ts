// The desk (GET /api/v1/me/work) and the accountability account (R-L09) of issue 9.
import { API_BASE, request } from './api.ts';

export interface WorkItem {
  kind: string;
  title: string;
  caseId: string | null;
  due: string | null;
  href: string;
}

export interface AccountabilityPerson {
  name: string;
  role: string;
  roleLabel: string;
}

export interface Proof {
  eventId: number;
  commitment: string;
  ledgerIndex: number | null;
  href: string;
}

export interface Accountability {
  caseId: string;
  number: string;
  title: string;
  agency: { id: string; name: string };
  decision: { step: string; name: string; on: string; by: AccountabilityPerson; approvedBy: (AccountabilityPerson & { on: string; opinion: string | null }) | null; majorDecision: boolean | null; proof: Proof | null } | null;
  steps: {
    seq: number;
    step: string;
    name: string;
    stage: string;
    on: string;
    by: AccountabilityPerson;
    officers: { name: string; certificateNumber: string }[];
    approvedBy: (AccountabilityPerson & { on: string; opinion: string | null }) | null;
    recordedAt: string;
    proof: Proof | null;
  }[];
  reviews: { round: number; submittedBy: string; submittedOn: string; reviewer: string | null; assignedTo: string | null; result: 'pending' | 'passed' | 'problems'; on: string | null; opinion: string | null; problems: string[]; proof: Proof | null }[];
  collectiveDiscussion: { on: string; by: AccountabilityPerson; participants: string[]; conclusion: string | null }[];
  extensions: { clock: string; days: number; approvedBy: string; on: string; opinion: string }[];
  ruleVersions: {
    procedure: { id: string; version: number; name: string };
    catalog: { id: string | null; version: number | null; versionsApplied: { id: string; version: number; effectiveFrom: string }[] };
    avRuleSets: { id: string; version: number; effectiveFrom: string }[];
  };
}

export const deskApi = {
  myWork: () => request<{ items: WorkItem[] }>('/me/work'),
  accountability: (caseId: string) => request<Accountability>(`/cases/${encodeURIComponent(caseId)}/accountability`),
  accountabilityPdfUrl: (caseId: string) => `${API_BASE}/cases/${encodeURIComponent(caseId)}/accountability/pdf`,
};

/** What each kind of item is, in the desk's words. */
export const WORK_KINDS: Record<string, { label: string; color: string }> = {
  review_returned: { label: '审核退回', color: 'orange' },
  clock: { label: '期限', color: 'blue' },
  step: { label: '待办环节', color: 'geekblue' },
  document: { label: '文书待定稿', color: 'purple' },
  record: { label: '记录待归入', color: 'cyan' },
  approval: { label: '待批准', color: 'gold' },
  extension: { label: '期限将至', color: 'orange' },
  overdue: { label: '已超期', color: 'red' },
  disclosure: { label: '对外提供待批', color: 'magenta' },
  review: { label: '待审核', color: 'blue' },
  workload: { label: '工作量', color: 'default' },
  certificate: { label: '证件到期', color: 'orange' },
  reviewer_ratio: { label: '审核人员比例', color: 'green' },
  users: { label: '账号', color: 'default' },
};
