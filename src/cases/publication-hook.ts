// R-P11: when a step serves (or, for licensing, makes) a decision, the publicity domain makes a
// publication draft, or records why the rules exclude it, in the SAME transaction as the step. This is
// the cases side of that call: it finds the decision document and hands its text to publicity's service.
import type { Actor } from '../platform/actor.ts';
import type { Queryable } from '../platform/db.ts';
import type { WorkingCalendar } from '../platform/calendar/index.ts';
import { draftFromDecision, publicationTrigger } from '../publicity/service.ts';
import type { ComposedDocument } from './documents/index.ts';
import { composeForRender, hasForm, isLegacyText } from './document-render.ts';
import * as casesRepo from './store.ts';

/** The plain text of a composed document, line by line, as it is printed. */
export function composedText(doc: ComposedDocument): string {
  const lines = [...doc.headingLines, doc.numberLine?.text ?? ''];
  for (const b of doc.blocks) {
    if (b.kind === 'para') lines.push(b.text);
    else if (b.kind === 'field') lines.push(`${b.label}：${b.value}`);
    else if (b.kind === 'heading') lines.push(b.text);
    else if (b.kind === 'seal') lines.push(b.agency, b.date);
    else if (b.kind === 'grid') for (const row of b.rows) lines.push(row.map((c) => c.text).join(' '));
    else if (b.kind === 'table') lines.push(b.headers.join(' '), ...b.rows.map((r) => r.join(' ')));
  }
  return lines.filter((l) => l !== '').join('\n');
}

interface PenaltyField { kind: string; amount?: number; detail?: string }

export async function publicationHook(tx: Queryable, cal: Pick<WorkingCalendar, 'addWorkingDays'>, actor: Actor, row: casesRepo.CaseRow, step: string): Promise<void> {
  const trigger = publicationTrigger(row.procedure_id, step);
  if (!trigger) return;
  const docs = (await casesRepo.listDocuments(tx, row.id)).filter((d) => d.status === 'final' && trigger.documents.some((t) => t.type === d.type));
  const doc = docs[docs.length - 1];
  if (!doc) return;
  const kind = trigger.documents.find((t) => t.type === doc.type)!.kind;
  const f = doc.fields as Record<string, unknown>;
  const text = hasForm(doc.type) && !isLegacyText(doc.type, f)
    ? composedText(composeForRender({ type: doc.type, title: doc.title, number: doc.number, caseNumber: row.number, agencyName: row.agency_name, fields: f, issuedOn: doc.issued_on! }))
    : [doc.title, doc.number ?? '', f.party ? `当事人：${String(f.party)}` : '', String(f.body ?? ''), f.basis ? `依据：${String(f.basis)}` : ''].filter(Boolean).join('\n');
  const penalties = Array.isArray(f.penalties) ? (f.penalties as PenaltyField[]) : [];
  const party = (f.party && typeof f.party === 'object' ? f.party : {}) as { legalRepresentative?: string };
  const fine = penalties.filter((p) => p.kind === '罚款').reduce((s, p) => s + (p.amount ?? 0), 0);
  const confiscated = penalties.filter((p) => p.kind === '没收违法所得' || p.kind === '没收非法财物').reduce((s, p) => s + (p.amount ?? 0), 0);
  const content = penalties.length ? penalties.map((p) => `${p.kind}${p.amount !== undefined ? `${p.amount}元` : ''}${p.detail ? `（${p.detail}）` : ''}`).join('；') : doc.title;
  await draftFromDecision(tx, cal, {
    agencyId: row.agency_id,
    caseId: row.id,
    procedureId: row.procedure_id,
    kind,
    decidedOn: doc.issued_on!,
    documentNumber: doc.number ?? row.number,
    title: row.title,
    text,
    party: {
      name: row.party_name, type: row.party_type === 'citizen' ? 'citizen' : 'organisation', idNumber: row.party_id_type === 'id_card' ? row.party_id_number : null,
      legalRepresentative: party.legalRepresentative ?? null, creditCode: row.party_id_type === 'credit_code' ? row.party_id_number : null,
    },
    penaltyKinds: penalties.map((p) => p.kind),
    fineAmount: fine,
    violation: String(f.violatedProvisions ?? row.title),
    content,
    basis: String(f.penaltyBasis ?? f.basis ?? ''),
    exchange: { fine, confiscated, facts: typeof f.facts === 'string' ? f.facts : '', penaltyBasis: String(f.penaltyBasis ?? f.basis ?? ''), documentTitle: doc.title, caseNumber: row.number },
    actorId: actor.kind === 'user' ? actor.id : null,
  });
}
