// R-P13 correction requests with evidence: the portal form and the public API take one JPG, PNG or PDF
// (at most 5 MB, bytes of the type it claims), refused with a Chinese reason otherwise; the file is
// never readable by its hash, only by the handling agency's staff and the supervisors over it through
// the correction's route; the public tracking answer is what it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { confirmAndPublish, draftFromDecision } from '../src/publicity/service.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';

let w: CaseWorld;
let pubId: string;
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3d1b2b80000000049454e44ae426082', 'hex');

beforeAll(async () => {
  w = await caseWorld();
  const cal = await getCalendar(w.app.ctx.db);
  const head = (await w.app.ctx.db.query<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE username = 'scjg_head'`)).rows[0]!;
  const agencyId = w.ids.get('city_scjg')!;
  const d = await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, {
    agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: '演示市监罚〔2026〕901号', title: '未按规定明码标价案',
    text: '当事人演示某某商贸有限公司未按规定明码标价，罚款二千元。', party: { name: '演示某某商贸有限公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 2000,
    violation: '未按规定明码标价', content: '罚款 2000 元', basis: '《中华人民共和国价格法》第四十二条', actorId: null,
  }));
  await confirmAndPublish(w.app.ctx, null, { kind: 'user', id: head.id, name: head.display_name, role: 'agency_head', agencyId, jurisdiction: null, scopes: [] }, d.id, { redactions: [] });
  pubId = d.id;
  // The decision page shows the ledger check: a checkpoint must exist.
  const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
  await seq.flush(60_000);
  await seq.stop();
});
afterAll(async () => {
  await w?.app.close();
});

/** A multipart body as a browser sends the portal form. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null) {
  const boundary = '----sxboundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) };
}
const FIELDS = { contact: '13900002222', text: '公示的罚款金额有误，实际为一千元，附缴款凭证。' };
const postForm = (fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null) =>
  w.app.server.inject({ method: 'POST', url: `/decisions/${pubId}/corrections`, ...multipart(fields, file) });
const postApi = (evidence: unknown) => w.app.server.inject({ method: 'POST', url: `/api/v1/public/decisions/${pubId}/corrections`, payload: { ...FIELDS, evidence } });

let formTracking: string;
let apiTracking: string;

describe('correction requests with evidence (R-P13)', () => {
  it('the portal form offers a file input and takes a PDF; the API takes a PNG', async () => {
    const page = await w.app.server.inject({ method: 'GET', url: `/decisions/${pubId}` });
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('name="evidence" type="file"');
    const r = await postForm(FIELDS, { name: '缴款凭证.pdf', type: 'application/pdf', bytes: PDF });
    expect(r.statusCode, r.body).toBe(303);
    formTracking = r.headers.location!.split('/').pop()!;
    const api = await postApi({ filename: 'receipt.png', mediaType: 'image/png', contentBase64: PNG.toString('base64') });
    expect(api.statusCode, api.body).toBe(201);
    apiTracking = api.json().trackingNumber;
    const { rows } = await w.app.ctx.db.query<{ tracking_number: string; evidence_sha256: string; evidence_media_type: string; evidence_filename: string }>(
      `SELECT tracking_number, evidence_sha256, evidence_media_type, evidence_filename FROM publication_corrections WHERE tracking_number = ANY($1::text[]) ORDER BY evidence_media_type`, [[formTracking, apiTracking]]);
    expect(rows.map((x) => [x.evidence_media_type, x.evidence_filename])).toEqual([['application/pdf', '缴款凭证.pdf'], ['image/png', 'receipt.png']]);
  });

  it('refuses other types, disguised content and files over 5 MB with a Chinese reason; nothing is recorded', async () => {
    const before = (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM publication_corrections`)).rows[0]!.n;
    const html = await postApi({ filename: 'a.html', mediaType: 'text/html', contentBase64: Buffer.from('<script>alert(1)</script>').toString('base64') });
    expect(html.statusCode).toBe(415);
    expect(html.json().detail).toBe('证据文件只接受 JPG、PNG 图片或 PDF 文件。');
    const disguised = await postApi({ filename: 'a.png', mediaType: 'image/png', contentBase64: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') });
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().detail).toContain('不是 PNG 格式');
    const big = await postForm(FIELDS, { name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]) });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain('不得超过 5 MB');
    expect((await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM publication_corrections`)).rows[0]!.n).toBe(before);
    // An empty file input is no evidence, not an error.
    const none = await postForm(FIELDS, { name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) });
    expect(none.statusCode, none.body).toBe(303);
  });

  it('only the handling agency and its supervisor fetch the file, through the correction; never by hash', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string; evidence_sha256: string }>(`SELECT id, evidence_sha256 FROM publication_corrections WHERE tracking_number = $1`, [formTracking]);
    const { id, evidence_sha256: sha } = rows[0]!;
    const url = `/api/v1/publication-corrections/${id}/evidence`;
    for (const who of ['officer', 'head', 'citySupervisor'] as const) {
      const r = await w.api[who]('GET', url);
      expect(r.statusCode, who).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.rawPayload.equals(PDF), who).toBe(true);
    }
    for (const who of ['otherOfficer', 'countySupervisor'] as const) expect((await w.api[who]('GET', url)).statusCode, who).toBe(404);
    expect((await w.api.system('GET', url)).statusCode).toBe(403);
    expect((await w.app.server.inject({ method: 'GET', url })).statusCode).toBe(401);
    // By hash: nobody, not even the agency.
    for (const who of ['officer', 'head', 'citySupervisor'] as const) {
      expect((await w.api[who]('GET', `/api/v1/evidence/${sha}`)).statusCode, who).toBe(404);
      expect((await w.api[who]('GET', `/api/v1/evidence/${sha}/info`)).statusCode, who).toBe(404);
    }
    const audits = await w.app.ctx.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE action = 'publicity.correction_evidence'`);
    expect(audits.rows.filter((a) => a.outcome === 'success')).toHaveLength(3);
    expect(audits.rows.filter((a) => a.outcome === 'denied')).toHaveLength(3);
    // The staff list points at the route; another agency's list does not show the request at all.
    const list = (await w.api.officer('GET', '/api/v1/publication-corrections?status=pending')).json();
    expect(list.items.find((c: { id: string }) => c.id === id).evidence).toEqual({ filename: '缴款凭证.pdf', mediaType: 'application/pdf', size: PDF.length, url });
  });

  it('the public tracking answer is unchanged: status and dates, no file, no contact', async () => {
    const r = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/corrections/${apiTracking}` })).json();
    expect(Object.keys(r).sort()).toEqual(['answer', 'answeredOn', 'dueOn', 'newPublicationId', 'publicationId', 'status', 'submittedOn', 'trackingNumber']);
    const page = await w.app.server.inject({ method: 'GET', url: `/decisions/corrections/${formTracking}` });
    expect(page.body).toContain('办理中');
    expect(page.body).not.toContain('缴款凭证');
  });
});
