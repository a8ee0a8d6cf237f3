// Named custodians of the agency's records, ledgers (台账) and documents (R-R05); a change is a new entry.
import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Select, Table } from 'antd';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../api.ts';
import { useSession } from '../../auth.tsx';
import { devicesApi, type Custodian, type CustodyKind } from '../../devicesApi.ts';
import { CUSTODY_KIND_LABELS } from '../../../../src/devices/schema.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { TableEmpty } from '../../components/TableEmpty.tsx';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { useRemote } from '../../components/useRemote.ts';
import { canManageDevices } from './DevicesPage.tsx';

export default function CustodiansPage() {
  const { user } = useSession();
  const data = useRemote(() => devicesApi.custodians(user.agencyId), [user.agencyId]);
  return (
    <>
      <PageHeader title="保管人" subTitle="执法记录、执法台账和执法文书由专人保管；变更保管人留有记录" extra={<Link to="/devices">执法记录设备</Link>} />
      {data.error && <ProblemAlert error={data.error} onRetry={data.reload} style={{ marginBottom: 16 }} />}
      <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', marginBottom: 16 }}>
        {data.data?.current.map((c) => (
          <Card key={c.kind} size="small" title={c.kindLabel}>
            {c.custodian ? (
              <>
                <div>{c.custodian.name}</div>
                <div style={{ color: 'rgba(0,0,0,0.65)' }}>{[c.custodian.storage, c.custodian.phone, `自 ${c.custodian.since}`].filter(Boolean).join(' · ')}</div>
              </>
            ) : (
              <span style={{ color: '#b42318' }}>尚未指定保管人</span>
            )}
          </Card>
        ))}
      </div>
      {canManageDevices(user) && <NameForm agencyId={user.agencyId} onDone={data.reload} />}
      <Card title="保管人变更记录" size="small">
        <Table<Custodian>
          rowKey="id"
          size="small"
          dataSource={data.data?.history ?? []}
          loading={data.loading}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: '保管对象', dataIndex: 'kindLabel', width: 180 },
            { title: '保管人', dataIndex: 'name', width: 140 },
            { title: '存放场所或系统', dataIndex: 'storage', render: (v: string) => v || '—' },
            { title: '起始日期', dataIndex: 'since', width: 120 },
          ]}
          locale={{ emptyText: <TableEmpty error={data.error} description="尚未指定保管人" /> }}
        />
      </Card>
    </>
  );
}

function NameForm({ agencyId, onDone }: { agencyId: string; onDone: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (v: { kind: CustodyKind; name: string; phone?: string; storage?: string; since: { format: (f: string) => string } }) => {
    setSaving(true);
    setError(null);
    try {
      await devicesApi.nameCustodian({ agencyId, kind: v.kind, name: v.name, phone: v.phone ?? '', storage: v.storage ?? '', since: v.since.format('YYYY-MM-DD') });
      message.success('已指定保管人');
      form.resetFields();
      onDone();
    } catch (e) {
      setError(applyProblemToForm(form, e, ['kind', 'name', 'phone', 'storage', 'since']).error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title="指定保管人" size="small" style={{ marginBottom: 16 }}>
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="custodian" onFinish={submit} style={{ display: 'grid', gap: '0 16px', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))' }}>
        <Form.Item name="kind" label="保管对象" rules={[{ required: true, message: '请选择保管对象' }]}>
          <Select options={Object.entries(CUSTODY_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="name" label="保管人" rules={[{ required: true, message: '请填写保管人' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="storage" label="存放场所或系统">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label="联系电话">
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="since" label="起始日期" rules={[{ required: true, message: '请选择起始日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label=" ">
          <Button type="primary" htmlType="submit" loading={saving}>
            指定
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
