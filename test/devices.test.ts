// The AV-record list's R-R10 fields and the province's unified list, the device register and hand-over
// to storage (R-R03, R-R04, R-R05, R-R10), through the API as the back office uses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAvRules } from '../src/cases/av-rules.ts';
import { caseInfo, caseWorld, docs, expectProblem, fakeVideo, MATTER, PARTY, upload, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let agencyId: string;
beforeAll(async () => {
  w = await caseWorld();
  agencyId = w.ids.get('city_scjg')!;
}, 300_000);
afterAll(async () => {
  await w.app.close();
});

describe('R-R10: the AV-record list carries every field and adopts the province’s unified list', () => {
  const rules = defaultAvRules();

  it('refuses an entry missing a field the seeds name', async () => {
    const { supervision: _s, ...noSupervision } = rules.inquiry!;
    const r = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: { inquiry: noSupervision } });
    const body = expectProblem(r, 400) as unknown as { errors: { field: string; message: string }[] };
    expect(body.errors.map((e) => e.field)).toContain('rules.inquiry.supervision');
    const { retention, ...rest } = rules.hearing!;
    const r2 = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: { hearing: { ...rest, retention: { period: retention.period, method: retention.method } } } });
    expect((expectProblem(r2, 400) as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(expect.arrayContaining(['rules.hearing.retention.years', 'rules.hearing.retention.handoverHours']));
  });

  it('the province publishes 001’s stricter set; only the provincial level may', async () => {
    expectProblem(await w.api.admin('POST', '/api/v1/av-province-lists', { province: '33', effectiveFrom: '2026-10-01', base: 'strict_001', rules: {} }), 403);
    expectProblem(await w.api.citySupervisor('POST', '/api/v1/av-province-lists', { province: '33', effectiveFrom: '2026-10-01', base: 'strict_001', rules: {} }), 403);
    const r = await w.api.system('POST', '/api/v1/av-province-lists', {
      province: '33', effectiveFrom: '2026-10-01', base: 'strict_001', note: '全省统一音像记录事项清单（从严）',
      rules: { hearing: { ...rules.hearing!, requirement: 'mandatory', fullProcess: true, conductLanguage: ['现在开始听证，听证全过程录音录像。'] } },
    });
    expect(r.statusCode, r.body).toBe(201);
    for (const k of ['on_site_inspection', 'evidence_collection', 'evidence_preservation', 'hearing', 'service']) expect(r.json().body[k]).toMatchObject({ requirement: 'mandatory', fullProcess: true });
    const list = (await w.api.officer('GET', `/api/v1/av-rule-sets?agencyId=${agencyId}`)).json();
    expect(list.province).toMatchObject({ province: '33', version: 1, inForce: true });
    expect(list.presets.strict_001.service.requirement).toBe('mandatory');
  });

  it('refuses an agency list less strict than the province’s, naming what is weaker', async () => {
    // The statutory start has 听证 as needed; the province requires it for the whole process.
    const weak = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: { inquiry: { ...rules.inquiry!, retention: { ...rules.inquiry!.retention, handoverHours: 48 } } } });
    const body = expectProblem(weak, 400) as unknown as { detail: string; errors: { field: string; message: string }[] };
    expect(body.detail).toContain('低于全省统一清单');
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['rules.hearing.requirement', 'rules.hearing.fullProcess', 'rules.inquiry.retention.handoverHours']));
    expect(body.errors.find((e) => e.field === 'rules.hearing.requirement')!.message).toMatch(/^「听证」记录要求为/);
  });

  it('adopts the province’s list with a stricter entry of its own, and shows the conduct language at the step', async () => {
    const ok = await w.api.admin('POST', '/api/v1/av-rule-sets', {
      agencyId, effectiveFrom: '2026-11-01', base: 'province', note: '采用全省统一清单，询问移交时限从严',
      rules: { inquiry: { ...rules.inquiry!, requirement: 'mandatory', fullProcess: true, forms: ['video', 'audio', 'photo'], retention: { ...rules.inquiry!.retention, handoverHours: 12 } } },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().body.hearing.conductLanguage).toEqual(['现在开始听证，听证全过程录音录像。']);
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'inspection', title: '用语指引', matter: MATTER, party: PARTY })).json();
    const task = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, {
      step: 'inspection_task', on: '2026-11-20', officerIds: w.officers.slice(0, 2).map((o) => o.id), facts: { inspectionSource: 'random' },
      documents: docs(['inspection_task'], '2026-11-20', caseInfo(c, w.officers)),
    });
    expect(task.statusCode, task.body).toBe(201);
    const view = (await w.api.officer('GET', `/api/v1/cases/${c.id}`)).json();
    const step = view.available.steps.find((s: { av: unknown }) => s.av);
    expect(step?.av, JSON.stringify(view.available.steps)).toMatchObject({ rule: 'on_site_inspection', requirement: 'mandatory', fullProcess: true });
    expect(step.av.conductLanguage[0]).toContain('这是我们的执法证件');
    expect(step.av.keyPoints.length).toBeGreaterThan(0);
  });
});

describe('R-R10: the device register; R-R05: hand-over to storage', () => {
  let caseId: string;
  let camera: { id: string; serial: string };
  const record = async (deviceId: string, endedAt: string, sha?: string) =>
    w.api.officer('POST', `/api/v1/cases/${caseId}/records`, {
      kind: 'video', step: 'inquiry', title: '询问同步录音录像', description: '询问全过程同步录音录像，画面连续无中断。',
      blobSha256: sha ?? (await upload(w, fakeVideo(), 'video/mp4', 'inquiry.mp4')), deviceId, startedAt: new Date(Date.parse(endedAt) - 30 * 60_000).toISOString(), endedAt,
      place: '询问室', officerIds: w.officers.slice(0, 2).map((o) => o.id), custodian: '证据保管员 周某',
    });

  beforeAll(async () => {
    caseId = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '设备登记簿', matter: MATTER, party: PARTY })).json().id;
  });

  it('the agency registers its devices; an officer may not; another agency’s staff do not see them', async () => {
    expectProblem(await w.api.officer('POST', '/api/v1/devices', { agencyId, kind: 'body_camera', serial: 'DSJ-T-001', name: '执法记录仪', custodian: '周某' }), 403);
    const r = await w.api.admin('POST', '/api/v1/devices', { agencyId, kind: 'body_camera', serial: 'DSJ-T-001', name: '执法记录仪 DSJ-V9', configuration: '1080P，GPS，AES 加密存储', custodian: '装备管理员 周某' });
    expect(r.statusCode, r.body).toBe(201);
    camera = r.json();
    expectProblem(await w.api.head('POST', '/api/v1/devices', { agencyId, kind: 'body_camera', serial: 'DSJ-T-001', name: '重复', custodian: '周某' }), 409);
    expect((await w.api.head('POST', '/api/v1/devices', { agencyId, kind: 'body_camera', serial: 'DSJ-T-002', name: '旧执法记录仪', custodian: '周某' })).statusCode).toBe(201);
    expectProblem(await w.api.otherOfficer('GET', `/api/v1/devices/${camera.id}`), 404);
    const sthj = w.ids.get('city_sthj')!;
    // The environment bureau's device, registered by the system for the test.
    await w.app.ctx.db.query(`INSERT INTO devices (id, agency_id, kind, serial, name, custodian, status) VALUES (gen_random_uuid(), $1, 'body_camera', 'DSJ-HB-001', '生态环境执法记录仪', '王某', 'in_service')`, [sthj]);
    const mine = (await w.api.officer('GET', '/api/v1/devices')).json().items.map((d: { serial: string }) => d.serial);
    expect(mine).toEqual(['DSJ-T-001', 'DSJ-T-002']);
  });

  it('refuses a record naming an unknown, another agency’s or a retired device', async () => {
    const end = new Date(Date.now() - 3600_000).toISOString();
    const unknown = expectProblem(await record('DSJ-NOPE', end), 400, ['device_not_usable']);
    expect(unknown.detail).toContain('设备登记簿中没有设备 DSJ-NOPE');
    expect(expectProblem(await record('DSJ-HB-001', end), 400).detail).toContain('登记在其他执法主体名下');
    const old = (await w.api.officer('GET', '/api/v1/devices')).json().items.find((d: { serial: string }) => d.serial === 'DSJ-T-002');
    expectProblem(await w.api.officer('POST', `/api/v1/devices/${old.id}/status`, { status: 'retired', reason: '损坏' }), 403);
    expect((await w.api.head('POST', `/api/v1/devices/${old.id}/status`, { status: 'retired', reason: '镜头损坏无法修复，报废' })).statusCode).toBe(200);
    expect(expectProblem(await record('DSJ-T-002', end), 400).detail).toContain('已报废停用');
    expectProblem(await w.api.head('POST', `/api/v1/devices/${old.id}/status`, { status: 'in_service', reason: '恢复' }), 409);
  });

  it('a record from a registered body camera shows on the device for the head', async () => {
    const r = await record('DSJ-T-001', new Date(Date.now() - 3600_000).toISOString());
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ deviceId: 'DSJ-T-001', handover: { late: false, limitHours: 12 } });
    const d = (await w.api.head('GET', `/api/v1/devices/${camera.id}`)).json();
    expect(d.records.map((x: { id: string }) => x.id)).toEqual([r.json().id]);
    expect(d.records[0]).toMatchObject({ caseId, kind: 'video', handover: { late: false } });
  });

  it('flags a hand-over later than the AV list’s limit, exactly at the limit is on time (natural hours)', async () => {
    const at = async () => {
      const sha = await upload(w, fakeVideo(), 'video/mp4', 'late.mp4');
      const { rows } = await w.app.ctx.db.query<{ t: Date }>(`SELECT date_trunc('second', min(created_at)) AS t FROM blob_uploads WHERE sha256 = $1`, [sha]);
      return { sha, uploaded: new Date(rows[0]!.t).getTime() };
    };
    // The agency's list: 询问 handed over within 12 hours.
    const onTime = await at();
    const a = await record('DSJ-T-001', new Date(onTime.uploaded - 12 * 3600_000).toISOString(), onTime.sha);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().handover).toMatchObject({ limitHours: 12, late: false, delaySeconds: 12 * 3600 });
    const late = await at();
    const b = await record('DSJ-T-001', new Date(late.uploaded - 12 * 3600_000 - 1000).toISOString(), late.sha);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().handover).toMatchObject({ limitHours: 12, late: true, delaySeconds: 12 * 3600 + 1 });
    const d = (await w.api.head('GET', `/api/v1/devices/${camera.id}`)).json();
    expect(d.records.filter((x: { handover: { late: boolean } }) => x.handover.late)).toHaveLength(1);
  });

  it('R-R05: names custodians of records, ledgers and documents; the latest is in charge', async () => {
    expectProblem(await w.api.officer('POST', '/api/v1/custodians', { agencyId, kind: 'ledgers', name: '张某', since: '2026-01-01' }), 403);
    expect((await w.api.admin('POST', '/api/v1/custodians', { agencyId, kind: 'ledgers', name: '档案员 张某', since: '2026-01-01', storage: '档案室 3 号柜' })).statusCode).toBe(201);
    const r = await w.api.head('POST', '/api/v1/custodians', { agencyId, kind: 'ledgers', name: '档案员 李某', since: '2026-06-01', storage: '档案室 3 号柜' });
    expect(r.statusCode, r.body).toBe(201);
    const ledgers = r.json().current.find((c: { kind: string }) => c.kind === 'ledgers');
    expect(ledgers.custodian.name).toBe('档案员 李某');
    expect(r.json().current.find((c: { kind: string }) => c.kind === 'documents').custodian).toBeNull();
    expect(r.json().history).toHaveLength(2);
    expectProblem(await w.api.otherOfficer('GET', `/api/v1/custodians?agencyId=${agencyId}`), 404);
  });
});
