// Issue 15, defect 3: the fields that define jurisdiction (region code, level, kind) are not
// self-service. R-P02: the directory is confirmed by the justice bureau; a supervisor's read scope is the
// region prefix of its bureau (src/platform/jurisdiction.ts), so changing them is a change of who
// oversees whom — only the system administrator, or the bureau above for agencies strictly below it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, type Session } from './helpers/app.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let xhzfAdmin: Session;
let cityCaseId: string;

beforeAll(async () => {
  w = await caseWorld();
  xhzfAdmin = await login(w.app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '辖区测试案', matter: MATTER, party: PARTY })).json();
  cityCaseId = c.id;
  const r = await w.api.officer('POST', `/api/v1/cases/${cityCaseId}/steps`, { step: 'intake', on: '2026-10-08', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['case_source_record'], '2026-10-08', caseInfo(c, w.officers)) });
  expect(r.statusCode, r.body).toBe(201);
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

const agencyRow = async (key: string) =>
  (await w.app.ctx.db.query<{ region_code: string; level: string; kind: string }>(`SELECT region_code, level, kind FROM agencies WHERE id = $1`, [w.ids.get(key)])).rows[0]!;

const deniedPlacements = async (username: string, agencyKey: string) =>
  (await w.app.ctx.db.query<{ detail: { subject: string; fields: string[] } }>(
    `SELECT detail FROM audit_log WHERE action = 'registry.agency_place' AND outcome = 'denied' AND username = $1 AND detail->>'subject' = $2`,
    [username, w.ids.get(agencyKey)],
  )).rows;

const placements = async (agencyKey: string) =>
  (await w.app.ctx.db.query<{ data: { before: Record<string, string>; after: Record<string, string>; fields: string[] } }>(
    `SELECT data FROM events WHERE kind = 'registry.agency_placed' AND subject_id = $1 ORDER BY id`,
    [w.ids.get(agencyKey)],
  )).rows.map((r) => r.data);

const ESCAPES = [{ regionCode: '330106' }, { regionCode: '330000' }, { level: 'province' }, { kind: 'justice_bureau' }];

describe('defect 3: jurisdiction fields are not self-service', () => {
  it('scjg_admin PATCHing its own agency’s regionCode, level or kind gets 403, audited, and nothing changes', async () => {
    const before = await agencyRow('city_scjg');
    for (const patch of ESCAPES) {
      const r = await w.api.admin('PATCH', `/api/v1/agencies/${w.ids.get('city_scjg')}`, patch);
      expectProblem(r, 403);
    }
    expect(await agencyRow('city_scjg')).toEqual(before);
    const audited = await deniedPlacements('scjg_admin', 'city_scjg');
    expect(audited.map((a) => a.detail.fields)).toEqual([['regionCode'], ['regionCode'], ['level'], ['kind']]);
    // The other fields stay the administrator's to keep.
    const phone = await w.api.admin('PATCH', `/api/v1/agencies/${w.ids.get('city_scjg')}`, { phone: '0571-00000009', regionCode: before.region_code });
    expect(phone.statusCode, phone.body).toBe(200);
    // …and a PATCH changes only what it names (the create schema's defaults used to wipe the rest).
    expect(phone.json()).toMatchObject({ phone: '0571-00000009', regionCode: before.region_code, fields: ['市场监管', '食品安全', '知识产权'], address: '演示市民心路 100 号', parentName: '演示市人民政府' });
  });

  it('xhzf_admin (a 西湖区 agency) cannot move its agency to the city or make it a justice bureau', async () => {
    const before = await agencyRow('xh_zhzf');
    for (const patch of [{ regionCode: '330100', level: 'city' }, { kind: 'justice_bureau' }, { regionCode: '330109' }]) {
      expectProblem(await as(w.app, xhzfAdmin)('PATCH', `/api/v1/agencies/${w.ids.get('xh_zhzf')}`, patch), 403);
    }
    expect(await agencyRow('xh_zhzf')).toEqual(before);
    expect(await deniedPlacements('xhzf_admin', 'xh_zhzf')).toHaveLength(3);
  });

  it('xhsfj (西湖区 supervisor) cannot re-scope its own bureau nor widen its jurisdiction through another agency', async () => {
    const own = await agencyRow('xh_sfj');
    for (const patch of [{ regionCode: '330100' }, { regionCode: '330000', level: 'province' }, { level: 'city' }, { kind: 'enforcement' }]) {
      expectProblem(await w.api.countySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_sfj')}`, patch), 403);
    }
    expect(await agencyRow('xh_sfj')).toEqual(own);
    expect(await deniedPlacements('xhsfj', 'xh_sfj')).toHaveLength(4);
    // A peer bureau over the same district, made or registered, would be a second 西湖区 supervisor.
    const zhzf = await agencyRow('xh_zhzf');
    expectProblem(await w.api.countySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_zhzf')}`, { kind: 'justice_bureau' }), 403);
    expectProblem(await w.api.countySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_zhzf')}`, { regionCode: '330100' }), 403);
    expect(await agencyRow('xh_zhzf')).toEqual(zhzf);
    const peer = await w.api.countySupervisor('POST', '/api/v1/agencies', { name: '演示西湖区第二司法局', creditCode: '11330106MB0000999Y', kind: 'justice_bureau', level: 'county', regionCode: '330106', legalStatus: 'statutory' });
    expect(peer.statusCode, peer.body).not.toBe(201);
  });

  it('sfj (city bureau) re-scopes a 西湖区 agency within the city, never its own bureau nor a county bureau up to the city; the change is recorded with before and after', async () => {
    const moved = await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_jd')}`, { regionCode: '330108' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await agencyRow('xh_jd')).toMatchObject({ region_code: '330108' });
    expect(await placements('xh_jd')).toEqual([{ id: w.ids.get('xh_jd'), fields: ['regionCode'], before: { regionCode: '330106', level: 'township', kind: 'enforcement' }, after: { regionCode: '330108', level: 'township', kind: 'enforcement' } }]);

    expectProblem(await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_jd')}`, { regionCode: '330206' }), 403);
    expectProblem(await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_sfj')}`, { regionCode: '330100', level: 'city' }), 403);
    // Its supervisors oversee its region whatever its kind: no detour through 'enforcement'.
    expectProblem(await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_sfj')}`, { regionCode: '330100', kind: 'enforcement' }), 403);
    expectProblem(await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('city_sfj')}`, { regionCode: '330000', level: 'province' }), 403);
    expectProblem(await w.api.citySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('city_scjg')}`, { kind: 'justice_bureau' }), 403);
    expect(await agencyRow('xh_sfj')).toMatchObject({ region_code: '330106', level: 'county', kind: 'justice_bureau' });
    expect(await agencyRow('city_sfj')).toMatchObject({ region_code: '330100', kind: 'justice_bureau' });
  });

  it('the system administrator may change them, recorded with before and after', async () => {
    const r = await w.api.system('PATCH', `/api/v1/agencies/${w.ids.get('yh_sthj')}`, { level: 'city' });
    expect(r.statusCode, r.body).toBe(200);
    expect(await placements('yh_sthj')).toEqual([{ id: w.ids.get('yh_sthj'), fields: ['level'], before: { regionCode: '330110', level: 'county', kind: 'enforcement' }, after: { regionCode: '330110', level: 'city', kind: 'enforcement' } }]);
  });

  it('after a refused change, a 西湖区 supervisor still cannot read a city case', async () => {
    expectProblem(await w.api.countySupervisor('PATCH', `/api/v1/agencies/${w.ids.get('xh_sfj')}`, { regionCode: '330100', level: 'city' }), 403);
    const fresh = as(w.app, await login(w.app, 'xhsfj', DEMO_PASSWORD));
    for (const api of [w.api.countySupervisor, fresh]) {
      expectProblem(await api('GET', `/api/v1/cases/${cityCaseId}`), 404);
      const list = (await api('GET', '/api/v1/cases?pageSize=200')).json();
      expect(list.items.some((c: { id: string }) => c.id === cityCaseId)).toBe(false);
    }
    expect((await w.api.citySupervisor('GET', `/api/v1/cases/${cityCaseId}`)).statusCode).toBe(200);
  });
});
