// Opening a case: the procedure version it will keep to the end, its 案号 from the agency's counter
// (documents/numbering.ts, same transaction: no gaps), the matter the certificates must cover (R-P08),
// the party (personal data, R-P14), and the catalog's first answer (R-L04).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { actorUserId, applyCatalog, denied, summarise } from './access.ts';
import { definitionForNewCase } from './definitions.ts';
import { nextDocumentNumber } from './documents/index.ts';
import { initialState, type FactValue } from './procedures/index.ts';
import * as policy from './policy.ts';
import type { CaseInput } from './schema.ts';
import * as casesRepo from './store.ts';

/** Facts decided outside the officer's hands: the catalog (R-L04) and the review (R-L01). */
const DECIDED_ELSEWHERE = ['majorDecision', 'reviewPassed'];

export async function createCase(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CaseInput): Promise<{ id: string; number: string }> {
  const agencyId = input.agencyId ?? actor.agencyId;
  if (!policy.canCreateCase(actor, agencyId)) await denied(ctx, req, actor, 'cases.create', '只有本机关的执法人员或负责人可以为本机关登记案件。', agencyId);
  const agency = await registry.getAgency(ctx, actor, agencyId);
  if (agency.kind !== 'enforcement' && agency.kind !== 'government') throw new AppError('validation', { detail: '只有执法机关可以办理执法案件。', errors: [{ field: 'agencyId', message: '不是执法机关' }] });

  const def = await definitionForNewCase(ctx.db, agencyId, input.procedureId, input.procedureVersion);
  const bad = Object.keys(input.facts).filter((k) => DECIDED_ELSEWHERE.includes(k));
  if (bad.length) throw new AppError('validation', { detail: '“是否属于重大执法决定”由目录清单判断，“法制审核通过”由审核意见确定，不能直接填写（R-L01、R-L04）。', errors: bad.map((k) => ({ field: `facts.${k}`, message: '不能直接填写' })) });
  const facts: Record<string, FactValue> = { ...input.facts };
  // The party's type is known from the registration; the definition may ask for it in its own words.
  if (def.facts.some((f) => f.key === 'partyType') && facts.partyType === undefined) facts.partyType = input.party.type === 'citizen' ? 'citizen' : 'legal_person';
  const state0 = initialState(def, { matter: input.matter, facts });

  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  const id = crypto.randomUUID();
  const number = await ctx.db.transaction(async (tx) => {
    const { number } = await nextDocumentNumber(tx, { agencyId, agencyAbbreviation: agencyAbbreviation(agency.name), kindAbbreviation: '案', year: Number(today.slice(0, 4)) });
    const cat = await applyCatalog(tx, def, { agencyId, caseType: def.caseType, profile: input.profile }, state0, today);
    const summary = summarise(def, cat.state, cal, today, cat);
    await recordChange(tx, {
      kind: 'cases.created',
      agencyId,
      subjectType: 'case',
      subjectId: id,
      actorId: actorUserId(actor),
      data: {
        caseId: id, number, procedure: { id: def.id, version: def.version }, title: input.title, matter: input.matter, party: input.party,
        profile: input.profile, facts, catalog: { id: cat.catalogId, version: cat.catalogVersion, major: cat.major, matched: cat.matched },
      },
    });
    await casesRepo.insertCase(tx, {
      id, agencyId, procedureId: def.id, procedureVersion: def.version, caseType: def.caseType, number, title: input.title, matter: input.matter,
      party: { ...input.party, idNumber: input.party.idNumber ? input.party.idNumber.toUpperCase() : null }, profile: input.profile, state: cat.state, summary,
      createdBy: actorUserId(actor),
    });
    return number;
  });
  return { id, number };
}
