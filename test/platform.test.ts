import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { engine } from './helpers/db.ts';
import { recordChange } from '../src/platform/changes.ts';
import { MAX_JSON_DEPTH, isUuid, unsafeTextErrors } from '../src/platform/validation.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe(`platform on ${engine}`, () => {
  it('answers /healthz', async () => {
    const r = await app.server.inject({ method: 'GET', url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
  });

  it('publishes OpenAPI 3.1 generated from the request schemas', async () => {
    const doc = (await app.server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/officers'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('certificateNumber');
    expect(doc.paths['/api/v1/officers/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('answers unknown paths with problem+json in Chinese', async () => {
    const r = await app.server.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ type: 'urn:sanxiang:problem:not_found', title: '未找到', status: 404 });
  });

  it('refuses wrong content types and malformed JSON', async () => {
    const xml = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '<login/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().title).toBe('不支持的内容类型');
    const bad = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('JSON');
  });

  it('refuses UPDATE and DELETE on append-only tables (R-R05)', async () => {
    await app.ctx.db.query(`INSERT INTO audit_log (action, outcome) VALUES ('test', 'success')`);
    await expect(app.ctx.db.query(`UPDATE audit_log SET action = 'changed'`)).rejects.toThrow(/只允许追加/);
    await expect(app.ctx.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/只允许追加/);
    await app.ctx.db.transaction((tx) => recordChange(tx, { kind: 'test.created', agencyId: null, subjectType: 'test', subjectId: '1', actorId: null, data: { a: 1 } }));
    await expect(app.ctx.db.query(`UPDATE events SET data = '{}'`)).rejects.toThrow(/只允许追加/);
    await expect(app.ctx.db.query(`DELETE FROM events`)).rejects.toThrow(/只允许追加/);
    await expect(app.ctx.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/只允许追加/);
  });

  it('names every text problem by its field: NUL, lone surrogates, bad keys, nesting (issue 15)', () => {
    expect(unsafeTextErrors({ a: 'ok', b: ['😀', '中文'] })).toEqual([]);
    expect(unsafeTextErrors({ a: { b: ['x', 'y\u0000'] } }, 'body')).toEqual([{ field: 'body.a.b.1', message: '不能含有空字符（U+0000）' }]);
    expect(unsafeTextErrors({ s: '\ud83d' }).map((e) => e.field)).toEqual(['s']);
    expect(unsafeTextErrors({ s: '\ude00x' }).map((e) => e.field)).toEqual(['s']);
    expect(unsafeTextErrors({ x: { 'k\u0000': 1 } }).map((e) => e.field)).toEqual(['x.k\\u0000']);
    expect(unsafeTextErrors(JSON.parse('{"__proto__":{"admin":true}}')).map((e) => e.field)).toEqual(['__proto__']);
    expect(unsafeTextErrors('\u0000')).toEqual([{ field: '(根)', message: '不能含有空字符（U+0000）' }]);
    const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
    expect(unsafeTextErrors(nest(MAX_JSON_DEPTH))).toEqual([]);
    expect(unsafeTextErrors(nest(MAX_JSON_DEPTH + 1))).toHaveLength(1);
  });

  it('tells ids from near-ids by the UUID rule', () => {
    expect(isUuid('6f1c2a9e-5b7d-4c3e-9a1f-2b8c7d6e5f4a')).toBe(true);
    for (const near of ['-'.repeat(36), '6f1c2a9e-5b7d-4c3e-9a1f-2b8c7d6e5f4g', '6f1c2a9e5b7d4c3e9a1f2b8c7d6e5f4a', '6f1c2a9e-5b7d-4c3e-9a1f-2b8c7d6e5f4a0']) expect(isUuid(near), near).toBe(false);
  });
});
