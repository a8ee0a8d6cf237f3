// Assist demo (issue 13): the decided demo penalty cases get their discretion record (violation, level,
// band, 裁量说明) so that similar cases and 同案不同罚 have data, and one 明码标价 case runs through the
// engine with a fine above its band, the head's approved deviation and the decision that carries it.
import type { Actor, Role } from '../platform/actor.ts';
import { addDays } from '../platform/calendar/index.ts';
import type { AppContext } from '../platform/context.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { grantApproval } from '../cases/approvals.ts';
import { createCase } from '../cases/create-case.ts';
import { demoDocumentFields } from '../cases/demo-content.ts';
import { performStep } from '../cases/perform-step.ts';
import { benchmarkFor, type Level } from './benchmarks.ts';
import { approveDeviation, discretionPrefill, explanation, partyKey, recordDiscretion } from './discretion.ts';
import { VIOLATIONS } from './library.ts';
import * as repo from './store.ts';
import { tokenize } from './text.ts';

async function actor(ctx: AppContext, username: string): Promise<Actor> {
  const { rows } = await ctx.db.query<{ id: string; display_name: string; role: Role; agency_id: string }>(`SELECT id, display_name, role, agency_id FROM users WHERE username = $1`, [username]);
  const u = rows[0]!;
  return { kind: 'user', id: u.id, name: u.display_name, role: u.role, agencyId: u.agency_id, jurisdiction: null, scopes: [] };
}

/** Decided demo cases: their violation from the title, their level from the band the fine falls in. */
async function recordDecidedDemoCases(ctx: AppContext) {
  const { rows } = await ctx.db.query<{ id: string; title: string; agency_id: string; region_code: string; party_id_number: string | null; party_name: string; fine: number | null; decided_on: string; facts: string | null; first_on: string }>(
    `SELECT c.id, c.title, c.agency_id, a.region_code, c.party_id_number, c.party_name, (c.state->'facts'->>'fineAmount')::float8 AS fine, s.on_date AS decided_on,
            (SELECT d.fields->>'facts' FROM case_documents d WHERE d.case_id = c.id AND d.type = 'penalty_decision' LIMIT 1) AS facts,
            (SELECT min(x.on_date) FROM case_steps x WHERE x.case_id = c.id) AS first_on
       FROM cases c JOIN agencies a ON a.id = c.agency_id JOIN case_steps s ON s.case_id = c.id AND s.step = 'penalty_decision'
      WHERE NOT EXISTS (SELECT 1 FROM case_discretion d WHERE d.case_id = c.id)`,
  );
  for (const r of rows) {
    const code = r.title.includes('保质期') ? 'SP-124-5A' : r.title.includes('许可') ? 'SP-122-A' : r.title.includes('标价') ? 'JG-42' : null;
    const v = VIOLATIONS.find((x) => x.code === code);
    const b = code ? benchmarkFor(code, r.region_code, r.first_on) : undefined;
    if (!v || !b || r.fine === null || r.fine < v.range.min || r.fine > v.range.max) continue;
    const band = b.levels.find((l) => l.level !== '不予处罚' && l.level !== '减轻' && r.fine! >= l.min && r.fine! <= l.max);
    if (!band) continue;
    const circumstances = band.level === '从轻' ? ['M1'] : band.level === '从重' ? ['A2'] : [];
    const facts = r.facts ?? r.title;
    await repo.upsertDiscretion(ctx.db, {
      caseId: r.id, agencyId: r.agency_id, regionCode: r.region_code, partyKey: partyKey({ party_id_number: r.party_id_number, party_name: r.party_name }), violationCode: v.code,
      benchmarkId: b.id, benchmarkVersion: b.version, circumstances, level: band.level, amount: r.fine, baseAmount: null, mitigationGround: null, firstOffenseClaim: false,
      suggestion: null, factsText: facts, tokens: tokenize(facts), deviationReason: null, keepApproval: false,
      explanation: explanation(v, b, { level: band.level as Level, circumstances, amount: r.fine, baseAmount: null, mitigationGround: null, deviation: null }),
    });
    await repo.markDecided(ctx.db, r.id, r.decided_on);
  }
}

export async function loadAssistDemo(ctx: AppContext) {
  await recordDecidedDemoCases(ctx);
  const officer = await actor(ctx, 'scjg_officer');
  const head = await actor(ctx, 'scjg_head');
  const today = todayInShanghai();
  const d = (n: number) => addDays(today, -n);
  const { rows: officers } = await ctx.db.query<{ id: string; name: string; certificate_number: string }>(
    `SELECT id, name, certificate_number FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_to >= $2 ORDER BY certificate_number LIMIT 2`, [officer.agencyId, today]);
  const officerIds = officers.map((o) => o.id);
  const party = { name: '演示某某生鲜超市有限公司', type: 'organisation' as const, idType: 'credit_code' as const, idNumber: '92330106MA2K7P3R54', address: '演示市西湖区学院路 8 号' };
  const title = '不按规定明码标价案（调整适用经负责人批准）';
  const c = await createCase(ctx, null, officer, { procedureId: 'penalty-general', title, matter: { category: '市场监管', area: '演示市西湖区' }, party, profile: { penaltyKinds: [], flags: [] }, facts: {} });
  const info = { number: c.number, title, party, officers: officers.map((o) => ({ name: o.name, certificateNumber: o.certificate_number })), facts: { proposedFine: 1500, fineAmount: 1500 } };
  const factsText = '当事人经营的生鲜超市婴幼儿食品货架 32 种商品未明码标价，另有 15 种商品价签未注明规格、计价单位，经责令改正后仍有部分商品未标价。';
  // The decision's 裁量说明, 违则 and 罚则 come from the discretion record, as the prefill gives them to an officer.
  const fields = async (type: string, on: string) => ({ ...demoDocumentFields(type, on, info), ...(type === 'penalty_decision' ? { facts: factsText, ...(await discretionPrefill(ctx.db, c.id, type)) } : {}) });
  const step = async (key: string, on: string, types: string[], facts: Record<string, string | number | boolean> = {}) =>
    performStep(ctx, null, officer, c.id, { step: key, on, officerIds, facts, documents: await Promise.all(types.map(async (type) => ({ type, fields: await fields(type, on) }))), documentIds: [] } as Parameters<typeof performStep>[4]);
  const approve = (key: string, on: string) => grantApproval(ctx, null, head, c.id, { purpose: 'step', step: key, on, opinion: '同意。' });
  await step('intake', d(20), ['case_source_record'], { partyType: 'legal_person' });
  await approve('filing', d(20));
  await step('filing', d(20), ['filing_approval']);
  await step('inspection', d(19), ['inspection_record']);
  await step('investigation_report', d(16), ['investigation_report'], { proposedOutcome: 'penalty', hearingEligible: false, collectiveDiscussionRequired: false });
  await recordDiscretion(ctx, null, officer, c.id, {
    violationCode: 'JG-42', circumstances: ['A2'], level: '从重', amount: 1500,
    factsText,
    suggestion: { code: 'JG-42', rank: 1, terms: ['明码标价', '价签', '未标价'] },
    deviationReason: '当事人涉及婴幼儿食品但已于检查当日全部改正，按从重幅度下限处罚明显过重，拟在一般与从重之间确定罚款数额',
  });
  await approveDeviation(ctx, null, head, c.id, { mode: 'head', opinion: '同意调整适用，罚款一千五百元。', on: d(15) });
  await step('prior_notice', d(15), ['prior_notice'], { proposedFine: 1500, hearingEligible: false });
  await approve('penalty_decision', d(10));
  await step('penalty_decision', d(10), ['penalty_decision'], { fineAmount: 1500, partyPresent: false });

  // A case waiting for its decision, for the discretion panel: facts investigated, no discretion yet.
  const wait = await createCase(ctx, null, officer, { procedureId: 'penalty-general', title: '销售过期酸奶案（待裁量）', matter: { category: '市场监管', area: '演示市西湖区' }, party: { ...party, name: '演示某某便利店有限公司', idNumber: '91330106MA2H3K7Q4Q' }, profile: { penaltyKinds: [], flags: [] }, facts: {} });
  const waitInfo = { ...info, number: wait.number, title: '销售过期酸奶案（待裁量）' };
  const waitStep = (key: string, on: string, types: string[], facts: Record<string, string | number | boolean> = {}) =>
    performStep(ctx, null, officer, wait.id, { step: key, on, officerIds, facts, documents: types.map((type) => ({ type, fields: demoDocumentFields(type, on, waitInfo) })), documentIds: [] } as Parameters<typeof performStep>[4]);
  await waitStep('intake', d(8), ['case_source_record'], { partyType: 'legal_person' });
  await grantApproval(ctx, null, head, wait.id, { purpose: 'step', step: 'filing', on: d(8), opinion: '同意。' });
  await waitStep('filing', d(8), ['filing_approval']);
  await waitStep('inspection', d(7), ['inspection_record']);
}
