// Calls of the 双随机一公开 pages (src/inspections/routes.ts).
import { request } from './api.ts';

export interface Plan { id: string; agencyId: string; agency: string; year: number; title: string; joint: boolean; departments: string[]; parties: string[]; status: 'draft' | 'published'; publishedOn: string | null; tasks: number }
export interface Task {
  id: string; planId: string; planTitle: string; planStatus: string; year: number; agency: string; joint: boolean; parties: string[]; matter: string; category: string; title: string; batch: number;
  inspectionDate: string; classAsOf: string; rounding: string; redoOf: string | null; redoReason: string | null; status: 'planned' | 'committed' | 'drawn';
  ratios: Record<string, { ratioBp: number; min: number; max: number | null }>;
}
export interface Matter { id: string; agencyId: string; agency: string; code: string; name: string; category: string; legalBasis: string; kind: string }
export interface PublicDraw {
  id: string; algorithm: string; status: string; commitment: { leafHash: string; ledgerIndex: number } | null;
  classes: { class: string; count: number; quota: number; root: string }[]; randomness: { source: string; value: string }[]; seed: string | null;
  selected: { class: string; creditCode: string; key: string }[]; teams: { creditCode: string; officers: { certificateNumber: string }[] }[];
}
export interface ResultRow { creditCode: string; name: string; creditClass: string; caseId: string | null; resultCodes: string[]; inspectedOn: string | null; publishBy: string | null; followUp: string | null; penaltyCaseId: string | null; noticeTo: string | null }
export interface ObjectRow { id: string; creditCode: string; name: string; regionCode: string; agency: string; tags: string[]; creditClass: string; classSetOn: string }
export interface InspectorRow { officerId: string; name?: string; certificateNumber?: string; agency: string; categories: string[]; areas: string[]; unit: string; available: boolean; workloadCap: number; conflicts: number }

export const RESULT_CODES: Record<string, string> = {
  '1': '未发现问题', A: '发现问题待后续处理', B: '未按规定公示应当公示的信息', C: '公示信息隐瞒真实情况弄虚作假', E: '发现问题已责令改正', F: '未发现开展本次抽查涉及的经营活动',
  '6': '通过登记的住所（经营场所）无法联系', '7': '已关闭停业或正在组织清算', '8': '不予配合情节严重', '9': '注销', '10': '被吊销', '11': '被撤销', '12': '迁出',
};
export const FOLLOW_UPS: Record<string, string> = { none: '无需后续处置', rectify: '责令改正', transfer: '移送立案查处', notify: '抄告相关部门' };
export const TASK_STATUS: Record<string, string> = { planned: '待承诺', committed: '已承诺，待揭示和抽取', drawn: '已抽取' };

export const inspectionsApi = {
  plans: () => request<{ items: Plan[] }>('/inspection-plans'),
  createPlan: (body: unknown) => request<{ id: string }>('/inspection-plans', { method: 'POST', body }),
  publishPlan: (id: string) => request(`/inspection-plans/${id}/publish`, { method: 'POST' }),
  createTask: (planId: string, body: unknown) => request<{ id: string }>(`/inspection-plans/${planId}/tasks`, { method: 'POST', body }),
  tasks: (query: { year?: number; planId?: string; page?: number; pageSize?: number }) => request<{ items: Task[]; total: number }>('/inspection-tasks', { query }),
  matters: () => request<{ items: Matter[] }>('/inspection-matters'),
  commit: (id: string, sources: { source: string; hash: string }[]) => request(`/inspection-tasks/${id}/commit`, { method: 'POST', body: { sources } }),
  reveal: (id: string, source: string, value: string) => request(`/inspection-tasks/${id}/reveals`, { method: 'POST', body: { source, value } }),
  draw: (id: string) => request(`/inspection-tasks/${id}/draw`, { method: 'POST' }),
  publicDraw: (id: string) => request<PublicDraw>(`/public/inspection-tasks/${id}`),
  results: (id: string) => request<{ items: ResultRow[] }>(`/inspection-tasks/${id}/results`),
  openCases: (id: string) => request<{ created: unknown[] }>(`/inspection-tasks/${id}/cases`, { method: 'POST' }),
  recordResult: (id: string, body: unknown) => request<{ publishBy: string }>(`/inspection-tasks/${id}/results`, { method: 'POST', body }),
  objects: (query: { q?: string; creditClass?: string; page: number; pageSize: number }) => request<{ items: ObjectRow[]; total: number }>('/inspection-objects', { query }),
  inspectors: () => request<{ items: InspectorRow[] }>('/inspectors'),
  importObjects: (agencyId: string, file: File) => {
    const body = new FormData();
    body.append('file', file);
    return request<{ imported: number }>('/imports/inspection-objects', { method: 'POST', query: { agencyId }, body });
  },
};

/** A party's secret made in this browser: 32 random bytes; only its SHA-256 goes to the platform before the draw. */
export async function newSecret(): Promise<{ secret: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const hex = (u8: Uint8Array) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
  return { secret: hex(bytes), hash: hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))) };
}
