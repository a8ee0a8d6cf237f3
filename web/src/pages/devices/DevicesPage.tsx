// The device register (R-R10): the agency's body cameras, recorders, cameras, mobile terminals and the
// interview and hearing rooms' fixed recording, with custodian and status; the administrator or head adds.
import { useState } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import type { ApiError } from '../../api.ts';
import { useSession } from '../../auth.tsx';
import { devicesApi, type Device, type DeviceKind, type DeviceStatus } from '../../devicesApi.ts';
import { DEVICE_KIND_LABELS, DEVICE_STATUS_LABELS } from '../../../../src/devices/schema.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { TableEmpty } from '../../components/TableEmpty.tsx';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { useRemote } from '../../components/useRemote.ts';

export const STATUS_COLORS: Record<DeviceStatus, string> = { in_service: 'green', under_repair: 'orange', retired: 'default' };
const FIELDS = ['kind', 'serial', 'name', 'configuration', 'custodian'];

export const canManageDevices = (u: { role: string }) => u.role === 'agency_admin' || u.role === 'agency_head';

export default function DevicesPage() {
  const { user } = useSession();
  const [status, setStatus] = useState<DeviceStatus | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const list = useRemote(() => devicesApi.list({ status }), [status]);
  const columns: TableProps<Device>['columns'] = [
    { title: '设备编号', dataIndex: 'serial', width: 150, render: (v: string, d) => <Link to={`/devices/${d.id}`}>{v}</Link> },
    { title: '类型', dataIndex: 'kindLabel', width: 160 },
    { title: '名称和型号', dataIndex: 'name' },
    { title: '所属机关', dataIndex: 'agencyName', width: 200 },
    { title: '保管人', dataIndex: 'custodian', width: 140 },
    { title: '状态', dataIndex: 'status', width: 110, render: (v: DeviceStatus, d) => <Tag color={STATUS_COLORS[v]}>{d.statusLabel}</Tag> },
    { title: '记录数', dataIndex: 'records', width: 90, align: 'right' },
  ];
  return (
    <>
      <PageHeader
        title="执法记录设备"
        subTitle="执法记录仪、录音录像设备和询问室、听证室固定录音录像的登记簿；音像记录须注明登记在册的记录设备"
        extra={
          <Space wrap>
            <Link to="/custodians">保管人</Link>
            {canManageDevices(user) && (
              <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
                登记设备
              </Button>
            )}
          </Space>
        }
      />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select<DeviceStatus>
          aria-label="设备状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={Object.entries(DEVICE_STATUS_LABELS).map(([value, label]) => ({ value: value as DeviceStatus, label }))}
        />
      </Space>
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />}
      <Table<Device>
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        locale={{ emptyText: <TableEmpty error={list.error} description="尚未登记执法记录设备" /> }}
      />
      {adding && <AddDeviceDrawer agencyId={user.agencyId} onClose={() => setAdding(false)} />}
    </>
  );
}

function AddDeviceDrawer({ agencyId, onClose }: { agencyId: string; onClose: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (v: { kind: DeviceKind; serial: string; name: string; configuration?: string; custodian: string }) => {
    setSaving(true);
    setError(null);
    try {
      const d = await devicesApi.add({ agencyId, ...v });
      message.success(`已登记设备 ${d.serial}`);
      navigate(`/devices/${d.id}`);
    } catch (e) {
      setError(applyProblemToForm(form, e, FIELDS).error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer open title="登记执法记录设备" size="large" onClose={onClose} destroyOnHidden>
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="device" onFinish={submit} initialValues={{ kind: 'body_camera' }}>
        <Form.Item name="kind" label="设备类型" rules={[{ required: true, message: '请选择设备类型' }]}>
          <Select options={Object.entries(DEVICE_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="serial" label="设备编号" rules={[{ required: true, message: '请填写设备编号' }]} extra="音像记录登记时填写的就是这个编号">
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="name" label="名称和型号" rules={[{ required: true, message: '请填写名称和型号' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="configuration" label="配置">
          <Input.TextArea rows={3} maxLength={1000} placeholder="如：1080P、GPS、北斗授时、加密存储" />
        </Form.Item>
        <Form.Item name="custodian" label="保管人" rules={[{ required: true, message: '请填写保管人' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          登记
        </Button>
      </Form>
    </Drawer>
  );
}
