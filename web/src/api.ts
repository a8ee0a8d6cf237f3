// The one way the back office talks to the server: same origin, JSON, session cookie,
// X-CSRF-Token on every write, problem+json (RFC 9457) errors as ApiError.
import type { ClockView } from '../../src/cases/procedures/clocks.ts';
import type { FactDef } from '../../src/cases/procedures/schema.ts';
import type {
  AgencyKind,
  CaseClockState,
  CaseDocumentStatus,
  CaseStatus,
  RecordKind,
  AgencyLevel,
  EffectiveStatus,
  Gender,
  IssuerType,
  LegalStatus,
  OfficerStatus,
  Qualification,
  ReviewerRole,
  Role,
  TokenScope,
} from './labels.ts';
import type { JsonSchema } from './components/DocumentForm.tsx';

export const API_BASE = '/api/v1';

// ---------- errors ----------

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  /** The procedures engine's reasons for refusing a step, each with its legal basis. */
  refusals?: Refusal[];
}

export interface Refusal {
  code: string;
  reason: string;
  basis?: string;
  warnOnly?: boolean;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId?: string;
  readonly refusals: Refusal[];

  constructor(status: number, problem: Problem) {
    const title = problem.title ?? '请求失败';
    const detail = problem.detail ?? title;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.requestId = problem.requestId;
    this.refusals = Array.isArray(problem.refusals) ? problem.refusals : [];
  }

  /** The last segment of the problem type, e.g. "invalid_credentials". */
  get code(): string {
    const parts = this.type.split(/[/#]/);
    return parts[parts.length - 1] ?? this.type;
  }
}

/** Any thrown value as an ApiError, so screens have one shape to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Error) return new ApiError(0, { title: '操作失败', detail: e.message });
  return new ApiError(0, { title: '操作失败', detail: String(e) });
}

// ---------- session plumbing ----------

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** For requests not made through `request` (resumable uploads, web/src/upload.ts). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

/** The auth context registers how to send the user back to the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  /** A JSON body, or FormData for uploads (the browser sets the multipart boundary). */
  body?: unknown;
  /** Login, second factor and the session probe answer 401 as part of their flow. */
  redirectOn401?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(withQuery(API_BASE + path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: '网络错误', detail: '无法连接服务器，请检查网络后重试。' });
  }

  if (res.status === 204) return undefined as T;
  const contentType = res.headers.get('Content-Type') ?? '';
  const isJson = contentType.includes('json');
  const payload: unknown = isJson ? await res.json().catch(() => null) : null;

  if (!res.ok) {
    const problem: Problem =
      payload && typeof payload === 'object'
        ? (payload as Problem)
        : { title: '请求失败', detail: `服务器返回错误（HTTP ${res.status}），请稍后重试。` };
    const error = new ApiError(res.status, problem);
    if (res.status === 401 && options.redirectOn401 !== false) {
      if (onUnauthorized) onUnauthorized();
      else window.location.assign('/admin/login');
    }
    throw error;
  }
  return payload as T;
}

// ---------- types ----------

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  agencyId: string;
  agencyName: string;
  /** Signed in with a temporary password: the server refuses everything but changing it. */
  mustChangePassword: boolean;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  demo: boolean;
  secondFactor: 'none' | 'pending' | 'done';
}

export interface LoginAnswer {
  stage: 'done' | 'totp' | 'totp_enroll';
  csrfToken: string;
  totpUri?: string;
  /** The base32 secret of totpUri, for typing into an authenticator. */
  totpSecret?: string;
  user?: SessionUser;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface DashboardCard {
  key: string;
  label: string;
  value: number | string;
  hint?: string;
  status?: 'ok' | 'warn' | 'bad';
}

export interface Dashboard {
  role: Role;
  cards: DashboardCard[];
  tasks: { label: string; href: string }[];
}

export interface Agency {
  id: string;
  name: string;
  creditCode: string;
  kind: AgencyKind;
  level: AgencyLevel;
  regionCode: string;
  legalStatus: LegalStatus;
  entrustingAgencyId: string | null;
  entrustingAgencyName: string | null;
  fields: string[];
  duties: string;
  legalBasis: string;
  parentId: string | null;
  parentName: string | null;
  reviewUnit: string;
  address: string;
  phone: string;
}

export type AgencyInput = Omit<Agency, 'id' | 'entrustingAgencyName' | 'parentName'>;

export interface Officer {
  id: string;
  agencyId: string;
  agencyName: string;
  name: string;
  gender: Gender | null;
  /** Only in answers to administrators; null when not recorded. */
  idNumber?: string | null;
  certificateNumber: string;
  issuerType: IssuerType;
  justiceRegistration: string | null;
  category: string;
  area: string;
  validFrom: string;
  validTo: string;
  status: OfficerStatus;
  effectiveStatus: EffectiveStatus;
  qualification: Qualification;
  examPassedOn: string | null;
}

export type OfficerInput = Omit<Officer, 'id' | 'agencyName' | 'status' | 'effectiveStatus'>;

export interface TrainingRecord {
  id: string;
  title: string;
  heldOn: string;
  hours: number;
}

export interface Reviewer {
  id: string;
  agencyId: string;
  agencyName: string;
  name: string;
  role: ReviewerRole;
  qualification: string;
  phone: string;
  shared: boolean;
  active: boolean;
}

export type ReviewerInput = Omit<Reviewer, 'id' | 'agencyName' | 'active'>;

/** An account as GET /users lists it (administrators only). */
export interface AccountListItem {
  id: string;
  username: string;
  displayName: string;
  agencyId: string;
  agencyName: string;
  role: string;
  disabled: boolean;
}

export interface ReviewerRatio {
  agencyId: string;
  agencyName: string;
  officers: number;
  reviewers: number;
  ratio: number;
  required: number;
  meetsFloor: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  outcome: string;
  username: string | null;
  ip: string | null;
  detail: unknown;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}


// ---------- cases (shapes of src/cases/view.ts) ----------

export interface CaseListQuery {
  q?: string;
  status?: string;
  stage?: string;
  procedureId?: string;
  clock?: string;
  agencyId?: string;
  page?: number;
  pageSize?: number;
}

export interface CaseListItem {
  id: string;
  agencyId: string;
  agencyName: string;
  procedureId: string;
  procedureVersion: number;
  caseType: string;
  caseTypeLabel: string;
  number: string;
  title: string;
  party: string;
  cursor: string | null;
  stage: string | null;
  stageLabel: string;
  status: CaseStatus;
  statusLabel: string;
  nextDeadline: string | null;
  nextDeadlineClock: string | null;
  /** null when the case is not open or has no running deadline. */
  clock: CaseClockState | null;
  steps: number;
  majorDecision: boolean | null;
  createdAt: string;
  updatedAt: string;
}

export interface CasePage extends Page<CaseListItem> {
  /** More than 10000 matches: the total is shown as "10000+". */
  totalCapped: boolean;
}

export interface ProcedureListItem {
  id: string;
  version: number;
  versions: number[];
  name: string;
  caseType: string;
  caseTypeLabel: string;
  description: string | null;
  agency: { id: string; name: string } | null;
  steps: number;
}

/** The server's clock view (type-only import: no server code enters the bundle). */
export type CaseClock = ClockView;

export interface StepRefusal {
  code: string;
  reason: string;
  basis?: string;
  step?: string;
  clock?: string;
  document?: string;
  officerId?: string;
  /** Only a warning (a late but still allowed step). */
  warnOnly?: boolean;
}

export interface AvailableStep {
  key: string;
  name: string;
  stage: string;
  stageName: string;
  kind: string;
  roles: string[];
  approvalRoles: string[] | null;
  onSite: boolean;
  requires: { type: string; name: string; present: boolean }[];
  produces: { type: string; name: string }[];
  blockers: StepRefusal[];
  av: { rule: string; requirement: 'mandatory' | 'as_needed' | 'optional'; requirementLabel: string; forms: string[]; fullProcess: boolean; keyPoints: string[]; requiredElements: string[]; conductLanguage: string[]; recorded: boolean; pendingRecords: number } | null;
  /** Facts the step form asks for (the procedure definition's fact definitions). */
  sets: FactDef[];
  presider: { notFromStages: string[]; basis: string } | null;
}

export type { FactDef };

export interface CaseStepRecord {
  seq: number;
  step: string;
  on: string;
  actor: { id: string; role: string };
  officers: { id: string; name: string; certificateNumber: string }[];
  approval: { by: string; name: string; role: string; on: string } | null;
  presidedBy: string | null;
  documents: { type: string; ref: string }[];
  note: string | null;
}

export interface CaseStep {
  seq: number;
  step: string;
  name: string;
  stage: string;
  kind: string;
  on: string;
  actorRole: string;
  record: Partial<CaseStepRecord> | null;
  warnings: unknown[];
  documentIds: string[];
  approvalId: string | null;
  createdAt: string;
}

export interface CaseDocument {
  id: string;
  type: string;
  title: string;
  /** null outside the agency's own staff (the party's personal data, R-P14). */
  fields: Record<string, unknown> | null;
  status: CaseDocumentStatus;
  number: string | null;
  issuedOn: string | null;
  pdfSha256: string | null;
  pdfSize: number | null;
  createdAt: string;
  finalisedAt: string | null;
}

export interface CaseRecord {
  id: string;
  kind: RecordKind;
  kindLabel: string;
  step: string;
  stepSeq: number | null;
  title: string;
  description: string;
  hasContent: boolean;
  mediaType: string | null;
  size: number | null;
  recorder: string | null;
  deviceId: string | null;
  startedAt: string;
  endedAt: string;
  place: string;
  corrects: string | null;
  correctionReason: string | null;
  createdAt: string;
}

export interface CaseView {
  id: string;
  number: string;
  title: string;
  agency: { id: string; name: string };
  procedure: { id: string; version: number; name: string; caseType: string };
  matter: { category: string; area: string };
  party: { name: string; type: string; typeLabel: string; idType: string; idNumber?: string | null; address?: string };
  status: CaseStatus;
  statusLabel: string;
  cursor: string | null;
  cursorName: string | null;
  stage: string | null;
  stageLabel: string;
  clocks: CaseClock[];
  available: { pendingFacts: { key: string; label: string }[]; steps: AvailableStep[] };
  steps: CaseStep[];
  documents: CaseDocument[];
  records: CaseRecord[];
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** GET /document-forms/:type: a document's form (src/cases/document-forms.ts). */
export interface DocumentFormDescription {
  type: string;
  title: string;
  /** false: a document without a structured form (party and body text). */
  structured: boolean;
  description: string;
  kindAbbreviation: string | null;
  layout: 'letter' | 'form' | 'record' | 'cover' | 'list';
  schema: JsonSchema;
}

/** GET /cases/:id/document-prefill: only what the case knows; the rest is left out. */
export interface DocumentPrefill {
  fields: Record<string, unknown>;
}

// ---------- endpoints (every call the back office makes) ----------

const id = encodeURIComponent;

export const api = {
  // auth
  session: () => request<Session>('/auth/session', { redirectOn401: false }),
  login: (username: string, password: string) =>
    request<LoginAnswer>('/auth/login', { method: 'POST', body: { username, password }, redirectOn401: false }),
  totp: (code: string) =>
    request<LoginAnswer>('/auth/totp', { method: 'POST', body: { code }, redirectOn401: false }),
  logout: () => request<void>('/auth/logout', { method: 'POST', redirectOn401: false }),
  /** The session is re-issued: the answer carries its new CSRF token. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<{ ok: boolean; csrfToken: string }>('/auth/password', { method: 'POST', body: { currentPassword, newPassword } }),
  totpQrUrl: `${API_BASE}/auth/totp-qr.svg`,

  dashboard: () => request<Dashboard>('/dashboard'),

  // agencies
  agencies: (q: { q?: string; kind?: string; page?: number; pageSize?: number }) =>
    request<Page<Agency>>('/agencies', { query: q }),
  agency: (agencyId: string) => request<Agency>(`/agencies/${id(agencyId)}`),
  createAgency: (input: AgencyInput) => request<Agency>('/agencies', { method: 'POST', body: input }),
  updateAgency: (agencyId: string, patch: Partial<AgencyInput>) =>
    request<Agency>(`/agencies/${id(agencyId)}`, { method: 'PATCH', body: patch }),

  // officers
  officers: (q: { q?: string; agencyId?: string; status?: string; page?: number; pageSize?: number }) =>
    request<Page<Officer>>('/officers', { query: q }),
  officer: (officerId: string) => request<Officer>(`/officers/${id(officerId)}`),
  createOfficer: (input: OfficerInput) => request<Officer>('/officers', { method: 'POST', body: input }),
  updateOfficer: (officerId: string, patch: Partial<OfficerInput>) =>
    request<Officer>(`/officers/${id(officerId)}`, { method: 'PATCH', body: patch }),
  setOfficerStatus: (officerId: string, status: OfficerStatus, reason: string) =>
    request<Officer>(`/officers/${id(officerId)}/status`, { method: 'POST', body: { status, reason } }),
  training: (officerId: string) =>
    request<{ items: TrainingRecord[] }>(`/officers/${id(officerId)}/training`),
  addTraining: (officerId: string, input: Omit<TrainingRecord, 'id'>) =>
    request<TrainingRecord>(`/officers/${id(officerId)}/training`, { method: 'POST', body: input }),
  officerQrUrl: (officerId: string, format: 'svg' | 'png') => `${API_BASE}/officers/${id(officerId)}/qr.${format}`,
  verifyUrl: (certificateNumber: string) => `/verify/officer/${encodeURIComponent(certificateNumber)}`,

  // reviewers
  reviewers: (agencyId?: string) => request<{ items: Reviewer[] }>('/reviewers', { query: { agencyId } }),
  createReviewer: (input: ReviewerInput) => request<Reviewer>('/reviewers', { method: 'POST', body: input }),
  updateReviewer: (id: string, patch: { userId?: string | null; shared?: boolean; active?: boolean }) =>
    request<Reviewer>(`/reviewers/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
  users: () => request<{ items: AccountListItem[] }>('/users'),
  reviewerRatio: () => request<{ items: ReviewerRatio[] }>('/reviewers/ratio'),

  // imports
  importFile: (kind: 'agencies' | 'officers', file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<{ imported: number }>(`/imports/${kind}`, { method: 'POST', body: form });
  },
  importTemplateUrl: (kind: 'agencies' | 'officers') => `${API_BASE}/imports/templates/${kind}.xlsx`,

  // cases: the list and links; the workspace's calls are in caseApi.ts
  cases: (q: CaseListQuery) => request<CasePage>('/cases', { query: { ...q } }),
  caseDocumentPdfUrl: (caseId: string, docId: string) => `${API_BASE}/cases/${id(caseId)}/documents/${id(docId)}/pdf`,
  procedures: () => request<{ items: ProcedureListItem[] }>('/procedures'),
  procedureFlowchartUrl: (procedureId: string) => `/procedures/${encodeURIComponent(procedureId)}`,
  documentForm: (type: string) => request<DocumentFormDescription>(`/document-forms/${id(type)}`),
  documentPrefill: (caseId: string, q: { type: string; on: string; officerIds: string[] }) =>
    request<DocumentPrefill>(`/cases/${id(caseId)}/document-prefill`, { query: { type: q.type, on: q.on, officerIds: q.officerIds.join(',') } }),

  // audit
  audit: (q: { page: number; pageSize: number }) => request<Page<AuditEntry>>('/audit', { query: q }),

  // API tokens
  tokens: () => request<{ items: ApiToken[] }>('/tokens'),
  createToken: (name: string, scopes: TokenScope[]) =>
    request<{ id: string; token: string }>('/tokens', { method: 'POST', body: { name, scopes } }),
  revokeToken: (tokenId: string) => request<unknown>(`/tokens/${id(tokenId)}/revoke`, { method: 'POST' }),
};
