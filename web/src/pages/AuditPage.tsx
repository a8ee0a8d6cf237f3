import { Button, Card, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { AuditEntry } from '../api.ts';
import { auditActionLabels, auditOutcomeLabels } from '../labels.ts';
import { formatDateTime } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { useRemote } from '../components/useRemote.ts';

function detailText(detail: unknown): string {
  if (detail == null || detail === '') return '—';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

const columns: TableProps<AuditEntry>['columns'] = [
  { title: '时间', dataIndex: 'at', width: 180, render: (v: string) => formatDateTime(v) },
  {
    title: '操作',
    dataIndex: 'action',
    width: 200,
    render: (v: string) => (
      <Tooltip title={v}>
        <span>{auditActionLabels[v] ?? v}</span>
      </Tooltip>
    ),
  },
  {
    title: '结果',
    dataIndex: 'outcome',
    width: 90,
    render: (v: string) => {
      const o = auditOutcomeLabels[v];
      return <Tag color={o?.color ?? 'default'}>{o?.label ?? v}</Tag>;
    },
  },
  { title: '用户', dataIndex: 'username', width: 140, render: (v: string | null) => v ?? '—' },
  { title: 'IP 地址', dataIndex: 'ip', width: 150, render: (v: string | null) => v ?? '—' },
  {
    title: '详情',
    dataIndex: 'detail',
    render: (v: unknown) => {
      const text = detailText(v);
      return (
        <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 420 }}>
          {text}
        </Typography.Text>
      );
    },
  },
];

export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '50') || 50;
  const audit = useRemote(() => api.audit({ page, pageSize }), [page, pageSize]);

  return (
    <>
      <PageHeader
        title="审计日志"
        subTitle="登录、登录失败、越权访问和管理操作的记录，按时间倒序；日志不可修改或删除"
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={audit.reload}>
            刷新
          </Button>
        }
      />
      <Card>
        {audit.error && <ProblemAlert error={audit.error} onRetry={audit.reload} style={{ marginBottom: 16 }} />}
        <Flex vertical>
          <Table<AuditEntry>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={audit.data?.items ?? []}
            loading={audit.loading}
            scroll={{ x: 1100 }}
            locale={{ emptyText: <TableEmpty error={audit.error} description="暂无审计记录" /> }}
            onRow={(r) => (r.outcome === 'denied' || r.outcome === 'failure' ? { style: { background: '#fffbe6' } } : {})}
            pagination={{
              current: page,
              pageSize,
              total: audit.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (total) => `共 ${total} 条`,
              onChange: (p, s) => setParams({ page: String(p), pageSize: String(s) }, { replace: true }),
            }}
          />
        </Flex>
      </Card>
    </>
  );
}
