import { Card, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { deskApi, WORK_KINDS } from '../../deskApi.ts';
import type { WorkItem } from '../../deskApi.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';

const TITLES: Record<string, string> = {
  officer: '我的工作台：案件、期限与待办',
  agency_head: '待我审批与本机关超期',
  reviewer: '法制审核待办',
  agency_admin: '本机关管理待办',
};

/** A back-office href ("/admin/cases/…") as a client route, so one click opens where the item is done. */
const route = (href: string) => (href.startsWith('/admin') ? href.slice('/admin'.length) || '/' : href);

/** Issue 9: the signed-in person's desk, from GET /api/v1/me/work, each item one click from where it is done. */
export function DeskCard({ role }: { role: string }) {
  const remote = useRemote(() => deskApi.myWork(), []);
  const items = remote.data?.items ?? [];
  const counts = new Map<string, number>();
  for (const i of items) if (i.kind !== 'workload' && i.kind !== 'reviewer_ratio' && i.kind !== 'users') counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return (
    <Card title={TITLES[role] ?? '我的工作台'} style={{ marginBottom: 16 }} extra={remote.data && <Typography.Text type="secondary">{items.length} 项</Typography.Text>}>
      {remote.error && <ProblemAlert error={remote.error} onRetry={remote.reload} />}
      {remote.loading && !remote.data && <Skeleton active paragraph={{ rows: 3 }} />}
      {remote.data && (
        <>
          {counts.size > 0 && (
            <Space wrap style={{ marginBottom: 12 }} aria-label="待办分类">
              {[...counts].map(([k, n]) => (
                <Tag key={k} color={WORK_KINDS[k]?.color}>
                  {WORK_KINDS[k]?.label ?? k} {n}
                </Tag>
              ))}
            </Space>
          )}
          {items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无等待您办理的事项" />
          ) : (
            <section aria-label="我的待办">
            <List
              dataSource={items}
              renderItem={(i: WorkItem) => (
                <List.Item>
                  <Space wrap size={[8, 4]} style={{ width: '100%' }}>
                    <Tag color={WORK_KINDS[i.kind]?.color}>{WORK_KINDS[i.kind]?.label ?? i.kind}</Tag>
                    <Link to={route(i.href)} data-kind={i.kind}>
                      {i.title} <RightOutlined aria-hidden style={{ fontSize: 11 }} />
                    </Link>
                    {i.due && <Typography.Text type={i.kind === 'overdue' ? undefined : 'secondary'} style={i.kind === 'overdue' ? { color: '#b42318' } : undefined}>期限 {i.due}</Typography.Text>}
                  </Space>
                </List.Item>
              )}
            />
            </section>
          )}
        </>
      )}
    </Card>
  );
}
