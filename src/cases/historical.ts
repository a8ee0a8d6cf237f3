// Cases taken over from before the platform (历史案件导入), as the supervision demo needs them: their
// steps were not run through the engine, so they may hold what the engine would refuse today (one
// officer, an expired certificate, a decision without review). The supervision alert rules exist for
// exactly these (R-R08: defence in depth over the engine). Each import is an event in the ledger.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import { recordChange } from '../platform/changes.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { nextDocumentNumber } from './documents/index.ts';
import { getDefinition, type ClockState, type StepRecord } from './procedures/index.ts';
import * as casesRepo from './store.ts';

export interface HistoricalCase {
  agencyId: string;
  procedureId: string;
  title: string;
  matter: { category: string; area: string };
  party: { name: string; type: 'citizen' | 'organisation'; idType: 'credit_code' | 'id_card' | 'other'; idNumber: string | null; address: string };
  facts: Record<string, string | number | boolean>;
  steps: Omit<StepRecord, 'actor' | 'approval' | 'presidedBy' | 'documents' | 'warnings' | 'note'>[];
  clocks: ClockState[];
  majorDecision: boolean;
  finished: boolean;
}

export async function importHistoricalCase(ctx: AppContext, actorId: string | null, c: HistoricalCase): Promise<{ id: string; number: string }> {
  const def = getDefinition(c.procedureId);
  const id = crypto.randomUUID();
  const { rows } = await ctx.db.query<{ name: string }>(`SELECT name FROM agencies WHERE id = $1`, [c.agencyId]);
  const year = Number((c.steps[0]?.on ?? '2026-01-01').slice(0, 4));
  const steps: StepRecord[] = c.steps.map((s) => ({ ...s, actor: { id: actorId ?? 'import', role: 'officer' }, approval: null, presidedBy: null, documents: [], warnings: [], note: '历史案件导入' }));
  const last = steps[steps.length - 1];
  const state = { definition: { id: def.id, version: def.version }, matter: c.matter, cursor: last?.step ?? null, finished: c.finished, steps, documents: [], facts: c.facts, clocks: c.clocks };
  return ctx.db.transaction(async (tx) => {
    const { number } = await nextDocumentNumber(tx, { agencyId: c.agencyId, agencyAbbreviation: agencyAbbreviation(rows[0]!.name), kindAbbreviation: '历案', year });
    await recordChange(tx, { kind: 'cases.imported', agencyId: c.agencyId, subjectType: 'case', subjectId: id, actorId, data: { caseId: id, number, procedure: { id: def.id, version: def.version }, title: c.title, state } });
    await casesRepo.insertCase(tx, {
      id, agencyId: c.agencyId, procedureId: def.id, procedureVersion: def.version, caseType: def.caseType, number, title: c.title, matter: c.matter, party: c.party, profile: {}, state,
      summary: { cursor: state.cursor, stage: null, status: c.finished ? 'finished' : 'open', nextDeadline: null, nextDeadlineClock: null, warnFrom: null, stepCount: steps.length, majorDecision: c.majorDecision, majorCatalogId: null, majorCatalogVersion: null, majorEntries: [] },
      createdBy: actorId,
    });
    return { id, number };
  });
}
