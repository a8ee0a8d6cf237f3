// Demo service guide (R-P07): the city market regulator's 食品经营许可, complete and published.
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import * as guides from './service.ts';

export const DEMO_GUIDE_FIELDS = {
  acceptingBody: '演示市市场监督管理局行政审批窗口', approvingBody: '演示市市场监督管理局',
  conditions: '1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；\n2. 具有与经营的食品品种、数量相适应的经营设备或者设施；\n3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；\n4. 具有合理的设备布局和工艺流程。',
  preferentialPolicies: '仅销售预包装食品的，实行备案管理，无需申请许可；小微企业可适用告知承诺制。',
  materials: [
    { name: '食品经营许可申请书', copies: '原件1份', sample: '申请人名称、经营场所、主体业态、经营项目按营业执照填写，法定代表人签字并加盖公章。' },
    { name: '营业执照或者其他主体资格证明文件', copies: '复印件1份', sample: '' },
    { name: '与食品经营相适应的主要设备设施布局、操作流程等文件', copies: '原件1份', sample: '标明各功能间面积、设备位置的平面图。' },
    { name: '食品安全自查、从业人员健康管理、进货查验记录等规章制度', copies: '原件1份', sample: '' },
  ],
  procedure: '申请 → 受理（材料齐全当场受理，不齐全一次性告知补正）→ 审查（必要时现场核查）→ 决定 → 制证送达',
  timeLimit: '法定时限 20 个工作日，承诺时限 5 个工作日（不含现场核查、听证时间）', fees: '不收费',
  supervision: '演示市市场监督管理局法规科，电话 0571-00000000；演示市司法局行政执法监督科',
  accountability: '工作人员违反规定办理许可的，依照《中华人民共和国行政许可法》第七十二条至第七十四条追究责任。',
  officeHours: '工作日 上午 9:00–12:00，下午 13:30–17:00', address: '演示市西湖区演示路 1 号市民中心二楼 A12–A15 窗口', phone: '0571-00000000',
};

export async function loadGuidesDemo(ctx: AppContext, agencyId: string): Promise<void> {
  const head: Actor = { kind: 'user', id: '00000000-0000-4000-8000-00000000a0a0', name: '演示负责人', role: 'agency_head', agencyId, jurisdiction: null, scopes: [] };
  const g = await guides.draft(ctx, null, head, { agencyId, matterCode: 'SC-XK-001', fields: DEMO_GUIDE_FIELDS });
  await guides.publish(ctx, null, head, g.id, { responsible: '市市场监督管理局负责人' });
}
