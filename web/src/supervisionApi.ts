// The supervision desk's calls (src/supervision/routes.ts).
import { request } from './api.ts';

export interface AlertItem {
  id: string; kind: string; severity: 'high' | 'medium' | 'low'; agency: { id: string; name: string }; caseId: string | null; raisedOn: string;
  status: 'open' | 'answered' | 'resolved'; rule: { code: string; version: number }; basis: string;
}
export interface AlertDetail extends AlertItem { detail: Record<string, unknown>; answer: string | null; resolution: string | null; resolvedAt: string | null }
export interface Clock { label: string; due: string; running: boolean; overdue: boolean }
export interface Matter {
  id: string; number: string; agency: { id: string; name: string }; bureau: { id: string; name: string }; caseId: string | null; source: string; sourceLabel: string;
  mode: string; modeLabel: string; listed: boolean; escalated: boolean; title: string; facts: string; status: string; statusLabel: string; instrument: string | null;
  instrumentName: string | null; instrumentNumber: string | null; openedOn: string; closedOn: string | null; conclusion: string | null; clocks: Clock[];
  steps?: { seq: number; action: string; on: string; by: string; text: string; documentNumber: string | null }[];
  case?: { number: string; title: string } | null;
}
export interface Complaint {
  id: string; trackingNumber: string; channelLabel: string; subjectKind: string; subjectAgency: { id: string; name: string }; handler: { id: string; name: string };
  bureau: { id: string; name: string }; summary: string; content: string; realName: boolean; complainant: { name: string | null; phone: string | null } | null;
  status: string; statusLabel: string; receivedOn: string; acceptBy: string; acceptedOn: string | null; closeBy: string | null; extended: boolean;
  decisionReason: string | null; reply: string | null; closedOn: string | null; overdue: boolean;
}
export interface Summary {
  role: string;
  alerts: { byKind: { kind: string; label: string; open: number; answered: number; resolved: number }[]; byAgency: { agency: { id: string; name: string }; open: number; total: number }[]; byMonth: { month: string; n: number }[] };
  matters: { status: string; label: string; count: number; overdue: number }[];
  complaints: { status: string; label: string; count: number; overdue: number }[];
}

const qs = (p: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams(Object.entries(p).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
  return s ? `?${s}` : '';
};
const post = <T,>(path: string, body: unknown) => request<T>(path, { method: 'POST', body });

export const ALERT_LABELS: Record<string, string> = {
  overdue_decision: '超期办案', seizure_overdue: '查封扣押超期', licence_overdue: '许可超期', review_missing: '应审未审', review_overdue: '法制审核超时', single_officer: '一人执法', certificate_invalid: '证件过期仍执法',
  summary_limit: '简易程序越权', hearing_notice_missing: '听证权利未告知', av_missing: '全过程记录缺失', publication_overdue: '公示超期', withdrawal_overdue: '撤回超期',
  zero_enforcement: '零执法', limitation_expired: '超时效处罚', discretion_outlier: '同案不同罚',
};
export const ALERT_STATUS: Record<string, string> = { open: '待答复', answered: '已答复', resolved: '已办结' };
export const SEVERITY: Record<string, { label: string; color: string }> = { high: { label: '高', color: 'red' }, medium: { label: '中', color: 'orange' }, low: { label: '低', color: 'gold' } };

export const supervisionApi = {
  summary: () => request<Summary>('/supervision/summary'),
  alerts: (p: { kind?: string; agency?: string; status?: string; cursor?: string; limit?: number }) =>
    request<{ items: AlertItem[]; nextCursor: string | null; total: number }>(`/supervision/alerts${qs(p)}`),
  alert: (id: string) => request<AlertDetail>(`/supervision/alerts/${id}`),
  answerAlert: (id: string, answer: string) => post<AlertDetail>(`/supervision/alerts/${id}/answer`, { answer }),
  resolveAlert: (id: string, resolution: string) => post<AlertDetail>(`/supervision/alerts/${id}/resolve`, { resolution }),
  matters: (p: { status?: string; agency?: string; limit?: number; offset?: number }) => request<{ items: Matter[]; total: number }>(`/supervision/matters${qs(p)}`),
  matter: (id: string) => request<Matter>(`/supervision/matters/${id}`),
  openMatter: (body: Record<string, unknown>) => post<Matter>('/supervision/matters', body),
  matterAct: (id: string, act: string, body: Record<string, unknown>) => post<Matter>(`/supervision/matters/${id}/${act}`, body),
  complaints: (p: { status?: string; agency?: string; limit?: number; offset?: number }) => request<{ items: Complaint[]; total: number }>(`/supervision/complaints${qs(p)}`),
  complaint: (id: string) => request<Complaint>(`/supervision/complaints/${id}`),
  complaintAct: (id: string, act: string, body: Record<string, unknown>) => post<Complaint>(`/supervision/complaints/${id}/${act}`, body),
};
