// The authorization matrix (issue 15, R-R06, R-P14, R-P03): every operation of the OpenAPI document ×
// every kind of caller × own / same-jurisdiction / foreign resource. The expected answer is written
// down once per operation as a rule (who sees the resource, who may act on it) and evaluated for each
// caller and resource into a status class; nothing here is a hand-written cell. test/security.matrix.test.ts
// runs it, and docs/SECURITY.md's per-role tables are read off the same rules.
//
// Order of checks in this code base (src/platform/http/route.ts): authentication (401), the API
// token's scope (403), then Zod validation of params, query and body (400), then the service, which
// decides scope (404) and permission (403). Validation comes BEFORE permission, so a refused caller with
// an invalid body sees 400, not 403: every request below is valid at the route, and the services refuse
// what they refuse after their own permission check (an unknown step, a finished case, a decided
// disclosure…), which the matrix counts as "past authorization" ('ok').

import crypto from 'node:crypto';
import { REVIEW_POINTS } from '../../src/cases/labels.ts';

export const AGENCY_KEYS = { scjg: 'city_scjg', xh: 'xh_zhzf', sthj: 'city_sthj' } as const;
/** The resource's agency, relative to scjg_*: own (市场监管局), 西湖区 (same jurisdiction for xhsfj), foreign (生态环境局). */
export type Place = keyof typeof AGENCY_KEYS;
export const PLACES: Place[] = ['scjg', 'xh', 'sthj'];
export const REGION: Record<Place, string> = { scjg: '330100', xh: '330106', sthj: '330100' };

export type Role = 'officer' | 'agency_head' | 'reviewer' | 'agency_admin' | 'supervisor' | 'system_admin';

export interface Caller {
  kind: 'anonymous' | 'token' | 'user';
  role: Role | null;
  /** The caller's agency: a Place, or a justice bureau. */
  agency: Place | 'city_sfj' | 'xh_sfj' | null;
  /** A supervisor's region prefix. */
  jurisdiction: string | null;
  /** For a token: 'all' of its agency's scopes, or all but the one the route needs. */
  scopes?: 'all' | 'missing';
  username?: string;
}

export const CALLERS = {
  anonymous: { kind: 'anonymous', role: null, agency: null, jurisdiction: null },
  token: { kind: 'token', role: null, agency: 'scjg', jurisdiction: null, scopes: 'all' },
  tokenNoScope: { kind: 'token', role: null, agency: 'scjg', jurisdiction: null, scopes: 'missing' },
  officer: { kind: 'user', role: 'officer', agency: 'scjg', jurisdiction: null, username: 'scjg_officer' },
  head: { kind: 'user', role: 'agency_head', agency: 'scjg', jurisdiction: null, username: 'scjg_head' },
  reviewer: { kind: 'user', role: 'reviewer', agency: 'scjg', jurisdiction: null, username: 'scjg_reviewer' },
  admin: { kind: 'user', role: 'agency_admin', agency: 'scjg', jurisdiction: null, username: 'scjg_admin' },
  otherOfficer: { kind: 'user', role: 'officer', agency: 'sthj', jurisdiction: null, username: 'sthj_officer' },
  citySupervisor: { kind: 'user', role: 'supervisor', agency: 'city_sfj', jurisdiction: '3301', username: 'sfj' },
  countySupervisor: { kind: 'user', role: 'supervisor', agency: 'xh_sfj', jurisdiction: '330106', username: 'xhsfj' },
  system: { kind: 'user', role: 'system_admin', agency: 'city_sfj', jurisdiction: null, username: 'admin' },
  xhAdmin: { kind: 'user', role: 'agency_admin', agency: 'xh', jurisdiction: null, username: 'xhzf_admin' },
} as const satisfies Record<string, Caller>;
export type Who = keyof typeof CALLERS;
export const WHO = Object.keys(CALLERS) as Who[];

/**
 * What a cell runs against: an agency's resource (`scjg`, `xh`, `sthj`), nothing (`none`: lists and
 * creations in the caller's own agency), or, for stored files, `pdf:<place>` (a finalised document's PDF
 * hash), `av:<place>` (an AV record's file hash), `self` (the caller's own upload, not attached) and
 * `other` (another user's unattached upload, same agency as scjg_*).
 */
export type Res = Place | 'none' | `pdf:${Place}` | `av:${Place}` | 'self' | 'other';

/** Expected status class: 'ok' is "past authorization" (any status but 401/403/404 and never 5xx). */
export type Outcome = 'ok' | 401 | 403 | 404;

/** Who sees the resource at all; the others get 404 (existence not revealed). */
export type See =
  | 'everyone' // no resource to hide (lists filter themselves; creations name their agency in the body)
  | 'scope' // own agency; a supervisor's region; everything for the system administrator
  | 'agency' // own agency only, whatever the role (tokens of an agency, users of an agency for its admin)
  | 'uploader'; // only the caller's own unattached upload (a hash is never a capability)

/**
 * Who may act among those who see: staff roles and tokens act on their own agency's resources,
 * 'supervisor' within its jurisdiction, 'superior' within its jurisdiction but never on itself,
 * 'system_admin' on everything.
 */
export type Act = Role | 'token' | 'superior' | 'signedIn';

export interface Rule {
  /**
   * The operation attaches a stored file to a case of 市场监管局 (the resource is the file): the case
   * rule applies to that case, then a file another agency uploaded is answered as missing (issue 15
   * defect 2: a record may reference only a file its own agency uploaded).
   */
  attach?: true;
  /** Answers about the caller's own session: without one (anonymous, API token) 401. */
  session?: true;
  /** Roles the operation exists for; any other caller gets 403 whatever the resource. */
  roles?: (Role | 'token')[];
  see: See;
  /** Absent: everyone who sees may act. */
  act?: Act[];
}

export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as is (uploads, multipart). */
  raw?: Buffer;
}

export interface Variant<F> {
  /** A second rule on the same operation (e.g. fields that define jurisdiction). */
  name?: string;
  on: Res[];
  rule: Rule;
  req: (f: F, res: Res, who: Who) => Req | Promise<Req>;
  /** Runs before each cell, for fresh resources (a draft to delete, a token to revoke). */
  prepare?: (f: F, res: Res, who: Who) => Promise<void>;
  /** Runs after each cell, to undo a change an allowed caller made. */
  restore?: (f: F, res: Res) => Promise<void>;
  /** The answer holds the case's party: whoever may not see party data must not find its ID number in it. */
  party?: true;
  /** A body field naming a referenced resource: a 400 naming it means "not found" (the service hides it as a validation error). */
  refField?: string;
}

/**
 * R-P14: a party's ID number and address are for the agency's own staff only (officer, head, reviewer,
 * administrator); supervisors, the system administrator and API tokens read the case without them, in
 * every representation (issue 15 defect 5).
 */
export function seesPartyData(c: Caller, res: Res): boolean {
  const place = resPlace(res);
  return c.kind === 'user' && c.role !== 'supervisor' && c.role !== 'system_admin' && place !== null && c.agency === place;
}

export interface OpSpec<F> {
  variants: Variant<F>[];
  /** Why the rule is what it is, when not obvious. */
  note?: string;
}

const resPlace = (res: Res): Place | null => {
  if (res === 'none' || res === 'self' || res === 'other') return null;
  const p = res.includes(':') ? res.split(':')[1] : res;
  return p as Place;
};

const regionOf = (p: Place) => REGION[p];

/** Evaluates a rule for one caller and resource. Authentication and token scopes come from the OpenAPI document. */
export function expected(rule: Rule, c: Caller, res: Res): Outcome {
  if (rule.attach) {
    const onCase = expected({ ...rule, attach: undefined }, c, 'scjg');
    if (onCase !== 'ok') return onCase;
    const uploadedBy = resPlace(res) ?? 'scjg';
    return uploadedBy === c.agency ? 'ok' : 404;
  }
  if (rule.session && c.kind !== 'user') return 401;
  const role: Role | 'token' = c.kind === 'token' ? 'token' : c.role!;
  if (rule.roles && !rule.roles.includes(role)) return 403;
  const place = resPlace(res) ?? (typeof c.agency === 'string' && c.agency in AGENCY_KEYS ? (c.agency as Place) : null);
  const own = place !== null && c.agency === place;
  const inJurisdiction = place !== null && c.jurisdiction !== null && regionOf(place).startsWith(c.jurisdiction);
  let sees: boolean;
  switch (rule.see) {
    case 'everyone':
      sees = true;
      break;
    case 'scope':
      sees = role === 'system_admin' || (role === 'supervisor' ? inJurisdiction : own);
      break;
    case 'agency':
      sees = own;
      break;
    case 'uploader':
      sees = res === 'self';
      break;
  }
  if (!sees) return 404;
  if (!rule.act) return 'ok';
  const may = rule.act.some((a) => {
    if (a === 'signedIn') return c.kind !== 'anonymous';
    if (a === 'system_admin') return role === 'system_admin';
    if (a === 'supervisor') return role === 'supervisor' && (place === null || inJurisdiction);
    if (a === 'superior') return role === 'supervisor' && place !== null && inJurisdiction;
    return role === a && (own || (res === 'none' && place === null));
  });
  return may ? 'ok' : 403;
}


// ---------------------------------------------------------------------------------------------------
// The table: one entry per operation of the OpenAPI document (and the few routes outside it that reach
// a stored file). A route added without an entry here fails the test.

type F = import('./fixtures.ts').Fx;

/** Rules that many operations share, named for what they say. */
const PUBLIC: Rule = { see: 'everyone' };
/** Lists filter themselves to the caller's scope; creations where the service takes the caller's agency. */
const SIGNED_IN: Rule = { see: 'everyone' };
const READ: Rule = { see: 'scope' };
/** R-R01: the agency's own officers, heads and reviewers work on its cases; supervisors and administrators never write case data. */
const CASE_WORK: Rule = { see: 'scope', act: ['officer', 'agency_head', 'reviewer'] };
/** R-L09, R-R06: approvals and disclosures are the agency head's. */
const HEAD_ONLY: Rule = { see: 'scope', act: ['agency_head'] };
/** R-P03: the registry data of an agency is kept by its administrator (or its token), its justice bureau and the system administrator. */
const REGISTRY_WRITE: Rule = { see: 'scope', act: ['agency_admin', 'token', 'supervisor', 'system_admin'] };
/** A stored file by hash: only the caller's own upload not yet attached (issue 15 defects 1, 2, 9). */
const UPLOADER: Rule = { see: 'uploader' };
const ADMINS = ['agency_admin', 'system_admin'] as Role[];
// issue 11 (inspections)
/** R-D01, R-D02: directories, plans and the draw ceremony are the agency head’s and administrator’s. */
const INSPECTION_MANAGE: Rule = { see: 'scope', act: ['agency_head', 'agency_admin'] };
/** R-P15: inspection cases and results are the agency’s officers’ and head’s. */
const INSPECTION_WORK: Rule = { see: 'scope', act: ['officer', 'agency_head'] };

const AGENCY_RES: Res[] = PLACES;
const FILE_RES: Res[] = ['pdf:scjg', 'pdf:xh', 'pdf:sthj', 'av:scjg', 'av:xh', 'av:sthj', 'self', 'other'];
const UPLOAD_RES: Res[] = ['self', 'other'];
const P = (res: Res) => (res.includes(':') ? res.split(':')[1] : res) as Place;
const ON = '2026-11-20';
const REASON = encodeURIComponent('授权矩阵核对');

async function fileHash(f: F, res: Res, who: Who, scope: string | null): Promise<string> {
  if (res === 'self') return f.selfUpload(who, scope);
  if (res === 'other') return f.other.sha;
  return res.startsWith('pdf:') ? f.at[P(res)].finalDoc.sha : f.at[P(res)].av.sha;
}
async function tusId(f: F, res: Res, who: Who, scope: string | null): Promise<string> {
  return res === 'self' ? f.selfTus(who, scope) : f.other.tus;
}
const checklist = () =>
  Object.fromEntries(REVIEW_POINTS.map((k) => [k, { ok: true, note: '' }]));

export interface Extra {
  access: 'public' | 'user';
  scope: string | null;
}

export const OPS: Record<string, OpSpec<F> & { extra?: Extra }> = {
  // ---- accounts ----
  'POST /api/v1/auth/login': { note: 'Runs last with logout: signing in ends the session the client held (issue 15 defect 6).', variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'POST', url: '/api/v1/auth/login', body: { username: 'mx_login', password: 'Sanxiang@2026' } }) }] },
  'POST /api/v1/auth/totp': {
    note: 'Public; what it answers depends on the pending session, not on who asks (test/auth.test.ts). Here only: no 5xx.',
    variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'POST', url: '/api/v1/auth/totp', body: { code: '000000' } }) }],
  },
  'POST /api/v1/auth/logout': { note: 'Runs last: it ends the sessions the other cells use.', variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'POST', url: '/api/v1/auth/logout' }) }] },
  'GET /api/v1/auth/session': { variants: [{ on: ['none'], rule: { session: true, see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/auth/session' }) }] },
  'GET /api/v1/audit': { variants: [{ on: ['none'], rule: { roles: ['agency_admin', 'system_admin', 'supervisor'], see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/audit' }) }] },
  'GET /api/v1/tokens': { variants: [{ on: ['none'], rule: { roles: ADMINS, see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/tokens' }) }] },
  'POST /api/v1/tokens': { variants: [{ on: ['none'], rule: { roles: ADMINS, see: 'everyone' }, req: () => ({ method: 'POST', url: '/api/v1/tokens', body: { name: '矩阵令牌', scopes: ['cases:read'] } }) }] },
  'POST /api/v1/tokens/{id}/revoke': {
    note: 'A token belongs to its agency: only that agency’s administrator revokes it (the system administrator’s own agency is the justice bureau).',
    variants: [{
      on: AGENCY_RES, rule: { roles: ADMINS, see: 'agency' },
      prepare: async (f, res) => {
        const id = crypto.randomUUID();
        await f.w.app.ctx.db.query(`INSERT INTO api_tokens (id, token_hash, name, agency_id, scopes, created_by) VALUES ($1, $2, '矩阵待吊销', $3, $4, $5)`, [id, crypto.randomBytes(32), f.at[P(res)].agency, ['cases:read'], f.systemUserId]);
        f.scratch.token = id;
      },
      req: (f) => ({ method: 'POST', url: `/api/v1/tokens/${f.scratch.token}/revoke` }),
    }],
  },
  'POST /api/v1/auth/password': {
    note: 'Every user for themselves; the wrong current password is refused after the permission check (400).',
    variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'POST', url: '/api/v1/auth/password', body: { currentPassword: 'not-the-password', newPassword: 'Matrix#2026-Strong' } }) }],
  },
  'GET /api/v1/users': { variants: [{ on: ['none'], rule: { roles: ADMINS, see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/users' }) }] },
  'POST /api/v1/users': {
    note: 'The agency is named in the body: another agency’s administrator is refused (403), it cannot be hidden.',
    variants: [{ on: AGENCY_RES, rule: { roles: ADMINS, see: 'everyone', act: ADMINS }, req: (f, res) => ({ method: 'POST', url: '/api/v1/users', body: { username: `mx_new_${f.seq()}`, displayName: '矩阵新用户', agencyId: f.at[P(res)].agency, role: 'officer' } }) }],
  },
  ...Object.fromEntries((['disable', 'enable', 'reset-password'] as const).map((a) => [`POST /api/v1/users/{id}/${a}`, {
    variants: [{ on: AGENCY_RES, rule: { roles: ADMINS, see: 'scope' } as Rule, req: (f: F, res: Res) => ({ method: 'POST' as const, url: `/api/v1/users/${f.at[P(res)].user}/${a}` }) }],
  }])),

  // ---- registry ----
  'GET /api/v1/agencies': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/agencies' }) }] },
  'POST /api/v1/agencies': {
    note: 'R-P02: the system administrator, or a justice bureau inside its jurisdiction (region named in the body).',
    variants: [{
      on: ['scjg', 'xh'], rule: { see: 'everyone', act: ['supervisor', 'system_admin'] },
      req: async (f, res) => {
        const { fakeCreditCode } = await import('../../src/registry/fake.ts');
        const region = REGION[P(res)];
        return { method: 'POST', url: '/api/v1/agencies', body: { name: `演示矩阵新机关${f.seq()}`, creditCode: fakeCreditCode(region, 20_000 + f.seq()), kind: 'enforcement', level: region.endsWith('00') ? 'city' : 'county', regionCode: region, legalStatus: 'statutory' } };
      },
    }],
  },
  'GET /api/v1/agencies/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/agencies/${f.at[P(res)].agency}` }) }] },
  'PATCH /api/v1/agencies/{id}': {
    note: 'Issue 15 defect 3: region code, level and kind define jurisdiction; only the system administrator or the superior justice bureau changes them, never the agency itself.',
    variants: [
      { on: AGENCY_RES, rule: REGISTRY_WRITE, req: (f, res) => ({ method: 'PATCH', url: `/api/v1/agencies/${f.at[P(res)].agency}`, body: {} }) },
      {
        name: 'jurisdiction fields', on: AGENCY_RES, rule: { see: 'scope', act: ['superior', 'system_admin'] },
        req: (f, res) => ({ method: 'PATCH', url: `/api/v1/agencies/${f.at[P(res)].agency}`, body: { level: 'township' } }),
        restore: async (f, res) => {
          await f.w.app.ctx.db.query(`UPDATE agencies SET level = $2 WHERE id = $1`, [f.at[P(res)].agency, REGION[P(res)].endsWith('00') ? 'city' : 'county']);
        },
      },
    ],
  },
  'GET /api/v1/officers': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/officers' }) }] },
  'POST /api/v1/officers': {
    note: 'An agency outside the caller’s scope is answered as a missing agency (400 naming agencyId), like a 404.',
    variants: [{
      on: AGENCY_RES, rule: REGISTRY_WRITE, refField: 'agencyId',
      req: (f, res) => ({ method: 'POST', url: '/api/v1/officers', body: {
        agencyId: f.at[P(res)].agency, name: '矩阵某', certificateNumber: `MX${String(f.seq()).padStart(8, '0')}`, issuerType: 'province', category: '市场监管', area: '演示市',
        validFrom: '2026-01-01', validTo: '2028-12-31', qualification: 'legal_professional',
      } }),
    }],
  },
  'GET /api/v1/officers/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/officers/${f.at[P(res)].officer}` }) }] },
  'PATCH /api/v1/officers/{id}': { variants: [{ on: AGENCY_RES, rule: REGISTRY_WRITE, req: (f, res) => ({ method: 'PATCH', url: `/api/v1/officers/${f.at[P(res)].officer}`, body: {} }) }] },
  'POST /api/v1/officers/{id}/status': {
    note: 'The status sent is the one the certificate has, so an allowed caller changes nothing.',
    variants: [{
      on: AGENCY_RES, rule: REGISTRY_WRITE,
      req: async (f, res) => {
        const { rows } = await f.w.app.ctx.db.query<{ status: string }>(`SELECT status FROM officers WHERE id = $1`, [f.at[P(res)].officer]);
        return { method: 'POST', url: `/api/v1/officers/${f.at[P(res)].officer}/status`, body: { status: rows[0]!.status, reason: '授权矩阵核对' } };
      },
    }],
  },
  'GET /api/v1/officers/{id}/training': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/officers/${f.at[P(res)].officer}/training` }) }] },
  'POST /api/v1/officers/{id}/training': { variants: [{ on: AGENCY_RES, rule: REGISTRY_WRITE, req: (f, res) => ({ method: 'POST', url: `/api/v1/officers/${f.at[P(res)].officer}/training`, body: { title: '矩阵培训', heldOn: ON, hours: 2 } }) }] },
  'GET /api/v1/officers/{id}/qr.svg': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/officers/${f.at[P(res)].officer}/qr.svg` }) }] },
  'GET /api/v1/officers/{id}/qr.png': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/officers/${f.at[P(res)].officer}/qr.png` }) }] },
  'GET /api/v1/me/officer': { note: 'Issue 14: the caller\'s own officer entry; an account that is no officer\'s gets null.', variants: [{ on: ['none'], rule: { session: true, see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/me/officer' }) }] },
  'GET /api/v1/reviewers': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/reviewers' }) }] },
  'POST /api/v1/reviewers': {
    variants: [{ on: AGENCY_RES, rule: REGISTRY_WRITE, refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/reviewers', body: { agencyId: f.at[P(res)].agency, name: '矩阵审核', role: 'reviewer' } }) }],
  },
  'PATCH /api/v1/reviewers/{id}': {
    note: 'R-L03: binding, sharing or deactivating a roster entry is the roster keeper’s: those who write the agency’s registry.',
    variants: [{ on: AGENCY_RES, rule: REGISTRY_WRITE, req: (f, res) => ({ method: 'PATCH', url: `/api/v1/reviewers/${f.at[P(res)].roster}`, body: { active: true } }) }],
  },
  'GET /api/v1/reviewers/ratio': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/reviewers/ratio' }) }] },
  ...Object.fromEntries((['agencies', 'officers'] as const).map((kind) => [`POST /api/v1/imports/${kind}`, {
    note: 'A file with a header and no rows: the permission is the same as for one agency / officer.',
    variants: [{
      on: ['none'] as Res[], rule: { see: 'everyone', act: kind === 'agencies' ? ['supervisor', 'system_admin'] : ['agency_admin', 'token', 'supervisor', 'system_admin'] } as Rule,
      req: () => multipart(`/api/v1/imports/${kind}`, kind === 'agencies' ? '机关名称,统一社会信用代码\n' : '姓名,执法证号\n'),
    }],
  }])),
  'GET /api/v1/public/officers': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: `/api/v1/public/officers?q=${encodeURIComponent('张')}` }) }] },
  'GET /api/v1/public/officers/{certificateNumber}': {
    variants: [{
      on: ['none'], rule: PUBLIC,
      req: async (f) => {
        const { rows } = await f.w.app.ctx.db.query<{ certificate_number: string }>(`SELECT certificate_number FROM officers WHERE id = $1`, [f.at.scjg.officer]);
        return { method: 'GET', url: `/api/v1/public/officers/${encodeURIComponent(rows[0]!.certificate_number)}` };
      },
    }],
  },
  'GET /api/v1/public/agencies': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/public/agencies' }) }] },
  'GET /api/v1/dashboard': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/dashboard' }) }] },

  // ---- calendar ----
  'GET /api/v1/calendar/deadline': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/calendar/deadline?from=2026-10-08&workingDays=15' }) }] },
  'GET /api/v1/calendar/days': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/calendar/days?year=2026' }) }] },
  'POST /api/v1/calendar/days': { variants: [{ on: ['none'], rule: { roles: ['system_admin'], see: 'everyone' }, req: () => ({ method: 'POST', url: '/api/v1/calendar/days', body: { day: '2031-06-09', kind: 'holiday', note: '授权矩阵' } }) }] },
  'POST /api/v1/calendar/days/batch': { variants: [{ on: ['none'], rule: { roles: ['system_admin'], see: 'everyone' }, req: () => ({ method: 'POST', url: '/api/v1/calendar/days/batch', body: { days: [{ day: '2031-06-10', kind: 'holiday', note: '授权矩阵' }] } }) }] },
  'DELETE /api/v1/calendar/days/{day}': {
    variants: [{
      on: ['none'], rule: { roles: ['system_admin'], see: 'everyone' },
      prepare: async (f) => {
        const r = await f.send({ method: 'POST', url: '/api/v1/calendar/days', body: { day: '2031-06-11', kind: 'holiday', note: '授权矩阵' } }, 'system', null);
        if (r.statusCode !== 200) throw new Error(`setting a calendar day failed: ${r.statusCode} ${r.body}`);
      },
      req: () => ({ method: 'DELETE', url: '/api/v1/calendar/days/2031-06-11' }),
    }],
  },

  // ---- ledger (public by design: commitments, never content; docs/LEDGER.md) ----
  'GET /api/v1/ledger/proof/inclusion': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/ledger/proof/inclusion?index=0&size=1' }) }] },
  'GET /api/v1/ledger/proof/consistency': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/ledger/proof/consistency?from=1&to=1' }) }] },
  'GET /api/v1/ledger/entries/by-commitment/{hex}': { variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'GET', url: `/api/v1/ledger/entries/by-commitment/${f.at.scjg.finalDoc.sha}` }) }] },
  'POST /api/v1/ledger/cosignatures': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'POST', url: '/api/v1/ledger/cosignatures', body: { checkpoint: 'x', signature: 'x' } }) }] },

  // ---- stored files: every way to reach one ----
  'POST /api/v1/evidence': {
    note: 'Anyone who works may hand in a file; what it becomes is decided where it is attached (a record may reference only its own agency’s upload).',
    variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'POST', url: '/api/v1/evidence', raw: Buffer.from(`授权矩阵 ${crypto.randomUUID()}`), headers: { 'content-type': 'application/octet-stream', 'x-media-type': 'text/plain' } }) }],
  },
  'POST /api/v1/evidence/uploads': {
    variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'POST', url: '/api/v1/evidence/uploads', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `filename ${Buffer.from('m.mp4').toString('base64')},filetype ${Buffer.from('video/mp4').toString('base64')}` } }) }],
  },
  'PATCH /api/v1/evidence/uploads/{id}': {
    note: 'Another user’s upload answers 404. The caller’s own: the offset sent is 0, so after the first PATCH the next is a 409 (past authorization).',
    variants: [{ on: UPLOAD_RES, rule: UPLOADER, req: async (f, res, who) => ({ method: 'PATCH', url: `/api/v1/evidence/uploads/${await tusId(f, res, who, 'evidence:write')}`, raw: Buffer.from('x'), headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' } }) }],
  },
  'DELETE /api/v1/evidence/uploads/{id}': {
    variants: [{
      on: UPLOAD_RES, rule: UPLOADER,
      prepare: async (f, res, who) => {
        f.scratch.tus = res === 'self' ? await f.freshTus(who, 'evidence:write') : f.other.tus;
      },
      req: (f) => ({ method: 'DELETE', url: `/api/v1/evidence/uploads/${f.scratch.tus}`, headers: { 'tus-resumable': '1.0.0' } }),
    }],
  },
  'GET /api/v1/evidence/uploads/{id}/result': { variants: [{ on: UPLOAD_RES, rule: UPLOADER, req: async (f, res, who) => ({ method: 'GET', url: `/api/v1/evidence/uploads/${await tusId(f, res, who, 'evidence:write')}/result` }) }] },
  'HEAD /api/v1/evidence/uploads/{id}': {
    extra: { access: 'user', scope: 'evidence:write' },
    note: 'Not an addRoute method, so not in the OpenAPI document; listed here because it reveals an upload.',
    variants: [{ on: UPLOAD_RES, rule: UPLOADER, req: async (f, res, who) => ({ method: 'HEAD', url: `/api/v1/evidence/uploads/${await tusId(f, res, who, 'evidence:write')}`, headers: { 'tus-resumable': '1.0.0' } }) }],
  },
  'GET /api/v1/evidence/{sha256}': { variants: [{ on: FILE_RES, rule: UPLOADER, req: async (f, res, who) => ({ method: 'GET', url: `/api/v1/evidence/${await fileHash(f, res, who, 'evidence:read')}` }) }] },
  'GET /api/v1/evidence/{sha256}/info': { variants: [{ on: FILE_RES, rule: UPLOADER, req: async (f, res, who) => ({ method: 'GET', url: `/api/v1/evidence/${await fileHash(f, res, who, 'evidence:read')}/info` }) }] },

  // ---- procedures (public, R-P06) ----
  'GET /api/v1/procedures': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/procedures' }) }] },
  'GET /api/v1/procedures/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/procedures/penalty-general' }) }] },
  'GET /api/v1/procedures/{id}/flowchart.svg': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/procedures/penalty-general/flowchart.svg' }) }] },

  // ---- cases ----
  'GET /api/v1/cases': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/cases' }) }] },
  'POST /api/v1/cases': {
    note: 'An officer or head opens cases for the own agency only (agency named in the body: 403).',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['officer', 'agency_head'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/cases', body: { procedureId: 'penalty-general', agencyId: f.at[P(res)].agency, title: '授权矩阵案', matter: { category: '市场监管', area: '演示市' }, party: { name: '演示某某公司', type: 'organisation', idType: 'credit_code', idNumber: '91330106MA2H3K7Q4Q' } } }) }],
  },
  'GET /api/v1/cases/{id}': { variants: [{ on: AGENCY_RES, rule: READ, party: true, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}` }) }] },
  'POST /api/v1/cases/{id}/steps': { note: 'An unknown step: refused by the engine after the permission check.', variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/steps`, body: { step: 'no_such_step', on: ON } }) }] },
  'PUT /api/v1/cases/{id}/profile': { variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'PUT', url: `/api/v1/cases/${f.at[P(res)].open}/profile`, body: { penaltyKinds: [], flags: [] } }) }] },
  'POST /api/v1/cases/{id}/approvals': { variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/approvals`, body: { purpose: 'step', step: 'no_such_step', on: ON, opinion: '同意' } }) }] },
  'POST /api/v1/cases/{id}/extensions': { variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/extensions`, body: { clock: 'no_such_clock', days: 10, on: ON, reason: '授权矩阵' } }) }] },
  'POST /api/v1/cases/{id}/documents': { variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/documents`, body: { type: 'no_such_document', fields: {} } }) }] },
  'PATCH /api/v1/cases/{id}/documents/{docId}': { variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'PATCH', url: `/api/v1/cases/${f.at[P(res)].draft.caseId}/documents/${f.at[P(res)].draft.id}`, body: { fields: {} } }) }] },
  'DELETE /api/v1/cases/{id}/documents/{docId}': {
    variants: [{
      on: AGENCY_RES, rule: CASE_WORK,
      prepare: async (f, res) => {
        const { createDraft } = await import('../../src/cases/case-documents.ts');
        const place = P(res);
        const actor = { kind: 'user' as const, id: crypto.randomUUID(), name: '矩阵', role: 'officer' as const, agencyId: f.at[place].agency, jurisdiction: null, scopes: [] };
        f.scratch.draft = (await createDraft(f.w.app.ctx, null, actor, f.at[place].open, { type: 'inquiry_record', fields: {} })).id;
      },
      req: (f, res) => ({ method: 'DELETE', url: `/api/v1/cases/${f.at[P(res)].open}/documents/${f.scratch.draft}` }),
    }],
  },
  'POST /api/v1/cases/{id}/documents/{docId}/finalise': { note: 'An already final document: refused as such after the permission check.', variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].finalDoc.caseId}/documents/${f.at[P(res)].finalDoc.id}/finalise`, body: { issuedOn: ON } }) }] },
  'GET /api/v1/document-forms/{type}': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/document-forms/inquiry_record' }) }] },
  'GET /api/v1/cases/{id}/document-prefill': { variants: [{ on: AGENCY_RES, rule: READ, party: true, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/document-prefill?type=penalty_decision&on=${ON}` }) }] },
  'GET /api/v1/cases/{id}/documents/{docId}/pdf': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].finalDoc.caseId}/documents/${f.at[P(res)].finalDoc.id}/pdf` }) }] },
  'GET /api/v1/cases/{id}/documents/{docId}/docx': { note: 'Who reads the case reads its documents as DOCX (a finalised one here: it holds the party); a supervisor’s file has no party ID number or address (issue 15 defect 5).', variants: [{ on: AGENCY_RES, rule: READ, party: true, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].finalDoc.caseId}/documents/${f.at[P(res)].finalDoc.id}/docx` }) }] },
  'POST /api/v1/cases/{id}/records': {
    note: 'The second rule attaches a file by hash: the caller’s own fresh upload, another 市场监管局 user’s, or 生态环境局’s AV file (public in the ledger). An allowed attachment commits a record (records are permanent; each cell has a fresh upload).',
    variants: [
      { on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/records`, body: { kind: 'text', step: 'no_such_step', title: '矩阵', description: '矩阵', content: '矩阵', startedAt: '2026-11-20T09:00:00+08:00', endedAt: '2026-11-20T09:10:00+08:00', place: '演示市', custodian: '周某' } }) },
      {
        name: 'attaching a file by hash', on: ['self', 'other', 'av:sthj'], rule: { ...CASE_WORK, attach: true }, refField: 'blobSha256',
        prepare: async (f, res, who) => {
          f.scratch.blob = res === 'self' ? await f.freshUpload(who, 'cases:write') : res === 'other' ? await f.freshUpload('uploader', null) : f.at.sthj.av.sha;
        },
        req: (f) => ({ method: 'POST', url: `/api/v1/cases/${f.at.scjg.open}/records`, body: {
          kind: 'video', step: 'inspection', title: '矩阵录像', description: '执法人员表明身份、告知权利及现场检查全过程。', blobSha256: f.scratch.blob, deviceId: 'DSJ-MX-002',
          startedAt: '2026-11-20T09:00:00+08:00', endedAt: '2026-11-20T09:10:00+08:00', place: '演示市', custodian: '周某',
        } }),
      },
    ],
  },
  ...Object.fromEntries((['PATCH', 'PUT', 'DELETE'] as const).map((m) => [`${m} /api/v1/cases/{id}/records/{recordId}`, {
    note: 'R-R05: records are never changed; in scope the answer is the same refusal for every caller (409), outside it 404.',
    variants: [{ on: AGENCY_RES, rule: READ, req: (f: F, res: Res) => ({ method: m, url: `/api/v1/cases/${f.at[P(res)].av.caseId}/records/${f.at[P(res)].av.id}`, ...(m === 'DELETE' ? {} : { body: {} }) }) }],
  }])),
  'GET /api/v1/cases/{id}/records/{recordId}/content': {
    note: 'R-R06: AV records are viewed by the roles of the agency’s AV-record list (default: officer, head, reviewer of the agency, supervisors in jurisdiction; not administrators, not tokens). Export needs an approved disclosure.',
    variants: [
      { on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head', 'reviewer', 'supervisor'] }, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].av.caseId}/records/${f.at[P(res)].av.id}/content?reason=${REASON}` }) },
      { name: 'export with an approved disclosure', on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head', 'reviewer', 'supervisor'] }, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].av.caseId}/records/${f.at[P(res)].av.id}/content?reason=${REASON}&action=export&disclosureId=${f.at[P(res)].disclosure}` }) },
    ],
  },
  'POST /api/v1/cases/{id}/disclosures': { variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/disclosures`, body: { recordIds: [crypto.randomUUID()], recipient: '矩阵', purpose: '矩阵' } }) }] },
  'POST /api/v1/cases/{id}/disclosures/{disclosureId}/decision': { note: 'An already decided disclosure: refused as such after the permission check.', variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/disclosures/${f.at[P(res)].disclosure}/decision`, body: { approved: false, opinion: '不同意' } }) }] },
  'GET /api/v1/cases/{id}/review-assignees': {
    note: 'R-L03: whom a submission may be assigned to, for those who submit (the handling unit’s officers and head).',
    variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head'] }, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/review-assignees` }) }],
  },
  'POST /api/v1/cases/{id}/reviews': { variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head'] }, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/reviews`, body: { on: ON, summary: '矩阵', proposedDecision: '矩阵', materials: [], declaration: true } }) }] },
  'POST /api/v1/cases/{id}/reviews/{reviewId}/opinion': {
    note: 'R-L03: the agency’s own reviewers (a shared roster entry of another unit grants review of that case only; no such caller here).',
    // Only 市场监管局's demo cases reach legal review: the others have no submission to answer, which is a 404 to everyone.
    variants: [{ on: ['scjg'], rule: { see: 'scope', act: ['reviewer'] }, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].review.caseId}/reviews/${f.at[P(res)].review.id}/opinion`, body: { on: ON, result: 'passed', checklist: checklist(), opinion: '同意' } }) }],
  },
  // ---- review domain (issue 9: R-L02, R-L03, R-L07, R-L08) ----
  'GET /api/v1/agencies/{id}/review-body': { note: 'R-L02: who reviews an agency’s decisions is no secret to anyone signed in.', variants: [{ on: AGENCY_RES, rule: SIGNED_IN, req: (f, res) => ({ method: 'GET', url: `/api/v1/agencies/${f.at[P(res)].agency}/review-body` }) }] },
  'PUT /api/v1/agencies/{id}/review-body': {
    note: 'R-L02: registered by the justice bureau’s side (system administrator, or an administrator of the agency’s justice bureau — no such caller here), never by the agency itself.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['system_admin'] }, req: (f, res) => ({ method: 'PUT', url: `/api/v1/agencies/${f.at[P(res)].agency}/review-body`, body: { bodyAgencyId: f.at[P(res)].agency, unitName: '法规科', registeredOn: '2026-01-15' } }) }],
  },
  'GET /api/v1/agencies/{id}/review-rules': { variants: [{ on: AGENCY_RES, rule: SIGNED_IN, req: (f, res) => ({ method: 'GET', url: `/api/v1/agencies/${f.at[P(res)].agency}/review-rules` }) }] },
  'POST /api/v1/agencies/{id}/review-rules': {
    note: 'R-L08: the agency’s administrator or the system administrator; a warning not shorter than the limit is refused after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['agency_admin', 'system_admin'] }, req: (f, res) => ({ method: 'POST', url: `/api/v1/agencies/${f.at[P(res)].agency}/review-rules`, body: { effectiveFrom: ON, rules: { timeLimitWorkingDays: 3, warnWorkingDaysBefore: 3, requiredMaterials: ['evidence'], opinion: { noteOnFailedPoint: true }, assignment: 'head', basis: '矩阵' } } }) }],
  },
  'GET /api/v1/cases/{id}/review-rounds': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/review-rounds` }) }] },
  'POST /api/v1/cases/{id}/reviews/{reviewId}/assign': {
    note: 'R-L03: the review body’s head; an entry without an account (or a decided submission) is refused after the permission check.',
    variants: [{ on: ['scjg'], rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].review.caseId}/reviews/${f.at[P(res)].review.id}/assign`, body: { rosterId: f.at[P(res)].roster } }) }],
  },
  'POST /api/v1/cases/{id}/reviews/{reviewId}/coordination': {
    note: 'R-L08: either side — the handling unit’s officers and head, the review body’s reviewers; a submission without problems is refused after the permission check.',
    variants: [{ on: ['scjg'], rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].review.caseId}/reviews/${f.at[P(res)].review.id}/coordination`, body: { on: ON, reason: '矩阵' } }) }],
  },
  'POST /api/v1/cases/{id}/coordinations/{coordinationId}/outcome': {
    note: 'R-L08: the agency head; the demo’s coordination is already settled, refused as such after the permission check.',
    variants: [{ on: ['scjg'], rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].coordination.caseId}/coordinations/${f.at[P(res)].coordination.id}/outcome`, body: { on: ON, method: 'head', conclusion: '矩阵' } }) }],
  },
  'GET /api/v1/cases/{id}/file': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/file` }) }] },
  'POST /api/v1/cases/{id}/archive': { note: 'An incomplete open case: refused with the missing items after the permission check.', variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/archive`, body: { on: ON } }) }] },
  'GET /api/v1/cases/{id}/archive-package': {
    note: 'R-R07: the agency’s officers, head and administrator, and supervisors for case-file review. AV files go in only for roles that may view them or under an approved disclosure; the agency administrator gets them listed as withheld (R-R06, issue 15 defect 9, proved in test/security.files.test.ts). Where the demo has no archived case, an open one is refused (409) after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head', 'agency_admin', 'supervisor', 'system_admin'] }, party: true, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].archived}/archive-package?reason=${REASON}` }) }],
  },
  'GET /api/v1/av-rule-sets': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/av-rule-sets?agencyId=${f.at[P(res)].agency}` }) }] },
  'POST /api/v1/av-rule-sets': {
    note: 'R-R04: the agency’s administrator or the system administrator. The body names a rule that does not exist, refused after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['agency_admin', 'system_admin'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/av-rule-sets', body: { agencyId: f.at[P(res)].agency, effectiveFrom: ON, rules: { no_such_rule: { requirement: 'optional', actKind: '行政检查', stage: '现场检查', place: '现场', recorder: '主办执法人员', device: '执法记录仪', forms: ['video'], requiredElements: ['全过程'], content: '全过程', keyPoints: ['连续记录'], publicity: 'not_public', retention: { period: '长期', years: 30, method: '证据库', handoverHours: 24 }, supervision: '法制机构抽查', fullProcess: false, viewRoles: ['officer'] } } } }) }],
  },
  'GET /api/v1/major-decision-catalogs': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/major-decision-catalogs?agencyId=${f.at[P(res)].agency}` }) }] },
  'POST /api/v1/major-decision-catalogs': {
    note: 'R-L04; a catalog missing the statutory kinds, refused after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['agency_admin', 'system_admin'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/major-decision-catalogs', body: { agencyId: f.at[P(res)].agency, effectiveFrom: ON, entries: [{ code: 'mx', title: '矩阵', category: 'complex', when: { hearingHeld: true } }] } }) }],
  },
  // ---- document template registry (issue 16, R-R02) ----
  'GET /api/v1/document-templates': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/document-templates?agencyId=${f.at[P(res)].agency}` }) }] },
  'GET /api/v1/document-templates/{type}': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/document-templates/penalty_decision?agencyId=${f.at[P(res)].agency}` }) }] },
  'POST /api/v1/document-templates': {
    note: 'R-R02: the agency’s administrator or the system administrator adapts a format; an unknown document type is refused after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['agency_admin', 'system_admin'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/document-templates', body: { agencyId: f.at[P(res)].agency, type: 'no_such_document', effectiveFrom: ON, source: '矩阵' } }) }],
  },
  'POST /api/v1/procedure-adaptations': {
    note: 'Only stricter than the law: an adaptation that removes a required step is refused after the permission check.',
    variants: [{ on: AGENCY_RES, rule: { see: 'everyone', act: ['agency_admin', 'system_admin'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/procedure-adaptations', body: { agencyId: f.at[P(res)].agency, baseId: 'penalty-general', insertSteps: [{ between: ['no_such_a', 'no_such_b'], step: {} }] } }) }],
  },

  // ---- inspections (双随机一公开, issue 11: R-D01, R-D02, R-P05, R-P15) ----
  'GET /api/v1/inspection-matters': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/inspection-matters' }) }] },
  'POST /api/v1/inspection-matters': { note: 'R-P05: the agency’s head or administrator keeps its matter list; an agency outside the caller’s scope is answered as missing (400 naming agencyId).', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/inspection-matters', body: { agencyId: f.at[P(res)].agency, code: `MX-${f.seq()}`, name: '矩阵事项', category: '市场监管' } }) }] },
  'GET /api/v1/inspection-objects': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/inspection-objects' }) }] },
  'POST /api/v1/inspection-objects': {
    variants: [{
      on: AGENCY_RES, rule: INSPECTION_MANAGE, refField: 'agencyId',
      req: async (f, res) => {
        const { fakeCreditCode } = await import('../../src/registry/fake.ts');
        return { method: 'POST', url: '/api/v1/inspection-objects', body: { agencyId: f.at[P(res)].agency, creditCode: fakeCreditCode(REGION[P(res)], 60_000 + f.seq(), '91'), name: '矩阵企业', regionCode: REGION[P(res)], creditClass: 'B', classSetOn: ON } };
      },
    }],
  },
  'POST /api/v1/inspection-objects/{id}/class': { variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-objects/${(await inspectionFx(f, P(res))).object}/class`, body: { creditClass: 'C', setOn: ON } }) }] },
  'GET /api/v1/inspectors': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/inspectors' }) }] },
  'PUT /api/v1/inspectors': { note: 'The officer named in the body: outside the caller’s scope it is answered as missing (400 naming officerId).', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, refField: 'officerId', req: (f, res) => ({ method: 'PUT', url: '/api/v1/inspectors', body: { officerId: f.at[P(res)].officer, categories: ['市场监管'], areas: ['3301'] } }) }] },
  'POST /api/v1/inspectors/{id}/conflicts': { variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspectors/${(await inspectionFx(f, P(res))).inspector}/conflicts`, body: { creditCode: (await inspectionFx(f, P(res))).creditCode, reason: 'other', declaredOn: ON } }) }] },
  'GET /api/v1/inspection-plans': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/inspection-plans' }) }] },
  'POST /api/v1/inspection-plans': { variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/inspection-plans', body: { agencyId: f.at[P(res)].agency, year: 2026, title: '矩阵计划', parties: ['纪检监察组', '公证处'] } }) }] },
  'POST /api/v1/inspection-plans/{id}/publish': { note: 'A plan already published is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-plans/${(await inspectionFx(f, P(res))).publishedPlan}/publish` }) }] },
  'POST /api/v1/inspection-plans/{id}/tasks': {
    variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-plans/${(await inspectionFx(f, P(res))).draftPlan}/tasks`, body: inspectionTaskBody((await inspectionFx(f, P(res))).matter) }) }],
  },
  'GET /api/v1/inspection-tasks': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/inspection-tasks' }) }] },
  'GET /api/v1/inspection-tasks/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}` }) }] },
  'POST /api/v1/inspection-tasks/{id}/commit': { note: 'R-D02: a task of a plan not yet published is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/commit`, body: { sources: [{ source: '纪检监察组', hash: 'a'.repeat(64) }, { source: '公证处', hash: 'b'.repeat(64) }] } }) }] },
  'POST /api/v1/inspection-tasks/{id}/reveals': { note: 'No commitment yet: refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/reveals`, body: { source: '公证处', value: 'ab'.repeat(32) } }) }] },
  'POST /api/v1/inspection-tasks/{id}/draw': { variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/draw` }) }] },
  'POST /api/v1/inspection-tasks/{id}/replacements': { variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/replacements`, body: { creditCode: (await inspectionFx(f, P(res))).creditCode, officerId: f.at[P(res)].officer, reason: 'leave' } }) }] },
  'POST /api/v1/inspection-tasks/{id}/cases': { note: 'R-P15: the inspections are the agency’s officers’ and head’s; a task not drawn is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: INSPECTION_WORK, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/cases` }) }] },
  'GET /api/v1/inspection-tasks/{id}/results': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/results` }) }] },
  'POST /api/v1/inspection-tasks/{id}/results': { variants: [{ on: AGENCY_RES, rule: INSPECTION_WORK, req: async (f, res) => ({ method: 'POST', url: `/api/v1/inspection-tasks/${(await inspectionFx(f, P(res))).draftTask}/results`, body: { creditCode: (await inspectionFx(f, P(res))).creditCode, resultCodes: ['1'], inspectedOn: ON } }) }] },
  'POST /api/v1/imports/inspection-objects': { note: 'A file with a header and no rows: refused (422) after the permission check.', variants: [{ on: AGENCY_RES, rule: INSPECTION_MANAGE, refField: 'agencyId', req: (f, res) => multipart(`/api/v1/imports/inspection-objects?agencyId=${f.at[P(res)].agency}`, '统一社会信用代码,名称,对象类型,行政区划代码,领域标签,信用风险分类,分类日期\n') }] },
  'GET /api/v1/public/inspection-tasks': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/public/inspection-tasks?year=2026' }) }] },
  'GET /api/v1/public/inspection-tasks/{id}': { note: 'R-D02: a task of a published plan, to anyone.', variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/inspection-tasks/${(await inspectionFx(f, 'scjg')).publishedTask}` }) }] },
  'GET /api/v1/public/inspection-tasks/{id}/candidates': { variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/inspection-tasks/${(await inspectionFx(f, 'scjg')).publishedTask}/candidates` }) }] },
  // ---- publicity (issue 8) ----
  'GET /api/v1/public/decisions': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: `/api/v1/public/decisions?q=${encodeURIComponent('罚款 规定')}&limit=5` }) }] },
  'GET /api/v1/public/decisions/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'GET', url: `/api/v1/public/decisions/${f.pub.published}` }) }] },
  'POST /api/v1/public/decisions/{id}/corrections': {
    note: 'R-P13: anyone, throttled per address (a 429 after a few is past authorization).',
    variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'POST', url: `/api/v1/public/decisions/${f.pub.published}/corrections`, body: { contact: '矩阵来访者', text: '矩阵测试：请核实公示内容是否准确。' } }) }],
  },
  'GET /api/v1/public/corrections/{tracking}': { variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'GET', url: `/api/v1/public/corrections/${f.pub.tracking}` }) }] },
  ...Object.fromEntries(['penalties.csv', 'penalties.xlsx', 'licences.csv', 'licences.xlsx', 'decisions.jsonl'].map((file) => [`GET /api/v1/public/exports/${file}`, {
    variants: [{ on: ['none'] as Res[], rule: PUBLIC, req: () => ({ method: 'GET' as const, url: `/api/v1/public/exports/${file}` }) }],
  }])),
  'GET /api/v1/publications': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/publications?status=draft' }) }] },
  'GET /api/v1/publications/overview': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/publications/overview' }) }] },
  'GET /api/v1/publications/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/publications/${f.pub.draft[P(res)]}` }) }] },
  'POST /api/v1/publications/{id}/publish': {
    note: 'R-P01 谁执法谁公示: the agency’s head confirms; once published, a second confirmation is refused (409) after the permission check.',
    variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/publications/${f.pub.draft[P(res)]}/publish`, body: { redactions: [] } }) }],
  },
  'POST /api/v1/publications/{id}/exclude': { variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/publications/${f.pub.draft[P(res)]}/exclude`, body: { reason: 'trade_secret', note: '矩阵测试' } }) }] },
  'POST /api/v1/publications/{id}/remedies': {
    variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head'] }, req: (f, res) => ({ method: 'POST', url: `/api/v1/publications/${f.pub.draft[P(res)]}/remedies`, body: { kind: 'litigation', outcome: 'upheld', decidedOn: ON, body: '矩阵法院' } }) }],
  },
  'POST /api/v1/publications/{id}/credit-repair': {
    note: 'The draft is not published: refused (409) after the permission check.',
    variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/publications/${f.pub.draft[P(res)]}/credit-repair`, body: { reason: '矩阵测试' } }) }],
  },
  'GET /api/v1/publication-corrections': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/publication-corrections' }) }] },
  // R-P13: the requester's evidence file: the handling agency's staff and the supervisors over it; never tokens or the system administrator.
  'GET /api/v1/publication-corrections/{id}/evidence': {
    variants: [{ on: AGENCY_RES, rule: { roles: ['officer', 'agency_head', 'reviewer', 'agency_admin', 'supervisor'], see: 'scope' }, req: (f, res) => ({ method: 'GET', url: `/api/v1/publication-corrections/${f.pub.correction[P(res)]}/evidence` }) }],
  },
  'POST /api/v1/publication-corrections/{id}/answer': {
    variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['officer', 'agency_head'] }, req: (f, res) => ({ method: 'POST', url: `/api/v1/publication-corrections/${f.pub.correction[P(res)]}/answer`, body: { decision: 'refuse', answer: '经核实，公示内容准确。' } }) }],
  },
  'GET /api/v1/webhook-subscribers': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/webhook-subscribers' }) }] },
  'POST /api/v1/webhook-subscribers': { variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['agency_admin'] }, req: (f, res) => ({ method: 'POST', url: '/api/v1/webhook-subscribers', body: { agencyId: f.at[P(res)].agency, url: 'https://receiver.invalid/hook' } }) }] },
  'GET /api/v1/webhook-subscribers/{id}/deliveries': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/webhook-subscribers/${f.pub.subscriber[P(res)]}/deliveries` }) }] },
  'GET /api/v1/publication-rule-sets': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/publication-rule-sets?agencyId=${f.at[P(res)].agency}` }) }] },
  'POST /api/v1/publication-rule-sets': {
    note: 'R-P01: the agency’s own administrator; a version is checked to be only stricter than the law.',
    variants: [{ on: AGENCY_RES, rule: { see: 'scope', act: ['agency_admin'] }, req: async (f, res) => {
      const { DEFAULT_RULES } = await import('../../src/publicity/rules.ts');
      return { method: 'POST', url: '/api/v1/publication-rule-sets', body: { agencyId: f.at[P(res)].agency, effectiveFrom: ON, rules: DEFAULT_RULES } };
    } }],
  },
  // ---- supervision (issue 12) ----
  'GET /api/v1/supervision/alerts': { note: 'Lists filter to the caller’s scope (jurisdiction or own agency); API tokens have no supervision scope.', variants: [{ on: ['none'], rule: { roles: supervisionUsers(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/alerts' }) }] },
  'GET /api/v1/supervision/alert-rules': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/supervision/alert-rules' }) }] },
  'POST /api/v1/supervision/alerts/recompute': { note: 'A supervisor for its jurisdiction, the system administrator for all.', variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: () => ({ method: 'POST', url: '/api/v1/supervision/alerts/recompute', body: { from: '2026-11-24' } }) }] },
  'GET /api/v1/supervision/alerts/{id}': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope' }, prepare: matrixAlert, req: (f) => ({ method: 'GET', url: `/api/v1/supervision/alerts/${f.scratch.alert}` }) }] },
  'POST /api/v1/supervision/alerts/{id}/answer': { note: 'R-R08: the agency answers its own alert through its head or administrator.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin'] }, prepare: matrixAlert, req: (f) => ({ method: 'POST', url: `/api/v1/supervision/alerts/${f.scratch.alert}/answer`, body: { answer: '授权矩阵答复' } }) }] },
  'POST /api/v1/supervision/alerts/{id}/resolve': { note: 'R-R08: resolved by a supervisor of the jurisdiction, with the reason.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: matrixAlert, req: (f) => ({ method: 'POST', url: `/api/v1/supervision/alerts/${f.scratch.alert}/resolve`, body: { resolution: '授权矩阵办结' } }) }] },
  'POST /api/v1/public/complaints': { note: 'R-S03: anonymous and throttled per address (429 counts as past authorization).', variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'POST', url: '/api/v1/public/complaints', body: { subjectKind: 'agency_act', agencyId: f.at.xh.agency, summary: '授权矩阵', content: '授权矩阵投诉', realName: false } }) }] },
  'GET /api/v1/public/complaints/{trackingNumber}': { variants: [{ on: ['none'], rule: PUBLIC, prepare: (f) => matrixComplaint(f, 'xh'), req: (f) => ({ method: 'GET', url: `/api/v1/public/complaints/${f.scratch.tracking}` }) }] },
  'GET /api/v1/supervision/complaints': { variants: [{ on: ['none'], rule: { roles: supervisionUsers(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/complaints' }) }] },
  'POST /api/v1/supervision/complaints': { note: 'Staff intake (phone, letter, visit, 12345) by supervisors; an agency outside the jurisdiction is a 400 naming agencyId.', variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: (f) => ({ method: 'POST', url: '/api/v1/supervision/complaints', body: { channel: 'phone', subjectKind: 'agency_act', agencyId: f.at.xh.agency, summary: '授权矩阵', content: '授权矩阵投诉', realName: false } }) }] },
  'GET /api/v1/supervision/complaints/{id}': { note: 'A complaint about an officer’s conduct: the officer’s agency handles it, the bureau watches.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope' }, prepare: (f, res) => matrixComplaint(f, P(res)), req: (f) => ({ method: 'GET', url: `/api/v1/supervision/complaints/${f.scratch.complaint}` }) }] },
  'POST /api/v1/supervision/complaints/{id}/decision': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin', 'supervisor', 'system_admin'] }, prepare: (f, res) => matrixComplaint(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/complaints/${f.scratch.complaint}/decision`, body: { action: 'accept' } }) }] },
  'POST /api/v1/supervision/complaints/{id}/extension': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin', 'supervisor', 'system_admin'] }, prepare: (f, res) => matrixComplaint(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/complaints/${f.scratch.complaint}/extension`, body: { reason: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/complaints/{id}/close': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin', 'supervisor', 'system_admin'] }, prepare: (f, res) => matrixComplaint(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/complaints/${f.scratch.complaint}/close`, body: { reply: '授权矩阵' } }) }] },
  'GET /api/v1/supervision/review-standards': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/supervision/review-standards' }) }] },
  'GET /api/v1/supervision/review-plans': { variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/review-plans' }) }] },
  'POST /api/v1/supervision/review-plans': { note: 'R-R07: supervisors plan reviews in their jurisdiction; a reviewing agency outside it is a 400.', variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: (f) => ({ method: 'POST', url: '/api/v1/supervision/review-plans', body: { title: '授权矩阵', from: '2026-11-01', to: '2026-11-20', samplePerAgency: 1, reviewerAgencyIds: [f.at.xh.agency] } }) }] },
  'GET /api/v1/supervision/review-plans/{id}': { variants: [{ on: AGENCY_RES, rule: { roles: ['supervisor', 'system_admin'], see: 'scope' }, prepare: (f, res) => matrixReviewFile(f, P(res)), req: (f) => ({ method: 'GET', url: `/api/v1/supervision/review-plans/${f.scratch.plan}` }) }] },
  'GET /api/v1/supervision/review-files/{id}': { note: 'The reviewing agency (here the place) and the supervisors over the file; never the file’s own agency.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope' }, prepare: (f, res) => matrixReviewFile(f, P(res)), req: (f) => ({ method: 'GET', url: `/api/v1/supervision/review-files/${f.scratch.file}` }) }] },
  'POST /api/v1/supervision/review-files/{id}/score': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope' }, prepare: (f, res) => matrixReviewFile(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/review-files/${f.scratch.file}/score`, body: { vetoes: [], deductions: [{ code: 'order', times: 1 }] } }) }] },
  'GET /api/v1/supervision/tasks': { variants: [{ on: ['none'], rule: { roles: supervisionUsers(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/tasks' }) }] },
  'POST /api/v1/supervision/tasks/import': { note: 'R-S01: supervisors import; an empty file is refused (422) after the permission check.', variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: () => ({ method: 'POST', url: '/api/v1/supervision/tasks/import', body: { sourceDoc: '授权矩阵', filename: 't.csv', contentBase64: Buffer.from('主要任务,任务分解,工作要求,责任单位,完成时限\n').toString('base64') } }) }] },
  'POST /api/v1/supervision/tasks/{id}/assignment': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: (f, res) => matrixTask(f, P(res)), req: (f, res) => ({ method: 'POST', url: `/api/v1/supervision/tasks/${f.scratch.task}/assignment`, body: { agencyIds: [f.at[P(res)].agency] } }) }] },
  'POST /api/v1/supervision/tasks/{id}/reports': { note: 'The assigned agency (here the place) reports through its head or administrator.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin'] }, prepare: (f, res) => matrixTask(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/tasks/${f.scratch.task}/reports`, body: { text: '授权矩阵', done: false } }) }] },
  'GET /api/v1/supervision/assessment': { variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/assessment?year=2026' }) }] },
  'GET /api/v1/supervision/assessment.xlsx': { variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/assessment.xlsx?year=2026' }) }] },
  'GET /api/v1/supervision/summary': { note: 'Counts within the caller’s scope.', variants: [{ on: ['none'], rule: { roles: supervisionUsers(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/summary' }) }] },
  'GET /api/v1/supervision/matters': { variants: [{ on: ['none'], rule: { roles: supervisionUsers(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/supervision/matters' }) }] },
  'POST /api/v1/supervision/matters': { note: 'Opened by supervisors; an agency outside the jurisdiction is a 400 naming agencyId.', variants: [{ on: ['none'], rule: { roles: ['supervisor', 'system_admin'], see: 'everyone' }, req: (f) => ({ method: 'POST', url: '/api/v1/supervision/matters', body: { agencyId: f.at.xh.agency, source: 'own', mode: 'routine', title: '授权矩阵', facts: '授权矩阵' } }) }] },
  'GET /api/v1/supervision/matters/{id}': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope' }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'GET', url: `/api/v1/supervision/matters/${f.scratch.matter}` }) }] },
  'POST /api/v1/supervision/matters/{id}/explanation': { note: 'The supervised agency answers through its head or administrator.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/explanation`, body: { text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/correction-report': { note: 'A fresh matter is not yet at the correction stage: 409 after the permission check.', variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/correction-report`, body: { text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/objection': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['agency_head', 'agency_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/objection`, body: { text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/objection-extension': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/objection-extension`, body: { text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/objection-decision': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/objection-decision`, body: { upheld: false, text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/close': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/close`, body: { text: '授权矩阵' } }) }] },
  'POST /api/v1/supervision/matters/{id}/instruments': { variants: [{ on: AGENCY_RES, rule: { roles: supervisionUsers(), see: 'scope', act: ['supervisor', 'system_admin'] }, prepare: (f, res) => matrixMatter(f, P(res)), req: (f) => ({ method: 'POST', url: `/api/v1/supervision/matters/${f.scratch.matter}/instruments`, body: { kind: 'urging_letter', findings: '授权矩阵', requirements: '授权矩阵' } }) }] },
  // ---- matter list and annual statistics report (issue 10) ----
  'GET /api/v1/matters': { note: 'Lists filter to the caller’s registry read scope.', variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/matters' }) }] },
  'POST /api/v1/matters': { note: 'R-P01: the agency’s administrator or head drafts its own list; a second open version of a code is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: matterDraft(), refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/matters', body: { agencyId: f.at[P(res)].agency, code: 'MX-CF-001', name: '矩阵事项', kind: '处罚', legalBasis: [{ law: '中华人民共和国行政处罚法', article: '第九条' }], procedureId: 'penalty-general', level: '市级', effectiveFrom: ON } }) }] },
  'GET /api/v1/matter-versions/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/matter-versions/${(await issue10Fx(f, P(res))).matter}` }) }] },
  'POST /api/v1/matter-versions/{id}/submit': { note: 'Once submitted, a second submission is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: matterDraft(), req: async (f, res) => ({ method: 'POST', url: `/api/v1/matter-versions/${(await issue10Fx(f, P(res))).matter}/submit` }) }] },
  'POST /api/v1/matter-versions/{id}/publish': { note: 'R-P01 谁执法谁公示: the agency’s head; a version not under review is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: async (f, res) => ({ method: 'POST', url: `/api/v1/matter-versions/${(await issue10Fx(f, P(res))).matter}/publish`, body: { responsible: '矩阵负责人' } }) }] },
  'POST /api/v1/imports/matters': { note: 'A file with a header and no rows: refused (422) after the permission check.', variants: [{ on: AGENCY_RES, rule: matterDraft(), refField: 'agencyId', req: (f, res) => multipart(`/api/v1/imports/matters?agencyId=${f.at[P(res)].agency}`, '事项编码,事项名称,事项类别,职责,法律依据,执法程序,救济途径,层级,生效日期,调整原因\n') }] },
  'GET /api/v1/public/matters': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: `/api/v1/public/matters?kind=${encodeURIComponent('许可')}&q=${encodeURIComponent('许可')}` }) }] },
  'GET /api/v1/annual-reports': { note: 'R-P16: the agencies of the caller’s scope and their report status; people only, not API tokens.', variants: [{ on: ['none'], rule: { roles: userRoles(), see: 'everyone' }, req: () => ({ method: 'GET', url: '/api/v1/annual-reports?year=2025' }) }] },
  'POST /api/v1/annual-reports': { note: 'R-P16: an agency’s report is drafted by its head or administrator (region reports by the supervisor of the jurisdiction).', variants: [{ on: AGENCY_RES, rule: { roles: userRoles(), see: 'scope', act: ['agency_head', 'agency_admin'] }, refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/annual-reports', body: { year: 2025, agencyId: f.at[P(res)].agency } }) }] },
  'GET /api/v1/annual-reports/{id}': { variants: [{ on: AGENCY_RES, rule: { roles: userRoles(), see: 'scope' }, req: async (f, res) => ({ method: 'GET', url: `/api/v1/annual-reports/${(await issue10Fx(f, P(res))).report}` }) }] },
  'GET /api/v1/annual-reports/{id}/cases': { note: 'Drill-down: case numbers and titles, for those who see the report.', variants: [{ on: AGENCY_RES, rule: { roles: userRoles(), see: 'scope' }, req: async (f, res) => ({ method: 'GET', url: `/api/v1/annual-reports/${(await issue10Fx(f, P(res))).report}/cases?figure=penalties.total` }) }] },
  'POST /api/v1/annual-reports/{id}/publish': { note: 'R-P16: the head publishes; a published report is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: { roles: userRoles(), see: 'scope', act: ['agency_head'] }, req: async (f, res) => ({ method: 'POST', url: `/api/v1/annual-reports/${(await issue10Fx(f, P(res))).report}/publish`, body: { narrative: '矩阵情况说明' } }) }] },
  'GET /api/v1/public/annual-reports': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/public/annual-reports?year=2023' }) }] },
  'GET /api/v1/public/annual-reports/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/annual-reports/${(await issue10Fx(f, 'scjg')).publishedReport}` }) }] },
  'POST /api/v1/guides': { note: 'R-P07: for a licensing matter in force of the agency’s list; another code is a 400 naming matterCode after the permission check.', variants: [{ on: AGENCY_RES, rule: matterDraft(), refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/guides', body: { agencyId: f.at[P(res)].agency, matterCode: `MXG-${P(res)}`, fields: { phone: '0571-00000000' } } }) }] },
  'GET /api/v1/guides/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/guides/${(await issue10Fx(f, P(res))).guide}` }) }] },
  'POST /api/v1/guides/{id}/publish': { note: 'R-P01/R-P07: the head; an incomplete guide is refused (400 naming the missing fields) after the permission check.', variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: async (f, res) => ({ method: 'POST', url: `/api/v1/guides/${(await issue10Fx(f, P(res))).guide}/publish`, body: { responsible: '矩阵负责人' } }) }] },
  'GET /api/v1/public/guides': { variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'GET', url: `/api/v1/public/guides?agency=${f.at.scjg.agency}` }) }] },
  'GET /api/v1/public/guides/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/guides/${(await issue10Fx(f, 'scjg')).publishedGuide}` }) }] },
  // ---- 网上受理 (issue 10, apply10): anonymous, throttled per address (429 counts as past authorization); progress needs the phone's last 4 digits ----
  'POST /api/v1/public/applications': { note: 'R-P07/R-I04: anyone applies from a published guide; throttled per address.', variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'POST', url: '/api/v1/public/applications', body: { guideId: (await issue10Fx(f, 'scjg')).publishedGuide, ...MATRIX_APPLICANT, materials: [MATRIX_MATERIAL] } }) }] },
  'GET /api/v1/public/applications/{trackingNumber}': { variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/applications/${await applicationFx(f)}?phoneLast4=1234` }) }] },
  // ---- 岗位信息公示牌 (issue 10, apply10): drafted by the agency's administrator or head, published by the head (R-P01, R-P10) ----
  'POST /api/v1/post-boards': { note: 'R-P10: a window’s board of the caller’s own agency.', variants: [{ on: AGENCY_RES, rule: matterDraft(), refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/post-boards', body: { agencyId: f.at[P(res)].agency, window: 'MX1', fields: DEMO_BOARD_FIELDS } }) }] },
  'GET /api/v1/post-boards': { note: 'The caller’s own agency unless agencyId names another in its read scope.', variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/post-boards' }) }] },
  'GET /api/v1/post-boards/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/post-boards/${(await boardFx(f, P(res))).draft}` }) }] },
  'POST /api/v1/post-boards/{id}/submit': { note: 'Once submitted, a second submission is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: matterDraft(), req: async (f, res) => ({ method: 'POST', url: `/api/v1/post-boards/${(await boardFx(f, P(res))).draft}/submit` }) }] },
  'POST /api/v1/post-boards/{id}/publish': { note: 'R-P01: the head; a board not in review is refused (409) after the permission check.', variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: async (f, res) => ({ method: 'POST', url: `/api/v1/post-boards/${(await boardFx(f, P(res))).draft}/publish`, body: { responsible: '矩阵负责人' } }) }] },
  'GET /api/v1/public/post-boards': { variants: [{ on: ['none'], rule: PUBLIC, req: (f) => ({ method: 'GET', url: `/api/v1/public/post-boards?agency=${f.at.scjg.agency}` }) }] },
  'GET /api/v1/public/post-boards/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: async (f) => ({ method: 'GET', url: `/api/v1/public/post-boards/${(await boardFx(f, 'scjg')).published}` }) }] },
  // issue 16 (AV list, devices, custodians)
  'GET /api/v1/av-province-lists': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/av-province-lists?province=33' }) }] },
  'POST /api/v1/av-province-lists': { note: 'R-R10: the province’s justice department (a supervisor over the two-digit code) or the system administrator.', variants: [{ on: ['none'], rule: { see: 'everyone', act: ['system_admin'] }, req: () => ({ method: 'POST', url: '/api/v1/av-province-lists', body: { province: '33', effectiveFrom: ON, rules: {} } }) }] },
  'GET /api/v1/devices': { variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/devices' }) }] },
  'POST /api/v1/devices': { note: 'R-R10: an agency’s administrator or head registers its devices; a repeated serial is a 409 after the permission check.', variants: [{ on: AGENCY_RES, rule: deviceManage(), refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/devices', body: { agencyId: f.at[P(res)].agency, kind: 'body_camera', serial: `MX-${f.seq()}`, name: '矩阵执法记录仪', custodian: '矩阵保管员' } }) }] },
  'GET /api/v1/devices/{id}': { variants: [{ on: AGENCY_RES, rule: READ, req: async (f, res) => ({ method: 'GET', url: `/api/v1/devices/${await matrixDevice(f, P(res))}` }) }] },
  'POST /api/v1/devices/{id}/status': { variants: [{ on: AGENCY_RES, rule: deviceManage(), req: async (f, res) => ({ method: 'POST', url: `/api/v1/devices/${await matrixDevice(f, P(res))}/status`, body: { status: 'under_repair', reason: '矩阵送修' } }) }] },
  'GET /api/v1/custodians': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/custodians?agencyId=${f.at[P(res)].agency}` }) }] },
  'POST /api/v1/custodians': { variants: [{ on: AGENCY_RES, rule: deviceManage(), refField: 'agencyId', req: (f, res) => ({ method: 'POST', url: '/api/v1/custodians', body: { agencyId: f.at[P(res)].agency, kind: 'ledgers', name: '矩阵保管员', since: ON } }) }] },
  // ---- assist (issue 13): benchmarks are public rule data; case discretion follows the case rules ----
  'GET /api/v1/public/benchmarks': { note: '行政处罚法第三十四条: published benchmarks, rule data only.', variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: `/api/v1/public/benchmarks?q=${encodeURIComponent('明码标价')}` }) }] },
  'GET /api/v1/public/benchmarks/{id}': { variants: [{ on: ['none'], rule: PUBLIC, req: () => ({ method: 'GET', url: '/api/v1/public/benchmarks/demo-city.JG-42.v1' }) }] },
  'GET /api/v1/assist/library': { note: 'Laws and violations are public law and shared rule data: every signed-in caller reads them.', variants: [{ on: ['none'], rule: SIGNED_IN, req: () => ({ method: 'GET', url: '/api/v1/assist/library' }) }] },
  'POST /api/v1/assist/library/import': { note: 'Agency administrators only; a CSV instead of an XLSX is refused (422) after the permission check.', variants: [{ on: ['none'], rule: { see: 'everyone', act: ['agency_admin'] }, req: () => multipart('/api/v1/assist/library/import', '编码,名称\n') }] },
  'GET /api/v1/cases/{id}/discretion': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/discretion` }) }] },
  'POST /api/v1/cases/{id}/discretion/proposal': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/discretion/proposal`, body: { violationCode: 'JG-42', circumstances: ['M1'] } }) }] },
  'PUT /api/v1/cases/{id}/discretion': { note: 'An amount above the legal maximum: refused (422) after the permission check, nothing written.', variants: [{ on: AGENCY_RES, rule: CASE_WORK, req: (f, res) => ({ method: 'PUT', url: `/api/v1/cases/${f.at[P(res)].open}/discretion`, body: { violationCode: 'JG-42', circumstances: [], level: '一般', amount: 6000 } }) }] },
  'POST /api/v1/cases/{id}/discretion/deviation-approval': { note: 'R-L09: the head approves 调整适用; the case has none pending (409 after the permission check).', variants: [{ on: AGENCY_RES, rule: HEAD_ONLY, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/discretion/deviation-approval`, body: { mode: 'head', opinion: '同意', on: ON } }) }] },
  'POST /api/v1/cases/{id}/suggestions': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'POST', url: `/api/v1/cases/${f.at[P(res)].open}/suggestions`, body: { text: '未按规定明码标价' } }) }] },
  'GET /api/v1/cases/{id}/similar': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/similar` }) }] },
  'GET /api/v1/cases/{id}/precheck': { variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/precheck` }) }] },
  // ---- issue 9: desks and accountability (R-L09) ----
  'GET /api/v1/me/work': { note: 'Issue 9: the signed-in person\'s own items (every query filters on the person and their agency, test/desk.test.ts); a desk is a person\'s, so an API token is refused.', variants: [{ on: ['none'], rule: { see: 'everyone', roles: ['officer', 'agency_head', 'reviewer', 'agency_admin', 'supervisor', 'system_admin'] }, req: () => ({ method: 'GET', url: '/api/v1/me/work' }) }] },
  'GET /api/v1/cases/{id}/accountability': { note: 'R-L09: whoever may read the case.', variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/accountability` }) }] },
  'GET /api/v1/cases/{id}/accountability/pdf': { note: 'R-L09: whoever may read the case.', variants: [{ on: AGENCY_RES, rule: READ, req: (f, res) => ({ method: 'GET', url: `/api/v1/cases/${f.at[P(res)].open}/accountability/pdf` }) }] },
};

// ---- issue 10 (matter list, annual report): one draft matter version and one draft 2024 report per place, one published 2023 report, made once per fixture world ----
/** R-P01: an agency's matter list is drafted and submitted by its administrator or head. */
function matterDraft(): Rule {
  return { see: 'scope', act: ['agency_admin', 'agency_head'] };
}
/** Annual reports are people's work: every signed-in role, no API token. */
function userRoles(): Role[] {
  return ['officer', 'agency_head', 'reviewer', 'agency_admin', 'supervisor', 'system_admin'];
}
interface Issue10Fx { matter: string; report: string; publishedReport: string; guide: string; publishedGuide: string }
const issue10Worlds = new WeakMap<object, Map<Place, Promise<Issue10Fx>>>();
function issue10Fx(f: F, place: Place): Promise<Issue10Fx> {
  let byPlace = issue10Worlds.get(f);
  if (!byPlace) issue10Worlds.set(f, (byPlace = new Map()));
  if (!byPlace.has(place)) {
    byPlace.set(place, (async () => {
      const matters = await import('../../src/registry/matters.ts');
      const annual = await import('../../src/annual/service.ts');
      const guides = await import('../../src/guides/service.ts');
      const { DEMO_GUIDE_FIELDS } = await import('../../src/guides/demo.ts');
      const { ctx } = f.w.app;
      const agencyId = f.at[place].agency;
      const head = { kind: 'user' as const, id: crypto.randomUUID(), name: '矩阵负责人', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
      const matter = (await matters.createDraft(ctx, null, head, matters.MatterInput.parse({ agencyId, code: `MXF-${place}`, name: '矩阵事项', kind: '检查', legalBasis: [{ law: '中华人民共和国行政处罚法', article: '第九条' }], level: '市级', effectiveFrom: '2026-01-01' }))).id;
      const report = (await annual.draft(ctx, null, head, { year: 2024, agencyId })).id;
      const publishedReport = (await annual.draft(ctx, null, head, { year: 2023, agencyId })).id;
      await annual.publish(ctx, null, head, publishedReport, { narrative: '矩阵情况说明' });
      // A licensing matter in force with a draft guide, and a second one with a published guide.
      const licence = async (code: string) => {
        const v = await matters.createDraft(ctx, null, head, matters.MatterInput.parse({ agencyId, code, name: '矩阵许可事项', kind: '许可', legalBasis: [{ law: '中华人民共和国行政许可法', article: '第十二条' }], procedureId: 'licensing', level: '市级', effectiveFrom: '2026-01-01' }));
        await matters.submitForReview(ctx, null, head, v.id);
        await matters.publish(ctx, null, head, v.id, { responsible: '矩阵负责人' });
      };
      await licence(`MXG-${place}`);
      await licence(`MXP-${place}`);
      const guide = (await guides.draft(ctx, null, head, { agencyId, matterCode: `MXG-${place}`, fields: { phone: '0571-00000000' } })).id;
      const publishedGuide = (await guides.draft(ctx, null, head, { agencyId, matterCode: `MXP-${place}`, fields: DEMO_GUIDE_FIELDS })).id;
      await guides.publish(ctx, null, head, publishedGuide, { responsible: '矩阵负责人' });
      return { matter, report, publishedReport, guide, publishedGuide };
    })());
  }
  return byPlace.get(place)!;
}

// ---- inspections (issue 11): rules and one matter, object, inspector, draft and published plan per place, made once per fixture world ----
interface InspectionFx { matter: string; object: string; creditCode: string; inspector: string; draftPlan: string; draftTask: string; publishedPlan: string; publishedTask: string }
const inspectionWorlds = new WeakMap<object, Map<Place, Promise<InspectionFx>>>();
const inspectionTaskBody = (matterId: string) => ({
  matterId, title: '矩阵任务', classAsOf: '2026-06-30', inspectionDate: '2026-12-15', rounding: 'ceil',
  ratios: Object.fromEntries(['A', 'B', 'C', 'D'].map((c) => [c, { ratioBp: 500, min: 0, max: null }])),
});
function inspectionFx(f: F, place: Place): Promise<InspectionFx> {
  let byPlace = inspectionWorlds.get(f);
  if (!byPlace) inspectionWorlds.set(f, (byPlace = new Map()));
  if (!byPlace.has(place)) {
    byPlace.set(place, (async () => {
      const svc = await import('../../src/inspections/service.ts');
      const { TaskInput } = await import('../../src/inspections/schema.ts');
      const { fakeCreditCode } = await import('../../src/registry/fake.ts');
      const { ctx } = f.w.app;
      const agencyId = f.at[place].agency;
      const head = { kind: 'user' as const, id: crypto.randomUUID(), name: '矩阵负责人', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
      const matter = (await svc.createMatter(ctx, null, head, { agencyId, code: `MXF-${place}`, name: '矩阵事项', category: '市场监管', legalBasis: '', objectType: '企业', method: '现场检查', kind: 'general' })).id;
      const creditCode = fakeCreditCode(REGION[place], 70_000 + PLACES.indexOf(place), '91');
      const object = (await svc.createObject(ctx, null, head, { agencyId, creditCode, name: '矩阵检查对象', kind: 'enterprise', regionCode: REGION[place], tags: [], creditClass: 'A', classSetOn: '2026-01-15' })).id;
      await svc.upsertInspector(ctx, null, head, { officerId: f.at[place].officer, categories: ['市场监管'], areas: ['3301'], unit: '', available: true, workloadCap: 40 });
      const plan = async () => (await svc.createPlan(ctx, null, head, { agencyId, year: 2026, title: '矩阵计划', departments: [], parties: ['纪检监察组', '公证处'] })).id;
      const draftPlan = await plan();
      const draftTask = (await svc.createTask(ctx, null, head, draftPlan, TaskInput.parse(inspectionTaskBody(matter)))).id;
      const publishedPlan = await plan();
      const publishedTask = (await svc.createTask(ctx, null, head, publishedPlan, TaskInput.parse(inspectionTaskBody(matter)))).id;
      await svc.publishPlan(ctx, null, head, publishedPlan);
      return { matter, object, creditCode, inspector: f.at[place].officer, draftPlan, draftTask, publishedPlan, publishedTask };
    })());
  }
  return byPlace.get(place)!;
}

function multipart(url: string, csv: string): Req {
  const boundary = `----matrix${crypto.randomBytes(6).toString('hex')}`;
  const raw = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rows.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
  return { method: 'POST', url, raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// ---- supervision (issue 12) ----
function supervisionUsers(): Role[] {
  return ['officer', 'agency_head', 'reviewer', 'agency_admin', 'supervisor', 'system_admin'];
}

/** A fresh open alert on the place's open case, for each cell. */
async function matrixAlert(f: F, res: Res): Promise<void> {
  const id = crypto.randomUUID();
  await f.w.app.ctx.db.query(
    `INSERT INTO supervision_alerts (id, subject_key, kind, rule_code, rule_version, severity, basis, agency_id, region_code, case_id, raised_on, status)
     SELECT $1::uuid, 'matrix:' || $1::text, 'single_officer', 'single_officer', 1, 'high', '授权矩阵', a.id, a.region_code, $3, '2026-11-20', 'open' FROM agencies a WHERE a.id = $2`,
    [id, f.at[P(res)].agency, f.at[P(res)].open],
  );
  f.scratch.alert = id;
}

/** A fresh complaint about an officer of the place's agency (which handles it), for each cell. */
async function matrixComplaint(f: F, place: Place): Promise<void> {
  const id = crypto.randomUUID();
  const tracking = `TS20261120${crypto.randomBytes(4).toString('hex').toUpperCase().replace(/[ILOU]/g, 'X')}`;
  await f.w.app.ctx.db.query(
    `INSERT INTO complaints (id, tracking_number, channel, subject_kind, subject_agency_id, region_code, bureau_id, handler_id, summary, content, real_name, status, received_on, accept_by)
     SELECT $1::uuid, $2, 'website', 'officer_conduct', a.id, a.region_code, a.id, a.id, '授权矩阵', '授权矩阵', false, 'submitted', '2026-11-20', '2026-11-27' FROM agencies a WHERE a.id = $3`,
    [id, tracking, f.at[place].agency],
  );
  f.scratch.complaint = id;
  f.scratch.tracking = tracking;
}

/** A fresh matter on the place's agency, opened by its bureau (a notice sent), for each cell. */
async function matrixMatter(f: F, place: Place): Promise<void> {
  const id = crypto.randomUUID();
  await f.w.app.ctx.db.query(
    `INSERT INTO supervision_matters (id, number, bureau_id, agency_id, region_code, source, mode, title, facts, status, opened_on, explanation_due)
     SELECT $1::uuid, '矩阵' || $1::text, a.id, a.id, a.region_code, 'own', 'routine', '授权矩阵', '授权矩阵', 'notified', '2026-11-20', '2026-11-30' FROM agencies a WHERE a.id = $2`,
    [id, f.at[place].agency],
  );
  f.scratch.matter = id;
}

/** A plan over the place's region with one file of another agency there, reviewed by the place's agency. */
async function matrixReviewFile(f: F, place: Place): Promise<void> {
  const other: Place = place === 'scjg' ? 'sthj' : place === 'sthj' ? 'scjg' : 'xh';
  const db = f.w.app.ctx.db;
  const { rows } = place === 'xh'
    ? await db.query<{ id: string; agency_id: string }>(`SELECT c.id, c.agency_id FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE a.region_code = '330106' AND c.agency_id <> $1 LIMIT 1`, [f.at.xh.agency])
    : await db.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM cases WHERE id = $1`, [f.at[other].open]);
  const fileCase = rows[0] ?? { id: f.at[other].open, agency_id: f.at[other].agency };
  const plan = crypto.randomUUID();
  const file = crypto.randomUUID();
  await db.query(
    `INSERT INTO review_plans (id, bureau_id, region_code, title, standard_code, standard_version, period_from, period_to, procedures, sample_per_agency, seed)
     SELECT $1::uuid, a.id, a.region_code, '授权矩阵', 'penalty-general', 1, '2026-01-01', '2026-11-20', '{penalty-general}', 1, 'matrix' FROM agencies a WHERE a.id = $2`,
    [plan, f.at[place].agency],
  );
  await db.query(
    `INSERT INTO review_files (id, plan_id, case_id, agency_id, region_code, reviewer_agency_id, prefill, status)
     SELECT $1::uuid, $2::uuid, $3::uuid, a.id, a.region_code, $5::uuid, '{"vetoes":[],"deductions":[],"notes":[]}', 'assigned' FROM agencies a WHERE a.id = $4`,
    [file, plan, fileCase.id, fileCase.agency_id, f.at[place].agency],
  );
  f.scratch.plan = plan;
  f.scratch.file = file;
}

/** A task of the place's region assigned to the place's agency, for each cell. */
async function matrixTask(f: F, place: Place): Promise<void> {
  const id = crypto.randomUUID();
  await f.w.app.ctx.db.query(
    `INSERT INTO supervision_tasks (id, bureau_id, region_code, source_doc, seq, main_task, breakdown, requirement, responsible, agency_ids, deadline_text, status)
     SELECT $1::uuid, a.id, a.region_code, '授权矩阵', 1, '授权矩阵', '授权矩阵', '授权矩阵', '授权矩阵', ARRAY[a.id], '长期执行', 'not_started' FROM agencies a WHERE a.id = $2`,
    [id, f.at[place].agency],
  );
  f.scratch.task = id;
}

// ---- 网上受理 (issue 10, apply10): one application per fixture world, made through the service ----
const MATRIX_APPLICANT = { applicantType: 'organisation', name: '矩阵申请人有限公司', idNumber: '91330106MA2H3K7Q4Q', phone: '13800001234', address: '演示市西湖区矩阵路 1 号', legalRepresentative: '矩阵代表' } as const;
const MATRIX_MATERIAL = { name: '申请书', filename: 'a.pdf', mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 matrix').toString('base64') };
const applicationWorlds = new WeakMap<object, Promise<string>>();
function applicationFx(f: F): Promise<string> {
  if (!applicationWorlds.has(f)) {
    applicationWorlds.set(f, (async () => {
      const { submitApplication } = await import('../../src/guides/apply.ts');
      const guideId = (await issue10Fx(f, 'scjg')).publishedGuide;
      return (await submitApplication(f.w.app.ctx, null, guideId, MATRIX_APPLICANT, [{ name: '申请书', filename: 'a.pdf', mediaType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 matrix') }])).trackingNumber;
    })());
  }
  return applicationWorlds.get(f)!;
}

// ---- 岗位信息公示牌 (issue 10, apply10): a draft and a published board per place, made once per fixture world ----
const DEMO_BOARD_FIELDS = { staffName: '矩阵', unit: '矩阵单位', post: '受理', category: '综合受理岗', duties: '受理', sampleMaterials: [{ name: '申请书', sample: '' }], consultation: '电话', complaint: '12345' };
const boardWorlds = new WeakMap<object, Map<Place, Promise<{ draft: string; published: string }>>>();
function boardFx(f: F, place: Place): Promise<{ draft: string; published: string }> {
  let byPlace = boardWorlds.get(f);
  if (!byPlace) boardWorlds.set(f, (byPlace = new Map()));
  if (!byPlace.has(place)) {
    byPlace.set(place, (async () => {
      const boards = await import('../../src/boards/service.ts');
      const { ctx } = f.w.app;
      const agencyId = f.at[place].agency;
      const head = { kind: 'user' as const, id: crypto.randomUUID(), name: '矩阵负责人', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
      const draft = (await boards.draft(ctx, null, head, { agencyId, window: 'MXD', fields: DEMO_BOARD_FIELDS })).id;
      const published = (await boards.draft(ctx, null, head, { agencyId, window: 'MXP', fields: DEMO_BOARD_FIELDS })).id;
      await boards.submitForReview(ctx, null, head, published);
      await boards.publish(ctx, null, head, published, { responsible: '矩阵负责人' });
      return { draft, published };
    })());
  }
  return byPlace.get(place)!;
}

// issue 16: the device register is the agency's administrator's and head's (R-R10).
function deviceManage(): Rule {
  return { see: 'scope', act: ['agency_admin', 'agency_head'] };
}
const matrixDevices = new WeakMap<object, Map<Place, Promise<string>>>();
function matrixDevice(f: F, place: Place): Promise<string> {
  let byPlace = matrixDevices.get(f);
  if (!byPlace) matrixDevices.set(f, (byPlace = new Map()));
  if (!byPlace.has(place)) {
    const id = crypto.randomUUID();
    byPlace.set(place, f.w.app.ctx.db.query(`INSERT INTO devices (id, agency_id, kind, serial, name, custodian, status) VALUES ($1, $2, 'body_camera', $3, '矩阵执法记录仪', '矩阵保管员', 'in_service')`, [id, f.at[place].agency, `MXD-${place}`]).then(() => id));
  }
  return byPlace.get(place)!;
}
