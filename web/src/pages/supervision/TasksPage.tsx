// 任务分解推进表 (R-S01): the imported rows with responsible units, deadlines, progress and overdue marks.
import { Table, Tag } from 'antd';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { request } from '../../api.ts';

interface Task { id: string; seq: number; mainTask: string; breakdown: string; requirement: string; responsible: string; deadlineText: string; status: string; overdue: boolean; reports: number; lastReport: string | null }
const STATUS: Record<string, { label: string; color: string }> = { not_started: { label: '未启动', color: 'default' }, in_progress: { label: '推进中', color: 'blue' }, done: { label: '已完成', color: 'green' } };

export default function TasksPage() {
  const list = useRemote(() => request<{ items: Task[]; total: number; done: number; overdue: number }>('/supervision/tasks'), []);
  const d = list.data;
  return (
    <>
      <PageHeader title="任务分解推进表" subTitle={d ? `共 ${d.total} 项，已完成 ${d.done} 项，逾期 ${d.overdue} 项` : '…'} />
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} />}
      <Table<Task> rowKey="id" size="small" loading={list.loading} dataSource={d?.items} pagination={false}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 60 },
          { title: '主要任务', dataIndex: 'mainTask', width: 160 },
          { title: '任务分解', dataIndex: 'breakdown' },
          { title: '责任单位', dataIndex: 'responsible', width: 160 },
          { title: '完成时限', dataIndex: 'deadlineText', width: 110 },
          { title: '状态', width: 140, render: (_, t) => <>{<Tag color={STATUS[t.status]?.color}>{STATUS[t.status]?.label}</Tag>}{t.overdue && <Tag color="red">逾期</Tag>}</> },
          { title: '最近进展', dataIndex: 'lastReport', render: (v: string | null, t) => (v ? `${v}（共 ${t.reports} 次）` : '—') },
        ]} />
    </>
  );
}
