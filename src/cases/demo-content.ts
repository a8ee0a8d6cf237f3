// Filled-in document fields for a case on a given day: the documents module's samples (valid wording,
// valid codes) with the case's party, officers, number and dates put in. Used by the demo data, the
// API tests and the benchmark; never by real cases.
import { addDays } from '../platform/calendar/index.ts';
import { documentParty } from './document-prefill.ts';
import { isStructured } from './document-render.ts';
import { isForm, sampleFields, sampleFormFields, type DocumentType } from './documents/index.ts';
import { documentName } from './procedures/index.ts';

export interface DemoCaseInfo {
  number: string;
  title: string;
  party: { name: string; type: 'citizen' | 'organisation'; idType: 'credit_code' | 'id_card' | 'other'; idNumber: string | null; address: string };
  officers: { name: string; certificateNumber: string }[];
  facts?: Record<string, unknown>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T(\d{2}:\d{2})$/;
const OFFICER_LISTS = new Set(['handlers', 'inspectors', 'interviewers', 'investigators', 'officers']);

/** The case's party with sample wording where the case leaves a required part open. */
function demoParty(p: DemoCaseInfo['party']) {
  const organisation = p.type === 'organisation';
  return {
    ...documentParty(p),
    idNumber: p.idNumber ?? '（未提供）',
    address: p.address || (organisation ? '（住所待补）' : '（住址待补）'),
    ...(organisation ? { legalRepresentative: '王某某' } : {}),
  };
}

function shift(v: unknown, on: string, c: DemoCaseInfo, key = ''): unknown {
  if (typeof v === 'string') {
    if (DATE.test(v)) return on;
    const m = DATETIME.exec(v);
    if (m) return `${on}T${m[1]}`;
    return v;
  }
  if (Array.isArray(v)) {
    if (OFFICER_LISTS.has(key) && c.officers.length >= 2) return c.officers.map((o) => ({ ...o }));
    return v.map((x) => shift(x, on, c));
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (key === 'party' && 'idNumber' in o) return demoParty(c.party);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, k === 'caseNumber' ? c.number : shift(x, on, c, k)]));
  }
  return v;
}

export function demoDocumentFields(type: string, on: string, c: DemoCaseInfo, local: { key: string; name: string }[] = []): Record<string, unknown> {
  if (isForm(type)) return demoFormFields(type, on, c);
  if (!isStructured(type)) {
    const name = documentName(type, local);
    return {
      party: c.party.name,
      body: `${c.title}（${c.number}）。\n本${name}依据本案调查取证情况制作，载明事实、理由、依据及相关权利告知，经承办人员核对无误。\n（演示数据）`,
    };
  }
  const f = shift(sampleFields(type as DocumentType), on, c) as Record<string, unknown>;
  if (type === 'filing_approval') f.cause = c.title;
  if (type === 'hearing_notice') {
    f.hearingRequestedOn = on;
    f.hearingAt = `${addDays(on, 10)}T09:30`;
  }
  if (type === 'seizure_decision') {
    f.startDate = on;
    f.endDate = addDays(on, 29);
  }
  if (type === 'penalty_decision' && typeof c.facts?.fineAmount === 'number' && c.facts.fineAmount > 0) {
    f.penalties = [{ kind: '罚款', amount: c.facts.fineAmount }];
  }
  return f;
}

/** A generic form's sample with the case's party, officers, number and day; amounts from the case's facts. */
function demoFormFields(type: string, on: string, c: DemoCaseInfo): Record<string, unknown> {
  const f = shift(sampleFormFields(type), on, c) as Record<string, unknown>;
  for (const k of ['cause', 'partyName', 'payer', 'applicant'] as const) if (k in f) f[k] = k === 'cause' ? c.title : c.party.name;
  const fine = typeof c.facts?.fineAmount === 'number' ? c.facts.fineAmount : 0;
  if (type === 'onsite_penalty_decision') {
    f.penalties = c.facts?.penaltyKind === 'warning' || fine <= 0 ? [{ kind: '警告' }] : [{ kind: '罚款', amount: fine }];
    if (fine <= 0) delete f.payment;
  }
  if ((type === 'fine_receipt' || type === 'fine_remittance_record') && fine > 0) f.amount = fine;
  // Time limits counted from the day: a hearing announced at least seven days ahead (行政许可法第四十八条).
  if (type === 'hearing_public_notice') f.hearingAt = `${addDays(on, 10)}T09:30`;
  if (type === 'seizure_extension_decision') f.extendedEndDate = addDays(on, 30);
  return f;
}
