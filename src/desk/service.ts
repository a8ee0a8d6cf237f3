// The signed-in person's desk (issue 9): what waits on them, by role, each item one click from where it
// is done. Scoping is by construction: every domain function called here filters on the actor's own id
// and agency (test/desk.test.ts proves officer A never sees officer B's items, a head only their agency).
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { listUsers } from '../accounts/users.ts';
import { headWork, officerWork, reviewerWork, type WorkItem } from '../cases/work.ts';
import * as registry from '../registry/service.ts';

/** Certificates expiring within this many days reach the administrator's desk (time to renew, R-P03). */
const CERTIFICATE_WARN_DAYS = 60;

export async function myWork(ctx: AppContext, actor: Actor): Promise<{ items: WorkItem[] }> {
  // A desk is a person's: API tokens have none.
  if (actor.kind !== 'user') throw new AppError('forbidden', { detail: '工作台只对登录用户提供。' });
  switch (actor.role) {
    case 'officer':
      return { items: await officerWork(ctx, actor) };
    case 'agency_head':
      return { items: await headWork(ctx, actor) };
    case 'reviewer':
      return { items: await reviewerWork(ctx, actor) };
    case 'agency_admin':
      return { items: await adminWork(ctx, actor) };
    default:
      // Supervisors and the system administrator work from the supervision cockpit.
      return { items: [] };
  }
}

async function adminWork(ctx: AppContext, actor: Actor): Promise<WorkItem[]> {
  const [certs, ratio, users] = await Promise.all([
    registry.expiringCertificates(ctx, actor, CERTIFICATE_WARN_DAYS),
    registry.reviewerRatio(ctx, actor),
    listUsers(ctx, actor),
  ]);
  const items: WorkItem[] = certs.map((o) => ({
    kind: 'certificate', title: `${o.name}（${o.certificateNumber}）执法证将于 ${o.validTo} 到期`, caseId: null, due: o.validTo, href: `/admin/officers/${o.id}`,
  }));
  const own = ratio.items.find((r) => r.agencyId === actor.agencyId);
  if (own) {
    items.push({
      kind: 'reviewer_ratio',
      title: `法制审核人员 ${own.reviewers} 名，执法人员 ${own.officers} 名${own.meetsFloor ? '，符合不少于 5% 的要求' : `，不足 5%（至少应有 ${own.required} 名）`}`,
      caseId: null, due: null, href: '/admin/reviewers',
    });
  }
  const mine = users.items.filter((u) => u.agencyId === actor.agencyId);
  const locked = mine.filter((u) => u.locked).length;
  const disabled = mine.filter((u) => u.disabled).length;
  items.push({ kind: 'users', title: `本机关账号 ${mine.length} 个（停用 ${disabled}，锁定 ${locked}）`, caseId: null, due: null, href: '/admin/officers' });
  return items;
}
