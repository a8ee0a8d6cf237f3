// Hostile-input drill (issue 15, "Proof that stays"): every operation of the OpenAPI document is sent
// NUL bytes, unpaired surrogates, huge numbers, wrong types, deep JSON, long strings, path traversal,
// SQL/JSON injection shapes and near-UUIDs, in each path parameter, query parameter and body field.
// Bodies are generated from each operation's requestBody JSON Schema (valid-looking values, then one
// field corrupted at a time), never written per route, so a new route is drilled without editing
// this file.
//
// Roles. Representative mutations (REPRESENTATIVE below) are drilled as every role: anonymous, an
// API token with all scopes, officer, head, reviewer, agency administrator, city and county
// supervisor, system administrator. Every other operation is drilled as the role that can reach its
// handler (PRIMARY) and one more role picked by the seeded generator, so the run stays within a few
// minutes on two cores.
//
// Asserted: no 5xx; every error is application/problem+json with a Chinese title; nothing logged at
// error level and no stack trace; /healthz still 200; and the database unchanged by the requests
// that must be refused — the row count of every user table (ledger tables included: the ledger size)
// is the same before and after, except the tables in GROWS (refusals are audited, sessions note when
// they were last seen). Injection shapes that are legitimate text (a title reading "' OR 1=1--") may
// be accepted; they run in a second phase after the comparison, checked for 5xx and error shape.
// Deterministic: the choices come from a seeded generator.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, MATTER, PARTY, docs, caseInfo, addAvRecord, upload, type CaseWorld } from './cases.fixtures.ts';
import { captureServer, type CapturedServer } from './helpers/capture.ts';
import { engine } from './helpers/db.ts';
import { TOKEN_SCOPES } from '../src/accounts/service.ts';

/** Tables a refused request may still write: the audit log (R-R05: refusals are audited) and sessions (last seen). */
const GROWS = new Set(['audit_log', 'sessions']);

type Role = 'anonymous' | 'token' | 'officer' | 'head' | 'reviewer' | 'admin' | 'citySupervisor' | 'countySupervisor' | 'system';
const ROLES: Role[] = ['anonymous', 'token', 'officer', 'head', 'reviewer', 'admin', 'citySupervisor', 'countySupervisor', 'system'];

/** Mutations drilled as every role: one per domain, the ones with the richest bodies. */
const REPRESENTATIVE = new Set([
  'POST /api/v1/auth/login', 'POST /api/v1/cases', 'POST /api/v1/cases/{id}/records', 'POST /api/v1/cases/{id}/documents',
  'POST /api/v1/officers', 'PATCH /api/v1/agencies/{id}', 'POST /api/v1/users',
]);

/** The role that gets furthest into an operation's handler. */
function primaryRole(method: string, path: string, isPublic: boolean): Role {
  if (isPublic) return 'anonymous';
  if (/\/reviews\/\{reviewId\}\/opinion$/.test(path)) return 'reviewer';
  if (/\/disclosures\/\{disclosureId\}\/decision$|\/approvals$|\/extensions$/.test(path)) return 'head';
  if (/^\/api\/v1\/(users|tokens|agencies|audit|reviewers|imports|av-rule-sets|major-decision-catalogs|procedure-adaptations)/.test(path)) return 'admin';
  if (/^\/api\/v1\/calendar/.test(path)) return 'system';
  if (/^\/api\/v1\/evidence/.test(path)) return 'token';
  if (/^\/api\/v1\/dashboard/.test(path)) return 'citySupervisor';
  if (method === 'GET' && /^\/api\/v1\/officers/.test(path)) return 'head';
  return 'officer';
}

// mulberry32: a small seeded generator, so every run sends the same requests.
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = seeded(15);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// ---- JSON Schema → values ------------------------------------------------------------------------

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  additionalProperties?: Schema | boolean;
}

/** Valid-looking ids and values of the demo world, by field name. */
interface Known {
  uuidFor(name: string): string;
  byName: Record<string, unknown>;
}

const typeOf = (s: Schema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);
/** A schema that accepts any JSON value (unrepresentable Zod types, free-form maps). */
const isAny = (s: Schema) => !s.type && !s.anyOf && !s.enum && s.const === undefined && !s.properties && !s.items;

function stringFor(s: Schema, name: string, k: Known): string {
  if (s.format === 'uuid') return k.uuidFor(name);
  if (s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return '2026-11-20';
  if (s.format === 'date-time') return '2026-11-20T09:00:00+08:00';
  const known = k.byName[name];
  if (typeof known === 'string') return known;
  if (s.pattern && /\[0-9a-fA-F\]\{64\}/.test(s.pattern)) return crypto.createHash('sha256').update(name).digest('hex');
  if (s.pattern && /\\d\{6\}/.test(s.pattern)) return '123456';
  if (s.pattern && /\\d\{1,6\}/.test(s.pattern)) return '2026';
  const base = `演示${name}`;
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 100;
  return (base.length >= min ? base : base.padEnd(min, '字')).slice(0, Math.max(min, Math.min(max, base.length)));
}

function valueFor(s: Schema, name: string, k: Known): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return valueFor(s.anyOf.find((o) => o.type !== 'null') ?? s.anyOf[0]!, name, k);
  if (s.default !== undefined && k.byName[name] === undefined) return s.default;
  switch (typeOf(s)) {
    case 'string':
      return stringFor(s, name, k);
    case 'integer':
    case 'number': {
      const known = k.byName[name];
      if (typeof known === 'number') return known;
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(lo, 1), s.maximum ?? 1);
    }
    case 'boolean':
      return true;
    case 'array': {
      const n = Math.max(1, s.minItems ?? 1);
      if (s.prefixItems) return s.prefixItems.map((p, i) => valueFor(p, `${name}.${i}`, k));
      return Array.from({ length: n }, () => valueFor(s.items ?? {}, name.replace(/s$/, ''), k));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [p, ps] of Object.entries(s.properties ?? {})) out[p] = valueFor(ps, p, k);
      return out;
    }
    default:
      return k.byName[name] ?? {};
  }
}

/** Every field of a generated body: its path and schema (containers too, for type and depth attacks). */
function fieldsOf(s: Schema, value: unknown, path: string[] = []): { path: string[]; schema: Schema }[] {
  const out: { path: string[]; schema: Schema }[] = [];
  const eff = s.anyOf ? (s.anyOf.find((o) => o.type !== 'null') ?? s) : s;
  if (path.length) out.push({ path, schema: s });
  if (eff.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [p, ps] of Object.entries(eff.properties)) out.push(...fieldsOf(ps, (value as Record<string, unknown>)[p], [...path, p]));
  } else if (Array.isArray(value) && value.length) {
    out.push(...fieldsOf(eff.items ?? eff.prefixItems?.[0] ?? {}, value[0], [...path, '0']));
  }
  return out;
}

// ---- attacks -----------------------------------------------------------------------------------

/** A raw JSON text put in place of a value (numbers JSON.stringify cannot write). */
class RawJson {
  constructor(readonly text: string) {}
}

const NEAR_UUIDS = ['------------------------------------', '00000000-0000-0000-0000-00000000000g', '6f1c2a9e-5b7d-4c3e-9a1f-2b8c7d6e5f4a0', '6f1c2a9e5b7d4c3e9a1f2b8c7d6e5f4a'];
const deep = (n: number): unknown => (n === 0 ? 'x' : [deep(n - 1)]);

interface Attack {
  name: string;
  value: unknown;
  /** Must the platform refuse this value in a field of this schema? Otherwise it may take it as text. */
  refused(s: Schema): boolean;
}

const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
function matches(pattern: string, v: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(v);
  } catch {
    return new RegExp(pattern).test(v);
  }
}

/** Would the field's JSON Schema accept this (parsed) value? The drill's idea of valid input. */
function schemaAccepts(s: Schema, v: unknown): boolean {
  if (isAny(s)) return true;
  if (s.anyOf) return s.anyOf.some((o) => schemaAccepts(o, v));
  if (s.const !== undefined) return v === s.const;
  if (s.enum) return s.enum.includes(v);
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (v === null) return types.includes('null');
  if (typeof v === 'string') {
    if (!types.includes('string')) return false;
    if (v.length < (s.minLength ?? 0) || v.length > (s.maxLength ?? Infinity)) return false;
    if (s.format === 'uuid' && !UUID.test(v)) return false;
    return !s.pattern || matches(s.pattern, v);
  }
  if (typeof v === 'number') {
    if (!types.includes('number') && !(types.includes('integer') && Number.isInteger(v))) return false;
    if (!Number.isFinite(v)) return false;
    return v >= (s.minimum ?? -Infinity) && v <= (s.maximum ?? Infinity) && (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum);
  }
  if (typeof v === 'boolean') return types.includes('boolean');
  if (Array.isArray(v)) return types.includes('array') && v.length >= (s.minItems ?? 0) && v.length <= (s.maxItems ?? Infinity) && v.every((x) => schemaAccepts(s.items ?? {}, x));
  if (typeof v === 'object') return types.includes('object') && (s.required ?? []).every((k) => k in v);
  return false;
}

const ATTACKS: Attack[] = [
  // The platform's own rules, whatever the field: never text, never this deep.
  { name: 'NUL', value: 'a\u0000b', refused: () => true },
  { name: 'unpaired surrogate', value: 'a\uD800b', refused: () => true },
  { name: 'unpaired low surrogate', value: '\uDC00', refused: () => true },
  { name: 'deep JSON (100 levels)', value: deep(100), refused: () => true },
  // The field's schema decides the rest.
  { name: '1e400', value: new RawJson('1e400'), refused: (s) => !isAny(s) },
  { name: '2^64', value: new RawJson('18446744073709551616'), refused: (s) => !schemaAccepts(s, 18446744073709551616) },
  { name: '-0', value: new RawJson('-0'), refused: (s) => !schemaAccepts(s, -0) },
  { name: 'string for number', value: '12', refused: (s) => !schemaAccepts(s, '12') },
  { name: 'number for string', value: 12345, refused: (s) => !schemaAccepts(s, 12345) },
  { name: 'boolean', value: true, refused: (s) => !schemaAccepts(s, true) },
  { name: 'null', value: null, refused: (s) => !schemaAccepts(s, null) },
  { name: 'array', value: ['x'], refused: (s) => !schemaAccepts(s, ['x']) },
  { name: 'JSON injection {"$ne":null}', value: { $ne: null }, refused: (s) => !schemaAccepts(s, { $ne: null }) },
  ...['x'.repeat(20_000), '../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', "' OR 1=1--", '9999-12-31', '0001-01-01', ...NEAR_UUIDS.slice(0, 2)].map((v, i) => ({
    name: ['long string (20 000)', 'path traversal', 'encoded traversal', 'SQL injection', 'last date', 'first date'][i] ?? `near-UUID ${i - 5}`,
    value: v,
    refused: (s: Schema) => !schemaAccepts(s, v),
  })),
];

/** Attacks in a URL (path or query), already percent-encoded; `invalid` ones are a 400 whatever the route. */
const URL_ATTACKS: { name: string; text: string; invalid: boolean }[] = [
  { name: 'NUL', text: 'a%00b', invalid: true },
  { name: 'unpaired surrogate (CESU-8)', text: '%ED%A0%80', invalid: true },
  { name: 'overlong UTF-8', text: '%C0%AE%C0%AE%2F', invalid: true },
  { name: '1e400', text: '1e400', invalid: false },
  { name: '2^64', text: '18446744073709551616', invalid: false },
  { name: '-0', text: '-0', invalid: false },
  { name: 'page 99999999999', text: '99999999999', invalid: false },
  { name: 'path traversal', text: '..%2F..%2Fetc%2Fpasswd', invalid: false },
  { name: 'encoded traversal', text: '%252e%252e%252f', invalid: false },
  { name: 'SQL injection', text: encodeURIComponent("' OR 1=1--"), invalid: false },
  { name: 'JSON injection', text: encodeURIComponent('{"$ne":null}'), invalid: false },
  ...NEAR_UUIDS.map((u, i) => ({ name: `near-UUID ${i + 1}`, text: u, invalid: false })),
  { name: 'long (3 000)', text: 'x'.repeat(3000), invalid: false },
  { name: 'zero', text: '0', invalid: false },
  { name: 'six nines', text: '999999', invalid: false },
  { name: 'last date', text: '9999-12-31', invalid: false },
  { name: 'zero date', text: '0000-00-00', invalid: false },
];

function serialise(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_k, v: unknown) => (v instanceof RawJson ? `\u0001RAW${raws.push(v.text) - 1}\u0001` : v));
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

function setAt(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let o: Record<string, unknown> = copy;
  for (const p of path.slice(0, -1)) o = o[p] as Record<string, unknown>;
  o[path.at(-1)!] = value;
  return copy;
}

// ---- the drill ---------------------------------------------------------------------------------

interface Op {
  method: string;
  path: string;
  isPublic: boolean;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[];
  body?: Schema;
}

interface Req {
  op: string;
  role: Role;
  what: string;
  method: string;
  url: string;
  payload?: string;
  /** Must be refused (4xx)? Otherwise it may be accepted as ordinary data. */
  refuse: boolean;
}

let w: CaseWorld;
let cap: CapturedServer;
let token: string;
let ops: Op[];
const problems = { fivexx: [] as string[], notProblem: [] as string[], accepted: [] as string[] };
let sent = 0;
/** Answers by status, printed at the end: shows how far into the handlers the drill got. */
const statuses = new Map<number, number>();

function headersFor(role: Role, method: string): Record<string, string> {
  if (role === 'anonymous') return {};
  if (role === 'token') return { authorization: `Bearer ${token}` };
  const s = w.s[role];
  return { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) };
}

async function send(r: Req) {
  sent++;
  const res = await cap.server.inject({
    method: r.method as 'GET',
    url: r.url,
    headers: { ...headersFor(r.role, r.method), ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: r.payload,
  });
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  const label = `${r.op} as ${r.role}: ${r.what} → ${res.statusCode}`;
  if (res.statusCode >= 500) problems.fivexx.push(`${label} ${res.body.slice(0, 200)}`);
  else if (res.statusCode >= 400) {
    const ct = String(res.headers['content-type'] ?? '');
    let title = '';
    try {
      title = (res.json() as { title?: string }).title ?? '';
    } catch {
      /* not JSON: reported below */
    }
    if (!ct.includes('application/problem+json') || !/\p{Script=Han}/u.test(title)) problems.notProblem.push(`${label} ${ct} ${res.body.slice(0, 120)}`);
  } else if (r.refuse) problems.accepted.push(label);
}

async function tableCounts(): Promise<Record<string, number>> {
  const db = w.app.ctx.db;
  const { rows } = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { name } of rows) out[name] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`)).rows[0]!.n;
  return out;
}

/** Every request of the drill for one operation and role, in a fixed order. */
function requestsFor(op: Op, role: Role, k: Known, phase: 'refused' | 'accepted'): Req[] {
  const opName = `${op.method} ${op.path}`;
  const out: Req[] = [];
  const pathValues = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, encodeURIComponent(String(valueFor(p.schema, paramKey(op.path, p.name), k)))]));
  const queryValues = Object.fromEntries(op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(valueFor(p.schema, p.name, k))]));
  const url = (path: Record<string, string>, query: string) => op.path.replace(/\{(\w+)\}/g, (_m, n: string) => path[n]!) + (query ? `?${query}` : '');
  const qs = (extra: Record<string, string> = {}) => Object.entries({ ...queryValues, ...extra }).map(([a, b]) => `${a}=${b.includes('%') ? b : encodeURIComponent(b)}`).join('&');
  const body = op.body ? valueFor(op.body, '', k) : undefined;
  const payload = body === undefined ? undefined : serialise(body);

  for (const p of op.parameters) {
    for (const a of URL_ATTACKS) {
      if (a.invalid !== (phase === 'refused')) continue;
      const u = p.in === 'path' ? url({ ...pathValues, [p.name]: a.text }, qs()) : url(pathValues, qs({ [p.name]: a.text }));
      out.push({ op: opName, role, what: `${p.in} ${p.name} ${a.name}`, method: op.method, url: u, payload, refuse: a.invalid });
    }
  }
  if (phase === 'refused') {
    // Beyond any route: a megabyte of URL, and a megabyte body.
    out.push({ op: opName, role, what: '1 MB URL', method: op.method, url: url(pathValues, qs({ q: 'x'.repeat(1 << 20) })), payload, refuse: true });
    if (body !== undefined) {
      out.push({ op: opName, role, what: '1 MB string field', method: op.method, url: url(pathValues, qs()), payload: serialise({ ...(body as object), zz: 'x'.repeat(1 << 20) }), refuse: true });
      out.push({ op: opName, role, what: 'deep JSON body (10 000 levels)', method: op.method, url: url(pathValues, qs()), payload: '['.repeat(10_000) + ']'.repeat(10_000), refuse: true });
    }
  }
  if (op.body && body !== undefined) {
    const keyed = new Set<string>();
    for (const f of fieldsOf(op.body, body)) {
      for (const a of ATTACKS) {
        const refuse = a.refused(f.schema);
        if (refuse !== (phase === 'refused')) continue;
        out.push({ op: opName, role, what: `body ${f.path.join('.')} ${a.name}`, method: op.method, url: url(pathValues, qs()), payload: serialise(setAt(body, f.path, a.value)), refuse });
      }
      // Keys: a NUL and a lone surrogate in a key next to this field.
      const parent = f.path.slice(0, -1);
      const container = parent.reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], body);
      if (phase === 'refused' && container && typeof container === 'object' && !Array.isArray(container) && !keyed.has(parent.join('.'))) {
        keyed.add(parent.join('.'));
        for (const [n, key] of [['NUL in key', 'k\u0000'], ['surrogate in key', 'k\uD800']] as const) {
          const withKey = parent.length ? setAt(body, [...parent, key], 1) : { ...(body as object), [key]: 1 };
          out.push({ op: opName, role, what: `body ${[...parent, n].join('.')}`, method: op.method, url: url(pathValues, qs()), payload: serialise(withKey), refuse: true });
        }
      }
    }
  }
  return out;
}

/** A well-formed id that names no row, the same on every run. */
function nameUuid(name: string): string {
  const h = crypto.createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Which id a path parameter names: `{id}` of /cases is a case, of /officers an officer… */
function paramKey(path: string, name: string): string {
  if (name !== 'id') return name;
  const seg = /^\/api\/v1\/([\w-]+)/.exec(path)?.[1] ?? '';
  return `${seg}.id`;
}

function rolesFor(op: Op): Role[] {
  const key = `${op.method} ${op.path}`;
  if (REPRESENTATIVE.has(key)) return ROLES;
  const first = primaryRole(op.method, op.path, op.isPublic);
  const second = pick(ROLES.filter((r) => r !== first));
  return [first, second];
}

let known: Known;
let before: Record<string, number>;
let started = 0;

beforeAll(async () => {
  started = Date.now();
  w = await caseWorld();
  const t = await w.api.admin('POST', '/api/v1/tokens', { name: '演练令牌', scopes: [...TOKEN_SCOPES] });
  expect(t.statusCode, t.body).toBe(201);
  token = (t.json() as { token: string }).token;
  // A case with a document and an AV record, so that path ids lead to real rows.
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '演练案件', matter: MATTER, party: PARTY })).json() as { id: string; number: string; title: string };
  const step = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'intake', on: '2026-10-08', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['case_source_record'], '2026-10-08', caseInfo(c, w.officers)) });
  expect(step.statusCode, step.body).toBe(201);
  const rec = await addAvRecord(w, c.id, 'intake', '2026-10-08');
  const docId = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM case_documents WHERE case_id = $1 LIMIT 1`, [c.id])).rows[0]!.id;
  const sha = await upload(w, Buffer.from('演练证据'), 'text/plain', 'drill.txt');
  const one = async (sql: string) => (await w.app.ctx.db.query<{ id: string }>(sql)).rows[0]!.id;
  const ids: Record<string, string> = {
    'cases.id': c.id, docId, recordId: rec.id, 'agencies.id': w.ids.get('city_scjg')!, agencyId: w.ids.get('city_scjg')!,
    'officers.id': w.officers[0]!.id, officerId: w.officers[0]!.id, 'users.id': await one(`SELECT id FROM users WHERE username = 'scjg_head'`),
    'tokens.id': (t.json() as { id: string }).id,
  };
  known = {
    uuidFor: (name) => ids[name] ?? ids[name.replace(/s$/, '') + 'Id'] ?? (/officer/i.test(name) ? w.officers[0]!.id : nameUuid(name)),
    byName: {
      username: 'drill-nobody', password: 'Drill-Not-The-Password-1', currentPassword: 'Drill-Not-The-Password-1', newPassword: 'Drill-New-Password-2',
      sha256: sha, blobSha256: sha, hex: sha, certificateNumber: w.officers[0]!.certificateNumber, 'procedures.id': 'penalty-general', procedureId: 'penalty-general',
      type: 'case_source_record', 'evidence.id': '0'.repeat(32), day: '2026-10-01', creditCode: '11330100MB0000000X', regionCode: '330100', reason: '演练调阅事由',
    },
  };
  const doc = (await openCapture()).json() as { paths: Record<string, Record<string, { security: unknown[]; parameters: Op['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>> };
  ops = Object.entries(doc.paths).flatMap(([path, m]) =>
    Object.entries(m).map(([method, o]) => ({ method: method.toUpperCase(), path, isPublic: o.security.length === 0, parameters: o.parameters, body: o.requestBody?.content['application/json']?.schema })),
  );
  before = await tableCounts();
}, 120_000);

async function openCapture() {
  cap = await captureServer(w.app);
  return cap.server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
}

afterAll(async () => {
  await cap?.server.close();
  await w?.app.close();
});

describe(`hostile-input drill over the OpenAPI document on ${engine} (issue 15)`, () => {
  it('covers every operation of the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(80);
    const bodies = ops.filter((o) => o.body).length;
    expect(bodies).toBeGreaterThanOrEqual(30);
    // The mutations drilled as every role are still operations of the document.
    const names = new Set(ops.map((o) => `${o.method} ${o.path}`));
    expect([...REPRESENTATIVE].filter((k) => !names.has(k))).toEqual([]);
  });

  it('refuses every hostile value as every role with a Chinese problem+json, no 5xx, and leaves the database unchanged', async () => {
    for (const op of ops) for (const role of rolesFor(op)) for (const r of requestsFor(op, role, known, 'refused')) await send(r);
    const after = await tableCounts();
    const changed = Object.keys({ ...before, ...after }).filter((t) => !GROWS.has(t) && before[t] !== after[t]).map((t) => `${t}: ${before[t]} → ${after[t]}`);
    expect(problems.fivexx, 'answers 5xx').toEqual([]);
    expect(problems.notProblem, 'errors that are not Chinese problem+json').toEqual([]);
    expect(problems.accepted, 'hostile values accepted').toEqual([]);
    expect(changed, 'tables changed by refused requests (ledger included)').toEqual([]);
    expect(after.ledger_entries! + after.ledger_pending!).toBe(before.ledger_entries! + before.ledger_pending!);
  }, 600_000);

  it('takes injection shapes that are legitimate text without a 5xx', async () => {
    problems.fivexx.length = 0;
    problems.notProblem.length = 0;
    for (const op of ops) for (const role of rolesFor(op)) for (const r of requestsFor(op, role, known, 'accepted')) await send(r);
    expect(problems.fivexx, 'answers 5xx').toEqual([]);
    expect(problems.notProblem, 'errors that are not Chinese problem+json').toEqual([]);
  }, 600_000);

  it('stays healthy, logged nothing at error level and no stack trace', async () => {
    const h = await cap.server.inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(cap.errors().map((l) => l.msg), 'error-level log lines').toEqual([]);
    expect(cap.stacks().length, 'log lines with a stack trace').toBe(0);
    const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}×${n}`).join(' ');
    console.info(`drill: ${ops.length} operations, ${sent} requests, ${Math.round((Date.now() - started) / 1000)} s; answers ${byStatus}`);
  });
});
