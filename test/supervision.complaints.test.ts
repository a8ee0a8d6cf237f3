// R-S03: complaints about enforcement. Filed anonymously or with a real name on the portal (JSON API and
// the no-JavaScript form), routed to the supervising bureau or the officer's agency, accepted within
// 5 working days, closed within 30 days extendable once; the public sees status, dates and the reply
// only; the complainant's identity only the bureau reads; the 西湖区 supervisor sees no other district's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
const pub = (method: 'GET' | 'POST', url: string, payload?: object, ip = '203.0.113.7') => w.app.server.inject({ method, url, payload, remoteAddress: ip });
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0b1f90000000049454e44ae426082', 'hex');
let cityTracking: string;
let cityId: string;
let xhId: string;
let conductId: string;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

describe('public complaints (R-S03)', () => {
  it('an anonymous complaint answers exactly trackingNumber, status and acceptBy (5 working days)', async () => {
    const r = await pub('POST', '/api/v1/public/complaints', { subjectKind: 'agency_act', agencyId: w.ids.get('xh_zhzf'), summary: '占道经营处罚未出示证件', content: '执法人员现场未出示执法证即扣押三轮车。', realName: false });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual(['acceptBy', 'status', 'trackingNumber']);
    expect(body.status).toBe('submitted');
    expect(body.trackingNumber).toMatch(/^TS20261125[0-9A-Z]{8}$/);
    expect(body.acceptBy).toBe('2026-12-02'); // Wed 11-25 + 5 working days
    const row = (await w.app.ctx.db.query<{ id: string; bureau_id: string; handler_id: string }>(`SELECT id, bureau_id, handler_id FROM complaints WHERE tracking_number = $1`, [body.trackingNumber])).rows[0]!;
    expect(row.bureau_id).toBe(w.ids.get('xh_sfj'));
    expect(row.handler_id).toBe(w.ids.get('xh_sfj'));
    xhId = row.id;
  });

  it('a real-name complaint with evidence: the file is claimed for the bureau; routing by level and subject', async () => {
    const r = await pub('POST', '/api/v1/public/complaints', {
      subjectKind: 'agency_act', agencyId: w.ids.get('city_scjg'), summary: '罚款明显过重', content: '同类违法其他商户罚款两千元，本店被罚五万元。', realName: true, name: '王某某', phone: '13800000000',
      evidence: [{ filename: '现场.png', mediaType: 'image/png', contentBase64: PNG.toString('base64') }],
    });
    expect(r.statusCode, r.body).toBe(201);
    cityTracking = r.json().trackingNumber;
    const row = (await w.app.ctx.db.query<{ id: string; bureau_id: string; evidence: string[] }>(`SELECT id, bureau_id, evidence FROM complaints WHERE tracking_number = $1`, [cityTracking])).rows[0]!;
    cityId = row.id;
    expect(row.bureau_id).toBe(w.ids.get('city_sfj'));
    const att = await w.app.ctx.db.query<{ agency_id: string; purpose: string }>(`SELECT agency_id, purpose FROM blob_attachments WHERE sha256 = $1`, [row.evidence[0]]);
    expect(att.rows).toEqual([{ agency_id: w.ids.get('city_sfj'), purpose: 'complaint' }]);
    // An officer's conduct goes to the officer's agency, watched by the bureau.
    const c = await pub('POST', '/api/v1/public/complaints', { subjectKind: 'officer_conduct', agencyId: w.ids.get('city_scjg'), officerName: '张某', summary: '执法态度粗暴', content: '检查时辱骂店员。', realName: true, name: '赵某', phone: '13900000000' });
    const row2 = (await w.app.ctx.db.query<{ id: string; bureau_id: string; handler_id: string }>(`SELECT id, bureau_id, handler_id FROM complaints WHERE tracking_number = $1`, [c.json().trackingNumber])).rows[0]!;
    expect(row2).toMatchObject({ bureau_id: w.ids.get('city_sfj'), handler_id: w.ids.get('city_scjg') });
    conductId = row2.id;
  });

  it('refuses a real-name complaint without a name, an unknown agency, forged evidence', async () => {
    expect((await pub('POST', '/api/v1/public/complaints', { subjectKind: 'agency_act', agencyId: w.ids.get('city_scjg'), summary: 'x', content: 'y', realName: true })).statusCode).toBe(400);
    expect((await pub('POST', '/api/v1/public/complaints', { subjectKind: 'agency_act', agencyId: '3f1e4b8e-1111-4111-8111-111111111111', summary: 'x', content: 'y', realName: false })).statusCode).toBe(400);
    expect((await pub('POST', '/api/v1/public/complaints', { subjectKind: 'agency_act', agencyId: w.ids.get('city_scjg'), summary: 'x', content: 'y', realName: false, evidence: [{ filename: 'a.exe', mediaType: 'application/x-msdownload', contentBase64: 'AAAA' }] })).statusCode).toBe(415);
  });

  it('the public page shows status and dates only: no name, no content', async () => {
    const r = await pub('GET', `/api/v1/public/complaints/${cityTracking}`);
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json()).sort()).toEqual(['acceptBy', 'acceptedOn', 'closeBy', 'closedOn', 'receivedOn', 'reply', 'status', 'statusLabel', 'trackingNumber']);
    expect(r.body).not.toContain('王某某');
    expect(r.body).not.toContain('13800000000');
    expect(r.body).not.toContain('五万元');
    expect((await pub('GET', '/api/v1/public/complaints/TS20261125AAAAAAAA')).statusCode).toBe(404);
    expect((await pub('GET', '/api/v1/public/complaints/not-a-number')).statusCode).toBe(400);
  });
});

describe('handling (R-S03)', () => {
  it('the 西湖区 supervisor sees no other district’s complaint; the city supervisor sees both', async () => {
    const xh = (await w.api.countySupervisor('GET', '/api/v1/supervision/complaints?limit=200')).json();
    expect(xh.items.map((i: { id: string }) => i.id)).toContain(xhId);
    expect(xh.items.every((i: { subjectAgency: { id: string } }) => [w.ids.get('xh_zhzf'), w.ids.get('xh_scjg'), w.ids.get('xh_jd')].includes(i.subjectAgency.id))).toBe(true);
    expect((await w.api.countySupervisor('GET', `/api/v1/supervision/complaints/${cityId}`)).statusCode).toBe(404);
    const city = (await w.api.citySupervisor('GET', '/api/v1/supervision/complaints?limit=200')).json();
    expect(city.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([xhId, cityId]));
  });

  it('the identity of a real-name complainant is the bureau’s only', async () => {
    const sup = (await w.api.citySupervisor('GET', `/api/v1/supervision/complaints/${conductId}`)).json();
    expect(sup.complainant).toEqual({ name: '赵某', phone: '13900000000' });
    const head = await w.api.head('GET', `/api/v1/supervision/complaints/${conductId}`);
    expect(head.statusCode).toBe(200);
    expect(head.json().complainant).toEqual({ name: '（保密）', phone: null });
    expect(head.body).not.toContain('13900000000');
    // The agency complained about as such does not handle (or read) the complaint.
    expect((await w.api.head('GET', `/api/v1/supervision/complaints/${cityId}`)).statusCode).toBe(404);
  });

  it('accept, extend once, close with a reply the public then reads', async () => {
    expect((await w.api.head('POST', `/api/v1/supervision/complaints/${cityId}/decision`, { action: 'accept' })).statusCode).toBe(404);
    const acc = await w.api.citySupervisor('POST', `/api/v1/supervision/complaints/${cityId}/decision`, { action: 'accept' });
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', acceptedOn: '2026-11-25', closeBy: '2026-12-25' });
    const ext = await w.api.citySupervisor('POST', `/api/v1/supervision/complaints/${cityId}/extension`, { reason: '需调取执法记录仪录像' });
    expect(ext.statusCode, ext.body).toBe(200);
    expect(ext.json().closeBy > '2027-01-23').toBe(true);
    expect((await w.api.citySupervisor('POST', `/api/v1/supervision/complaints/${cityId}/extension`, { reason: '再延' })).statusCode).toBe(409);
    const closed = await w.api.citySupervisor('POST', `/api/v1/supervision/complaints/${cityId}/close`, { reply: '经核查，处罚幅度符合裁量基准，已向您书面说明。' });
    expect(closed.statusCode, closed.body).toBe(200);
    const t = (await pub('GET', `/api/v1/public/complaints/${cityTracking}`)).json();
    expect(t).toMatchObject({ status: 'closed', closedOn: '2026-11-25', reply: '经核查，处罚幅度符合裁量基准，已向您书面说明。' });
  });

  it('not accepted needs a reason; the officer’s agency head handles a conduct complaint', async () => {
    expect((await w.api.countySupervisor('POST', `/api/v1/supervision/complaints/${xhId}/decision`, { action: 'reject' })).statusCode).toBe(400);
    const g = await w.api.countySupervisor('POST', `/api/v1/supervision/complaints/${xhId}/decision`, { action: 'guide', reason: '该扣押行为可依法申请行政复议或提起行政诉讼。' });
    expect(g.json().status).toBe('guided');
    expect((await w.api.officer('POST', `/api/v1/supervision/complaints/${conductId}/decision`, { action: 'accept' })).statusCode).toBe(403);
    expect((await w.api.head('POST', `/api/v1/supervision/complaints/${conductId}/decision`, { action: 'accept' })).statusCode).toBe(200);
  });

  it('staff enter phone and hotline complaints; an officer may not', async () => {
    const r = await w.api.countySupervisor('POST', '/api/v1/supervision/complaints', { channel: 'hotline', hotlineTicket: '12345-20261125-0088', subjectKind: 'agency_act', agencyId: w.ids.get('xh_zhzf'), summary: '重复检查', content: '一周内被检查三次。', realName: false });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ channel: 'hotline', status: 'submitted' });
    expect((await w.api.countySupervisor('POST', '/api/v1/supervision/complaints', { channel: 'phone', subjectKind: 'agency_act', agencyId: w.ids.get('city_scjg'), summary: 'x', content: 'y', realName: false })).statusCode).toBe(400);
    expect((await w.api.officer('POST', '/api/v1/supervision/complaints', { channel: 'phone', subjectKind: 'agency_act', agencyId: w.ids.get('city_scjg'), summary: 'x', content: 'y', realName: false })).statusCode).toBe(403);
  });
});

describe('portal pages and throttle', () => {
  it('files through the HTML form and follows by tracking number', async () => {
    const form = await pub('GET', '/complaints');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<form method="post" action="/complaints"');
    const body = new URLSearchParams({ agencyId: w.ids.get('xh_zhzf')!, subjectKind: 'agency_act', summary: '罚没款未开票据', content: '当场收缴罚款未出具票据。', realName: '' }).toString();
    const r = await w.app.server.inject({ method: 'POST', url: '/complaints', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '203.0.113.9' });
    expect(r.statusCode, r.body).toBe(200);
    const n = /id="tracking">(TS\d{8}[0-9A-Z]{8})</.exec(r.body)![1]!;
    const page = await pub('GET', `/complaints/track?n=${n}`);
    expect(page.body).toContain('已提交，待受理');
    const bad = await w.app.server.inject({ method: 'POST', url: '/complaints', payload: 'summary=&content=', headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '203.0.113.9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请修改后再提交');
  });

  it('throttles filings per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await pub('POST', '/api/v1/public/complaints', { subjectKind: 'agency_act', agencyId: w.ids.get('xh_zhzf'), summary: `第${i}次`, content: '测试限流', realName: false }, '198.51.100.1')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});
