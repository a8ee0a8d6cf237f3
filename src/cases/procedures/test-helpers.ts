// Fixtures for the procedures tests: officers with certificates, and a request builder that fills in
// what a diligent officer would (two certified officers, the head's approval, the documents the step
// makes, AV attached), so each test states only what it is about.
import type { Role } from '../../platform/actor.ts';
import { libraryCalendar } from '../../platform/calendar/calendar.ts';
import { applyStep, checkStep, type ApplyResult, type CheckResult, type EngineContext, type OfficerCredential, type StepRequest } from './engine.ts';
import type { ProcedureDefinition } from './schema.ts';
import type { ProcedureState } from './state.ts';

export const MATTER = { category: '市场监管', area: '330106' };

export function ctx(today = '2027-12-31'): EngineContext {
  return { calendar: libraryCalendar, today };
}

export function officer(id: string, name: string, cert: Partial<OfficerCredential['certificate']> = {}): OfficerCredential {
  return {
    id,
    name,
    certificate: {
      number: `33010020${id.padStart(4, '0')}`,
      status: 'valid',
      validFrom: '2024-01-01',
      validTo: '2029-12-31',
      categories: ['市场监管'],
      areas: ['330100'],
      ...cert,
    },
  };
}

export const ZHANG = officer('o1', '张明');
export const LI = officer('o2', '李华');
/** Not an investigator of the test cases: presides hearings. */
export const WANG = officer('o3', '王芳');
export const TWO = [ZHANG, LI];

export type Extra = Partial<Omit<StepRequest, 'step' | 'on'>>;

/** A request for `step` on `on` with everything a lawful step needs, overridden by `extra`. */
export function request(def: ProcedureDefinition, state: ProcedureState, step: string, on: string, extra: Extra = {}): StepRequest {
  const s = def.steps.find((x) => x.key === step);
  const role: Role = s && !s.roles.includes('officer') ? s.roles[0]! : 'officer';
  const seq = state.steps.length + 1;
  return {
    step,
    on,
    actor: { id: role === 'officer' ? ZHANG.id : `${role}-1`, role },
    officers: TWO,
    ...(s?.approval ? { approval: { by: 'head-1', name: '赵局长', role: 'agency_head' as const, on } } : {}),
    documents: (s?.produces ?? []).map((p) => ({ type: p.document, ref: `${step}-${p.document}-${seq}` })),
    av: { present: true },
    ...extra,
  };
}

export function attempt(def: ProcedureDefinition, state: ProcedureState, step: string, on: string, extra: Extra = {}, c = ctx()): ApplyResult {
  return applyStep(def, state, request(def, state, step, on, extra), c);
}

export function check(def: ProcedureDefinition, state: ProcedureState, step: string, on: string, extra: Extra = {}, c = ctx()): CheckResult {
  return checkStep(def, state, request(def, state, step, on, extra), c);
}

/** Apply a step that must be allowed; a refusal fails the test with its reasons. */
export function run(def: ProcedureDefinition, state: ProcedureState, step: string, on: string, extra: Extra = {}, c = ctx()): ProcedureState {
  const r = attempt(def, state, step, on, extra, c);
  if (!r.ok) throw new Error(`「${step}」被拒绝：${r.refusals.map((x) => `${x.code} ${x.reason}`).join('；')}`);
  return r.state;
}

export function codes(r: ApplyResult | CheckResult): string[] {
  return 'refusals' in r ? r.refusals.map((x) => x.code) : [];
}
