// Every registry validation, answered as problem+json naming the bad field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, as, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { completeCreditCode } from '../src/registry/codes.ts';

let app: TestApp;
let ids: Map<string, string>;
let call: ReturnType<typeof as>;

beforeAll(async () => {
  app = await startTestApp();
  ids = await loadDemo(app.ctx);
  call = as(app, await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
});
afterAll(() => app?.close());

const agency = (over: Record<string, unknown> = {}) => ({
  name: '测试市测试局', creditCode: completeCreditCode('11330100MB0T0001'), kind: 'enforcement', level: 'city', regionCode: '330100', legalStatus: 'statutory', fields: ['测试'], ...over,
});

const officer = (over: Record<string, unknown> = {}) => ({
  agencyId: ids.get('city_scjg'), name: '测试员', certificateNumber: 'T3301000001', issuerType: 'province', category: '市场监管', area: '演示市',
  validFrom: '2025-01-01', validTo: '2030-12-31', qualification: 'exam', examPassedOn: '2024-11-01', ...over,
});

const fieldsOf = (r: { json(): { errors?: { field: string }[] } }) => (r.json().errors ?? []).map((e) => e.field);

describe('agencies (R-P02)', () => {
  it('refuses a credit code whose check character is wrong, and says which it should be', async () => {
    const good = agency().creditCode;
    const wrongCheck = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
    const r = await call('POST', '/api/v1/agencies', agency({ creditCode: wrongCheck }));
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r)).toEqual(['creditCode']);
    expect(r.json().errors[0].message).toContain(good[17]);
  });

  it.each([['too short', '91330100'], ['forbidden letter I', '91330100MA2I0000XX'], ['lower-case garbage', 'hello world 123456']])('refuses a malformed credit code (%s)', async (_, code) => {
    const r = await call('POST', '/api/v1/agencies', agency({ creditCode: code }));
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r)).toContain('creditCode');
  });

  it('accepts a valid agency once and refuses the same credit code twice', async () => {
    const first = await call('POST', '/api/v1/agencies', agency());
    expect(first.statusCode).toBe(201);
    expect(first.json().creditCode).toBe(agency().creditCode);
    const again = await call('POST', '/api/v1/agencies', agency({ name: '另一个名字' }));
    expect(again.statusCode).toBe(409);
    expect(fieldsOf(again)).toEqual(['creditCode']);
  });

  it('requires the entrusting agency exactly when the legal status is entrusted', async () => {
    const r = await call('POST', '/api/v1/agencies', agency({ creditCode: completeCreditCode('11330100MB0T0002'), legalStatus: 'entrusted' }));
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r)).toEqual(['entrustingAgencyId']);
  });

  it('names every bad field at once', async () => {
    const r = await call('POST', '/api/v1/agencies', { name: '', creditCode: 'x', kind: 'club', level: 'galaxy', regionCode: '12', legalStatus: 'maybe' });
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r).sort()).toEqual(['creditCode', 'kind', 'legalStatus', 'level', 'name', 'regionCode']);
  });
});

describe('officers (R-P03, R-P08, R-S04)', () => {
  it('refuses a duplicate certificate number', async () => {
    expect((await call('POST', '/api/v1/officers', officer())).statusCode).toBe(201);
    const r = await call('POST', '/api/v1/officers', officer({ name: '另一人' }));
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toContain('执法证号');
    expect(fieldsOf(r)).toEqual(['certificateNumber']);
  });

  it('requires the justice-bureau registration for State Council certificates (R-P08)', async () => {
    const r = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000002', issuerType: 'state_council' }));
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r)).toEqual(['justiceRegistration']);
  });

  it('requires the exam date unless exempt by legal professional qualification (R-S04)', async () => {
    const r = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000003', examPassedOn: null }));
    expect(fieldsOf(r)).toEqual(['examPassedOn']);
    const exempt = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000003', examPassedOn: null, qualification: 'legal_professional' }));
    expect(exempt.statusCode).toBe(201);
  });

  it('refuses impossible dates, reversed validity and bad ID numbers', async () => {
    const r = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000004', validFrom: '2026-02-30', idNumber: '330106199001011235' }));
    expect(r.statusCode).toBe(400);
    expect(fieldsOf(r).sort()).toEqual(['idNumber', 'validFrom']);
    const rev = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000004', validFrom: '2030-01-01', validTo: '2029-01-01' }));
    expect(fieldsOf(rev)).toEqual(['validTo']);
  });

  it('shows an expired certificate as expired, and a revoked one cannot be reinstated', async () => {
    const created = await call('POST', '/api/v1/officers', officer({ certificateNumber: 'T3301000005', validFrom: '2020-01-01', validTo: '2021-01-01' }));
    expect(created.json().effectiveStatus).toBe('expired');
    const id = created.json().id;
    expect((await call('POST', `/api/v1/officers/${id}/status`, { status: 'revoked', reason: '测试' })).json().effectiveStatus).toBe('revoked');
    const back = await call('POST', `/api/v1/officers/${id}/status`, { status: 'valid', reason: '测试' });
    expect(back.statusCode).toBe(409);
  });
});
