import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { CaseListItem } from '../api.ts';
import {
  caseClockFilterLabels,
  caseClockStateColors,
  caseClockStateLabels,
  caseStageLabels,
  caseStatusColors,
  caseStatusLabels,
  labelOf,
  optionsOf,
} from '../labels.ts';
import { formatDate } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { useRemote } from '../components/useRemote.ts';
import { can, useSession } from '../auth.tsx';
import { NewCaseDrawer } from './case/NewCaseDrawer.tsx';

/** The nearest deadline of an open case, red once passed and orange within its warning days. */
export function CaseClockCell({ c }: { c: CaseListItem }) {
  if (!c.nextDeadline || !c.clock) return <Typography.Text type="secondary">—</Typography.Text>;
  const state = labelOf(caseClockStateLabels, c.clock);
  return (
    <Space size={4} wrap aria-label={`最近期限 ${formatDate(c.nextDeadline)}，${state}`}>
      <span>{formatDate(c.nextDeadline)}</span>
      {c.clock !== 'running' && <Tag color={caseClockStateColors[c.clock]}>{state}</Tag>}
    </Space>
  );
}

export default function CasesPage() {
  const { user } = useSession();
  const [creating, setCreating] = useState(false);
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const stage = params.get('stage') ?? '';
  const procedureId = params.get('procedureId') ?? '';
  const clock = params.get('clock') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const [draft, setDraft] = useState(q);

  const list = useRemote(
    () => api.cases({ q, status, stage, procedureId, clock, page, pageSize }),
    [q, status, stage, procedureId, clock, page, pageSize],
  );
  const procedures = useRemote(() => api.procedures(), []);

  const update = (next: Record<string, string | number | undefined | null>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === null || v === '') merged.delete(k);
      else merged.set(k, String(v));
    }
    setParams(merged, { replace: true });
  };
  const filtered = Boolean(q || status || stage || procedureId || clock);
  const total = list.data?.total ?? 0;
  const capped = list.data?.totalCapped ?? false;

  const columns: TableProps<CaseListItem>['columns'] = [
    {
      title: '案号',
      dataIndex: 'number',
      width: 200,
      render: (v: string, c) => <Link to={`/cases/${c.id}`}>{v}</Link>,
    },
    { title: '案件名称', dataIndex: 'title', ellipsis: true },
    {
      title: '最近期限',
      key: 'clock',
      width: 190,
      render: (_: unknown, c) => <CaseClockCell c={c} />,
    },
    { title: '环节', dataIndex: 'stageLabel', width: 90 },
    {
      title: '状态',
      dataIndex: 'status',
      width: 120,
      render: (_: unknown, c) => (
        <Tag color={caseStatusColors[c.status] ?? 'default'}>{c.statusLabel || labelOf(caseStatusLabels, c.status)}</Tag>
      ),
    },
    { title: '程序', dataIndex: 'caseTypeLabel', width: 160 },
    { title: '当事人', dataIndex: 'party', width: 170, ellipsis: true },
    {
      title: '操作',
      key: 'actions',
      width: 70,
      fixed: 'right',
      render: (_: unknown, c) => (
        <Link to={`/cases/${c.id}`} aria-label={`查看 ${c.number}`}>
          查看
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="案件"
        subTitle="本单位（或监督范围内）的执法案件；期限按法定工作日、自然日实时计算"
        extra={
          can.createCase(user) ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              登记案件
            </Button>
          ) : undefined
        }
      />
      {creating && <NewCaseDrawer onClose={() => setCreating(false)} />}
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} role="search" aria-label="案件查询">
          <Input.Search
            aria-label="搜索案件"
            placeholder="案号、当事人或案件名称（前缀）"
            allowClear
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(v) => update({ q: v.trim(), page: undefined })}
            enterButton="查询"
            style={{ maxWidth: 360 }}
          />
          <Select
            aria-label="按状态筛选"
            placeholder="全部状态"
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v, page: undefined })}
            options={optionsOf(caseStatusLabels)}
            style={{ width: 140 }}
          />
          <Select
            aria-label="按环节筛选"
            placeholder="全部环节"
            allowClear
            value={stage || undefined}
            onChange={(v: string | undefined) => update({ stage: v, page: undefined })}
            options={optionsOf(caseStageLabels)}
            style={{ width: 130 }}
          />
          <Select
            aria-label="按程序筛选"
            placeholder="全部程序"
            allowClear
            loading={procedures.loading}
            value={procedureId || undefined}
            onChange={(v: string | undefined) => update({ procedureId: v, page: undefined })}
            options={(procedures.data?.items ?? []).map((p) => ({
              value: p.id,
              label: p.agency ? `${p.name}（${p.agency.name}）` : p.name,
            }))}
            style={{ width: 240 }}
            popupMatchSelectWidth={false}
          />
          <Select
            aria-label="按期限筛选"
            placeholder="全部期限"
            allowClear
            value={clock || undefined}
            onChange={(v: string | undefined) => update({ clock: v, page: undefined })}
            options={optionsOf(caseClockFilterLabels)}
            style={{ width: 130 }}
          />
          {filtered && (
            <Button
              onClick={() => {
                setDraft('');
                setParams(new URLSearchParams(), { replace: true });
              }}
            >
              清除筛选
            </Button>
          )}
          <Button icon={<ReloadOutlined aria-hidden />} onClick={list.reload} aria-label="刷新列表">
            刷新
          </Button>
        </Flex>
        {list.error && <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />}
        {procedures.error && <ProblemAlert error={procedures.error} onRetry={procedures.reload} style={{ marginBottom: 16 }} />}
        <Table<CaseListItem>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1200 }}
          locale={{
            emptyText: <TableEmpty error={list.error} description={filtered ? '没有符合条件的案件' : '暂无案件'} />,
          }}
          pagination={{
            current: page,
            pageSize,
            total,
            showSizeChanger: true,
            showTotal: (t) => (capped ? `共 ${t}+ 件` : `共 ${t} 件`),
            onChange: (p, s) => update({ page: p, pageSize: s }),
          }}
        />
      </Card>
    </>
  );
}
