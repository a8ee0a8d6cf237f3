// Synthetic cases at any size, for benchmarks and load tests (`generateCases(ctx, { cases, seed })`).
// The scripted paths (demo-paths.ts) are walked once through the engine alone, at several start dates,
// giving a template state after every action; each generated case takes a template, an agency and a
// party, and is written in batches through INSERT … SELECT FROM jsonb_to_recordset. Each batch is one
// event and one ledger entry committing to the batch's content (as the officer generator does).
// Generated cases have their history in state.steps only (no case_steps, documents or records rows),
// their numbers are marked 合成, and they are never shown as real data.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import { recordChange } from '../platform/changes.ts';
import { addDays, getCalendar } from '../platform/calendar/index.ts';
import { createRng, fakeEnterprise, fakeIdNumber, fakePersonName } from '../registry/fake.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { summarise } from './access.ts';
import { PATHS, type Path } from './demo-paths.ts';
import {
  applyStep, clockStatus, evaluate, getDefinition, initialState, setFacts,
  type OfficerCredential, type ProcedureCalendar, type ProcedureDefinition, type ProcedureState, type StepRequest,
} from './procedures/index.ts';
import type { CaseSummary } from './store.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { DEFAULT_CATALOG, evaluateCatalog } from '../review/catalog.ts';

const PLACEHOLDER = { category: '合成', area: '合成' };
// The engine walks the templates with this crew; each generated case then names registered officers of its
// own agency instead (withCrew), so that only real problems raise alerts (证件过期仍执法 reads the registry).
const crew: OfficerCredential[] = ['合成执法人员甲', '合成执法人员乙', '合成执法人员丙'].map((name, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i + 1}`,
  name,
  certificate: { number: `合成${String(i + 1).padStart(8, '0')}`, status: 'valid', validFrom: '2000-01-01', validTo: '2099-12-31', categories: [PLACEHOLDER.category], areas: [PLACEHOLDER.area] },
}));

export interface CaseTemplate {
  procedureId: string;
  version: number;
  caseType: string;
  title: string;
  profile: object;
  state: ProcedureState;
  summary: CaseSummary;
  createdOn: string;
}

function catalogFacts(def: ProcedureDefinition, path: Path, state: ProcedureState) {
  const answer = evaluateCatalog(DEFAULT_CATALOG, { procedureId: def.id, baseProcedureId: null, caseType: def.caseType, facts: state.facts, profile: path.profile ?? {} });
  if (!def.facts.some((f) => f.key === 'majorDecision')) return { state, answer: null };
  const r = setFacts(def, state, { majorDecision: answer.major });
  return { state: r.ok ? r.state : state, answer };
}

/** The states of one path walked from `start`, one after each action the engine allows. */
export function walkTemplates(def: ProcedureDefinition, path: Path, start: string, cal: ProcedureCalendar, today: string): CaseTemplate[] {
  const out: CaseTemplate[] = [];
  let state = initialState(def, { matter: PLACEHOLDER, facts: def.facts.some((f) => f.key === 'partyType') ? { partyType: 'legal_person' } : {} });
  let cat = catalogFacts(def, path, state);
  state = cat.state;
  const snap = () =>
    out.push({
      procedureId: def.id, version: def.version, caseType: def.caseType, title: path.title, profile: { penaltyKinds: [], flags: [], ...(path.profile ?? {}) }, state, createdOn: start,
      summary: summarise(def, state, cal, today, { major: cat.answer?.major ?? null, catalogId: null, catalogVersion: null, matched: cat.answer?.matched ?? [] }),
    });
  snap();
  let on = start;
  for (const a of path.actions) {
    if (a.step === 'archive') break;
    const s = def.steps.find((x) => x.key === a.step)!;
    const planned = addDays(start, a.day);
    on = planned > on ? planned : on;
    const facts = { ...Object.fromEntries(def.facts.filter((f) => f.default !== undefined).map((f) => [f.key, f.default!])), ...state.facts, ...(a.facts ?? {}), ...s.assigns };
    let done = false;
    for (let attempt = 0; attempt < 4 && !done && on <= today; attempt++) {
      const req: StepRequest = {
        step: a.step, on, actor: { id: 'generator', role: a.by === 'head' ? 'agency_head' : s.roles.includes('officer') ? 'officer' : s.roles[0]! },
        officers: crew.slice(0, a.presider ? 3 : 2),
        ...(s.approval ? { approval: { by: 'generator-head', name: '合成负责人', role: 'agency_head' as const, on } } : {}),
        ...(a.presider ? { presidedBy: crew[2]!.id } : {}),
        facts: { ...(a.facts ?? {}), ...(a.step === 'legal_review' ? { reviewPassed: a.review !== 'problems' } : {}) },
        documents: s.produces.filter((p) => !p.when || evaluate(p.when, facts) === true).map((p) => ({ type: p.document, ref: `synthetic:${p.document}` })),
        av: { present: true },
        ...(s.clocks.pause.some((p) => !p.reason) ? { pauseReason: def.clocks.find((k) => k.key === s.clocks.pause[0]!.clock)?.pause?.reasons[0] } : {}),
      };
      const r = applyStep(def, state, req, { calendar: cal, today });
      if (r.ok) {
        state = r.state;
        done = true;
        break;
      }
      const early = r.refusals.filter((x) => x.code === 'too_early' && x.clock);
      if (!early.length || early.length !== r.refusals.length) break;
      const clocks = clockStatus(def, state, on, cal);
      for (const x of early) {
        const dl = clocks.find((c) => c.key === x.clock)?.deadline ?? on;
        const d = s.notBefore.find((n) => n.clock === x.clock)?.sameDay ? dl : addDays(dl, 1);
        if (d > on) on = d;
      }
    }
    if (!done) break;
    cat = catalogFacts(def, path, state);
    state = cat.state;
    snap();
  }
  return out;
}

/** Start dates of the templates: one a week over two years before the latest possible. */
export const TEMPLATE_WEEKS = 104;

export interface TemplateGroup {
  /** Days before the latest start date. */
  back: number;
  /** The states after each action of one path started that day; the last is as far as it got. */
  states: CaseTemplate[];
}

/** Every path walked from a start date each week over two years. */
export function caseTemplates(cal: ProcedureCalendar, today: string, weeks = TEMPLATE_WEEKS): TemplateGroup[] {
  const out: TemplateGroup[] = [];
  for (const path of PATHS) {
    const def = getDefinition(path.procedure);
    const last = Math.max(...path.actions.map((a) => a.day));
    for (let w = 0; w < weeks; w++) out.push({ back: w * 7, states: walkTemplates(def, path, addDays(today, -(last + 10 + w * 7)), cal, today) });
  }
  return out;
}

interface CrewMember {
  id: string;
  name: string;
  certificateNumber: string;
}
interface RegisteredOfficer extends CrewMember {
  validFrom: string;
  validTo: string;
}

/** The template's state with crew member i of the walk replaced by `members[i]` in every step (and as presider). */
function withCrew(state: ProcedureState, members: readonly CrewMember[]): ProcedureState {
  const swap = new Map(crew.map((c, i) => [c.id, members[i]!]));
  return {
    ...state,
    steps: state.steps.map((s) => ({
      ...s, officers: s.officers.map((o) => swap.get(o.id) ?? o), presidedBy: s.presidedBy ? swap.get(s.presidedBy)?.id ?? s.presidedBy : s.presidedBy,
    })),
  };
}

/** First and last step day of a template (the span its officers' certificates must cover). */
const spanOf = (state: ProcedureState) => (state.steps.length ? `${state.steps[0]!.on}|${state.steps.at(-1)!.on}` : '');

/**
 * Three distinct officers of the agency for a case whose steps span `span`: those whose certificate covers
 * the whole span first (drawn from a random start, so cases spread over them), then the agency's other
 * certified officers, then the walk's synthetic crew if the agency has fewer than three.
 */
function pickCrew(officers: readonly RegisteredOfficer[], span: string, covering: Map<string, RegisteredOfficer[]>, start: number): CrewMember[] {
  let fit = covering.get(span);
  if (!fit) {
    const [from, to] = span.split('|');
    fit = span ? officers.filter((o) => o.validFrom <= from! && o.validTo >= to!) : [...officers];
    covering.set(span, fit);
  }
  const out: CrewMember[] = [];
  if (fit.length >= 3) for (let i = 0; i < 3; i++) out.push(fit[(start + i) % fit.length]!);
  else for (const o of [...fit, ...officers.filter((x) => !fit.includes(x))]) if (out.length < 3) out.push(o);
  for (const c of crew) if (out.length < 3) out.push({ id: c.id, name: c.name, certificateNumber: c.certificate.number });
  return out.map(({ id, name, certificateNumber }) => ({ id, name, certificateNumber }));
}

export interface GenerateCasesOptions {
  cases: number;
  seed: number | string;
  /** Enforcement agencies to spread the cases over (default: all). */
  agencyIds?: string[];
  batch?: number;
  onBatch?: (done: number) => void;
}

export async function generateCases(ctx: AppContext, opts: GenerateCasesOptions): Promise<{ cases: number; agencies: number; templates: number; seconds: number }> {
  const t0 = performance.now();
  const today = todayInShanghai();
  const groups = caseTemplates(await getCalendar(ctx.db), today);
  const templates = groups.reduce((n, g) => n + g.states.length, 0);
  const { rows: agencies } = await ctx.db.query<{ id: string; name: string; region_code: string; category: string | null; area: string | null }>(
    `SELECT a.id, a.name, a.region_code, o.category, o.area FROM agencies a
       LEFT JOIN LATERAL (SELECT category, area FROM officers WHERE agency_id = a.id AND status = 'valid' LIMIT 1) o ON true
      WHERE a.kind = 'enforcement' ${opts.agencyIds ? 'AND a.id = ANY($1)' : ''} ORDER BY a.region_code, a.id`,
    opts.agencyIds ? [opts.agencyIds] : [],
  );
  if (!agencies.length) return { cases: 0, agencies: 0, templates, seconds: 0 };
  const { rows: registered } = await ctx.db.query<{ id: string; agency_id: string; name: string; certificate_number: string; valid_from: string; valid_to: string }>(
    `SELECT id, agency_id, name, certificate_number, valid_from::text, valid_to::text FROM officers
      WHERE status = 'valid' AND agency_id = ANY($1::uuid[]) ORDER BY agency_id, valid_to DESC, certificate_number`,
    [agencies.map((a) => a.id)],
  );
  const officersOf = new Map<string, RegisteredOfficer[]>(agencies.map((a) => [a.id, []]));
  for (const o of registered) officersOf.get(o.agency_id)!.push({ id: o.id, name: o.name, certificateNumber: o.certificate_number, validFrom: o.valid_from, validTo: o.valid_to });
  const coveringOf = new Map(agencies.map((a) => [a.id, new Map<string, RegisteredOfficer[]>()]));
  const rng = createRng(`cases-${opts.seed}`);
  const { rows: existing } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE number LIKE '%案合成〔%'`);
  let serial = existing[0]!.n;
  const abbr = new Map(agencies.map((a) => [a.id, agencyAbbreviation(a.name)]));
  const batchSize = opts.batch ?? 2000;
  let done = 0;
  while (done < opts.cases) {
    const n = Math.min(batchSize, opts.cases - done);
    const batch: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const a = agencies[rng.int(0, agencies.length - 1)]!;
      // As in a real register: old cases are mostly finished, recent ones mostly under way.
      const g = groups[rng.int(0, groups.length - 1)]!;
      const t = rng.chance(Math.min(0.97, g.back / 120)) ? g.states.at(-1)! : g.states[rng.int(0, g.states.length - 1)]!;
      serial++;
      const citizen = rng.chance(0.35);
      const person = citizen ? fakePersonName(rng) : null;
      // Fake credit codes have 31^4 serials per region; parties may repeat across a million cases.
      const org = citizen ? null : fakeEnterprise(rng, a.region_code, serial % 923_521);
      const matter = { category: a.category ?? '综合行政执法', area: a.area ?? a.name };
      const created = new Date(`${t.createdOn}T${String(rng.int(0, 9) + 8).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+08:00`);
      const s = t.summary;
      batch.push({
        id: crypto.randomUUID(), agency_id: a.id, procedure_id: t.procedureId, procedure_version: t.version, case_type: t.caseType,
        number: `${abbr.get(a.id)}案合成〔${t.createdOn.slice(0, 4)}〕${serial}号`, title: `${t.title}（合成）`, matter_category: matter.category, matter_area: matter.area,
        party_name: person?.name ?? org!.name, party_type: citizen ? 'citizen' : 'organisation', party_id_type: citizen ? 'id_card' : 'credit_code',
        party_id_number: citizen ? fakeIdNumber(serial, person!.gender) : org!.creditCode, profile: t.profile,
        state: { ...withCrew(t.state, pickCrew(officersOf.get(a.id)!, spanOf(t.state), coveringOf.get(a.id)!, rng.int(0, 1_000_000))), matter },
        cursor: s.cursor, stage: s.stage, status: s.status, next_deadline: s.nextDeadline, next_deadline_clock: s.nextDeadlineClock, warn_from: s.warnFrom,
        step_count: s.stepCount, major_decision: s.majorDecision, major_entries: s.majorEntries, created_at: created.toISOString(),
      });
    }
    const payload = JSON.stringify(batch);
    await ctx.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type,
           party_id_number, profile, state, cursor, stage, status, next_deadline, next_deadline_clock, warn_from, step_count, major_decision, major_entries, created_at, updated_at)
         SELECT id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type,
           party_id_number, profile, state, cursor, stage, status, next_deadline, next_deadline_clock, warn_from, step_count, major_decision, major_entries, created_at, created_at
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, agency_id uuid, procedure_id text, procedure_version int, case_type text, number text, title text,
             matter_category text, matter_area text, party_name text, party_type text, party_id_type text, party_id_number text, profile jsonb, state jsonb, cursor text,
             stage text, status text, next_deadline date, next_deadline_clock text, warn_from date, step_count int, major_decision boolean, major_entries jsonb, created_at timestamptz)`,
        [payload],
      );
      await recordChange(tx, {
        kind: 'cases.generated', agencyId: null, subjectType: 'case_batch', subjectId: String(batch[0]!.id), actorId: null,
        data: { count: batch.length, sha256: crypto.createHash('sha256').update(payload).digest('hex') },
      });
    });
    done += n;
    opts.onBatch?.(done);
  }
  return { cases: done, agencies: agencies.length, templates, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Fast top-up to a million cases for benchmarks (bench/supervision.ts): copies cases already generated
 * with INSERT … SELECT inside the database (fresh ids, 案号 with a copy suffix), skipping the engine walk
 * and the JSON transfer that bound `generateCases` to a few hundred cases a second on a loaded machine.
 * Copies repeat their originals' states, agencies and parties: the same work per case for whatever reads
 * them, not new variety. One event per statement, as the generator records its batches.
 */
export async function copyGeneratedCases(ctx: AppContext, opts: { cases: number; batch?: number; onBatch?: (done: number) => void }): Promise<number> {
  const batch = opts.batch ?? 50_000;
  let done = 0;
  for (let round = 1, copied = -1; done < opts.cases && copied !== 0; round++) {
    let after = '00000000-0000-0000-0000-000000000000';
    copied = 0;
    for (;;) {
      const n = Math.min(batch, opts.cases - done);
      if (n <= 0) break;
      const r = await ctx.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ n: number; last: string | null }>(
          `WITH src AS (SELECT * FROM cases WHERE id > $1::uuid AND number LIKE '%案合成〔%' AND number NOT LIKE '%-副本%' ORDER BY id LIMIT $2),
           ins AS (
             INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type,
               party_id_number, profile, state, cursor, stage, status, next_deadline, next_deadline_clock, warn_from, step_count, major_decision, major_entries, created_at, updated_at)
             SELECT gen_random_uuid(), agency_id, procedure_id, procedure_version, case_type, regexp_replace(number, '号$', '-副本' || $3::int || '号'), title, matter_category,
               matter_area, party_name, party_type, party_id_type, party_id_number, profile, state, cursor, stage, status, next_deadline, next_deadline_clock, warn_from,
               step_count, major_decision, major_entries, created_at, updated_at FROM src RETURNING 1)
           SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT max(id::text) FROM src) AS last`,
          [after, n, round],
        );
        if (rows[0]!.n) {
          await recordChange(tx, { kind: 'cases.generated', agencyId: null, subjectType: 'case_batch', subjectId: rows[0]!.last!, actorId: null, data: { count: rows[0]!.n, copyOf: { after, round } } });
        }
        return rows[0]!;
      });
      if (!r.n) break;
      done += r.n;
      copied += r.n;
      after = r.last!;
      opts.onBatch?.(done);
    }
  }
  return done;
}
