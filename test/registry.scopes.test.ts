// Who may and who may not, for every registry route (OpenCRVS's *.scopes.test.ts habit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, as, type TestApp, type Session } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
let ids: Map<string, string>;
let officer: Session; // 市市场监管局 officer
let xhSupervisor: Session; // 西湖区司法局
let scjgAdmin: Session;

beforeAll(async () => {
  app = await startTestApp();
  ids = await loadDemo(app.ctx);
  officer = await login(app, 'scjg_officer', DEMO_PASSWORD);
  xhSupervisor = await login(app, 'xhsfj', DEMO_PASSWORD);
  scjgAdmin = await login(app, 'scjg_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
});
afterAll(() => app?.close());

async function firstOfficerOf(agencyKey: string) {
  const admin = await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
  const r = await as(app, admin)('GET', `/api/v1/officers?agencyId=${ids.get(agencyKey)}&pageSize=1`);
  return r.json().items[0] as { id: string; certificateNumber: string };
}

describe('agency isolation', () => {
  it('an officer of agency A cannot read agency B officers', async () => {
    const other = await firstOfficerOf('city_sthj');
    const r = await as(app, officer)('GET', `/api/v1/officers/${other.id}`);
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const list = await as(app, officer)('GET', `/api/v1/officers?pageSize=200`);
    const agencies = new Set(list.json().items.map((o: { agencyId: string }) => o.agencyId));
    expect([...agencies]).toEqual([ids.get('city_scjg')]);
  });

  it('an officer of agency A cannot change agency B data, nor its own agency registry', async () => {
    const other = await firstOfficerOf('city_sthj');
    expect((await as(app, officer)('POST', `/api/v1/officers/${other.id}/status`, { status: 'revoked', reason: '越权测试' })).statusCode).toBe(404);
    const own = await firstOfficerOf('city_scjg');
    const r = await as(app, officer)('POST', `/api/v1/officers/${own.id}/status`, { status: 'revoked', reason: '越权测试' });
    expect(r.statusCode).toBe(403);
    expect(r.json().title).toBe('无权执行此操作');
  });

  it('an officer does not see ID numbers; the agency administrator does (R-P14)', async () => {
    const own = await firstOfficerOf('city_scjg');
    expect((await as(app, officer)('GET', `/api/v1/officers/${own.id}`)).json()).not.toHaveProperty('idNumber');
    expect((await as(app, scjgAdmin)('GET', `/api/v1/officers/${own.id}`)).json().idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('a county supervisor sees only the agencies of its jurisdiction', async () => {
    const r = await as(app, xhSupervisor)('GET', '/api/v1/agencies?pageSize=200');
    expect(r.statusCode).toBe(200);
    const regions = new Set(r.json().items.map((a: { regionCode: string }) => a.regionCode));
    expect([...regions]).toEqual(['330106']);
    expect((await as(app, xhSupervisor)('GET', `/api/v1/agencies/${ids.get('city_scjg')}`)).statusCode).toBe(404);
    const officers = await as(app, xhSupervisor)('GET', '/api/v1/officers?pageSize=200');
    expect(officers.json().items.length).toBeGreaterThan(0);
    for (const o of officers.json().items) expect(o.agencyName).toMatch(/西湖区/);
  });

  it('a supervisor may manage certificates inside its jurisdiction but not outside', async () => {
    const inside = await firstOfficerOf('xh_scjg');
    const outside = await firstOfficerOf('xs_scjg');
    const ok = await as(app, xhSupervisor)('POST', `/api/v1/officers/${inside.id}/status`, { status: 'suspended', reason: '监督检查发现问题' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().effectiveStatus).toBe('suspended');
    expect((await as(app, xhSupervisor)('POST', `/api/v1/officers/${outside.id}/status`, { status: 'suspended', reason: 'x' })).statusCode).toBe(404);
  });

  it('an agency administrator and a supervisor read the audit log of their own scope only', async () => {
    const own = await as(app, scjgAdmin)('GET', '/api/v1/audit?pageSize=200');
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBeGreaterThan(0);
    for (const i of own.json().items) expect(['scjg_admin', 'scjg_officer', null]).toContain(i.username);
    const sup = await as(app, xhSupervisor)('GET', '/api/v1/audit?pageSize=200');
    expect(sup.statusCode).toBe(200);
    expect(sup.json().items.some((i: { username: string }) => i.username === 'scjg_admin')).toBe(false);
    expect((await as(app, officer)('GET', '/api/v1/audit')).statusCode).toBe(403);
  });

  it('denials are written to the audit log', async () => {
    const admin = await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
    const r = await as(app, admin)('GET', '/api/v1/audit?pageSize=200');
    const denied = r.json().items.filter((i: { outcome: string; action: string }) => i.outcome === 'denied' && i.action === 'registry.officer_status');
    expect(denied.length).toBeGreaterThan(0);
  });
});

describe('public sees only public fields', () => {
  it('public officer search returns the documented shape and no personal data', async () => {
    const r = await app.server.inject({ method: 'GET', url: '/api/v1/public/officers?pageSize=5' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.total).toBeGreaterThan(50);
    for (const o of body.items) {
      expect(Object.keys(o).sort()).toEqual(['agency', 'area', 'category', 'certificateNumber', 'name', 'status', 'statusLabel', 'validFrom', 'validTo']);
    }
    expect(r.body).not.toMatch(/idNumber|id_number|gender/);
  });

  it('anonymous requests to the back-office API are refused', async () => {
    const r = await app.server.inject({ method: 'GET', url: '/api/v1/officers' });
    expect(r.statusCode).toBe(401);
    expect(r.json().type).toBe('urn:sanxiang:problem:unauthenticated');
  });
});

describe('API tokens', () => {
  it('a token reads its own agency with registry:read, cannot write, and stops working when revoked', async () => {
    const created = await as(app, scjgAdmin)('POST', '/api/v1/tokens', { name: '信用平台对接', scopes: ['registry:read'] });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const auth = { authorization: `Bearer ${token}` };
    const list = await app.server.inject({ method: 'GET', url: '/api/v1/officers?pageSize=100', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(new Set(list.json().items.map((o: { agencyId: string }) => o.agencyId))).toEqual(new Set([ids.get('city_scjg')]));
    const write = await app.server.inject({ method: 'POST', url: '/api/v1/officers/' + list.json().items[0].id + '/status', headers: auth, payload: { status: 'revoked', reason: 'x' } });
    expect(write.statusCode).toBe(403);
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/dashboard', headers: auth })).statusCode).toBe(403);
    expect((await as(app, scjgAdmin)('POST', `/api/v1/tokens/${id}/revoke`)).statusCode).toBe(200);
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/officers', headers: auth })).statusCode).toBe(401);
  });

  it('an officer cannot create tokens', async () => {
    expect((await as(app, officer)('POST', '/api/v1/tokens', { name: 'x', scopes: ['registry:read'] })).statusCode).toBe(403);
  });
});
