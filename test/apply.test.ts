// 网上受理 (R-P07, R-I04), issue 10: an application made online from a published guide becomes a
// licensing case in its acceptance stage with its clock running; identity check digits, upload refusals
// in Chinese, the tracking number needs the phone's last four digits and shows nothing internal, the
// public forms are throttled, and another agency's officer cannot see the case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { loadMattersDemo } from '../src/registry/matters-demo.ts';
import { loadGuidesDemo } from '../src/guides/demo.ts';

let w: CaseWorld;
let guideId: string;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const who = { applicantType: 'organisation', name: '演示网上申请餐饮有限公司', idNumber: '91330106MA2H3K7Q4Q', phone: '13800001234', address: '演示市西湖区文三路 1 号', legalRepresentative: '赵某某' };
const material = (over: Record<string, unknown> = {}) => ({ name: '食品经营许可申请书', filename: '申请书.pdf', mediaType: 'application/pdf', contentBase64: PDF.toString('base64'), ...over });
// Each request from its own address, so the throttle test alone meets the throttle.
let ip = 10;
const post = (body: unknown, remoteAddress = `10.0.0.${ip++}`) => w.app.server.inject({ method: 'POST', url: '/api/v1/public/applications', payload: body as object, remoteAddress });
const get = (url: string, remoteAddress = `10.0.1.${ip++}`) => w.app.server.inject({ method: 'GET', url, remoteAddress });

function multipart(fields: Record<string, string>, files: { field: string; filename: string; type: string; bytes: Buffer }[]) {
  const boundary = '----applytest';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  // A small public upload limit, read when the routes register (the evidence store's own stays 4 GiB).
  process.env.APPLY_MAX_BYTES = String(64 * 1024);
  w = await caseWorld();
  await loadMattersDemo(w.app.ctx);
  await loadGuidesDemo(w.app.ctx, w.ids.get('city_scjg')!);
  const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM service_guides WHERE status = 'published' AND agency_id = $1 LIMIT 1`, [w.ids.get('city_scjg')]);
  guideId = rows[0]!.id;
}, 300_000);
afterAll(async () => {
  delete process.env.APPLY_MAX_BYTES;
  await w?.app.close();
});

describe('online application (R-P07, R-I04)', () => {
  let tracking: string;
  it('becomes a licensing case of the guide’s agency in its acceptance stage with the 受理审查期限 running', async () => {
    const r = await post({ guideId, ...who, materials: [material()] });
    expect(r.statusCode, r.body).toBe(201);
    tracking = r.json().trackingNumber;
    expect(tracking).toMatch(/^SQ\d{8}[0-9A-Z]{8}$/);
    const { rows } = await w.app.ctx.db.query<{ case_id: string; materials: { sha256: string }[] }>(`SELECT case_id, materials FROM online_applications WHERE tracking_number = $1`, [tracking]);
    const c = (await w.api.officer('GET', `/api/v1/cases/${rows[0]!.case_id}`)).json();
    expect(c.procedureId ?? c.procedure?.id).toBe('licensing');
    expect(c.stage).toBe('intake');
    expect(c.clocks.find((k: { key: string }) => k.key === 'acceptance_limit')).toMatchObject({ status: 'running' });
    // The material is in the evidence store, attached to the agency: never readable by its hash.
    const att = await w.app.ctx.db.query(`SELECT 1 FROM blob_attachments WHERE sha256 = $1 AND agency_id = $2`, [rows[0]!.materials[0]!.sha256, w.ids.get('city_scjg')]);
    expect(att.rows).toHaveLength(1);
    // Another agency's officer does not see the case at all.
    expect((await w.api.otherOfficer('GET', `/api/v1/cases/${rows[0]!.case_id}`)).statusCode).toBe(404);
  });

  it('progress needs the phone’s last four digits and shows stage and dates, nothing internal', async () => {
    expect((await get(`/api/v1/public/applications/${tracking}`)).statusCode).toBe(400);
    const wrong = await get(`/api/v1/public/applications/${tracking}?phoneLast4=0000`);
    const unknown = await get(`/api/v1/public/applications/SQ20260101AAAAAAAA?phoneLast4=1234`);
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const ok = await get(`/api/v1/public/applications/${tracking}?phoneLast4=1234`);
    expect(ok.statusCode, ok.body).toBe(200);
    const t = ok.json();
    expect(t).toMatchObject({ trackingNumber: tracking, stage: 'intake', stageLabel: '受理', statusLabel: '办理中' });
    expect(t.dueBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(t).sort()).toEqual(['agency', 'dueBy', 'history', 'matter', 'stage', 'stageLabel', 'status', 'statusLabel', 'submittedOn', 'trackingNumber']);
    // No officer, no case number, no party identity, no hash in the answer.
    expect(ok.body).not.toMatch(/网上受理|91330106|13800001234|sha256|案/);
    const page = await get(`/applications/track?n=${tracking}&p=1234`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('受理');
    expect((await get(`/applications/track?n=${tracking}&p=9999`)).statusCode).toBe(404);
  });

  it('refuses bad identities with the check-digit error, in Chinese, naming the field', async () => {
    const badCode = await post({ guideId, ...who, idNumber: '91330106MA2H3K7Q4A', materials: [material()] });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().errors.map((e: { field: string }) => e.field)).toContain('idNumber');
    expect(badCode.json().detail).toContain('统一社会信用代码校验位（第 18 位）应为 Q');
    const badId = await post({ guideId, ...who, applicantType: 'citizen', name: '张三', idNumber: '110101199003078516', materials: [material()] });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().detail).toMatch(/身份证号码校验位（第 18 位）应为/);
    expect((await post({ guideId, ...who, phone: '12345', materials: [material()] })).statusCode).toBe(400);
    expect((await post({ guideId, ...who, materials: [] })).statusCode).toBe(400);
  });

  it('refuses oversized, empty and disallowed uploads with clear errors, storing nothing', async () => {
    const before = (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM blobs`)).rows[0]!.n;
    const big = await post({ guideId, ...who, materials: [material({ contentBase64: Buffer.alloc(65 * 1024, 1).toString('base64') })] });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/申请书\.pdf.*超过 64 KiB 的上限/);
    const html = await post({ guideId, ...who, materials: [material({ filename: 'x.html', mediaType: 'text/html' })] });
    expect(html.statusCode).toBe(415);
    expect(html.json().detail).toContain('类型（text/html）不被接受');
    const empty = await post({ guideId, ...who, materials: [material({ contentBase64: '' })] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toContain('空文件');
    expect((await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM blobs`)).rows[0]!.n).toBe(before);
  });

  it('the portal form works without JavaScript: a multipart post with a file, and a too-large file gets a Chinese error', async () => {
    const form = await get(`/guides/${guideId}/apply`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    const fields = { applicantType: 'citizen', name: '李四', idNumber: '11010519491231002X', phone: '0571-88887777', address: '演示市西湖区天目山路 2 号' };
    const ok = await w.app.server.inject({ method: 'POST', url: `/guides/${guideId}/apply`, remoteAddress: '10.0.2.1', ...multipart(fields, [{ field: 'm0', filename: 'a.pdf', type: 'application/pdf', bytes: PDF }]) });
    expect(ok.statusCode, ok.body).toBe(201);
    const n = /id="tracking">(SQ\w+)</.exec(ok.body)![1]!;
    expect((await get(`/api/v1/public/applications/${n}?phoneLast4=7777`)).json().stage).toBe('intake');
    const big = await w.app.server.inject({ method: 'POST', url: `/guides/${guideId}/apply`, remoteAddress: '10.0.2.2', ...multipart(fields, [{ field: 'm0', filename: 'a.pdf', type: 'application/pdf', bytes: Buffer.alloc(70 * 1024, 1) }]) });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('有文件超过 64 KiB 的上限');
    expect(big.body).toContain('value="李四"');
  });

  it('is one transaction: a failure after the case insert leaves no case, no step, no attachment, no application', async () => {
    // The last write of the transaction (the application row) is made to fail by a test-only trigger,
    // after the case, its 接收申请 step and the attachments were written in the same transaction.
    const db = w.app.ctx.db;
    await db.exec(`CREATE FUNCTION test_refuse_application() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: refused after the case insert'; END $$;
      CREATE TRIGGER test_refuse_application BEFORE INSERT ON online_applications FOR EACH ROW EXECUTE FUNCTION test_refuse_application();`);
    const bytes = Buffer.from(`%PDF-1.4\n% atomicity ${Date.now()}\n%%EOF\n`);
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const name = '原子性测试餐饮有限公司';
    const count = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
    try {
      const r = await post({ guideId, ...who, name, materials: [material({ contentBase64: bytes.toString('base64') })] });
      expect(r.statusCode, r.body).toBe(500);
    } finally {
      await db.exec(`DROP TRIGGER test_refuse_application ON online_applications; DROP FUNCTION test_refuse_application();`);
    }
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE party_name = $1`, [name])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM case_steps st JOIN cases c ON c.id = st.case_id WHERE c.party_name = $1`, [name])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM online_applications WHERE applicant_name = $1`, [name])).toBe(0);
    // The bytes reached the store (streamed before the transaction) but stay unattached: unreadable by hash (R-R06).
    expect(await count(`SELECT count(*)::int AS n FROM blobs WHERE sha256 = $1`, [sha])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM blob_attachments WHERE sha256 = $1`, [sha])).toBe(0);
    // The same application then goes through whole, attaching the same bytes.
    const ok = await post({ guideId, ...who, name, materials: [material({ contentBase64: bytes.toString('base64') })] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await count(`SELECT count(*)::int AS n FROM cases WHERE party_name = $1`, [name])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM blob_attachments WHERE sha256 = $1`, [sha])).toBe(1);
  });

  it('throttles the public form per address', async () => {
    // Bodies valid at the route (the throttle is in the service) but refused there, so nothing is stored.
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await post({ guideId, ...who, materials: [material({ contentBase64: '' })] }, '10.9.9.8')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 400)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await post({ guideId, ...who, materials: [material()] }, '10.9.9.8')).json().detail).toBe('提交过于频繁，请稍后再试。');
  });
});
