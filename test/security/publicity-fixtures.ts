// Publicity resources for the authorization matrix (issue 8): per place a draft and a correction
// request on a published decision; one published decision and its tracking number for the public routes.
import crypto from 'node:crypto';
import type { AppContext } from '../../src/platform/context.ts';
import { getCalendar } from '../../src/platform/calendar/index.ts';
import { confirmAndPublish, draftFromDecision, submitCorrection, type DecisionInput } from '../../src/publicity/service.ts';
import { PLACES, type Place } from './matrix.ts';

export interface PublicityFx {
  draft: Record<Place, string>;
  correction: Record<Place, string>;
  subscriber: Record<Place, string>;
  published: string;
  tracking: string;
}

export async function publicityFixtures(ctx: AppContext, agencyOf: (p: Place) => string): Promise<PublicityFx> {
  const cal = await getCalendar(ctx.db);
  const input = (agencyId: string, n: string): DecisionInput => ({
    agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: `矩阵罚〔2026〕${n}号`, title: '矩阵测试案',
    text: '当事人矩阵某某有限公司违反规定，决定罚款人民币20000元。', party: { name: '矩阵某某有限公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 200000,
    violation: '违反规定', content: '罚款20000元', basis: '有关规定', actorId: null,
  });
  const out = { draft: {}, correction: {}, subscriber: {} } as PublicityFx;
  for (const place of PLACES) {
    const agencyId = agencyOf(place);
    const head = { kind: 'user' as const, id: crypto.randomUUID(), name: '矩阵负责人', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
    out.draft[place] = (await ctx.db.transaction((tx) => draftFromDecision(tx, cal, input(agencyId, `${place}1`)))).id;
    const pub = (await ctx.db.transaction((tx) => draftFromDecision(tx, cal, input(agencyId, `${place}2`)))).id;
    await confirmAndPublish(ctx, null, head, pub, { redactions: [] });
    const c = await submitCorrection(ctx, null, pub, { contact: '矩阵联系人', text: '矩阵测试：请核实更正公示内容。', evidence: { filename: '矩阵证据.pdf', mediaType: 'application/pdf', bytes: Buffer.from(`%PDF-1.4\n矩阵 ${place}\n%%EOF\n`) } });
    out.correction[place] = (await ctx.db.query<{ id: string }>(`SELECT id FROM publication_corrections WHERE tracking_number = $1`, [c.trackingNumber])).rows[0]!.id;
    out.subscriber[place] = crypto.randomUUID();
    await ctx.db.query(`INSERT INTO webhook_subscribers (id, agency_id, url, secret) VALUES ($1, $2, 'https://receiver.invalid/hook', 'whsec_bWF0cml4bWF0cml4bWF0cml4')`, [out.subscriber[place], agencyId]);
    if (place === 'scjg') {
      out.published = pub;
      out.tracking = c.trackingNumber;
    }
  }
  return out;
}
