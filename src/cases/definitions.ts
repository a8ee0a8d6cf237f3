// Which procedure definition a case runs: a built-in one (src/cases/procedures/definitions) or an
// agency's adaptation stored in procedure_adaptations. A case keeps the id and version it started with;
// both kinds are immutable, so a parsed definition is cached for the life of the process.
import type { Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { DOCUMENT_TYPES as STANDARD_DOCUMENTS, getDefinition, listAllDefinitionVersions, listDefinitions, parseDefinition, type ProcedureDefinition } from './procedures/index.ts';
import * as rulesRepo from './rules-store.ts';

const BUILT_IN = new Set(listDefinitions().map((d) => d.id));
const adapted = new Map<string, ProcedureDefinition>();
let adaptationsLoadedAt = 0;

export function isBuiltIn(id: string): boolean {
  return BUILT_IN.has(id);
}

/** The definition a new case of this agency starts on: the version asked for, or the latest. */
export async function definitionForNewCase(q: Queryable, agencyId: string, id: string, version?: number): Promise<ProcedureDefinition> {
  if (BUILT_IN.has(id)) return getDefinition(id, version);
  const row = await rulesRepo.getAdaptation(q, id, version);
  // An agency runs only its own adaptations.
  if (!row || row.agency_id !== agencyId) throw new AppError('validation', { detail: `程序「${id}」不存在或不属于本机关。`, errors: [{ field: 'procedureId', message: '程序不存在' }] });
  return cacheAdaptation(row);
}

/** The definition a case runs (the version it started with). */
export async function definitionOf(q: Queryable, id: string, version: number): Promise<ProcedureDefinition> {
  if (BUILT_IN.has(id)) return getDefinition(id, version);
  const hit = adapted.get(`${id}@${version}`);
  if (hit) return hit;
  const row = await rulesRepo.getAdaptation(q, id, version);
  if (!row) throw new AppError('internal', { detail: `案件所用程序「${id}」第${version}版缺失。` });
  return cacheAdaptation(row);
}

function cacheAdaptation(row: rulesRepo.AdaptationRow): ProcedureDefinition {
  const key = `${row.id}@${row.version}`;
  let def = adapted.get(key);
  if (!def) adapted.set(key, (def = parseDefinition(row.definition)));
  return def;
}

/**
 * The most calendar days before a deadline that any clock warns (working days counted generously, with
 * room for a holiday week): the case list reads only deadlines within this window for `clock=warning`.
 */
export async function maxWarnCalendarDays(q: Queryable): Promise<number> {
  // Adaptations may warn earlier than the built-in definitions: all of them are taken into account.
  let max = 0;
  for (const d of await everyDefinition(q)) {
    for (const c of d.clocks) max = Math.max(max, c.unit === 'working' ? Math.ceil((c.warnBeforeDays * 7) / 5) + 10 : c.warnBeforeDays);
  }
  return max;
}

/** Every version of every procedure, built-in and adapted (adaptations re-read at most once a minute). */
async function everyDefinition(q: Queryable): Promise<ProcedureDefinition[]> {
  if (Date.now() - adaptationsLoadedAt > 60_000) {
    for (const row of await rulesRepo.listAdaptations(q)) cacheAdaptation(row);
    adaptationsLoadedAt = Date.now();
  }
  return [...listAllDefinitionVersions(), ...adapted.values()];
}

/** The name of a document kind some procedure knows (the standard list or an adaptation's own kinds). */
export async function procedureDocumentName(q: Queryable, type: string): Promise<string | undefined> {
  const standard = STANDARD_DOCUMENTS.get(type);
  if (standard) return standard.name;
  for (const d of await everyDefinition(q)) {
    const own = d.documents.find((x) => x.key === type);
    if (own) return own.name;
  }
  return undefined;
}

/**
 * Where a case stands (its cursor: the last main step; null before the first) when some procedure may
 * offer it a step needing this role's approval next: the head's desk reads only open cases standing
 * there (index cases_open_cursor) before asking the engine which step it is. A superset: the engine's
 * conditions and exemptions (`unless`) are left to availableSteps.
 */
export async function cursorsBeforeApproval(q: Queryable, role: string): Promise<{ cursors: string[]; atStart: boolean }> {
  const cursors = new Set<string>();
  let atStart = false;
  for (const d of await everyDefinition(q)) {
    for (const s of d.steps) {
      if (!s.approval?.roles.includes(role as never)) continue;
      if (s.kind === 'side') s.during.forEach((k) => cursors.add(k));
      for (const x of d.steps) if (x.next.some((t) => t.to === s.key)) cursors.add(x.key);
      if (d.start === s.key) atStart = true;
    }
  }
  return { cursors: [...cursors].sort(), atStart };
}
