// Demo 岗位信息公示牌 (R-P10): the city market regulator's licensing window A12, published twice (the
// staff on duty changed), so the portal shows the version in force and its history; window A13 has a
// draft under review in the back office.
import type { AppContext } from '../platform/context.ts';
import { headOf } from '../registry/matters-demo.ts';
import * as boards from './service.ts';

export const DEMO_BOARD: boards.BoardFields = {
  staffName: '陈静', unit: '演示市市场监督管理局行政审批处', post: '食品经营许可受理', category: '综合受理岗',
  duties: '接收食品经营许可申请材料，当场或者五个工作日内一次告知补正；受理后移交审查岗；解答办事咨询。',
  sampleMaterials: [
    { name: '食品经营许可申请书', sample: '申请人名称、经营场所、主体业态、经营项目按营业执照填写，法定代表人签字并加盖公章。' },
    { name: '设备设施布局和操作流程图', sample: '标明各功能间面积、设备位置的平面图。' },
  ],
  consultation: '窗口当面咨询；电话 0571-00000000（工作日 9:00–17:00）', complaint: '12345 政务服务热线；演示市司法局行政执法监督科 0571-00000001',
};

export async function loadBoardsDemo(ctx: AppContext, agencyId: string): Promise<void> {
  const head = headOf(agencyId);
  const publishOnce = async (window: string, fields: boards.BoardFields) => {
    const d = await boards.draft(ctx, null, head, { agencyId, window, fields });
    await boards.submitForReview(ctx, null, head, d.id);
    await boards.publish(ctx, null, head, d.id, { responsible: '市市场监督管理局负责人' });
  };
  await publishOnce('A12', { ...DEMO_BOARD, staffName: '王磊' });
  await publishOnce('A12', DEMO_BOARD);
  const a13 = await boards.draft(ctx, null, head, { agencyId, window: 'A13', fields: { ...DEMO_BOARD, staffName: '刘洋', post: '药品经营许可受理' } });
  await boards.submitForReview(ctx, null, head, a13.id);
}
