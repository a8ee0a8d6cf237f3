// The registry entry of the signed-in officer (issue 14): the on-the-spot forms start with them selected,
// and 亮证 shows their certificate with its signed QR (R-P08).
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { certificateUrl } from './public.ts';
import { getOfficer } from './service.ts';

/** The caller's own officer entry and the URL its QR carries; null for an account that is no officer's. */
export async function myOfficer(ctx: AppContext, actor: Actor) {
  if (actor.kind !== 'user') throw new AppError('unauthenticated', { detail: '只有登录的用户有本人的执法证。' });
  const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE user_id = $1`, [actor.id]);
  if (!rows[0]) return { officer: null, verifyUrl: null };
  const officer = await getOfficer(ctx, actor, rows[0].id);
  // A suspended, revoked or expired certificate has no public page to point to.
  const verifyUrl = officer.effectiveStatus === 'valid' ? await certificateUrl(ctx, officer.certificateNumber).catch(() => null) : null;
  return { officer, verifyUrl };
}

/** Demo: each officer account signs in as the first officer of its agency whose certificate is valid. */
export async function linkDemoOfficerAccounts(ctx: AppContext): Promise<void> {
  await ctx.db.query(
    `UPDATE officers o SET user_id = u.id
       FROM users u
      WHERE u.role = 'officer' AND o.id = (
        SELECT x.id FROM officers x WHERE x.agency_id = u.agency_id AND x.status = 'valid' AND x.valid_to >= $1
         ORDER BY x.created_at, x.certificate_number LIMIT 1)`,
    [todayInShanghai()],
  );
}
