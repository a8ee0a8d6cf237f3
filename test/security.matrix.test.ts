// Authorization matrix in CI (issue 15): every operation of GET /api/v1/openapi.json × every kind of
// caller × own / same-jurisdiction / foreign resource, against the expectations written once per
// operation in test/security/matrix.ts. A route without an entry there, or an entry without a route,
// fails. Every refusal must be problem+json, no answer may be a 5xx, and where an answer carries a
// case's party (case view, prefill, DOCX, archive package), a caller who may not see the party's
// ID number (R-P14) must not find it. No cell is skipped.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildFixtures, type Fx } from './security/fixtures.ts';
import { unzipSync } from 'fflate';
import { CALLERS, expected, OPS, seesPartyData, WHO, type Outcome, type Res, type Variant, type Who } from './security/matrix.ts';

interface OpenApiOp {
  security: { session?: string[]; token?: string[] }[];
}

let f: Fx;
let openapi: Record<string, Record<string, OpenApiOp>>;

beforeAll(async () => {
  f = await buildFixtures();
  const r = await f.w.app.server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  openapi = (r.json() as { paths: typeof openapi }).paths;
}, 240_000);
afterAll(async () => {
  await f?.w.app.close();
  if (f) fs.rmSync(f.w.app.ctx.config.dataDir, { recursive: true, force: true });
});

const documented = () => Object.entries(openapi).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

/** What the answer says about authorization. */
function classify(r: LightMyRequestResponse, refField?: string): Outcome | '5xx' {
  if (r.statusCode >= 500) return '5xx';
  if (r.statusCode === 401 || r.statusCode === 403 || r.statusCode === 404) return r.statusCode;
  if (r.statusCode === 400 && refField) {
    const body = r.json() as { errors?: { field: string }[] };
    if (body.errors?.some((e) => e.field === refField)) return 404;
  }
  return 'ok';
}

/** The text a reader gets out of an answer: JSON and text as is, a DOCX's XML, a tar's bytes (its JSON members are stored uncompressed). PDFs are compressed and not searched. */
function readable(r: LightMyRequestResponse): string | null {
  const type = String(r.headers['content-type']);
  if (/json|text/.test(type)) return r.body;
  if (type.includes('wordprocessingml')) return Object.values(unzipSync(new Uint8Array(r.rawPayload))).map((b) => Buffer.from(b).toString('utf8')).join('\n');
  if (type.includes('x-tar')) return r.rawPayload.toString('utf8');
  return null;
}

/** Authentication and token scope come from the OpenAPI document; the rest from the operation's rule. */
function expectation(op: string, v: Variant<Fx>, who: Who, res: Res): Outcome {
  const [method, path] = op.split(' ') as [string, string];
  const extra = OPS[op]!.extra;
  const doc = openapi[path]?.[method.toLowerCase()];
  const isPublic = extra ? extra.access === 'public' : doc!.security.length === 0;
  const scope = extra ? extra.scope : doc!.security.find((s) => s.token)?.token?.[0] ?? null;
  const c = CALLERS[who];
  if (isPublic) return expected(v.rule, c, res) === 'ok' ? 'ok' : expected(v.rule, c, res);
  if (c.kind === 'anonymous') return 401;
  if (c.kind === 'token' && (!scope || c.scopes === 'missing')) return 403;
  return expected(v.rule, c, res);
}

const caseOf = (url: string) => /\/cases\/([0-9a-f-]{36})/.exec(url)?.[1] ?? '';

const scopeOf = (op: string): string | null => {
  const [method, path] = op.split(' ') as [string, string];
  return OPS[op]!.extra?.scope ?? openapi[path]?.[method.toLowerCase()]?.security.find((s) => s.token)?.token?.[0] ?? null;
};

describe('the table covers the API', () => {
  it('every operation of the OpenAPI document has an entry, and every entry is an operation (or a listed route outside it)', () => {
    const inDoc = new Set(documented());
    const missing = [...inDoc].filter((k) => !OPS[k]);
    const stale = Object.keys(OPS).filter((k) => !inDoc.has(k) && !OPS[k]!.extra);
    expect(missing, 'operations without an authorization rule in test/security/matrix.ts').toEqual([]);
    expect(stale, 'entries in test/security/matrix.ts with no such operation').toEqual([]);
  });
});

// Logging in and out end the session the caller held, which every other cell uses: they run last.
const SESSION_ENDING = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);
const order = Object.keys(OPS).sort((a, b) => Number(SESSION_ENDING.has(a)) - Number(SESSION_ENDING.has(b)));

describe('authorization matrix', () => {
  for (const op of order) {
    for (const v of OPS[op]!.variants) {
      it(`${op}${v.name ? ` (${v.name})` : ''}`, async () => {
        const scope = scopeOf(op);
        const failures: string[] = [];
        // The party check is only worth something if the answer carries the party at all: the agency's own staff must find it.
        let staffSawParty = false;
        for (const who of WHO) {
          for (const res of v.on) {
            const want = expectation(op, v, who, res);
            await v.prepare?.(f, res, who);
            const request = await v.req(f, res, who);
            const { method } = request;
            const r = await f.send(request, who, scope);
            await v.restore?.(f, res);
            const got = classify(r, v.refField);
            // Every refusal is a problem+json document (RFC 9457), whoever asks; HEAD has no body.
            if (typeof got === 'number' && method !== 'HEAD' && !String(r.headers['content-type']).startsWith('application/problem+json')) {
              failures.push(`${who} × ${res}: ${r.statusCode} is not problem+json (${String(r.headers['content-type'])})`);
            }
            if (v.party && got === 'ok' && r.statusCode < 300 && seesPartyData(CALLERS[who], res)) {
              const id = f.party.get(caseOf(request.url))?.idNumber;
              if (id && readable(r)?.includes(id)) staffSawParty = true;
            }
            if (v.party && got === 'ok' && r.statusCode < 300 && !seesPartyData(CALLERS[who], res)) {
              const text = readable(r);
              const party = f.party.get(caseOf(request.url));
              // The ID number only: an address is also where inspections happen (a record's place), not only the party's.
              const leaked = party?.idNumber && text !== null && text.includes(party.idNumber) ? [party.idNumber] : [];
              if (leaked.length) failures.push(`${who} × ${res}: party data withheld from this caller is in the answer (${leaked.join(', ')})`);
            }
            const anyStatus = op === 'POST /api/v1/auth/totp';
            if (anyStatus ? got !== '5xx' : got === want) continue;
            const text = /json|text/.test(String(r.headers['content-type'])) ? r.body.slice(0, 160) : `(${String(r.headers['content-type'])})`;
            failures.push(`${who} × ${res}: expected ${want}, got ${r.statusCode} ${text}`);
          }
        }
        expect(failures, `${op}: cells that differ from the rule`).toEqual([]);
        if (v.party) expect(staffSawParty, `${op}: the agency's staff should find the party's ID number in the answer`).toBe(true);
      }, 120_000);
    }
  }
});
