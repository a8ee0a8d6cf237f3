// The discretion and assistance calls (src/assist/routes.ts, issue 13).
import { request } from './api.ts';

export interface LegalRange { kind: 'fixed' | 'range' | 'multiple' | 'maxOnly'; min: number; max: number; base: string | null }
export interface LibraryViolation { code: string; name: string; violated: string; penalty: string; legalRange: LegalRange; rangeKindLabel: string; benchmarks: { id: string; issuer: string; version: number; effectiveFrom: string; effectiveTo: string | null }[] }
export interface LibraryProvision { id: string; law: string; citation: string; text: string; effectiveFrom: string; effectiveTo: string | null }
export interface PublicBenchmark {
  id: string; version: number; issuer: string; effectiveFrom: string; effectiveTo: string | null; document: string;
  violation: { code: string; name: string; violated: string; penalty: string }; legalRange: LegalRange;
  levels: { level: string; circumstances: string[]; min: number; max: number }[];
}
export interface Circumstance { code: string; label: string; basis: string }
export interface Proposal {
  benchmark: { id: string; version: number; issuer: string; document: string; effectiveFrom: string };
  violation: { code: string; name: string; violated: string; penalty: string };
  legalRange: LegalRange & { text: string };
  proposal: { level: string; min: number; max: number; reasons: string[] };
  firstOffense: { eligible: boolean; lookbackFrom: string; prior: { decidedOn: string } | null } | null;
}
export interface DiscretionRecord {
  violation: { code: string; name?: string; violated?: string; penalty?: string };
  legalRange: (LegalRange & { text: string; kindLabel: string }) | null;
  benchmark: { id: string; version: number; issuer?: string; document?: string };
  circumstances: string[]; level: string; band: { min: number; max: number } | null; amount: number; baseAmount: number | null;
  mitigationGround: string | null; firstOffenseClaim: boolean; suggestion: { code: string; rank: number; terms: string[] } | null; factsText: string; outsideBand: boolean;
  deviation: { reason: string; status: 'pending' | 'approved'; mode: string | null; opinion: string | null; approvedOn: string | null } | null;
  explanation: string; decidedOn: string | null;
}
export interface Suggestion { code: string; name: string; rank: number; score: number; terms: string[] }
export interface SimilarCase { caseId: string; number: string; title: string; agency: string; violationCode: string; level: string; amount: number; decidedOn: string; score: number; reason: { terms: string[]; fields: string[] } }
export interface DiscretionInput {
  violationCode: string; circumstances: string[]; level: string; amount: number; baseAmount?: number | null; mitigationGround?: string | null;
  firstOffenseClaim?: boolean; deviationReason?: string | null; factsText?: string; suggestion?: { code: string; rank: number; terms: string[] } | null;
}

export const assistApi = {
  benchmarks: (q?: string) => request<{ items: PublicBenchmark[]; circumstances: Circumstance[] }>('/public/benchmarks', { query: q ? { q } : {} }),
  library: (q?: string) => request<{ violations: LibraryViolation[]; provisions: LibraryProvision[] }>('/assist/library', { query: q ? { q } : {} }),
  discretion: (caseId: string) => request<{ record: DiscretionRecord | null }>(`/cases/${caseId}/discretion`),
  propose: (caseId: string, body: { violationCode: string; circumstances: string[] }) => request<Proposal>(`/cases/${caseId}/discretion/proposal`, { method: 'POST', body }),
  record: (caseId: string, body: DiscretionInput) => request<{ record: DiscretionRecord }>(`/cases/${caseId}/discretion`, { method: 'PUT', body }),
  approve: (caseId: string, body: { mode: 'head' | 'collective'; opinion: string; on: string }) => request<{ record: DiscretionRecord }>(`/cases/${caseId}/discretion/deviation-approval`, { method: 'POST', body }),
  suggest: (caseId: string, text: string) => request<{ items: Suggestion[] }>(`/cases/${caseId}/suggestions`, { method: 'POST', body: { text } }),
  similar: (caseId: string) => request<{ items: SimilarCase[] }>(`/cases/${caseId}/similar`),
  precheck: (caseId: string) => request<{ ok: boolean; items: { code: string; reason: string; step?: string }[] }>(`/cases/${caseId}/precheck`),
};
