// Opening a case: the procedure version it will keep to the end, its 案号 from the agency's counter
// (documents/numbering.ts, same transaction: no gaps), the matter the certificates must cover (R-P08),
// the party (personal data, R-P14), and the catalog's first answer (R-L04).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { actorUserId, applyCatalog, denied, officerCredentials, summarise } from './access.ts';
import { definitionForNewCase } from './definitions.ts';
import { nextDocumentNumber } from './documents/index.ts';
import { initialState, type FactValue, type ProcedureCalendar, type ProcedureDefinition, type ProcedureState } from './procedures/index.ts';
import { performStepInTx, type StepCommand, type StepEnv } from './perform-step.ts';
import { storeIssuedPdfs } from './case-documents.ts';
import * as policy from './policy.ts';
import type { CaseInput } from './schema.ts';
import * as casesRepo from './store.ts';

/** Facts decided outside the officer's hands: the catalog (R-L04) and the review (R-L01). */
const DECIDED_ELSEWHERE = ['majorDecision', 'reviewPassed'];

/** What opening a case reads and checks before its transaction (who may, the agency, the definition). */
export interface NewCase {
  actor: Actor; input: CaseInput; agencyId: string; agencyName: string; def: ProcedureDefinition; state0: ProcedureState;
  facts: Record<string, FactValue>; cal: ProcedureCalendar; today: string;
}

export async function prepareCase(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CaseInput): Promise<NewCase> {
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
  return { actor, input, agencyId, agencyName: agency.name, def, state0, facts, cal: await getCalendar(ctx.db), today: todayInShanghai() };
}

/** The case's row, number and `cases.created` event, in the caller's transaction. */
export async function insertCaseInTx(tx: Queryable, p: NewCase): Promise<{ id: string; number: string }> {
  const { actor, input, agencyId, def, state0, facts, cal, today } = p;
  const id = crypto.randomUUID();
  const { number } = await nextDocumentNumber(tx, { agencyId, agencyAbbreviation: agencyAbbreviation(p.agencyName), kindAbbreviation: '案', year: Number(today.slice(0, 4)) });
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
  return { id, number };
}

export async function createCase(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CaseInput): Promise<{ id: string; number: string }> {
  const p = await prepareCase(ctx, req, actor, input);
  return ctx.db.transaction((tx) => insertCaseInTx(tx, p));
}

/**
 * Opens a case and does its first step in ONE transaction, with the caller's own rows (`also`): an
 * application made online never leaves a case without its 接收申请 step, nor a case without the
 * application that made it. The step's PDFs go to the evidence store after the commit, as performStep does.
 */
export async function createCaseWithFirstStep<T>(
  ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: CaseInput, step: StepCommand,
  also: (tx: Queryable, c: { id: string; number: string }) => Promise<T>,
): Promise<{ id: string; number: string; also: T }> {
  const p = await prepareCase(ctx, req, actor, input);
  const env: StepEnv = { def: p.def, cal: p.cal, today: p.today, officers: await officerCredentials(ctx, actor, p.agencyId, step.officerIds) };
  const done = await ctx.db.transaction(async (tx) => {
    const c = await insertCaseInTx(tx, p);
    const out = await performStepInTx(tx, ctx, actor, c.id, env, step);
    return { ...c, also: await also(tx, c), pdfs: out.pdfs };
  });
  await storeIssuedPdfs(ctx, actor, done.pdfs);
  return { id: done.id, number: done.number, also: done.also };
}
