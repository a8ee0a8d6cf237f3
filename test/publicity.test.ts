// Publicity of decisions (issue 8) through the API, on the demo: drafts made by the case steps' hook
// (R-P11), exclusions, confirmation with added redactions (R-P14), the ledger digest, withdrawal after
// a revoking remedy (R-P12), corrections (R-P13), sync, exports (R-P17), and a scan of every public
// route for ID numbers and phone numbers.
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseDemo } from '../src/cases/demo.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { loadPublicityDemo } from '../src/publicity/demo.ts';
import { LICENCE_FIELDS, PENALTY_FIELDS } from '../src/publicity/public.ts';
import { DEFAULT_RULES } from '../src/publicity/rules.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { draftFromDecision, type DecisionInput } from '../src/publicity/service.ts';
import { idCheckDigit } from '../src/publicity/redact.ts';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
const inject = (url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) => w.app.server.inject({ method, url, ...(payload ? { payload: payload as object } : {}) });

/** Every ID number, phone number and full natural-person name the demo's decision texts hold. */
let secrets: string[] = [];

beforeAll(async () => {
  w = await caseWorld();
  await loadCaseDemo(w.app.ctx, w.ids);
  await loadPublicityDemo(w.app.ctx);
  const { rows } = await w.app.ctx.db.query<{ source_text: string; party_type: string }>(`SELECT source_text, party_type FROM publications`);
  const found = new Set<string>();
  for (const r of rows) {
    for (const m of r.source_text.matchAll(/\d{17}[\dX]|1[3-9]\d{9}|0\d{2,3}-\d{7,8}/g)) found.add(m[0]);
  }
  for (const n of ['王建国', '欧阳晓燕', '陈志强', '李明华']) found.add(n);
  secrets = [...found];
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

describe('drafts from served decisions (R-P11)', () => {
  it('the case steps made a draft or an exclusion for every decision kind, with the rule version', async () => {
    const { rows } = await w.app.ctx.db.query<{ kind: string; status: string; rule_set_version: number; rule_key: string; exclusion: string | null; case_id: string | null }>(
      `SELECT kind, status, rule_set_version, rule_key, exclusion, case_id FROM publications WHERE case_id IS NOT NULL`,
    );
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of ['penalty', 'licensing', 'coercion', 'inspection']) expect(kinds, k).toContain(k);
    expect(rows.every((r) => r.rule_set_version === 0 && r.rule_key !== '')).toBe(true);
    // 简易程序 decisions are excluded with the reason (45号令 第2条).
    const summary = rows.find((r) => r.rule_key === 'penalty.summary');
    expect(summary?.status).toBe('excluded');
    expect(summary?.exclusion).toContain('普通程序');
  });

  it('overdue drafts show for the agency and its supervisor, not for another agency', async () => {
    const own = await w.api.officer('GET', '/api/v1/publications/overview');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().overdue).toBeGreaterThanOrEqual(1);
    const sup = await w.api.citySupervisor('GET', '/api/v1/publications?overdue=true');
    expect(sup.json().items.length).toBeGreaterThanOrEqual(1);
    const other = await w.api.otherOfficer('GET', '/api/v1/publications?overdue=true');
    expect(other.json().items.every((i: { agencyName: string }) => i.agencyName !== '演示市市场监督管理局')).toBe(true);
  });
});

describe('public API contract', () => {
  it('lists with exactly the issue’s keys and follows the cursor', async () => {
    const r = await inject('/api/v1/public/decisions?limit=2');
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(Object.keys(b).sort()).toEqual(['items', 'nextCursor']);
    expect(Object.keys(b.items[0]).sort()).toEqual(['agency', 'decidedOn', 'deadline', 'documentNumber', 'id', 'kind', 'party', 'publishedOn', 'status', 'url'].sort());
    expect(Object.keys(b.items[0].agency).sort()).toEqual(['id', 'name']);
    expect(b.nextCursor).toBeTruthy();
    const next = (await inject(`/api/v1/public/decisions?limit=2&cursor=${b.nextCursor}`)).json();
    expect(next.items[0].id).not.toBe(b.items[0].id);
    expect(next.items.map((i: { id: string }) => i.id)).not.toContain(b.items[1].id);
    expect((await inject('/api/v1/public/decisions?cursor=bad!')).statusCode).toBe(400);
    expect((await inject('/api/v1/public/decisions?kind=nonsense')).statusCode).toBe(400);
  });

  it('detail carries the text and its SHA-256, which the ledger names', async () => {
    const list = (await inject('/api/v1/public/decisions?kind=penalty&limit=50')).json();
    const item = list.items.find((i: { status: string }) => i.status === 'published');
    const d = (await inject(`/api/v1/public/decisions/${item.id}`)).json();
    expect(d.text).toBeTruthy();
    expect(d.contentSha256).toBe(crypto.createHash('sha256').update(d.text, 'utf8').digest('hex'));
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(60_000);
    await seq.stop();
    const found = await inject(`/api/v1/ledger/entries/by-commitment/${d.contentSha256}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().entries[0].decoded).toMatchObject({ domain: 'publicity', content: d.contentSha256 });
    const page = await inject(`/decisions/${item.id}`);
    expect(page.body).toContain(d.contentSha256);
    expect(page.body).toContain('已记入存证账本第');
  });
});

describe('withdrawal after a revoking remedy (R-P12)', () => {
  it('the demo’s revoked decision answers withdrawn with date and reason and no text; its notice is in the ledger', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string; withdrawn_on: string }>(`SELECT id, withdrawn_on FROM publications WHERE status = 'withdrawn' AND withdrawal_reason LIKE '%撤销%' ORDER BY withdrawn_on LIMIT 1`);
    const d = (await inject(`/api/v1/public/decisions/${rows[0]!.id}`)).json();
    expect(d.status).toBe('withdrawn');
    expect(d.text).toBeUndefined();
    expect(d.withdrawnOn).toBe(rows[0]!.withdrawn_on);
    expect(d.withdrawalReason).toContain('撤销');
    const page = await inject(`/decisions/${rows[0]!.id}`);
    expect(page.body).toContain('撤回公告');
    expect(page.body).not.toContain('决定书正文');
    const ev = await w.app.ctx.db.query(`SELECT 1 FROM events WHERE kind = 'publicity.withdrawn' AND subject_id = $1`, [rows[0]!.id]);
    expect(ev.rows.length).toBe(1);
  });

  it('withdraws on the day the outcome is recorded and records whether the 3-day limit was kept', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM publications WHERE status = 'published' AND kind = 'penalty' AND party_type = 'organisation' LIMIT 1`);
    const target = rows[0]!;
    const early = await w.api.officer('POST', `/api/v1/publications/${target.id}/remedies`, { kind: 'litigation', outcome: 'upheld', decidedOn: '2026-11-20', body: '演示市西湖区人民法院' });
    expect(early.statusCode, early.body).toBe(201);
    expect(early.json()).toMatchObject({ withdrawn: false, withdrawBy: null });
    expect((await inject(`/api/v1/public/decisions/${target.id}`)).json().status).toBe('published');
    // An outcome of 2026-11-20 recorded on 2026-11-25 (the test clock): withdrawn now, 2 days late.
    const late = await w.api.head('POST', `/api/v1/publications/${target.id}/remedies`, { kind: 'reconsideration', outcome: 'confirmed_illegal', decidedOn: '2026-11-20', body: '演示市人民政府' });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({ withdrawn: true, withdrawBy: '2026-11-23', late: true });
    const d = (await inject(`/api/v1/public/decisions/${target.id}`)).json();
    expect(d).toMatchObject({ status: 'withdrawn', withdrawnOn: '2026-11-25' });
    // A future outcome date is refused; a second withdrawal is refused.
    expect((await w.api.head('POST', `/api/v1/publications/${target.id}/remedies`, { kind: 'litigation', outcome: 'revoked', decidedOn: '2026-11-26', body: '法院' })).statusCode).toBe(400);
    expect((await w.api.head('POST', `/api/v1/publications/${target.id}/remedies`, { kind: 'litigation', outcome: 'revoked', decidedOn: '2026-11-24', body: '法院' })).statusCode).toBe(409);
  });

  it('a changed decision has two versions, the new one pointing at the old', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string; previous_id: string }>(`SELECT id, previous_id FROM publications WHERE previous_id IS NOT NULL AND status = 'published' LIMIT 1`);
    const d = (await inject(`/api/v1/public/decisions/${rows[0]!.id}`)).json();
    expect(d.version).toBe(2);
    expect(d.previousId).toBe(rows[0]!.previous_id);
    expect(d.text).toContain('罚款人民币30000元');
    expect((await inject(`/api/v1/public/decisions/${rows[0]!.previous_id}`)).json().status).toBe('withdrawn');
    expect((await inject(`/decisions/${rows[0]!.id}`)).body).toContain('第 1 版');
  });
});

describe('incremental sync (R-P17)', () => {
  it('updatedSince pages in order and a withdrawal brings the entry back as withdrawn', async () => {
    const since = '2000-01-01T00:00:00Z';
    const seen = new Map<string, string>();
    let cursor: string | null = null;
    let last = since;
    do {
      const r: { items: { id: string; status: string }[]; nextCursor: string | null } = (await inject(`/api/v1/public/decisions?updatedSince=${since}&limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
      for (const i of r.items) seen.set(i.id, i.status);
      cursor = r.nextCursor;
    } while (cursor);
    const { rows: all } = await w.app.ctx.db.query<{ n: number; t: string }>(`SELECT count(*)::int AS n, to_char(max(updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t FROM publications WHERE status IN ('published', 'withdrawn')`);
    expect(seen.size).toBe(all[0]!.n);
    last = all[0]!.t;
    const empty = (await inject(`/api/v1/public/decisions?updatedSince=${last}`)).json();
    expect(empty.items).toEqual([]);
    const target = [...seen].find(([, s]) => s === 'published')![0];
    const r = await w.api.head('POST', `/api/v1/publications/${target}/remedies`, { kind: 'reconsideration', outcome: 'revoked', decidedOn: '2026-11-24', body: '演示市人民政府' });
    expect(r.statusCode, r.body).toBe(201);
    const after = (await inject(`/api/v1/public/decisions?updatedSince=${last}`)).json();
    expect(after.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[target, 'withdrawn']]);
  });
});

describe('corrections from the public (R-P13)', () => {
  it('files from the portal form, follows with the tracking number, the agency answers with a new version', async () => {
    const list = (await inject('/api/v1/public/decisions?limit=100')).json();
    const target = list.items.find((i: { status: string }) => i.status === 'published');
    const form = await w.app.server.inject({ method: 'POST', url: `/decisions/${target.id}/corrections`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ contact: '13900001111', text: '罚款金额公示有误，请核实更正，附缴款凭证。' }).toString() });
    expect(form.statusCode, form.body).toBe(303);
    const tracking = form.headers.location!.split('/').pop()!;
    const follow = await inject(`/decisions/corrections/${tracking}`);
    expect(follow.body).toContain('办理中');
    expect(follow.body).not.toContain('13900001111');
    const status = (await inject(`/api/v1/public/corrections/${tracking}`)).json();
    expect(status).toMatchObject({ status: 'pending', trackingNumber: tracking });
    expect(JSON.stringify(status)).not.toContain('13900001111');
    const staff = (await w.api.officer('GET', '/api/v1/publication-corrections?status=pending')).json();
    const mine = staff.items.find((c: { trackingNumber: string }) => c.trackingNumber === tracking);
    expect(mine.contact).toBe('13900001111');
    // A supervisor reads the request without the contact.
    const sup = (await w.api.citySupervisor('GET', '/api/v1/publication-corrections?status=pending')).json();
    expect(sup.items.find((c: { trackingNumber: string }) => c.trackingNumber === tracking).contact).toBeUndefined();
    const staffView = (await w.api.officer('GET', `/api/v1/publications/${target.id}`)).json();
    const ans = await w.api.officer('POST', `/api/v1/publication-corrections/${mine.id}/answer`, { decision: 'correct', answer: '经核实，予以更正。', correctedText: staffView.sourceText + '\n（已更正）' });
    expect(ans.statusCode, ans.body).toBe(200);
    const newId = ans.json().newPublicationId;
    const pub = await w.api.head('POST', `/api/v1/publications/${newId}/publish`, { redactions: [] });
    expect(pub.statusCode, pub.body).toBe(200);
    expect((await inject(`/api/v1/public/corrections/${tracking}`)).json()).toMatchObject({ status: 'corrected', newPublicationId: newId });
    expect((await inject(`/api/v1/public/decisions/${target.id}`)).json().status).toBe('withdrawn');
    expect((await inject(`/api/v1/public/decisions/${newId}`)).json().text).toContain('（已更正）');
  });
});

describe('confirmation (R-P14)', () => {
  it('only the head publishes; added redactions apply; rule redactions cannot be removed', async () => {
    const drafts = (await w.api.officer('GET', '/api/v1/publications?status=draft')).json();
    const d = drafts.items[0];
    const full = (await w.api.officer('GET', `/api/v1/publications/${d.id}`)).json();
    expect(full.redactions.length).toBeGreaterThan(0);
    expect(full.redactions.every((s: { by: string }) => s.by === 'rule')).toBe(true);
    // Supervisors see the draft without the source text.
    const sup = (await w.api.citySupervisor('GET', `/api/v1/publications/${d.id}`)).json();
    expect(sup.sourceText).toBeUndefined();
    expect((await w.api.officer('POST', `/api/v1/publications/${d.id}/publish`, { redactions: [] })).statusCode).toBe(403);
    const phrase = full.sourceText.split('\n').find((l: string) => l.length > 8 && !l.includes('［'))!.slice(0, 6);
    const r = await w.api.head('POST', `/api/v1/publications/${d.id}/publish`, { redactions: [{ text: phrase }] });
    expect(r.statusCode, r.body).toBe(200);
    const pub = (await inject(`/api/v1/public/decisions/${d.id}`)).json();
    expect(pub.text).not.toContain(phrase);
    expect(pub.text).toContain('［已隐去］');
    const after = (await w.api.officer('GET', `/api/v1/publications/${d.id}`)).json();
    expect(after.redactions.filter((s: { by: string }) => s.by === 'rule').length).toBe(full.redactions.length);
    expect((await w.api.head('POST', `/api/v1/publications/${d.id}/publish`, { redactions: [] })).statusCode).toBe(409);
  });
});

describe('双公示 exports (R-P17)', () => {
  it('penalties.csv has the CF_ field codes, 万元 amounts and YYYY/MM/DD dates; no ID number', async () => {
    const r = await inject('/api/v1/public/exports/penalties.csv');
    expect(r.statusCode).toBe(200);
    const lines = r.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]!.split(',')).toEqual([...PENALTY_FIELDS]);
    expect(PENALTY_FIELDS[0]).toBe('CF_XDR_MC');
    expect(PENALTY_FIELDS[PENALTY_FIELDS.length - 2]).toBe('CF_SJLYDM');
    const { parse } = await import('csv-parse/sync');
    const rows = parse(r.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      expect(row.CF_JDRQ).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      expect(row.CF_XDR_ZJHM).toBe('');
    }
    const wang = rows.find((x) => x.CF_WSH === '演示市监罚〔2026〕9003号')!;
    expect(wang).toMatchObject({ CF_XDR_MC: '陈某某', CF_XDR_LB: '自然人', CF_NR_FK: '2' });
  });

  it('licences.xlsx has the XK_ codes and 2099/12/31 for 长期', async () => {
    const r = await inject('/api/v1/public/exports/licences.xlsx');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual([...LICENCE_FIELDS]);
    expect(ws.rowCount).toBeGreaterThan(1);
    const col = LICENCE_FIELDS.indexOf('XK_YXQZI') + 1;
    expect(ws.getRow(2).getCell(col).value).toBe('2099/12/31');
  });

  it('the Atom feed lists publications and withdrawals', async () => {
    const r = await inject('/feeds/decisions.atom');
    expect(r.headers['content-type']).toContain('application/atom+xml');
    expect(r.body).toContain('<feed');
    expect(r.body).toContain('【撤回】');
  });
});

describe('search (jieba + pg_trgm)', () => {
  it('finds by a two-word Chinese query with highlighted hits, and by a substring of the 文号', async () => {
    const r = (await inject(`/api/v1/public/decisions?q=${encodeURIComponent('过期 食品')}`)).json();
    expect(r.items.length).toBeGreaterThan(0);
    const page = await inject(`/decisions?q=${encodeURIComponent('过期 食品')}`);
    expect(page.body).toContain('<mark>');
    const sub = (await inject(`/api/v1/public/decisions?q=${encodeURIComponent('〔2026〕9003')}`)).json();
    // Only that 文号; twice when an earlier test (or the demo, by its random order) changed that decision,
    // whose withdrawn first version stays public under the same number.
    expect([...new Set(sub.items.map((i: { documentNumber: string }) => i.documentNumber))]).toEqual(['演示市监罚〔2026〕9003号']);
    const none = (await inject(`/api/v1/public/decisions?q=${encodeURIComponent('完全不存在的词语组合')}`)).json();
    expect(none.items).toEqual([]);
  });
});

describe('nothing personal on any public route (R-P14)', () => {
  it('scans every public route and page for the ID numbers, phones and full names of the demo’s natural persons', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const ids = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM publications WHERE status IN ('published', 'withdrawn')`)).rows.map((r) => r.id);
    const urls = [
      '/decisions', `/decisions?q=${encodeURIComponent('王某某')}`, '/feeds/decisions.atom', '/api/v1/public/decisions?limit=100', '/api/v1/public/exports/penalties.csv', '/api/v1/public/exports/licences.csv',
      '/api/v1/public/exports/decisions.jsonl', ...ids.flatMap((id) => [`/decisions/${id}`, `/api/v1/public/decisions/${id}`]),
    ];
    for (const url of urls) {
      const body = (await inject(url)).body;
      for (const s of secrets) expect(body.includes(s), `${url} contains ${s}`).toBe(false);
      expect(/(?<!\d)[1-9]\d{16}[\dX](?!\d)/.test(body.replace(/9[0-9A-Z]{17}/g, '')), `${url}: an 18-digit number`).toBe(false);
    }
    for (const xlsx of ['/api/v1/public/exports/penalties.xlsx', '/api/v1/public/exports/licences.xlsx']) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await inject(xlsx)).rawPayload as unknown as ArrayBuffer);
      const text = JSON.stringify(wb.worksheets[0]!.getSheetValues());
      for (const s of secrets) expect(text.includes(s), `${xlsx} contains ${s}`).toBe(false);
    }
  });
});

describe('rule sets (R-P01)', () => {
  it('an agency may only be stricter; a stricter version decides the next drafts and is named', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    const looser = { ...DEFAULT_RULES, items: DEFAULT_RULES.items.map((i) => (i.key === 'licensing' ? { ...i, deadlineWorkingDays: 10 } : i)) };
    const bad = await w.api.admin('POST', '/api/v1/publication-rule-sets', { agencyId, effectiveFrom: '2026-11-25', rules: looser });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('items.2.deadlineWorkingDays');
    const stricter = { ...DEFAULT_RULES, excludeWarningOnly: false, items: DEFAULT_RULES.items.map((i) => (i.key === 'coercion' ? { ...i, deadlineWorkingDays: 10 } : i)) };
    const ok = await w.api.admin('POST', '/api/v1/publication-rule-sets', { agencyId, effectiveFrom: '2026-11-25', rules: stricter });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().version).toBe(1);
    expect((await w.api.officer('POST', '/api/v1/publication-rule-sets', { agencyId, effectiveFrom: '2026-11-25', rules: stricter })).statusCode).toBe(403);
    const list = (await w.api.officer('GET', `/api/v1/publication-rule-sets?agencyId=${agencyId}`)).json();
    expect(list.items[0].version).toBe(1);
  });
});

describe('deadlines on the working-day calendar (R-P11)', () => {
  const input = (decidedOn: string, over: Partial<DecisionInput> = {}): DecisionInput => ({
    agencyId: w.ids.get('xh_zhzf')!, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn, documentNumber: `演示综执罚〔2026〕${decidedOn}号`, title: '测试案',
    text: '当事人某某公司违反规定。', party: { name: '某某公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 200000,
    violation: '违规', content: '罚款', basis: '依据', actorId: null, ...over,
  });
  const make = async (i: DecisionInput) => {
    const cal = await getCalendar(w.app.ctx.db);
    const r = await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, i));
    return (await w.app.ctx.db.query<{ deadline: string | null; status: string; exclusion: string | null }>(`SELECT deadline, status, exclusion FROM publications WHERE id = $1`, [r.id])).rows[0]!;
  };

  it('across 国庆: a penalty of 2025-09-30 is due 2025-10-16 (the Saturday 10-11 is a working day)', async () => {
    expect((await make(input('2025-09-30'))).deadline).toBe('2025-10-16');
  });
  it('across 春节: a penalty of 2026-02-13 is due 2026-03-02; a coercion decision (20 days) 2026-03-19', async () => {
    expect((await make(input('2026-02-13'))).deadline).toBe('2026-03-02');
    expect((await make(input('2026-02-13', { kind: 'coercion', procedureId: 'coercion-seizure' }))).deadline).toBe('2026-03-19');
  });
  it('exclusions are recorded with their reason: a minor, a warning only', async () => {
    const minor = '33010620100506004' + idCheckDigit('33010620100506004');
    const m = await make(input('2026-11-20', { party: { name: '小明', type: 'citizen', idNumber: minor } }));
    expect(m).toMatchObject({ status: 'excluded', deadline: null });
    expect(m.exclusion).toContain('未成年人');
    const warn = await make(input('2026-11-20', { penaltyKinds: ['警告'], fineAmount: 0 }));
    expect(warn.exclusion).toContain('仅受到警告');
  });
  it('the head excludes a draft for a trade secret, with the reason', async () => {
    const cal = await getCalendar(w.app.ctx.db);
    const d = await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, input('2026-11-20', { agencyId: w.ids.get('city_scjg')! })));
    const r = await w.api.head('POST', `/api/v1/publications/${d.id}/exclude`, { reason: 'trade_secret', note: '决定书载有配方工艺' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().exclusion).toContain('商业秘密');
    expect((await inject(`/api/v1/public/decisions/${d.id}`)).statusCode).toBe(404);
  });
});

describe('expiry and 信用修复 (R-P11 公示期)', () => {
  it('an entry past its period leaves listings, search, feeds and exports; 信用修复 ends one early where allowed', async () => {
    // A corrected decision keeps its withdrawn first version in the exports under the same number, so the
    // entry to expire is one whose number no other version shares.
    const { rows } = await w.app.ctx.db.query<{ id: string; document_number: string }>(`SELECT id, document_number FROM publications p WHERE status = 'published' AND kind = 'penalty'
        AND NOT EXISTS (SELECT 1 FROM publications o WHERE o.document_number = p.document_number AND o.id <> p.id)
      ORDER BY published_on, id LIMIT 2`);
    const [a, b] = rows as [{ id: string; document_number: string }, { id: string; document_number: string }];
    const q = encodeURIComponent(a.document_number);
    const ids = async () => (await inject(`/api/v1/public/decisions?q=${q}&limit=100`)).json().items.map((i: { id: string }) => i.id);
    expect(await ids()).toContain(a.id);
    await w.app.ctx.db.query(`UPDATE publications SET public_until = '2026-11-24' WHERE id = $1`, [a.id]);
    expect((await inject(`/api/v1/public/decisions/${a.id}`)).statusCode).toBe(404);
    expect(await ids()).not.toContain(a.id);
    expect((await inject('/feeds/decisions.atom')).body).not.toContain(a.id);
    expect((await inject('/api/v1/public/exports/penalties.csv')).body).not.toContain(a.document_number);
    await w.api.officer('GET', '/api/v1/publications/overview');
    const { rows: ex } = await w.app.ctx.db.query<{ status: string; expiry_reason: string }>(`SELECT status, expiry_reason FROM publications WHERE id = $1`, [a.id]);
    expect(ex[0]).toMatchObject({ status: 'expired', expiry_reason: '公示期限届满' });
    // 信用修复 needs six months of publication: the demo's entries are recent.
    const early = await w.api.head('POST', `/api/v1/publications/${b.id}/credit-repair`, { reason: '已履行处罚决定并作出信用承诺' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('个月后');
    await w.app.ctx.db.query(`UPDATE publications SET published_on = '2026-03-01' WHERE id = $1`, [b.id]);
    expect((await w.api.officer('POST', `/api/v1/publications/${b.id}/credit-repair`, { reason: '已履行' })).statusCode).toBe(403);
    const ok = await w.api.head('POST', `/api/v1/publications/${b.id}/credit-repair`, { reason: '已履行处罚决定并作出信用承诺' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await inject(`/api/v1/public/decisions/${b.id}`)).statusCode).toBe(404);
  });
});

describe('portal pages under hostile input', () => {
  it('answer 4xx problem+json, never 5xx', async () => {
    const id = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM publications WHERE status = 'published' LIMIT 1`)).rows[0]!.id;
    const cases: [string, 'GET' | 'POST', string | undefined, string | undefined][] = [
      ['/decisions/not-a-uuid', 'GET', undefined, undefined],
      ['/decisions/00000000-0000-4000-8000-000000000000', 'GET', undefined, undefined],
      ['/decisions/corrections/%27%3B--', 'GET', undefined, undefined],
      ['/decisions/corrections/GZ20261125ABCDEF0123', 'GET', undefined, undefined],
      [`/decisions/${id}/corrections`, 'POST', 'application/x-www-form-urlencoded', 'contact=1&text=2'],
      [`/decisions/${id}/corrections`, 'POST', 'application/x-www-form-urlencoded', `contact=${'x'.repeat(20_000)}&text=${'y'.repeat(20)}`],
      [`/decisions/${id}/corrections`, 'POST', 'application/json', '{"contact":["a"],"text":{"$gt":1}}'],
      ['/decisions/not-a-uuid/corrections', 'POST', 'application/x-www-form-urlencoded', 'contact=abc&text=0123456789ab'],
    ];
    for (const [url, method, type, payload] of cases) {
      const r = await w.app.server.inject({ method, url, ...(type ? { headers: { 'content-type': type } } : {}), ...(payload !== undefined ? { payload } : {}) });
      expect(r.statusCode, `${method} ${url}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, url).toBeLessThan(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const page = await inject('/decisions?from=2026-13-45&kind=bad&limit=-1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('role="alert"');
  });
});
