// 双随机一公开 through the API (R-D01, R-D02, R-P05, R-P15): the sanxiang-draw/v1 vectors of docs/DRAW.md,
// the import, one commitment per task, reveals checked against their hashes, the draw re-run from the
// public data, conflicts and rotation, a refused draw when fewer than two inspectors are eligible, quotas
// and rounding at the boundaries, and the publication deadline across a holiday.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { ALGORITHM, canonicalCodes, classQuota, drawSeed, fromHex, merkleRoot, objectKey, rankOfficers, selectObjects, toHex } from '../src/inspections/draw.ts';
import { hashLeaf, rootOfLeafHashes } from '../src/ledger/merkle.ts';
import { publicationDeadline } from '../src/inspections/results.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { fakeCreditCode } from '../src/registry/fake.ts';
import { checkDraw, verifyDrawCommand } from '../src/inspections/cli.ts';

const sha = (d: Uint8Array) => crypto.createHash('sha256').update(d).digest();
const hex = (s: string) => crypto.createHash('sha256').update(Buffer.from(s, 'hex')).digest('hex');

describe('sanxiang-draw/v1 test vectors (docs/DRAW.md §7, R-D02)', () => {
  const A = canonicalCodes(['91330106MA0000001X', '91330106MA0000002Y', '91330106MA0000003A', '91330106MA0000004B', '91330106MA0000005C', '91330106MA0000001X']);
  const D = canonicalCodes(['91330109MA0000009D', '91330109MA0000008E', '91330109MA0000007F']);
  const leaf = sha(new TextEncoder().encode('sanxiang-draw/v1 test vector commitment'));
  const seed = drawSeed(sha, leaf, [new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x22)]);

  it('canonical lists, roots, seed, keys, selection and officer order', () => {
    expect(A).toHaveLength(5);
    expect(D).toEqual(['91330109MA0000007F', '91330109MA0000008E', '91330109MA0000009D']);
    expect(toHex(merkleRoot(sha, A))).toBe('df2c46b42a0a395f6182246464bf558b18b53ed08fe7d8dff9bb1e21845fa622');
    expect(toHex(merkleRoot(sha, D))).toBe('11e47e0d8692dc1186b6440f22e44d0862ca07c7dcafbe215fbd74010310d8f5');
    expect(toHex(merkleRoot(sha, ['91330106MA0000001X']))).toBe('76d02b8086ca2c9af3c2f31809c2fe4cb6c07f725652c0610ff80d089869f494');
    expect(toHex(merkleRoot(sha, []))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(leaf)).toBe('4429e793e34711104d5c980826bf6bd42b5dbc4936f64380c90e2ecb443e21b5');
    expect(toHex(seed)).toBe('1805fb3f8f84c0fd3026ad563c89bcfe19487720a3aab62ea5eb23464f57562b');
    expect(toHex(objectKey(sha, seed, 'A', '91330106MA0000003A'))).toBe('ccdd1baf13177b1be77de93dc4816e357ef3f191bcdae16f828fdf39a8a10129');
    expect(toHex(objectKey(sha, seed, 'D', '91330109MA0000009D'))).toBe('e8e22f2635673f7d6c076fcdf2d69b3b19233384dbdf8dda97442d5802a99109');
    expect(selectObjects(sha, seed, [{ cls: 'A', quota: 2, creditCodes: A }, { cls: 'D', quota: 1, creditCodes: D }])).toEqual([
      { class: 'A', creditCode: '91330106MA0000002Y', key: '68a34246cffcbb927bdf9bd6f8a910ca016b8cfcd2797aba7ab3f8cf1cfc48ac' },
      { class: 'A', creditCode: '91330106MA0000001X', key: 'aa7e7d65292da571c9c4c563d27695fa507533d8c00ecb5ed05d51eb60b1ae65' },
      { class: 'D', creditCode: '91330109MA0000008E', key: '2bb892bfde1108b69e2224c2b24d6f60d394aa0f26c008fac3723e54a9cf315e' },
    ]);
    const ranked = rankOfficers(sha, seed, '91330106MA0000002Y', ['浙330100900000001', '浙330100900000002', '浙330100900000003', '浙330100900000004']);
    expect(ranked.map((r) => r.officerId.slice(-1))).toEqual(['3', '4', '2', '1']);
    expect(ranked[0]!.key).toBe('05b9daf1ffacec16a4444b38ce96ee28435f8c8b3d5ebd6b92db9f31791e427a');
  });

  it('does not depend on the order the candidates are given in', () => {
    const shuffled = [...A].reverse();
    expect(selectObjects(sha, seed, [{ cls: 'A', quota: 3, creditCodes: shuffled }])).toEqual(selectObjects(sha, seed, [{ cls: 'A', quota: 3, creditCodes: A }]));
  });

  it('the portable Merkle root equals the ledger’s RFC 6962 implementation at every size up to 40', () => {
    const codes = Array.from({ length: 40 }, (_, i) => fakeCreditCode('330106', i + 1, '91'));
    for (let n = 0; n <= 40; n++) {
      expect(toHex(merkleRoot(sha, codes.slice(0, n)))).toBe(rootOfLeafHashes(codes.slice(0, n).map((c) => hashLeaf(Buffer.from(c)))).toString('hex'));
    }
  });

  it('quotas and rounding at the boundaries (R-D02 A)', () => {
    // 3 % of 99 = 2.97, of 100 = 3, of 101 = 3.03.
    expect([99, 100, 101].map((n) => classQuota(n, 300, 0, null, 'ceil'))).toEqual([3, 3, 4]);
    expect([99, 100, 101].map((n) => classQuota(n, 300, 0, null, 'floor'))).toEqual([2, 3, 3]);
    // 5 % of 50 = 2.5 → half_up 3; of 49 = 2.45 → 2.
    expect([49, 50].map((n) => classQuota(n, 500, 0, null, 'half_up'))).toEqual([2, 3]);
    expect(classQuota(10, 300, 2, null, 'ceil')).toBe(2); // minimum lifts 0.3 → 1 → 2
    expect(classQuota(1000, 5000, 0, 100, 'ceil')).toBe(100); // maximum caps 500
    expect(classQuota(1, 300, 5, null, 'ceil')).toBe(1); // never more than the candidates
    expect(classQuota(0, 10_000, 3, null, 'ceil')).toBe(0);
    expect(classQuota(1_000_000, 1, 0, null, 'ceil')).toBe(100);
  });
});

describe('the ceremony through the API', () => {
  let w: CaseWorld;
  let agency: string;
  let matter: string;
  let plan: string;
  const codes: string[] = [];
  const classes = ['A', 'A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'D'];
  const parties = ['纪检监察组', '公证处'];
  const secrets = { 纪检监察组: crypto.randomBytes(32).toString('hex'), 公证处: crypto.randomBytes(32).toString('hex') };
  const flush = async () => {
    const s = startSequencer(w.app.ctx, { intervalMs: 20 });
    await s.flush(60_000);
    await s.stop();
  };
  const taskBody = (over: Record<string, unknown> = {}) => ({
    matterId: matter, title: '测试抽查任务', classAsOf: '2026-06-30', inspectionDate: '2026-09-15', rounding: 'ceil',
    ratios: { A: { ratioBp: 3400, min: 0, max: null }, B: { ratioBp: 5000, min: 0, max: null }, C: { ratioBp: 5000, min: 0, max: null }, D: { ratioBp: 10_000, min: 0, max: null } }, ...over,
  });
  const commitBody = (s = secrets) => ({ sources: parties.map((p) => ({ source: p, hash: hex(s[p as keyof typeof s]) })) });

  beforeAll(async () => {
    w = await caseWorld();
    agency = w.ids.get('city_scjg')!;
    const m = await w.api.head('POST', '/api/v1/inspection-matters', { agencyId: agency, code: 'T-01', name: '企业公示信息抽查', category: '市场监管' });
    expect(m.statusCode, m.body).toBe(201);
    matter = m.json().id;
    for (const [i, o] of w.officers.entries()) {
      const r = await w.api.head('PUT', '/api/v1/inspectors', { officerId: o.id, categories: ['市场监管'], areas: ['3301'], unit: `第${i}组` });
      expect(r.statusCode, r.body).toBe(200);
    }
    for (let i = 0; i < classes.length; i++) codes.push(fakeCreditCode('330106', 900 + i, '91'));
  }, 300_000);
  afterAll(async () => w?.app.close());

  const importCsv = (csv: string) => {
    const boundary = 'sxboundary';
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="objects.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
    return w.app.server.inject({ method: 'POST', url: `/api/v1/imports/inspection-objects?agencyId=${agency}`, headers: { cookie: w.s.head.cookie, 'x-csrf-token': w.s.head.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
  };

  it('imports the object directory whole or not at all, naming every bad row (R-D01)', async () => {
    const header = '统一社会信用代码,名称,对象类型,行政区划代码,领域标签,信用风险分类,分类日期\n';
    const rows = codes.map((c, i) => `${c},测试企业${i}有限公司,企业,330106,食品经营,${classes[i]},2026-01-15`);
    const bad = await importCsv(header + [...rows, '91330106MA00000XXX,坏行,企业,330106,,E,2026-01-15', `${codes[0]},重复,企业,330106,,A,2026-01-15`].join('\n'));
    expect(bad.statusCode, bad.body).toBe(422);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields.some((f) => f.startsWith(`第${codes.length + 2}行`))).toBe(true);
    expect(fields.some((f) => f.startsWith(`第${codes.length + 3}行`))).toBe(true);
    expect((await w.app.ctx.db.query(`SELECT 1 FROM inspection_objects`)).rows).toHaveLength(0);
    const ok = await importCsv(header + rows.join('\n'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: codes.length });
  });

  let task: string;
  it('publishes the plan before the draw; commits once; refuses a second commitment (R-D02)', async () => {
    const p = await w.api.head('POST', '/api/v1/inspection-plans', { agencyId: agency, year: 2026, title: '测试计划', parties });
    expect(p.statusCode, p.body).toBe(201);
    plan = p.json().id;
    // A conflict declared before the commitment: officer 0 is the relative of the first object's manager.
    const c = await w.api.head('POST', `/api/v1/inspectors/${w.officers[0]!.id}/conflicts`, { creditCode: codes[0], reason: 'relative', declaredOn: '2026-05-01' });
    expect(c.statusCode, c.body).toBe(201);
    const t = await w.api.head('POST', `/api/v1/inspection-plans/${plan}/tasks`, taskBody());
    expect(t.statusCode, t.body).toBe(201);
    task = t.json().id;
    const early = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/commit`, commitBody());
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().detail).toContain('尚未公布');
    expect((await w.api.head('POST', `/api/v1/inspection-plans/${plan}/publish`)).statusCode).toBe(200);
    const first = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/commit`, commitBody());
    expect(first.statusCode, first.body).toBe(201);
    // 6 A at 34 % = 2.04 → 3; 3 B at 50 % = 1.5 → 2; 2 C → 1; 1 D at 100 % → 1.
    expect(first.json().document.classes.map((k: { count: number; quota: number }) => [k.count, k.quota])).toEqual([[6, 3], [3, 2], [2, 1], [1, 1]]);
    const second = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/commit`, commitBody({ 纪检监察组: '00'.repeat(32), 公证处: '11'.repeat(32) }));
    expect(second.statusCode, second.body).toBe(409);
    await expect(w.app.ctx.db.query(`DELETE FROM inspection_commitments WHERE task_id = $1`, [task])).rejects.toThrow();
  });

  it('refuses a reveal that does not match its committed hash, then draws from the reveals', async () => {
    const wrong = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/reveals`, { source: '公证处', value: crypto.randomBytes(32).toString('hex') });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().detail).toContain('不符');
    const tooEarly = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/draw`);
    expect(tooEarly.statusCode).toBe(409);
    for (const p of parties) expect((await w.api.head('POST', `/api/v1/inspection-tasks/${task}/reveals`, { source: p, value: secrets[p as keyof typeof secrets] })).statusCode).toBe(201);
    await flush();
    const d = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/draw`);
    expect(d.statusCode, d.body).toBe(201);
    expect((await w.api.head('POST', `/api/v1/inspection-tasks/${task}/draw`)).statusCode).toBe(409);

    // Anyone re-runs it from the two public answers.
    const pub = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}` })).json();
    const cand = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}/candidates` })).json();
    expect(pub.algorithm).toBe(ALGORITHM);
    expect(pub.randomness.map((r: { source: string }) => r.source)).toEqual(parties);
    const seed = drawSeed(sha, fromHex(pub.commitment.leafHash), pub.randomness.map((r: { value: string }) => fromHex(r.value)));
    expect(toHex(seed)).toBe(pub.seed);
    for (const c of pub.classes) expect(toHex(merkleRoot(sha, cand.classes.find((x: { class: string }) => x.class === c.class).creditCodes))).toBe(c.root);
    const again = selectObjects(sha, seed, pub.classes.map((c: { class: string; quota: number }) => ({ cls: c.class, quota: c.quota, creditCodes: cand.classes.find((x: { class: string }) => x.class === c.class).creditCodes })));
    expect(again).toEqual(pub.selected);
    // The leaf really is the commitment's entry in the log.
    const { rows } = await w.app.ctx.db.query<{ leaf_hash: Buffer }>(`SELECT leaf_hash FROM ledger_entries WHERE idx = $1`, [pub.commitment.ledgerIndex]);
    expect(toHex(rows[0]!.leaf_hash)).toBe(pub.commitment.leafHash);
    // Teams: two officers, never the one in conflict with the object.
    expect(pub.teams.every((t: { officers: unknown[] }) => t.officers.length === 2)).toBe(true);
    const conflicted = pub.teams.find((t: { creditCode: string }) => t.creditCode === codes[0]);
    if (conflicted) expect(conflicted.officers.map((o: { certificateNumber: string }) => o.certificateNumber)).not.toContain(w.officers[0]!.certificateNumber);
  });

  it('sanxiang verify-draw recomputes the draw from another platform’s public data; a tampered candidate does not match', async () => {
    const address = await w.app.server.listen({ port: 0, host: '127.0.0.1' });
    const log: string[] = [];
    const orig = console.log;
    console.log = (m: string) => log.push(m);
    try {
      expect(await verifyDrawCommand(address, task)).toBe(0);
    } finally {
      console.log = orig;
    }
    expect(log.join('\n')).toContain('一致');
    const pub = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}` })).json();
    const cand = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}/candidates` })).json();
    expect(checkDraw(pub, cand)).toEqual([]);
    cand.classes[0].creditCodes[1] = fakeCreditCode('330106', 7777, '91');
    expect(checkDraw(pub, cand).join()).toContain('Merkle 根');
    expect(checkDraw({ ...pub, randomness: pub.randomness.slice(0, 1) }, (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}/candidates` })).json()).join()).toContain('种子');
  });

  it('a later 回避 replaces an officer by the next key and logs the reason; the draw itself does not change (R-D02 E)', async () => {
    const before = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}` })).json();
    const team = before.teams[0] as { creditCode: string; officers: { certificateNumber: string }[] };
    const leaving = w.officers.find((o) => o.certificateNumber === team.officers[0]!.certificateNumber)!;
    const c = await w.api.head('POST', `/api/v1/inspectors/${leaving.id}/conflicts`, { creditCode: team.creditCode, reason: 'past_employment', declaredOn: '2026-09-10' });
    expect(c.statusCode, c.body).toBe(201);
    const r = await w.api.head('POST', `/api/v1/inspection-tasks/${task}/replacements`, { creditCode: team.creditCode, officerId: leaving.id, reason: 'conflict' });
    expect(r.statusCode, r.body).toBe(201);
    const replacement = r.json().replacement as { officerId: string; certificateNumber: string; key: string };
    expect(team.officers.map((o) => o.certificateNumber)).not.toContain(replacement.certificateNumber);
    // The next key: among the eligible officers not on the team, the lowest okey for this object.
    const seed = fromHex(before.seed);
    const others = w.officers.filter((o) => !team.officers.some((t) => t.certificateNumber === o.certificateNumber)).map((o) => o.certificateNumber);
    const { rows: conflicted } = await w.app.ctx.db.query<{ certificate_number: string }>(`SELECT o.certificate_number FROM inspector_conflicts c JOIN officers o ON o.id = c.officer_id WHERE c.credit_code = $1`, [team.creditCode]);
    const eligible = others.filter((x) => !conflicted.some((k) => k.certificate_number === x));
    expect(replacement.certificateNumber).toBe(rankOfficers(sha, seed, team.creditCode, eligible)[0]!.officerId);
    const { rows } = await w.app.ctx.db.query<{ replace_reason: string }>(`SELECT replace_reason FROM inspection_assignments WHERE task_id = $1 AND officer_id = $2 AND credit_code = $3`, [task, leaving.id, team.creditCode]);
    expect(rows[0]!.replace_reason).toBe('conflict');
    const after = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}` })).json();
    expect(after.selected).toEqual(before.selected);
    expect(after.seed).toBe(before.seed);
  });

  it('respects conflicts and the rotation window in a later task of the same objects (R-D02 E)', async () => {
    const first = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${task}` })).json();
    // Two more officers so that rotation can be honoured; everyone takes every object in this task.
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_from <= '2026-01-01' AND valid_to >= '2027-12-31' AND NOT (id = ANY($2::uuid[])) ORDER BY certificate_number LIMIT 4`, [agency, w.officers.map((o) => o.id)]);
    for (const r of rows) expect((await w.api.head('PUT', '/api/v1/inspectors', { officerId: r.id, categories: ['市场监管'], areas: ['3301'] })).statusCode).toBe(200);
    const t = await w.api.head('POST', `/api/v1/inspection-plans/${plan}/tasks`, taskBody({ title: '轮换测试', inspectionDate: '2026-10-20', yearlyCap: 5, ratios: Object.fromEntries(['A', 'B', 'C', 'D'].map((c) => [c, { ratioBp: 10_000, min: 0, max: null }])) }));
    expect(t.statusCode, t.body).toBe(201);
    const id = t.json().id;
    expect((await w.api.head('POST', `/api/v1/inspection-tasks/${id}/commit`, commitBody())).statusCode).toBe(201);
    for (const p of parties) await w.api.head('POST', `/api/v1/inspection-tasks/${id}/reveals`, { source: p, value: secrets[p as keyof typeof secrets] });
    await flush();
    const d = await w.api.head('POST', `/api/v1/inspection-tasks/${id}/draw`);
    expect(d.statusCode, d.body).toBe(201);
    const second = d.json();
    expect(second.selected).toHaveLength(codes.length);
    for (const team of first.teams as { creditCode: string; officers: { certificateNumber: string }[] }[]) {
      const now = second.teams.find((x: { creditCode: string }) => x.creditCode === team.creditCode);
      for (const o of team.officers) expect(now.officers.map((x: { certificateNumber: string }) => x.certificateNumber)).not.toContain(o.certificateNumber);
    }
    const c0 = second.teams.find((x: { creditCode: string }) => x.creditCode === codes[0]);
    expect(c0.officers.map((o: { certificateNumber: string }) => o.certificateNumber)).not.toContain(w.officers[0]!.certificateNumber);
  });

  it('refuses to commit when fewer than two inspectors are eligible, with the reason', async () => {
    const m = await w.api.head('POST', '/api/v1/inspection-matters', { agencyId: agency, code: 'T-02', name: '特种设备安全检查', category: '特种设备' });
    const t = await w.api.head('POST', `/api/v1/inspection-plans/${plan}/tasks`, taskBody({ matterId: m.json().id, title: '无人可派' }));
    const r = await w.api.head('POST', `/api/v1/inspection-tasks/${t.json().id}/commit`, commitBody());
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().detail).toMatch(/符合条件的执法检查人员只有 0 名.*特种设备.*少于每组 2 名/);
  });

  it('a redo is a new task that names the old one and why', async () => {
    const noReason = await w.api.head('POST', `/api/v1/inspection-plans/${plan}/tasks`, taskBody({ redoOf: task }));
    expect(noReason.statusCode).toBe(400);
    const r = await w.api.head('POST', `/api/v1/inspection-plans/${plan}/tasks`, taskBody({ title: '重新抽取', redoOf: task, redoReason: '原任务检查日期与防汛任务冲突，经局务会决定重新安排' }));
    expect(r.statusCode, r.body).toBe(201);
    const list = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks?year=2026&agency=${agency}` })).json();
    expect(list.items.find((x: { id: string }) => x.id === r.json().id)).toMatchObject({ redoOf: task, redoReason: expect.stringContaining('防汛') });
  });

  it('opens inspection cases, records results and publishes them within 20 working days (R-P15)', async () => {
    const cases = await w.api.officer('POST', `/api/v1/inspection-tasks/${task}/cases`);
    expect(cases.statusCode, cases.body).toBe(201);
    const created = cases.json().created as { creditCode: string; caseId: string }[];
    expect(created.length).toBe(7);
    const c = await w.api.officer('GET', `/api/v1/cases/${created[0]!.caseId}`);
    expect(c.statusCode).toBe(200);
    expect(c.json().procedureId ?? c.json().procedure?.id).toBe('inspection');
    const r = await w.api.officer('POST', `/api/v1/inspection-tasks/${task}/results`, { creditCode: created[0]!.creditCode, resultCodes: ['A', 'B'], inspectedOn: '2026-09-25', followUp: 'transfer' });
    expect(r.statusCode, r.body).toBe(201);
    // 2026-09-25 + 20 working days skips the National Day holiday (Oct 1–7) and counts the Saturday make-up day Oct 10.
    expect(r.json().publishBy).toBe('2026-10-29');
    expect(r.json().penaltyCaseId).toBeTruthy();
    const again = await w.api.officer('POST', `/api/v1/inspection-tasks/${task}/results`, { creditCode: created[0]!.creditCode, resultCodes: ['1'], inspectedOn: '2026-09-25' });
    expect(again.statusCode).toBe(409);
    const page = await w.app.server.inject({ method: 'GET', url: `/inspections/${task}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('未按规定公示应当公示的信息');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const { rows } = await w.app.ctx.db.query<{ digest: string }>(`SELECT digest FROM inspection_publications WHERE task_id = $1`, [task]);
    const inLog = await w.app.ctx.db.query(`SELECT 1 FROM ledger_pending p WHERE position($1::bytea IN p.entry) > 0`, [Buffer.from(rows[0]!.digest)]);
    expect(inLog.rows).toHaveLength(1);
  });

  it('publication deadline across holidays on the working-day calendar', async () => {
    expect((await publicationDeadline(w.app.ctx, '2026-09-16')).deadline).toBe('2026-10-20');
    expect((await publicationDeadline(w.app.ctx, '2026-09-25')).deadline).toBe('2026-10-29');
  });

  it('hides tasks of unpublished plans and answers unknown ids with 404', async () => {
    const p = await w.api.head('POST', '/api/v1/inspection-plans', { agencyId: agency, year: 2026, title: '未公布计划', parties });
    const t = await w.api.head('POST', `/api/v1/inspection-plans/${p.json().id}/tasks`, taskBody());
    expect((await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${t.json().id}` })).statusCode).toBe(404);
    expect((await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/${crypto.randomUUID()}/candidates` })).statusCode).toBe(404);
    expect((await w.app.server.inject({ method: 'GET', url: `/api/v1/public/inspection-tasks/not-a-uuid` })).statusCode).toBe(400);
  });
});
