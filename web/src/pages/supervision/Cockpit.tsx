// The supervisor's home (issue 12): a map-free cockpit of the jurisdiction — alerts by kind, agency and
// month, matters and their clocks, complaints; every number is a link to the items it counts. An
// agency's head or administrator sees the same for its own agency: the alerts and matters to answer.
import { Card, Col, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useSession } from '../../auth.tsx';
import { EChart } from '../../components/EChart.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { supervisionApi } from '../../supervisionApi.ts';
import { PublicityOverdueCard } from '../PublicityOverdueCard.tsx';

export default function Cockpit() {
  const { user } = useSession();
  const navigate = useNavigate();
  const s = useRemote(() => supervisionApi.summary(), []);
  const d = s.data;
  const supervisor = user.role === 'supervisor' || user.role === 'system_admin';
  const sum = (xs: { open?: number; answered?: number }[], k: 'open' | 'answered') => xs.reduce((a, x) => a + (x[k] ?? 0), 0);
  const kindOption = useMemo(() => d && {
    tooltip: { trigger: 'axis' }, legend: { data: ['待答复', '已答复', '已办结'] }, grid: { left: 100, right: 16, top: 36, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: d.alerts.byKind.map((k) => k.label) },
    series: (['open', 'answered', 'resolved'] as const).map((key, i) => ({ name: ['待答复', '已答复', '已办结'][i], type: 'bar', stack: 'all', data: d.alerts.byKind.map((k) => k[key]) })),
  }, [d]);
  const monthOption = useMemo(() => d && {
    tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: d.alerts.byMonth.map((m) => m.month) }, yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', smooth: true, data: d.alerts.byMonth.map((m) => m.n), areaStyle: {} }],
  }, [d]);
  const onKind = useCallback((p: { dataIndex: number }) => { const k = d?.alerts.byKind[p.dataIndex]; if (k) navigate(`/supervision/alerts?kind=${k.kind}`); }, [d, navigate]);

  const activeMatters = d ? d.matters.filter((m) => m.status !== 'closed').reduce((a, m) => a + m.count, 0) : 0;
  const overdue = d ? [...d.matters, ...d.complaints].reduce((a, m) => a + m.overdue, 0) : 0;
  const submitted = d?.complaints.find((c) => c.status === 'submitted')?.count ?? 0;
  const cards = d ? [
    { label: '待答复预警', value: sum(d.alerts.byKind, 'open'), to: '/supervision/alerts?status=open', color: '#cf1322' },
    { label: supervisor ? '已答复待办结预警' : '已答复预警', value: sum(d.alerts.byKind, 'answered'), to: '/supervision/alerts?status=answered', color: '#d46b08' },
    { label: '办理中的监督事项', value: activeMatters, to: '/supervision/matters', color: '#1e5bb8' },
    { label: '超过时限的事项和投诉', value: overdue, to: '/supervision/matters', color: overdue ? '#cf1322' : '#389e0d' },
    ...(supervisor ? [{ label: '待受理投诉举报', value: submitted, to: '/supervision/complaints?status=submitted', color: '#722ed1' }] : []),
  ] : [];

  return (
    <>
      <PageHeader title={supervisor ? '执法监督驾驶舱' : `您好，${user.displayName}`} subTitle={supervisor ? `${user.agencyName} · 辖区预警、监督事项与投诉举报` : `${user.agencyName} · 本机关的预警和待答复的监督事项`} />
      {s.error && <ProblemAlert error={s.error} onRetry={s.reload} style={{ marginBottom: 16 }} />}
      <PublicityOverdueCard />
      {d && (
        <>
          <Row gutter={[16, 16]} role="list" aria-label="概览">
            {cards.map((c) => (
              <Col key={c.label} xs={24} sm={12} xl={supervisor ? 4 : 6} flex={supervisor ? '1' : undefined} role="listitem">
                <Link to={c.to} aria-label={`${c.label} ${c.value}`}>
                  <Card hoverable style={{ borderTop: `3px solid ${c.color}`, height: '100%' }}>
                    <Statistic title={c.label} value={c.value} styles={{ content: { color: c.color } }} />
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={14}>
              <Card title="预警分类（点击条形查看）">{kindOption && <EChart option={kindOption} label="按类型统计的预警" height={Math.max(220, 34 * d.alerts.byKind.length + 60)} onClick={onKind} />}
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {d.alerts.byKind.map((k) => <Link key={k.kind} to={`/supervision/alerts?kind=${k.kind}`} style={{ marginRight: 12 }}>{k.label} {k.open + k.answered + k.resolved}</Link>)}
                </Typography.Paragraph>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title="预警趋势（按月）">{monthOption && <EChart option={monthOption} label="按月统计的预警" />}</Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            {supervisor && (
              <Col xs={24} xl={10}>
                <Card title="各机关预警">
                  <Table size="small" rowKey={(r) => r.agency.id} pagination={false} dataSource={d.alerts.byAgency}
                    columns={[
                      { title: '执法机关', render: (_, r) => <Link to={`/supervision/alerts?agency=${r.agency.id}`}>{r.agency.name}</Link> },
                      { title: '未办结', dataIndex: 'open', render: (v: number, r) => <Link to={`/supervision/alerts?agency=${r.agency.id}&status=open`}>{v}</Link> },
                      { title: '合计', dataIndex: 'total' },
                    ]} />
                </Card>
              </Col>
            )}
            <Col xs={24} xl={supervisor ? 7 : 12}>
              <Card title="监督事项" extra={<Link to="/supervision/matters">全部</Link>}>
                <List size="small" dataSource={d.matters} locale={{ emptyText: '暂无监督事项' }} renderItem={(m) => (
                  <List.Item extra={m.overdue ? <Tag color="red">超期 {m.overdue}</Tag> : null}>
                    <Link to={`/supervision/matters?status=${m.status}`}>{m.label}：{m.count}</Link>
                  </List.Item>
                )} />
              </Card>
            </Col>
            <Col xs={24} xl={supervisor ? 7 : 12}>
              <Card title="投诉举报" extra={<Link to="/supervision/complaints">全部</Link>}>
                <List size="small" dataSource={d.complaints} locale={{ emptyText: '暂无投诉举报' }} renderItem={(c) => (
                  <List.Item extra={c.overdue ? <Tag color="red">超期 {c.overdue}</Tag> : null}>
                    <Link to={`/supervision/complaints?status=${c.status}`}>{c.label}：{c.count}</Link>
                  </List.Item>
                )} />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
