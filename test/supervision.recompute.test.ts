// R-R08, the full recomputation at scale: a batch read by pages (or ids) has the facts the per-case path (the
// step's own evaluation) reads; page ranges cover every case exactly once; a parallel recomputation raises
// exactly what the rules find case by case; a case changed after its page was read is judged by the pass's
// catch-up; a stale alert is closed once, with one event, whoever else closes it. The batch reads the stored
// rule_state (migration 0172), which follows every write of the state; a row not filled yet is read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { generateCases } from '../src/cases/generate.ts';
import { agencyActivity, caseFacts, caseFactsBatch, casePages, casesChangedSinceMark, decodeRuleState, type RuleState, type StoredRuleState } from '../src/cases/supervision-facts.ts';
import type { ProcedureState } from '../src/cases/procedures/index.ts';
import { addDays, getCalendar } from '../src/platform/calendar/index.ts';
import { todayInShanghai } from '../src/platform/validation.ts';
import { recomputeAlerts } from '../src/supervision/alerts.ts';
import { ALERT_RULES, evaluateCase } from '../src/supervision/rules.ts';
import { judgePagesOnThreads } from '../src/supervision/recompute-threads.ts';
import * as alertStore from '../src/supervision/store.ts';

let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
  await generateCases(w.app.ctx, { cases: 400, seed: 'recompute' });
  // Generated steps name certified officers of the case's agency: let a few name one the registry does not know.
  await w.app.ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{steps,0,officers,0,id}', to_jsonb($1::text))
    WHERE id IN (SELECT id FROM cases WHERE jsonb_array_length(state->'steps') > 0 ORDER BY id LIMIT 5)`, [crypto.randomUUID()]);
});
afterAll(async () => {
  await w?.app.close();
});

/** RuleState as its type declares it, taken from the whole state in TypeScript: what the stored rule_state must equal. */
const ruleState = (s: ProcedureState): RuleState => ({
  facts: s.facts, clocks: s.clocks,
  steps: s.steps.map((x) => ({ seq: x.seq, step: x.step, on: x.on, av: x.av, facts: x.facts, officers: x.officers.map((o) => ({ id: o.id, certificateNumber: o.certificateNumber })) })),
});

const everyPage = async () => (await casePages(w.app.ctx.db)).pages + 1;

/** The facts with the certificates of the case's own officers only: a batch shares one map among its cases, the per-case path reads its own. */
const ownCertificates = <F extends { state: RuleState; certificates: ReadonlyMap<string, unknown> }>(f: F): F => {
  const named = new Set(f.state.steps.flatMap((s) => s.officers.map((o) => o.id)));
  return { ...f, certificates: new Map([...f.certificates].filter(([id]) => named.has(id))) };
};

describe('full recomputation (R-R08)', () => {
  it('reads a batch, by pages or by ids, with the same facts as the per-case path', async () => {
    const db = w.app.ctx.db;
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    const byPages = await caseFactsBatch(db, { pages: [0, await everyPage()], from: '2000-01-01' });
    const byIds = await caseFactsBatch(db, { afterId: null, limit: 100_000, from: '2000-01-01' });
    expect(byPages).toHaveLength(rows[0]!.n);
    expect(byIds).toHaveLength(rows[0]!.n);
    // One certificate map for the batch, holding every certificate its cases' steps name (the five unknown officers aside).
    expect(new Set(byPages.map((f) => f.certificates)).size).toBe(1);
    expect(byPages.filter((f) => ownCertificates(f).certificates.size > 0).length).toBeGreaterThan(rows[0]!.n / 2);
    for (const f of byPages) {
      const whole = (await caseFacts(db, f.id))!;
      expect(ownCertificates(f)).toStrictEqual({ ...whole, state: ruleState(whole.state) });
    }
    expect([...byPages].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(byIds);
  });

  it('reads the whole state of a case whose rule_state is not filled yet, and the recomputation fills it without changing the case', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const cal = await getCalendar(ctx.db);
    // As rows written before migration 0172 are: the trigger fills rule_state on writes of the state only.
    const { rows: unfilled } = await ctx.db.query<{ id: string; updated_at: string }>(
      `UPDATE cases SET rule_state = NULL WHERE id IN (SELECT id FROM cases ORDER BY id DESC LIMIT 7) RETURNING id, updated_at::text`);
    expect(unfilled).toHaveLength(7);
    const ids = unfilled.map((r) => r.id);
    const batch = (await caseFactsBatch(ctx.db, { pages: [0, await everyPage()], from: '2000-01-01' })).filter((f) => ids.includes(f.id));
    expect(batch).toHaveLength(7);
    for (const f of batch) {
      const whole = (await caseFacts(ctx.db, f.id))!;
      expect(ownCertificates(f)).toStrictEqual(whole);
      expect(evaluateCase({ ...f, discretion: null }, asOf, cal)).toEqual(evaluateCase({ ...whole, state: ruleState(whole.state), discretion: null }, asOf, cal));
    }
    await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 2 });
    const { rows } = await ctx.db.query<{ id: string; updated_at: string; rule_state: StoredRuleState; state: ProcedureState }>(
      `SELECT id, updated_at::text, rule_state, state FROM cases WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(rows.map((r) => ({ id: r.id, updated_at: r.updated_at })).sort(byId)).toEqual([...unfilled].sort(byId));
    for (const r of rows) expect(decodeRuleState(r.rule_state)).toStrictEqual(ruleState(r.state));
    const { rows: missing } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE rule_state IS NULL`);
    expect(missing[0]!.n).toBe(0);
  });

  it('stores each officer of a case once, with its certificate number, and each step naming them by index (migration 0174)', async () => {
    const db = w.app.ctx.db;
    const { rows: [row] } = await db.query<{ id: string; state: ProcedureState }>(
      `SELECT id, state FROM cases WHERE jsonb_array_length(state->'steps') >= 3 AND jsonb_array_length(state->'steps'->0->'officers') = 2 ORDER BY id LIMIT 1`);
    const state = row!.state;
    const [a, b] = state.steps[0]!.officers;
    // Step 2 by one officer; step 3 by the first one again, now under another certificate number, and a third.
    const other = { id: crypto.randomUUID(), name: '第三人', certificateNumber: '浙00000000000001' };
    state.steps[1]!.officers = [b!];
    state.steps[2]!.officers = [{ ...a!, certificateNumber: '浙99999999999999' }, other, b!];
    const { rows: [stored] } = await db.query<{ rule_state: StoredRuleState; type: string }>(
      `UPDATE cases SET state = $2::jsonb WHERE id = $1 RETURNING rule_state, pg_typeof(rule_state)::text AS type`, [row!.id, JSON.stringify(state)]);
    expect(stored!.type).toBe('json');
    const officers = [[a!.id, a!.certificateNumber], [b!.id, b!.certificateNumber], [a!.id, '浙99999999999999'], [other.id, other.certificateNumber]];
    // (Later steps may name others after these.)
    expect(stored!.rule_state.officers.slice(0, 4)).toEqual(officers);
    expect(stored!.rule_state.steps.slice(0, 3).map((x) => x[5])).toEqual([[0, 1], [1], [2, 3, 1]]);
    expect(stored!.rule_state.steps[2]!.slice(0, 3)).toEqual([state.steps[2]!.seq, state.steps[2]!.step, state.steps[2]!.on]);
    expect(decodeRuleState(stored!.rule_state)).toStrictEqual(ruleState(state));
  });

  it('splits the pages into ranges that hold every case exactly once', async () => {
    const db = w.app.ctx.db;
    const pages = await everyPage();
    expect(pages).toBeGreaterThan(3);
    const seen: string[] = [];
    for (let p = 0; p < pages; p += 3) seen.push(...(await caseFactsBatch(db, { pages: [p, p + 3], from: '2000-01-01' })).map((f) => f.id));
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM cases ORDER BY id`);
    expect(seen.sort()).toEqual(rows.map((r) => r.id));
  });

  it('raises exactly what the rules find case by case, whatever the number of batches at once', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const r = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect(r.workers).toBe(ctx.db.engine === 'postgres' ? 3 : 1);
    // Expected: each case's facts as the step's own evaluation reads them (caseFacts), judged case by case.
    const { rows: ids } = await ctx.db.query<{ id: string }>(`SELECT id FROM cases ORDER BY id`);
    expect(r.cases).toBe(ids.length);
    const cal = await getCalendar(ctx.db);
    const facts = await Promise.all(ids.map(async ({ id }) => (await caseFacts(ctx.db, id))!));
    const expected = facts.flatMap((f) => evaluateCase({ ...f, discretion: null }, asOf, cal).map((x) => `${x.kind}:${f.id}`)).sort();
    expect(expected.length).toBeGreaterThan(20);
    expect(new Set(expected.map((k) => k.split(':')[0])).size).toBeGreaterThan(3);
    expect(expected.filter((k) => k.startsWith('certificate_invalid:')).length).toBeGreaterThanOrEqual(5);
    const { rows } = await ctx.db.query<{ subject_key: string }>(`SELECT subject_key FROM supervision_alerts WHERE case_id IS NOT NULL AND kind NOT IN ('publication_overdue', 'withdrawal_overdue', 'discretion_outlier')`);
    expect(rows.map((x) => x.subject_key).sort()).toEqual(expected.filter((k) => !k.startsWith('discretion_outlier:')));
    // Each alert carries its own rule's basis and severity (a batch sends each distinct basis once, by position).
    const { rows: stored } = await ctx.db.query<{ rule_code: string; rule_version: number; severity: string; basis: string }>(
      `SELECT DISTINCT rule_code, rule_version, severity, basis FROM supervision_alerts WHERE case_id IS NOT NULL`);
    expect(stored.length).toBeGreaterThan(3);
    for (const a of stored) {
      const rule = ALERT_RULES.find((x) => x.code === a.rule_code && x.version === a.rule_version)!;
      expect({ severity: a.severity, basis: a.basis }).toEqual({ severity: rule.severity, basis: rule.basis });
    }
    // A second pass finds nothing new and closes nothing.
    const again = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect({ raised: again.raised, closed: again.closed, cases: again.cases }).toEqual({ raised: 0, closed: 0, cases: facts.length });
  });
  it('closes the unresolved alerts whose problem the rules no longer find, and leaves resolved ones as they are', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    // Alerts of a kind the rules do not find for that case (the pass above raised every finding): one open,
    // one already resolved by a supervisor; and the case's real alerts, which stay open.
    const { rows } = await ctx.db.query<{ id: string; kind: string; rule_code: string; rule_version: number; severity: string; basis: string; agency_id: string; region_code: string; case_id: string; raised_on: string }>(
      `SELECT a.id, a.kind, a.rule_code, a.rule_version, a.severity, a.basis, a.agency_id, a.region_code, a.case_id, a.raised_on::text
         FROM supervision_alerts a WHERE a.case_id IS NOT NULL AND a.status = 'open' ORDER BY a.id`);
    const kinds = [...new Set(rows.map((r) => r.kind))];
    const spare = (caseId: string) => rows.find((r) => r.case_id !== caseId && !rows.some((x) => x.case_id === caseId && x.kind === r.kind))!;
    const [c1, c2] = [...new Set(rows.map((r) => r.case_id))].filter((c) => rows.filter((r) => r.case_id === c).length < kinds.length);
    expect(c1 && c2).toBeTruthy();
    const fake = [c1!, c2!].map((caseId) => {
      const t = spare(caseId);
      return { id: crypto.randomUUID(), subjectKey: `${t.kind}:${caseId}`, kind: t.kind, ruleCode: t.rule_code, ruleVersion: t.rule_version, severity: t.severity, basis: t.basis, agencyId: t.agency_id, regionCode: t.region_code, caseId, raisedOn: t.raised_on, detail: {} };
    });
    expect((await alertStore.insertAlerts(ctx.db, fake)).size).toBe(2);
    await alertStore.resolveAlert(ctx.db, fake[1]!.id, null, '监督人员已核实办结');
    const realOfC1 = rows.filter((r) => r.case_id === c1).map((r) => r.id);

    const r = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 3 });
    expect({ raised: r.raised, closed: r.closed }).toEqual({ raised: 0, closed: 1 });
    const after = async (id: string) => (await ctx.db.query<{ status: string; resolution: string | null; resolved_by: string | null }>(`SELECT status, resolution, resolved_by FROM supervision_alerts WHERE id = $1`, [id])).rows[0]!;
    expect(await after(fake[0]!.id)).toEqual({ status: 'resolved', resolution: '重新计算时问题已不存在，系统自动关闭', resolved_by: null });
    expect((await after(fake[1]!.id)).resolution).toBe('监督人员已核实办结');
    for (const id of realOfC1) expect((await after(id)).status).toBe('open');
  });

  it('judges in its catch-up a case changed after its page was read', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const { rows: all } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    // A case without 证件过期仍执法 so far.
    const { rows: clean } = await ctx.db.query<{ id: string }>(
      `SELECT c.id FROM cases c WHERE jsonb_array_length(c.state->'steps') > 0
          AND NOT EXISTS (SELECT 1 FROM supervision_alerts s WHERE s.case_id = c.id AND s.kind = 'certificate_invalid') ORDER BY c.id LIMIT 1`);
    const target = clean[0]!.id;
    let changed = false;
    // After the last page's batch has committed (every case judged once), the case names an officer the registry does not know.
    const r = await recomputeAlerts(ctx, {
      from: '2000-01-01', asOf, batch: 37, workers: 1,
      onBatch: async (done) => {
        if (done !== all[0]!.n || changed) return;
        changed = true;
        await ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{steps,0,officers,0,id}', to_jsonb($2::text)), updated_at = now() WHERE id = $1`, [target, crypto.randomUUID()]);
      },
    });
    expect(changed).toBe(true);
    expect(r.cases).toBe(all[0]!.n + 1);
    const { rows } = await ctx.db.query<{ status: string }>(`SELECT status FROM supervision_alerts WHERE case_id = $1 AND kind = 'certificate_invalid'`, [target]);
    expect(rows).toEqual([{ status: 'open' }]);
  });

  it('marks the pass start no later than a transaction still open, whose change it must then re-read', async () => {
    const db = w.app.ctx.db;
    const mark = await casesChangedSinceMark(db);
    const { rows } = await db.query<{ before: boolean }>(`SELECT $1::timestamptz <= now() AS before`, [mark]);
    expect(rows[0]!.before).toBe(true);
    if (db.engine !== 'postgres') return;
    // PostgreSQL: a transaction begun before the mark (here: held open on another connection) commits a case change afterwards.
    let release!: () => void;
    let begun!: () => void;
    const open = new Promise<void>((r) => (begun = r));
    const held = db.transaction(async (tx) => {
      const { rows: t } = await tx.query<{ t: string }>(`SELECT now()::text AS t`);
      begun();
      await new Promise<void>((r) => (release = r));
      return t[0]!.t;
    });
    await open;
    const later = await casesChangedSinceMark(db);
    release();
    const started = await held;
    const { rows: cmp } = await db.query<{ covered: boolean }>(`SELECT $1::timestamptz <= $2::timestamptz AS covered`, [later, started]);
    expect(cmp[0]!.covered).toBe(true);
  });

  it('closes a stale alert once, with one event, when two passes or a supervisor race for it', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const { rows } = await ctx.db.query<{ kind: string; rule_code: string; rule_version: number; severity: string; basis: string; agency_id: string; region_code: string; case_id: string; raised_on: string }>(
      `SELECT a.kind, a.rule_code, a.rule_version, a.severity, a.basis, a.agency_id, a.region_code, a.case_id, a.raised_on::text
         FROM supervision_alerts a WHERE a.kind = 'overdue_decision' ORDER BY a.id LIMIT 1`);
    const t = rows[0]!;
    const other = (await ctx.db.query<{ id: string }>(`SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM supervision_alerts s WHERE s.case_id = c.id AND s.kind = $1) ORDER BY c.id LIMIT 2`, [t.kind])).rows;
    const fake = other.map((c) => ({ id: crypto.randomUUID(), subjectKey: `${t.kind}:${c.id}`, kind: t.kind, ruleCode: t.rule_code, ruleVersion: t.rule_version, severity: t.severity, basis: t.basis, agencyId: t.agency_id, regionCode: t.region_code, caseId: c.id, raisedOn: t.raised_on, detail: {} }));
    expect((await alertStore.insertAlerts(ctx.db, fake)).size).toBe(2);
    const [a, b] = await Promise.all([recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 50, workers: 2 }), recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 50, workers: 2 })]);
    expect(a.closed + b.closed).toBe(2);
    const { rows: events } = await ctx.db.query<{ subject_id: string }>(`SELECT subject_id FROM events WHERE kind = 'supervision.alert_closed' AND subject_id = ANY($1::text[])`, [fake.map((f) => f.id)]);
    expect(events.map((e) => e.subject_id).sort()).toEqual(fake.map((f) => f.id).sort());
    // A supervisor's resolution that came first stays: the closing statement leaves a resolved alert alone and answers nothing.
    const { rows: before } = await ctx.db.query<{ resolved_at: Date }>(`SELECT resolved_at FROM supervision_alerts WHERE id = $1`, [fake[0]!.id]);
    expect(await alertStore.resolveAlerts(ctx.db, [fake[0]!.id], crypto.randomUUID(), '另一理由')).toEqual([]);
    const { rows: after } = await ctx.db.query<{ resolution: string; resolved_by: string | null; resolved_at: Date }>(`SELECT resolution, resolved_by, resolved_at FROM supervision_alerts WHERE id = $1`, [fake[0]!.id]);
    expect(after[0]).toEqual({ resolution: '重新计算时问题已不存在，系统自动关闭', resolved_by: null, resolved_at: before[0]!.resolved_at });
  });

  it('judges the pages on worker threads, each with its own connections, as the calling thread does: a new problem raised, a stale alert closed', async () => {
    const ctx = w.app.ctx;
    const asOf = todayInShanghai();
    const { rows: all } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    // A case that now names an officer the registry does not know, and a stale alert on another case.
    const { rows: clean } = await ctx.db.query<{ id: string }>(
      `SELECT c.id FROM cases c WHERE jsonb_array_length(c.state->'steps') > 0
          AND NOT EXISTS (SELECT 1 FROM supervision_alerts s WHERE s.case_id = c.id AND s.kind IN ('certificate_invalid', 'overdue_decision')) ORDER BY c.id LIMIT 2`);
    const [target, stale] = clean.map((r) => r.id);
    await ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{steps,0,officers,0,id}', to_jsonb($2::text)), updated_at = now() WHERE id = $1`, [target, crypto.randomUUID()]);
    const { rows: t } = await ctx.db.query<{ rule_code: string; rule_version: number; severity: string; basis: string; agency_id: string; region_code: string; raised_on: string }>(
      `SELECT rule_code, rule_version, severity, basis, agency_id, region_code, raised_on::text FROM supervision_alerts WHERE kind = 'overdue_decision' LIMIT 1`);
    const fake = { id: crypto.randomUUID(), subjectKey: `overdue_decision:${stale}`, kind: 'overdue_decision', ruleCode: t[0]!.rule_code, ruleVersion: t[0]!.rule_version, severity: t[0]!.severity,
      basis: t[0]!.basis, agencyId: t[0]!.agency_id, regionCode: t[0]!.region_code, caseId: stale!, raisedOn: t[0]!.raised_on, detail: {} };
    expect((await alertStore.insertAlerts(ctx.db, [fake])).size).toBe(1);
    const batches: number[] = [];
    const r = await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 4, threads: 2, threadsMinCases: 0, onBatch: (done) => { batches.push(done); } });
    // PGlite is one connection inside this process: no threads there.
    expect(r.threads).toBe(ctx.db.engine === 'postgres' ? 2 : 1);
    expect({ cases: r.cases, raised: r.raised, closed: r.closed }).toEqual({ cases: all[0]!.n, raised: 1, closed: 1 });
    expect(batches.length).toBeGreaterThan(3);
    expect(batches[batches.length - 1]).toBe(all[0]!.n);
    const { rows } = await ctx.db.query<{ kind: string; status: string }>(`SELECT kind, status FROM supervision_alerts WHERE (case_id = $1 AND kind = 'certificate_invalid') OR id = $2 ORDER BY kind`, [target, fake.id]);
    expect(rows).toEqual([{ kind: 'certificate_invalid', status: 'open' }, { kind: 'overdue_decision', status: 'resolved' }]);
    // Below the threshold a pass stays on the calling thread.
    expect((await recomputeAlerts(ctx, { from: '2000-01-01', asOf, batch: 37, workers: 4, threads: 2 })).threads).toBe(1);
  });

  it('fails the pass with the threads’ error when a thread cannot work, instead of waiting for it', async () => {
    if (w.app.ctx.db.engine !== 'postgres') return;
    const url = new URL(w.app.ctx.db.url!);
    url.pathname = `/sx_missing_${crypto.randomBytes(4).toString('hex')}`;
    const pass = { asOf: todayInShanghai(), from: '2000-01-01', regionPrefix: null };
    await expect(judgePagesOnThreads({ databaseUrl: url.toString(), pass, pages: 10, span: 2, concurrency: 1 }, 2, () => undefined)).rejects.toThrow(/does not exist/);
  });

  it('tells, per enforcement agency, whether it started a case in a period, the first step’s day inclusive at both ends (零执法)', async () => {
    const db = w.app.ctx.db;
    const { rows } = await db.query<{ agency_id: string; first: string; last: string }>(
      `SELECT c.agency_id, min(c.state->'steps'->0->>'on') AS first, max(c.state->'steps'->0->>'on') AS last FROM cases c JOIN agencies a ON a.id = c.agency_id
        WHERE a.kind = 'enforcement' AND jsonb_array_length(c.state->'steps') > 0 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const { agency_id: agency, first, last } = rows[0]!;
    const started = async (from: string, to: string) => (await agencyActivity(db, from, to)).find((a) => a.agencyId === agency)!.startedCases;
    expect(await started(first, first)).toBe(true);
    expect(await started(last, last)).toBe(true);
    expect(await started('1990-01-01', addDays(first, -1))).toBe(false);
    expect(await started(addDays(last, 1), '2099-12-31')).toBe(false);
  });
});
