import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { Officer } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { effectiveStatusLabels, optionsOf } from '../labels.ts';
import { validityRange } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { AgencySelect } from '../components/AgencySelect.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { useRemote } from '../components/useRemote.ts';

export default function OfficersPage() {
  const { user } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const agencyId = params.get('agencyId') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const [draft, setDraft] = useState(q);

  const list = useRemote(
    () => api.officers({ q, agencyId, status, page, pageSize }),
    [q, agencyId, status, page, pageSize],
  );

  const update = (next: Record<string, string | number | undefined | null>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === null || v === '') merged.delete(k);
      else merged.set(k, String(v));
    }
    setParams(merged, { replace: true });
  };
  const filtered = Boolean(q || agencyId || status);

  const columns: TableProps<Officer>['columns'] = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 100,
      render: (name: string, o) => <Link to={`/officers/${o.id}`}>{name}</Link>,
    },
    {
      title: '执法证件号',
      dataIndex: 'certificateNumber',
      width: 180,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: '状态',
      dataIndex: 'effectiveStatus',
      width: 80,
      render: (_: unknown, o) => <StatusTag status={o.effectiveStatus} />,
    },
    { title: '所属执法主体', dataIndex: 'agencyName' },
    { title: '执法类别', dataIndex: 'category', width: 120 },
    { title: '执法区域', dataIndex: 'area', width: 130 },
    {
      title: '有效期',
      key: 'validity',
      width: 210,
      render: (_: unknown, o) => validityRange(o.validFrom, o.validTo),
    },
    {
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_: unknown, o) => (
        <Link to={`/officers/${o.id}`} aria-label={`查看 ${o.name}`}>
          查看
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="执法人员"
        subTitle="执法人员及执法证件信息；证件状态按有效期和暂扣、吊销情况实时计算"
        extra={
          can.writeRegistry(user) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/officers/new')}>
              新增执法人员
            </Button>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} role="search">
          <Input.Search
            aria-label="搜索执法人员"
            placeholder="姓名或执法证件号"
            allowClear
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(v) => update({ q: v.trim(), page: undefined })}
            enterButton="查询"
            style={{ maxWidth: 360 }}
          />
          <AgencySelect
            aria-label="按执法主体筛选"
            placeholder="全部执法主体"
            value={agencyId || null}
            onChange={(v) => update({ agencyId: v, page: undefined })}
            style={{ width: 260 }}
          />
          <Select
            aria-label="按状态筛选"
            placeholder="全部状态"
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v, page: undefined })}
            options={optionsOf(effectiveStatusLabels)}
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
        <Table<Officer>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1100 }}
          locale={{
            emptyText: (
              <TableEmpty error={list.error} description={filtered ? '没有符合条件的执法人员' : '暂无执法人员'}>
                {!filtered && can.writeRegistry(user) && (
                  <Button type="primary" onClick={() => navigate('/officers/new')}>
                    新增第一名执法人员
                  </Button>
                )}
              </TableEmpty>
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 人`,
            onChange: (p, s) => update({ page: p, pageSize: s }),
          }}
        />
      </Card>
    </>
  );
}
