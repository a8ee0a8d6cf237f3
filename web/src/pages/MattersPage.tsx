import { useState } from 'react';
import { App, Button, Card, Flex, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { request, toApiError } from '../api.ts';
import { useSession } from '../auth.tsx';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';

interface MatterVersion {
  id: string; code: string; name: string; kind: string; version: number; effectiveFrom: string; status: string; changeReason: string;
  agency: { id: string; name: string }; responsible: string | null; publishedOn: string | null;
}
interface AnnualRow { agency: { id: string; name: string }; reportId: string | null; status: string; publishedOn: string | null; overdue: boolean }
interface AnnualList { year: number; due: string; agencies: AnnualRow[] }

const STATUS: Record<string, { text: string; color: string }> = {
  draft: { text: '起草中', color: 'default' }, review: { text: '待审核', color: 'orange' }, published: { text: '已公布', color: 'green' }, missing: { text: '未起草', color: 'default' },
};
const statusTag = (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.text ?? s}</Tag>;

/** 执法事项清单 (R-P04, R-P01) and 统计年报 (R-P16): drafting, review and publication by the head. */
export default function MattersPage() {
  const { user } = useSession();
  const { message } = App.useApp();
  const [year, setYear] = useState(2025);
  const [narrativeFor, setNarrativeFor] = useState<string | null>(null);
  const [narrative, setNarrative] = useState('');
  const matters = useRemote(() => request<{ items: MatterVersion[] }>('/matters', { query: { limit: 500 } }), []);
  const reports = useRemote(() => request<AnnualList>('/annual-reports', { query: { year } }), [year]);
  const isHead = user.role === 'agency_head';
  const mayDraft = isHead || user.role === 'agency_admin';

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      matters.reload();
      reports.reload();
    } catch (e) {
      message.error(toApiError(e).detail ?? '操作失败');
    }
  };

  return (
    <>
      <PageHeader title="事项清单与统计年报" />
      <Card title="执法事项清单" extra={<a href="/matters" target="_blank" rel="noreferrer">公示页面</a>} style={{ marginBottom: 16 }}>
        {matters.error && <ProblemAlert error={matters.error} />}
        <Table<MatterVersion>
          rowKey="id" size="small" loading={matters.loading} dataSource={matters.data?.items ?? []} pagination={{ pageSize: 20 }}
          columns={[
            { title: '编码', dataIndex: 'code', width: 120 },
            { title: '事项名称', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kind', width: 70 },
            { title: '机关', dataIndex: ['agency', 'name'] },
            { title: '版本', dataIndex: 'version', width: 60, render: (v: number) => `第${v}版` },
            { title: '施行日期', dataIndex: 'effectiveFrom', width: 110 },
            { title: '状态', dataIndex: 'status', width: 90, render: statusTag },
            {
              title: '操作', key: 'act', width: 120,
              render: (_: unknown, r) => (
                <Space>
                  {r.status === 'draft' && mayDraft && r.agency.id === user.agencyId && (
                    <Button size="small" onClick={() => act(() => request(`/matter-versions/${r.id}/submit`, { method: 'POST' }), '已提交审核')}>提交审核</Button>
                  )}
                  {r.status === 'review' && isHead && r.agency.id === user.agencyId && (
                    <Button size="small" type="primary" onClick={() => act(() => request(`/matter-versions/${r.id}/publish`, { method: 'POST', body: { responsible: user.displayName } }), '已公布')}>审核公布</Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title="行政执法统计年报" extra={<Flex gap={8} align="center">年度 <InputNumber aria-label="年度" min={2020} max={2100} value={year} onChange={(v) => v && setYear(v)} /></Flex>}>
        {reports.error && <ProblemAlert error={reports.error} />}
        <p>公布期限：{reports.data?.due ?? '—'}（逾期未公布的机关标红）</p>
        <Table<AnnualRow>
          rowKey={(r) => r.agency.id} size="small" loading={reports.loading} dataSource={reports.data?.agencies ?? []} pagination={false}
          columns={[
            { title: '机关', dataIndex: ['agency', 'name'] },
            { title: '状态', dataIndex: 'status', width: 100, render: (s: string, r) => <>{statusTag(s)}{r.overdue && <Tag color="red">逾期</Tag>}</> },
            { title: '公布日期', dataIndex: 'publishedOn', width: 110, render: (v: string | null) => v ?? '—' },
            {
              title: '操作', key: 'act', width: 200,
              render: (_: unknown, r) => (
                <Space>
                  {r.status === 'published' && <a href={`/annual-reports/${r.reportId}`} target="_blank" rel="noreferrer">查看</a>}
                  {r.status !== 'published' && mayDraft && r.agency.id === user.agencyId && (
                    <Button size="small" onClick={() => act(() => request('/annual-reports', { method: 'POST', body: { year, agencyId: r.agency.id } }), '已按数据生成草稿')}>按数据生成</Button>
                  )}
                  {r.status === 'draft' && isHead && r.agency.id === user.agencyId && (
                    <Button size="small" type="primary" onClick={() => { setNarrative(''); setNarrativeFor(r.reportId); }}>审定公布</Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        title="填写情况说明并公布" open={narrativeFor !== null} okText="公布" cancelText="取消" onCancel={() => setNarrativeFor(null)}
        okButtonProps={{ disabled: !narrative.trim() }}
        onOk={() => act(() => request(`/annual-reports/${narrativeFor}/publish`, { method: 'POST', body: { narrative } }), '统计年报已公布').then(() => setNarrativeFor(null))}
      >
        <Input.TextArea aria-label="情况说明" rows={8} value={narrative} onChange={(e) => setNarrative(e.target.value)} placeholder="一、总体情况；二、存在问题；三、下一步工作" />
      </Modal>
    </>
  );
}
