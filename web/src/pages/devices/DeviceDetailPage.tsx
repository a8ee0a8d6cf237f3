// One device of the register with every record it made (R-R10: a doubtful device is traced to its
// records) and each record's hand-over to storage (R-R05: late hand-overs flagged).
import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { ApiError } from '../../api.ts';
import { useSession } from '../../auth.tsx';
import { delayText, devicesApi, type DeviceRecord, type DeviceStatus } from '../../devicesApi.ts';
import { DEVICE_STATUS_LABELS } from '../../../../src/devices/schema.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { TableEmpty } from '../../components/TableEmpty.tsx';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { useRemote } from '../../components/useRemote.ts';
import { canManageDevices, STATUS_COLORS } from './DevicesPage.tsx';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export default function DeviceDetailPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const device = useRemote(() => devicesApi.get(id), [id]);
  const d = device.data;
  const columns: TableProps<DeviceRecord>['columns'] = [
    { title: '案件', key: 'case', width: 220, render: (_: unknown, r) => <Link to={`/cases/${r.caseId}`}>{r.caseNumber}</Link> },
    { title: '记录', dataIndex: 'title', render: (v: string, r) => `${v}（${r.kindLabel}）` },
    { title: '录制结束', dataIndex: 'endedAt', width: 170, render: time },
    { title: '上传存储', key: 'uploaded', width: 170, render: (_: unknown, r) => (r.handover ? time(r.handover.uploadedAt) : '—') },
    {
      title: '移交',
      key: 'handover',
      width: 200,
      render: (_: unknown, r) =>
        r.handover ? (
          <Space size={4} wrap>
            <span>{delayText(r.handover.delaySeconds)}</span>
            {r.handover.late ? <Tag color="red">超过 {r.handover.limitHours} 小时时限</Tag> : <Tag color="green">及时</Tag>}
          </Space>
        ) : (
          '—'
        ),
    },
    { title: '记录人', dataIndex: 'recorder', width: 120 },
  ];
  const late = d?.records.filter((r) => r.handover?.late).length ?? 0;
  return (
    <>
      <PageHeader title={d ? `设备 ${d.serial}` : '设备'} subTitle={d ? `${d.kindLabel} · ${d.agencyName}` : undefined} extra={<Link to="/devices">返回设备登记簿</Link>} />
      {device.error && <ProblemAlert error={device.error} onRetry={device.reload} style={{ marginBottom: 16 }} />}
      {d && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card title="设备信息">
            <Descriptions bordered column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label="名称和型号">{d.name}</Descriptions.Item>
              <Descriptions.Item label="状态">
                <Tag color={STATUS_COLORS[d.status]}>{d.statusLabel}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="保管人">{d.custodian}</Descriptions.Item>
              <Descriptions.Item label="配置">{d.configuration || '—'}</Descriptions.Item>
            </Descriptions>
            {canManageDevices(user) && user.agencyId === d.agencyId && d.status !== 'retired' && <StatusForm id={d.id} onDone={device.reload} />}
          </Card>
          <Card title={`该设备所作的记录（${d.records.length} 条${late ? `，${late} 条移交超时` : ''}）`}>
            <Table<DeviceRecord>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={d.records}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 900 }}
              rowClassName={(r) => (r.handover?.late ? 'row-warning' : '')}
              locale={{ emptyText: <TableEmpty description="该设备尚无记录" /> }}
            />
          </Card>
        </Space>
      )}
    </>
  );
}

function StatusForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (v: { status: DeviceStatus; reason: string }) => {
    setSaving(true);
    setError(null);
    try {
      await devicesApi.setStatus(id, v);
      message.success('设备状态已变更');
      form.resetFields();
      onDone();
    } catch (e) {
      setError(applyProblemToForm(form, e, ['status', 'reason']).error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form form={form} layout="inline" name="device-status" onFinish={submit} style={{ marginTop: 16, rowGap: 8 }}>
      {error && <ProblemAlert error={error} style={{ marginBottom: 8, width: '100%' }} />}
      <Form.Item name="status" label="变更状态" rules={[{ required: true, message: '请选择状态' }]}>
        <Select style={{ width: 140 }} options={Object.entries(DEVICE_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请填写变更原因' }]}>
        <Input maxLength={500} style={{ width: 240 }} />
      </Form.Item>
      <Button htmlType="submit" loading={saving}>
        变更
      </Button>
    </Form>
  );
}
