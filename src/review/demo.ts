// Demo of the review domain: qualification numbers on the roster, a second reviewer of the city market
// regulator, the regulator's registered review body and rules, and (after the demo cases) one
// disagreement settled by collective discussion on the case whose first review found problems.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { recordChange } from '../platform/changes.ts';
import { DEFAULT_REVIEW_RULES } from './bodies.ts';
import { raiseCoordination, settleCoordination } from './rounds.ts';

const QUALIFIED: Record<string, string> = { 孙法审: 'A20163301060215', 郑顾问: 'A20123301000087', 周法审: 'A20193301030142', 吴法审: 'A20203301060033', 王法审: 'A20213301060458' };

/** Run by loadDemo after the roster: who may review, where, under which rules. */
export async function loadReviewRegistryDemo(ctx: AppContext, ids: Map<string, string>, password: string) {
  const scjg = ids.get('city_scjg')!;
  const userId = crypto.randomUUID();
  await ctx.db.query(
    `INSERT INTO users (id, username, display_name, agency_id, role, password_hash, totp_secret, totp_confirmed) VALUES ($1,'scjg_reviewer2','市市场监管局 法制审核员（二）',$2,'reviewer',$3,NULL,false)`,
    [userId, scjg, await hashPassword(password)],
  );
  await ctx.db.query(
    `INSERT INTO reviewers (id, agency_id, name, role, qualification, phone, shared, active, user_id) VALUES ($1,$2,'王法审','reviewer','法律职业资格','',false,true,$3)`,
    [crypto.randomUUID(), scjg, userId],
  );
  for (const [name, no] of Object.entries(QUALIFIED)) await ctx.db.query(`UPDATE reviewers SET legal_qualification_no = $2 WHERE name = $1`, [name, no]);
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'review.body_registered', agencyId: scjg, subjectType: 'agency', subjectId: scjg, actorId: null,
      data: { agencyId: scjg, bodyAgencyId: scjg, unitName: '法规科', justiceBureauId: ids.get('city_sfj'), registeredOn: '2026-01-15' },
    });
    await tx.query(`INSERT INTO review_bodies (agency_id, body_agency_id, unit_name, justice_bureau_id, registered_on, event_id) VALUES ($1,$1,'法规科',$2,'2026-01-15',$3)`, [scjg, ids.get('city_sfj'), eventId]);
    const rules = { ...DEFAULT_REVIEW_RULES, timeLimitWorkingDays: 7, warnWorkingDaysBefore: 2, basis: `${DEFAULT_REVIEW_RULES.basis}；演示市市场监督管理局重大执法决定法制审核办法第十二条` };
    const ev = await recordChange(tx, { kind: 'review.rules_published', agencyId: scjg, subjectType: 'agency', subjectId: scjg, actorId: null, data: { version: 1, effectiveFrom: '2026-01-15', rules } });
    await tx.query(`INSERT INTO review_rule_sets (id, agency_id, version, effective_from, rules, note, event_id) VALUES ($1,$2,1,'2026-01-15',$3,'审核时限 7 个工作日，提前 2 个工作日预警',$4)`,
      [crypto.randomUUID(), scjg, JSON.stringify(rules), ev.eventId]);
  });
}

/** Run after the demo cases: the unit disputes the first review's problems; the head settles it collectively. */
export async function loadReviewDemo(ctx: AppContext) {
  const { rows } = await ctx.db.query<{ case_id: string; review_id: string; opinion_on: string; agency_id: string }>(
    `SELECT r.case_id, r.id AS review_id, o.on_date AS opinion_on, c.agency_id FROM legal_reviews r JOIN legal_review_opinions o ON o.review_id = r.id JOIN cases c ON c.id = r.case_id
      WHERE o.result = 'problems' AND EXISTS (SELECT 1 FROM legal_reviews n WHERE n.case_id = r.case_id AND n.round = r.round + 1)
      ORDER BY c.number LIMIT 1`,
  );
  const r = rows[0];
  if (!r) return;
  const users = (await ctx.db.query<{ id: string; display_name: string; role: Actor['role'] }>(`SELECT id, display_name, role FROM users WHERE agency_id = $1 AND role IN ('officer','agency_head') ORDER BY username`, [r.agency_id])).rows;
  const as = (role: Actor['role']): Actor | undefined => {
    const u = users.find((x) => x.role === role);
    return u && { kind: 'user', id: u.id, name: u.display_name, role, agencyId: r.agency_id, jurisdiction: null, scopes: [] };
  };
  const officer = as('officer');
  const head = as('agency_head');
  if (!officer || !head) return;
  const c = await raiseCoordination(ctx, null, officer, r.case_id, r.review_id, { on: r.opinion_on, reason: '承办机构认为现有证据已能证明违法事实，审核意见要求补充的证据并非必要。' });
  await settleCoordination(ctx, null, head, r.case_id, c.id, {
    on: r.opinion_on, method: 'collective', participants: ['局长', '分管副局长', '法规科科长', '执法大队大队长', '承办人员'], expertAdvice: [],
    conclusion: '经集体讨论，采纳法制审核意见：承办机构补充调取进货台账后重新报送审核。',
  });
}
