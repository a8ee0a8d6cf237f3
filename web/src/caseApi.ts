// The case workspace's writes and the parts of a case view that only the workspace shows (reviews,
// approvals, disclosures, access log, case file). Shapes follow src/cases/view.ts and the route
// schemas in src/cases/schema.ts; the server validates every call.
import { API_BASE, request } from './api.ts';
import type { CaseDocument, CaseView, Refusal } from './api.ts';
import type { CaseFileItem } from '../../src/cases/case-file.ts';
import type { AvRetention } from '../../src/cases/av-retention.ts';
import type { RecordKind, ReviewMaterial, ReviewPoint } from '../../src/cases/labels.ts';

const id = encodeURIComponent;

/** A legal-review roster entry a submission may be assigned to (GET /cases/:id/review-assignees). */
export interface ReviewAssignee {
  rosterId: string;
  name: string;
  role: string;
  agencyName: string;
  shared: boolean;
  own: boolean;
}

/** R-L07: the rounds of a case's legal review side by side (GET /cases/{id}/review-rounds). */
export interface ReviewRounds {
  rounds: {
    id: string; round: number; on: string; result: 'pending' | 'passed' | 'problems'; reviewer: string | null; problems: string[];
    answers: { problem: number; answer: string; problemText: string | null }[];
    values: Record<string, unknown>;
    route: { bodyAgencyName: string; unitName: string; routeLabel: string } | null;
    clock: { dueOn: string; status: string; label: string } | null;
    changes: { field: string; label: string; before: unknown; after: unknown }[];
  }[];
  coordinations: { id: string; reason: string; status: 'open' | 'settled'; methodLabel: string | null; participants: string[]; conclusion: string | null; decidedOn: string | null }[];
}

export interface CaseReview {
  id: string;
  round: number;
  submittedBy: string;
  on: string;
  summary: string;
  proposedDecision: string;
  materials: { kind: ReviewMaterial; note: string; documentIds: string[]; recordIds: string[] }[];
  status: 'pending' | 'passed' | 'problems';
  /** The roster entry the submission is assigned to (R-L03). */
  assignedTo: { rosterId: string; name: string; agencyName: string } | null;
  opinion: {
    result: 'passed' | 'problems';
    opinion: string;
    problems: string[];
    checklist: Record<ReviewPoint, { ok: boolean; note: string }>;
    reviewer: string;
    on: string;
    documentId: string | null;
  } | null;
}

export interface CaseApproval {
  id: string;
  purpose: 'step' | 'extension';
  step: string | null;
  clock: string | null;
  days: number | null;
  approvedBy: string;
  role: string;
  on: string;
  opinion: string;
  usedByStep: number | null;
  usedByExtension: string | null;
}

export interface CaseDisclosure {
  id: string;
  recordIds: string[];
  recipient: string;
  purpose: string;
  requestedBy: string;
  requestedAt: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  opinion: string | null;
  validUntil: string | null;
  decidedAt: string | null;
}

export interface CaseAccess {
  id: string;
  recordId: string | null;
  action: string;
  user: string;
  role: string;
  reason: string;
  disclosureId: string | null;
  at: string;
}

/** The case view with everything the workspace shows. */
export interface CaseWorkView extends CaseView {
  facts: Record<string, boolean | number | string>;
  profile: { amountInvolved?: number; penaltyKinds: string[]; flags: string[] };
  majorDecision: { major: boolean | null; matched: { code: string; title: string }[] | null };
  reviews: CaseReview[];
  approvals: CaseApproval[];
  disclosures: CaseDisclosure[];
  accessLog: CaseAccess[];
}

/** The server's own shape (type-only import: nothing of the server enters the bundle). */
export type { CaseFileItem } from '../../src/cases/case-file.ts';

export type { AvRetention } from '../../src/cases/av-retention.ts';

export interface CaseFile {
  complete: boolean;
  missing: Refusal[];
  items: CaseFileItem[];
  /** R-R10: each AV record's retention from the AV list, with the date it is kept until once archived. */
  avRetention: AvRetention[];
}

export interface NewCaseInput {
  procedureId: string;
  title: string;
  matter: { category: string; area: string };
  party: { name: string; type: 'citizen' | 'organisation'; idType: 'credit_code' | 'id_card' | 'other'; idNumber: string | null; address: string };
}

export interface StepSubmission {
  step: string;
  on: string;
  officerIds: string[];
  presidedBy?: string;
  facts: Record<string, boolean | number | string>;
  documents: { type: string; fields: Record<string, unknown> }[];
  /** Final documents drafted ahead that this step uses. */
  documentIds?: string[];
  note?: string;
  /** The same submission sent again after a network cut answers with the step it made (issue 14). */
  clientKey?: string;
}

export interface RecordSubmission {
  kind: RecordKind;
  step: string;
  stepSeq?: number;
  title: string;
  description: string;
  content?: string;
  blobSha256?: string;
  recorderName?: string;
  deviceId?: string;
  startedAt: string;
  endedAt: string;
  place: string;
  officerIds: string[];
  custodian: string;
  corrects?: string;
  correctionReason?: string;
}

export const caseApi = {
  view: (caseId: string) => request<CaseWorkView>(`/cases/${id(caseId)}`),
  create: (input: NewCaseInput) => request<CaseWorkView>('/cases', { method: 'POST', body: input }),
  performStep: (caseId: string, input: StepSubmission) =>
    request<{ seq: number; warnings: Refusal[]; documents: { id: string }[] }>(`/cases/${id(caseId)}/steps`, { method: 'POST', body: input }),
  approve: (caseId: string, input: { purpose: 'step' | 'extension'; step?: string; clock?: string; days?: number; on: string; opinion: string }) =>
    request<CaseApproval>(`/cases/${id(caseId)}/approvals`, { method: 'POST', body: input }),
  extend: (caseId: string, input: { clock: string; days: number; on: string; reason: string; approvalId?: string }) =>
    request<unknown>(`/cases/${id(caseId)}/extensions`, { method: 'POST', body: input }),
  addRecord: (caseId: string, input: RecordSubmission) => request<{ id: string }>(`/cases/${id(caseId)}/records`, { method: 'POST', body: input }),
  /** Opening the URL is the access: the server logs it with the reason (R-R06). */
  recordContentUrl: (caseId: string, recordId: string, reason: string, action: 'view' | 'download', disclosureId?: string) => {
    const q = new URLSearchParams({ reason, action, ...(disclosureId ? { disclosureId } : {}) });
    return `${API_BASE}/cases/${id(caseId)}/records/${id(recordId)}/content?${q.toString()}`;
  },
  reviewAssignees: (caseId: string) => request<{ items: ReviewAssignee[] }>(`/cases/${id(caseId)}/review-assignees`),
  reviewRounds: (caseId: string) => request<ReviewRounds>(`/cases/${id(caseId)}/review-rounds`),
  submitReview: (caseId: string, input: { on: string; summary: string; proposedDecision: string; materials: { kind: ReviewMaterial; note: string; documentIds?: string[] }[]; declaration: true; reviewerId?: string; answers?: { problem: number; answer: string }[] }) =>
    request<CaseReview>(`/cases/${id(caseId)}/reviews`, { method: 'POST', body: input }),
  giveOpinion: (caseId: string, reviewId: string, input: { on: string; result: 'passed' | 'problems'; checklist: Record<string, { ok: boolean; note: string }>; opinion: string; problems: string[] }) =>
    request<CaseReview>(`/cases/${id(caseId)}/reviews/${id(reviewId)}/opinion`, { method: 'POST', body: input }),
  requestDisclosure: (caseId: string, input: { recordIds: string[]; recipient: string; purpose: string }) =>
    request<CaseDisclosure>(`/cases/${id(caseId)}/disclosures`, { method: 'POST', body: input }),
  decideDisclosure: (caseId: string, disclosureId: string, input: { approved: boolean; opinion: string; validUntil?: string }) =>
    request<CaseDisclosure>(`/cases/${id(caseId)}/disclosures/${id(disclosureId)}/decision`, { method: 'POST', body: input }),
  createDraft: (caseId: string, type: string, fields: Record<string, unknown>) =>
    request<CaseDocument>(`/cases/${id(caseId)}/documents`, { method: 'POST', body: { type, fields } }),
  updateDraft: (caseId: string, docId: string, fields: Record<string, unknown>) =>
    request<CaseDocument>(`/cases/${id(caseId)}/documents/${id(docId)}`, { method: 'PATCH', body: { fields } }),
  finaliseDocument: (caseId: string, docId: string, issuedOn: string) =>
    request<unknown>(`/cases/${id(caseId)}/documents/${id(docId)}/finalise`, { method: 'POST', body: { issuedOn } }),
  deleteDraft: (caseId: string, docId: string) => request<unknown>(`/cases/${id(caseId)}/documents/${id(docId)}`, { method: 'DELETE' }),
  documentDocxUrl: (caseId: string, docId: string) => `${API_BASE}/cases/${id(caseId)}/documents/${id(docId)}/docx`,
  file: (caseId: string) => request<CaseFile>(`/cases/${id(caseId)}/file`),
  archive: (caseId: string, input: { on: string; retention?: '永久' | '定期30年' | '定期10年' }) =>
    request<unknown>(`/cases/${id(caseId)}/archive`, { method: 'POST', body: input }),
  archivePackageUrl: (caseId: string, reason: string) => `${API_BASE}/cases/${id(caseId)}/archive-package?reason=${encodeURIComponent(reason)}`,
};

/** Today's date where the law is applied (Beijing time), whatever the browser's time zone. */
export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * For a DatePicker's disabledDate: a day after today in Beijing. dayjs() alone is the browser's day, which
 * in a browser set to UTC disables China's today from 00:00 to 08:00 (the CI failure of stop 22).
 */
export function afterTodayInChina(day: { format(f: string): string }): boolean {
  return day.format('YYYY-MM-DD') > todayInChina();
}

/** A datetime-local value ('YYYY-MM-DDTHH:mm', Beijing time) as an ISO instant with its offset. */
export function beijingInstant(local: string): string {
  return `${local}:00+08:00`;
}
