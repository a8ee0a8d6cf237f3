// Issue 15 §4, "NUL bytes and near-UUIDs crash requests": about 50 distinct requests answered 500
// (20 of them public), each logging a stack trace at error level. One rule now holds at the HTTP
// layer for every string a request carries (src/platform/http/server.ts, src/platform/validation.ts):
// NUL and unpaired surrogates are a 400 problem+json naming the field, ids are UUIDs before any
// cast, numbers are bounded, JSON is bounded in depth and size, and the refusals of Node's own HTTP
// parser are problem+json too. Each test sends the concrete requests of the issue and more, and
// checks that the database did not change and that nothing was logged at error level.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseWorld, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';
import { captureServer, type CapturedServer } from './helpers/capture.ts';
import { engine } from './helpers/db.ts';

let w: CaseWorld;
let cap: CapturedServer;
let caseId: string;

/** Tables a refused request may still write: refusals are audited, sessions note when they were last seen. */
const GROWS = new Set(['audit_log', 'sessions']);

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await w.app.ctx.db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { name } of rows) if (!GROWS.has(name)) out[name] = (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`)).rows[0]!.n;
  return out;
}

type Who = 'anonymous' | 'officer' | 'admin' | 'system';
function headers(who: Who, method: string): Record<string, string> {
  if (who === 'anonymous') return {};
  const s = w.s[who];
  return { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) };
}

async function call(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: string, extra: Record<string, string> = {}) {
  return cap.server.inject({ method, url, payload: body, headers: { ...headers(who, method), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extra } });
}

/** A 400 (or `status`) problem+json in Chinese; with `field`, the field is named in `errors`. */
function expectRefused(r: { statusCode: number; headers: Record<string, unknown>; body: string }, field?: string | RegExp, status = 400) {
  expect(r.statusCode, r.body).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  const p = JSON.parse(r.body) as { title: string; detail: string; errors?: { field: string; message: string }[] };
  expect(p.title).toMatch(/\p{Script=Han}/u);
  expect(p.detail).toMatch(/\p{Script=Han}/u);
  if (field !== undefined) {
    const fields = (p.errors ?? []).map((e) => e.field);
    if (typeof field === 'string') expect(fields, r.body).toContain(field);
    else expect(fields.some((f) => field.test(f)), r.body).toBe(true);
    for (const e of p.errors ?? []) expect(e.message).toMatch(/\p{Script=Han}/u);
  }
  return p;
}

let before: Record<string, number>;
let logMark = 0;

beforeAll(async () => {
  w = await caseWorld();
  cap = await captureServer(w.app);
  const c = await call('officer', 'POST', '/api/v1/cases', JSON.stringify({ procedureId: 'penalty-general', title: '输入校验案', matter: MATTER, party: PARTY }));
  expect(c.statusCode, c.body).toBe(201);
  caseId = (JSON.parse(c.body) as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await cap?.server.close();
  await w?.app.close();
});

// Every test: nothing written, nothing at error level, no stack trace — a client's mistake is not the server's.
describe(`hostile input on ${engine} (issue 15 §4)`, () => {
  beforeAll(async () => {
    before = await tableCounts();
  });
  beforeEach(() => {
    logMark = cap.lines.length;
  });
  afterEach(async () => {
    expect(await tableCounts(), 'row counts of every table').toEqual(before);
    const lines = cap.lines.slice(logMark);
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg), 'error-level log lines').toEqual([]);
    expect(lines.filter((l) => JSON.stringify(l).includes('    at ')).length, 'log lines with a stack trace').toBe(0);
  });

  it('NUL in a path parameter of a public route is a 400 naming it (GET /api/v1/public/officers/%00)', async () => {
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers/%00'), 'params.certificateNumber');
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers/ZF%00123'), 'params.certificateNumber');
    expectRefused(await call('anonymous', 'GET', '/verify/officer/%00'), 'params.number');
    expectRefused(await call('officer', 'GET', `/api/v1/cases/${caseId}%00`), 'params.id');
  });

  it('NUL in a query, on a portal HTML page as on the API, is a 400 naming it (/officers?q=%00)', async () => {
    expectRefused(await call('anonymous', 'GET', '/officers?q=%00'), 'query.q');
    expectRefused(await call('anonymous', 'GET', '/agencies?q=a%00b'), 'query.q');
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers?q=%00'), 'query.q');
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers?agency=%00'), 'query.agency');
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/agencies?q=%00'), 'query.q');
    expectRefused(await call('officer', 'GET', '/api/v1/cases?q=%00&stage=x'), 'query.q');
    expectRefused(await call('anonymous', 'GET', '/procedures/penalty-general?version=%00'), 'query.version');
    // A repeated parameter arrives as an array: each element is checked.
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers?q=a&q=%00'), 'query.q.1');
  });

  it('near-UUIDs never reach a uuid cast: 404 or 400, never 500 (/agencies/------------------------------------)', async () => {
    const dashes = '-'.repeat(36);
    const page = await call('anonymous', 'GET', `/agencies/${dashes}`);
    expect(page.statusCode).toBe(404);
    expect(String(page.headers['content-type'])).toContain('application/problem+json');
    const list = await call('anonymous', 'GET', `/api/v1/public/officers?agency=${dashes}`);
    expect(list.statusCode, list.body).toBe(200);
    expect((JSON.parse(list.body) as { total: number }).total).toBe(0);
    for (const near of [dashes, '00000000-0000-0000-0000-00000000000g', `${caseId}0`, caseId.replace(/-/g, '')]) {
      expectRefused(await call('officer', 'GET', `/api/v1/cases/${near}`), 'params.id');
      expectRefused(await call('admin', 'GET', `/api/v1/officers?agencyId=${near}`), 'query.agencyId');
      expectRefused(await call('officer', 'POST', `/api/v1/cases/${caseId}/records`, JSON.stringify({ kind: 'photo', step: 'intake', title: 't', blobSha256: 'a'.repeat(64), officerIds: [near] })), 'officerIds.0');
    }
  });

  it('NUL in the login username is a 400 naming it, before any lookup (POST /api/v1/auth/login)', async () => {
    const p = expectRefused(await call('anonymous', 'POST', '/api/v1/auth/login', '{"username":"scjg_officer\\u0000","password":"x"}'), 'username');
    expect(p.errors![0]!.message).toContain('U+0000');
    expectRefused(await call('anonymous', 'POST', '/api/v1/auth/login', '{"username":"\\u0000","password":"\\u0000"}'), 'password');
  });

  it('NUL in any JSON string or key, at any depth, is a 400 naming the field (jsonb document fields)', async () => {
    const doc = (fields: string) => `{"type":"case_source_record","fields":${fields}}`;
    const url = `/api/v1/cases/${caseId}/documents`;
    expectRefused(await call('officer', 'POST', url, doc('{"source":"a\\u0000"}')), 'fields.source');
    expectRefused(await call('officer', 'POST', url, doc('{"a\\u0000b":"x"}')), 'fields.a\\u0000b');
    expectRefused(await call('officer', 'POST', url, doc('{"x":{"y":[1,{"z\\u0000":2}]}}')), 'fields.x.y.1.z\\u0000');
    expectRefused(await call('officer', 'POST', url, doc('{"x":[[["\\u0000"]]]}')), 'fields.x.0.0.0');
    expectRefused(await call('officer', 'PUT', `/api/v1/cases/${caseId}/profile`, '{"facts":{"note\\u0000":"x"}}'), /^facts\./);
    // Prototype keys are refused too: a body never sets what an object inherits.
    expectRefused(await call('officer', 'POST', url, doc('{"__proto__":{"admin":true}}')), 'fields.__proto__');
  });

  it('unpaired surrogates in strings and keys, in the body and the URL, are a 400 naming the field', async () => {
    const url = `/api/v1/cases/${caseId}/documents`;
    expectRefused(await call('officer', 'POST', url, '{"type":"case_source_record","fields":{"source":"\\ud800"}}'), 'fields.source');
    expectRefused(await call('officer', 'POST', url, '{"type":"case_source_record","fields":{"source":"x\\udfffy"}}'), 'fields.source');
    expectRefused(await call('officer', 'POST', url, '{"type":"case_source_record","fields":{"\\udc00":"x"}}'), 'fields.\\udc00');
    expectRefused(await call('admin', 'POST', '/api/v1/tokens', '{"name":"\\ud83d","scopes":["cases:read"]}'), 'name');
    // A well-formed pair is text like any other.
    const ok = await call('anonymous', 'GET', `/api/v1/public/officers?q=${encodeURIComponent('😀')}`);
    expect(ok.statusCode).toBe(200);
    // In a URL a lone surrogate can only be sent as CESU-8 bytes, which are not UTF-8.
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers?q=%ED%A0%80'), 'query');
    expectRefused(await call('anonymous', 'GET', '/api/v1/public/officers/%ED%A0%80'));
    expectRefused(await call('anonymous', 'GET', '/officers?q=%C0%AE'), 'query');
  });

  it('huge and odd numbers are a 400, never a 500 (1e400, 2^64, -0, page=99999999999)', async () => {
    for (const n of ['1e400', '18446744073709551616', '-0', '99999999999', 'NaN', 'Infinity', '1.5']) {
      expectRefused(await call('anonymous', 'GET', `/api/v1/public/officers?page=${n}`), 'query.page');
    }
    expectRefused(await call('anonymous', 'GET', '/api/v1/ledger/proof/inclusion?index=1e400&size=1'), 'query.index');
    expectRefused(await call('anonymous', 'GET', '/api/v1/ledger/proof/consistency?from=0&to=18446744073709551616'), 'query.to');
    const officer = w.officers[0]!.id;
    for (const n of ['1e400', '18446744073709551616', '-0', '1e308']) {
      expectRefused(await call('admin', 'POST', `/api/v1/officers/${officer}/training`, `{"title":"培训","heldOn":"2026-10-01","hours":${n}}`), 'hours');
    }
    expectRefused(await call('officer', 'PUT', `/api/v1/cases/${caseId}/profile`, '{"amountInvolved":1e400}'), 'amountInvolved');
  });

  it('deep JSON is a 400 and a body over the limit a 413, both problem+json', async () => {
    const url = `/api/v1/cases/${caseId}/documents`;
    const p = expectRefused(await call('officer', 'POST', url, `{"type":"case_source_record","fields":{"x":${'['.repeat(100)}${']'.repeat(100)}}}`), /^fields\.x(\.0)+$/);
    expect(p.errors![0]!.message).toContain('64');
    // Deeper than any recursive walk could follow: refused at the limit, not by a stack overflow.
    expectRefused(await call('anonymous', 'POST', '/api/v1/auth/login', '['.repeat(500_000) + ']'.repeat(500_000)));
    expectRefused(await call('anonymous', 'POST', '/api/v1/auth/login', JSON.stringify({ username: 'x'.repeat(1 << 20), password: 'x' })), undefined, 413);
  });

  it('a URL longer than 8 KiB is a 414 problem+json', async () => {
    expectRefused(await call('anonymous', 'GET', `/api/v1/public/officers?q=${'x'.repeat(9000)}`), undefined, 414);
    expectRefused(await call('anonymous', 'GET', `/officers/${'x'.repeat(9000)}`), undefined, 414);
  });

  it('NUL in a header the platform reads is a 400 naming it', async () => {
    // Node's parser refuses NUL on the wire (next test); inject skips the parser, so the rule holds on its own.
    expectRefused(await call('anonymous', 'GET', '/api/v1/auth/session', undefined, { 'x-csrf-token': 'a\u0000b' }), 'headers.x-csrf-token');
  });

  it("requests Node's HTTP parser refuses answer problem+json too (414, 431, 400)", async () => {
    const address = await cap.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = cap.server.server.address() as AddressInfo;
    expect(address).toContain('127.0.0.1');
    const raw = (text: string) =>
      new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => s.end(text));
        let data = '';
        s.on('data', (d) => (data += d.toString('utf8')));
        s.on('error', reject);
        s.on('close', () => {
          const [head, body = ''] = data.split('\r\n\r\n');
          resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head ?? '')?.[1]), contentType: /content-type: ([^\r\n]+)/i.exec(head ?? '')?.[1] ?? '', body });
        });
      });
    const cases: [string, string, number][] = [
      ['URI longer than the parser allows', `GET /api/v1/public/officers?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
      ['headers larger than the parser allows', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
      ['NUL in a header value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-CSRF-Token: a\u0000b\r\n\r\n', 400],
      ['not HTTP at all', 'HELLO\r\n\r\n', 400],
      ['a bad header line', 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n', 400],
    ];
    for (const [what, text, status] of cases) {
      const r = await raw(text);
      expect(r.status, what).toBe(status);
      expect(r.contentType, what).toContain('application/problem+json');
      expect((JSON.parse(r.body) as { title: string }).title, what).toMatch(/\p{Script=Han}/u);
    }
  });

  it('NUL in a cell of an imported file is refused with its line and column, nothing imported', async () => {
    const code = (await w.app.ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM agencies WHERE id = $1`, [w.ids.get('city_scjg')])).rows[0]!.credit_code;
    const header = '姓名,性别,身份证号,执法证号,所属机关统一社会信用代码,发证类型,备案号,执法类别,执法区域,有效期起,有效期止,资格取得方式,考试合格日期';
    const csv = Buffer.from(`${header}\n导入甲,男,,IMP0000001,${code},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01\n导入\u0000乙,女,,IMP0000002,${code},省级人民政府,,市场监管\u0000,演示市,2025-01-01,2030-12-31,法律职业资格免考,\n`);
    const boundary = 'drillboundary';
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="officers.csv"\r\nContent-Type: text/csv\r\n\r\n`), csv, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const r = await cap.server.inject({ method: 'POST', url: '/api/v1/imports/officers', payload, headers: { ...headers('admin', 'POST'), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const p = expectRefused(r, '第3行 姓名', 422);
    expect(p.errors!.map((e) => e.field)).toContain('第3行 执法类别');
  });

  it('client errors are logged at info without a stack; the server stays healthy', async () => {
    const mark = cap.lines.length;
    await call('anonymous', 'GET', '/api/v1/public/officers/%00');
    const refused = cap.lines.slice(mark).filter((l) => l.msg === '请求被拒绝');
    expect(refused.length).toBe(1);
    expect(refused[0]!.level).toBe(30);
    expect(refused[0]).toMatchObject({ problem: 'validation', status: 400, fields: ['params.certificateNumber'] });
    expect((await cap.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
