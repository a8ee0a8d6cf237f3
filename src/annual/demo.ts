// Demo of issue 10: the matter lists of every demo agency (src/registry/matters-demo.ts), a service guide, and the 2025
// statistics reports of several agencies and of the city, drafted from the demo data and published.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import { loadMattersDemo, headOf } from '../registry/matters-demo.ts';
import * as annual from './service.ts';
import { loadGuidesDemo } from '../guides/demo.ts';

const NARRATIVE = '一、总体情况：本年度严格落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，执法数据按统一口径从执法办案系统生成。\n二、存在问题：部分案件公示不够及时，个别执法文书说理不够充分。\n三、下一步工作：加强执法人员培训，完善执法监督，提高公示时效。';

export async function loadAnnualDemo(ctx: AppContext, ids: Map<string, string>): Promise<void> {
  await loadMattersDemo(ctx);
  if (ids.get('city_scjg')) await loadGuidesDemo(ctx, ids.get('city_scjg')!);
  for (const key of ['city_scjg', 'city_sthj', 'xh_zhzf']) {
    const agencyId = ids.get(key);
    if (!agencyId) continue;
    const head = headOf(agencyId);
    const r = await annual.draft(ctx, null, head, { year: 2025, agencyId });
    await annual.publish(ctx, null, head, r.id, { narrative: NARRATIVE });
  }
  const bureau = ids.get('city_sfj');
  if (bureau) {
    const supervisor: Actor = { kind: 'user', id: crypto.randomUUID(), name: '演示监督员', role: 'supervisor', agencyId: bureau, jurisdiction: '3301', scopes: [] };
    const r = await annual.draft(ctx, null, supervisor, { year: 2025, region: '3301' });
    await annual.publish(ctx, null, supervisor, r.id, { narrative: NARRATIVE.replace('本年度', '本年度全市各行政执法机关') });
  }
}
