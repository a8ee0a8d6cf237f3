import { Card, Col, Empty, List, Row, Skeleton, Statistic, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import type { DashboardCard } from '../api.ts';
import { useSession } from '../auth.tsx';
import { labelOf, roleLabels } from '../labels.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';
import Cockpit from './supervision/Cockpit.tsx';
import { PublicityOverdueCard } from './PublicityOverdueCard.tsx';
import { DeskCard } from './desk/DeskCard.tsx';

const statusColors: Record<NonNullable<DashboardCard['status']>, string> = {
  ok: '#389e0d',
  warn: '#d46b08',
  bad: '#cf1322',
};

/** A task link from the server: a back-office route, or a page elsewhere on the platform. */
function TaskLink({ href, children }: { href: string; children: ReactNode }) {
  const inApp = href.startsWith('/admin/') || href === '/admin' ? href.slice('/admin'.length) || '/' : null;
  const elsewhere = /^(https?:)?\/\//.test(href) || href.startsWith('/api/') || href.startsWith('/verify/');
  if (inApp !== null) return <Link to={inApp}>{children}</Link>;
  if (elsewhere || !href.startsWith('/')) return <a href={href}>{children}</a>;
  return <Link to={href}>{children}</Link>;
}

// Supervisors get the supervision cockpit instead of the registry cards; an agency's head sees its own
// alerts and the matters it must answer (issue 12). Issue 9: every role with work of its own sees its
// desk first; officers and reviewers see only their desk, the head and the administrator theirs on top.
export default function HomePage() {
  const { user } = useSession();
  if (user.role === 'supervisor') return <Cockpit />;
  if (user.role === 'system_admin') return <RegistryHome />;
  if (user.role === 'agency_head') return <><DeskCard role={user.role} /><Cockpit /></>;
  if (user.role === 'agency_admin') return <RegistryHome desk />;
  return <DeskHome />;
}

function DeskHome() {
  const { user } = useSession();
  return (
    <>
      <PageHeader title={`您好，${user.displayName}`} subTitle={`${user.agencyName} · ${user.roleLabel || labelOf(roleLabels, user.role)}`} />
      <DeskCard role={user.role} />
    </>
  );
}

function RegistryHome({ desk = false }: { desk?: boolean }) {
  const { user } = useSession();
  const dashboard = useRemote(() => api.dashboard(), []);
  const data = dashboard.data;

  return (
    <>
      <PageHeader
        title={`您好，${user.displayName}`}
        subTitle={`${user.agencyName} · ${user.roleLabel || labelOf(roleLabels, user.role)}`}
      />
      {desk && <DeskCard role={user.role} />}
      {dashboard.error && <ProblemAlert error={dashboard.error} onRetry={dashboard.reload} style={{ marginBottom: 16 }} />}
      {dashboard.loading && !data && (
        <Row gutter={[16, 16]}>
          {[0, 1, 2, 3].map((i) => (
            <Col key={i} xs={24} sm={12} xl={6}>
              <Card>
                <Skeleton active paragraph={{ rows: 1 }} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {data && (
        <>
          {data.cards.length === 0 ? (
            <Card>
              <Empty description="暂无统计数据" />
            </Card>
          ) : (
            <Row gutter={[16, 16]} role="list" aria-label="概览">
              {data.cards.map((card) => {
                const color = card.status ? statusColors[card.status] : undefined;
                return (
                  <Col key={card.key} xs={24} sm={12} xl={6} role="listitem">
                    <Card style={{ borderTop: `3px solid ${color ?? '#1e5bb8'}`, height: '100%' }}>
                      <Statistic
                        title={card.label}
                        value={card.value}
                        styles={{ content: color ? { color } : undefined }}
                      />
                      {card.hint && (
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                          {card.hint}
                        </Typography.Text>
                      )}
                    </Card>
                  </Col>
                );
              })}
            </Row>
          )}
          <PublicityOverdueCard />
          <Card title="待办事项" style={{ marginTop: 16 }}>
            {data.tasks.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" />
            ) : (
              <List
                dataSource={data.tasks}
                renderItem={(task) => (
                  <List.Item>
                    <TaskLink href={task.href}>
                      {task.label} <RightOutlined aria-hidden style={{ fontSize: 11 }} />
                    </TaskLink>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </>
      )}
    </>
  );
}
