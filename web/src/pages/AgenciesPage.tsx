import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { Agency } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { agencyKindLabels, agencyLevelLabels, labelOf, legalStatusLabels, optionsOf } from '../labels.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { useRemote } from '../components/useRemote.ts';
import { AgencyDrawer } from './AgencyDrawer.tsx';
import type { DrawerMode } from './AgencyDrawer.tsx';

export default function AgenciesPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = params.get('kind') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const [draft, setDraft] = useState(q);
  const [drawer, setDrawer] = useState<{ mode: DrawerMode; agencyId?: string } | null>(null);

  const list = useRemote(() => api.agencies({ q, kind, page, pageSize }), [q, kind, page, pageSize]);

  const update = (next: Record<string, string | number | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') merged.delete(k);
      else merged.set(k, String(v));
    }
    setParams(merged, { replace: true });
  };

  const columns: TableProps<Agency>['columns'] = [
    {
      title: '主体名称',
      dataIndex: 'name',
      width: 240,
      render: (name: string, a) => (
        <Typography.Link onClick={() => setDrawer({ mode: 'view', agencyId: a.id })}>{name}</Typography.Link>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'creditCode', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '类型', dataIndex: 'kind', width: 120, render: (v: string) => labelOf(agencyKindLabels, v) },
    { title: '层级', dataIndex: 'level', width: 80, render: (v: string) => labelOf(agencyLevelLabels, v) },
    {
      title: '法律地位',
      dataIndex: 'legalStatus',
      width: 200,
      render: (v: string, a) => (
        <div>
          {labelOf(legalStatusLabels, v)}
          {a.entrustingAgencyName && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                委托机关：{a.entrustingAgencyName}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    {
      title: '执法领域',
      dataIndex: 'fields',
      render: (fields: string[]) =>
        fields.length ? (
          <Flex wrap gap={4}>
            {fields.map((f) => (
              <Tag key={f}>{f}</Tag>
            ))}
          </Flex>
        ) : (
          '—'
        ),
    },
    { title: '上级机关', dataIndex: 'parentName', width: 180, render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'actions',
      width: 120,
      fixed: 'right',
      render: (_: unknown, a) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setDrawer({ mode: 'view', agencyId: a.id })} aria-label={`查看 ${a.name}`}>
            查看
          </Button>
          {can.editAgency(user, a.id) && (
            <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', agencyId: a.id })} aria-label={`编辑 ${a.name}`}>
              编辑
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="执法主体"
        subTitle="行政执法主体名录：法定机关、法律法规授权组织和受委托组织"
        extra={
          can.createAgency(user) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setDrawer({ mode: 'create' })}>
              新增执法主体
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} role="search">
          <Input.Search
            aria-label="搜索执法主体"
            placeholder="名称或统一社会信用代码"
            allowClear
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(v) => update({ q: v.trim(), page: undefined })}
            enterButton="查询"
            style={{ maxWidth: 380 }}
          />
          <Select
            aria-label="按类型筛选"
            placeholder="全部类型"
            allowClear
            value={kind || undefined}
            onChange={(v: string | undefined) => update({ kind: v, page: undefined })}
            options={optionsOf(agencyKindLabels)}
            style={{ width: 160 }}
          />
          <Button icon={<ReloadOutlined aria-hidden />} onClick={list.reload} aria-label="刷新列表">
            刷新
          </Button>
        </Flex>
        {list.error && <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />}
        <Table<Agency>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1320 }}
          locale={{ emptyText: <TableEmpty error={list.error} description={q || kind ? '没有符合条件的执法主体' : '暂无执法主体'} /> }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 个`,
            onChange: (p, s) => update({ page: p, pageSize: s }),
          }}
        />
      </Card>
      {drawer && (
        <AgencyDrawer
          mode={drawer.mode}
          agencyId={drawer.agencyId}
          onModeChange={(mode) => setDrawer({ ...drawer, mode })}
          onClose={() => setDrawer(null)}
          onSaved={(a) => {
            setDrawer({ mode: 'view', agencyId: a.id });
            list.reload();
          }}
        />
      )}
    </>
  );
}
