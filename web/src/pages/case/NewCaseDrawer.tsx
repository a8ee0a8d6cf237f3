import { useEffect, useState } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import type { ApiError } from '../../api.ts';
import { useSession } from '../../auth.tsx';
import { caseApi } from '../../caseApi.ts';
import type { NewCaseInput } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';

const FIELDS = ['procedureId', 'title', 'matter.category', 'matter.area', 'party.name', 'party.type', 'party.idType', 'party.idNumber', 'party.address'];

/** Opening a case: the procedure it follows (the version is kept for its whole life), the matter and the party. */
export function NewCaseDrawer({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user } = useSession();
  const [form] = Form.useForm<NewCaseInput>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const procedures = useRemote(() => api.procedures(), []);
  const partyType = Form.useWatch(['party', 'type'], form);

  useEffect(() => {
    // The agency's first field of enforcement is the usual category of its cases.
    api.agency(user.agencyId).then(
      (a) => {
        if (!form.getFieldValue(['matter', 'category']) && a.fields[0]) form.setFieldValue(['matter', 'category'], a.fields[0]);
      },
      () => undefined,
    );
  }, [form, user.agencyId]);

  const options = (procedures.data?.items ?? [])
    .filter((p) => !p.agency || p.agency.id === user.agencyId)
    .map((p) => ({ value: p.id, label: p.agency ? `${p.name}（本机关调整版）` : p.name }));

  async function submit(v: NewCaseInput) {
    setSaving(true);
    setError(null);
    try {
      const c = await caseApi.create({ ...v, party: { ...v.party, idNumber: v.party.idNumber || null, address: v.party.address ?? '' } });
      message.success(`已登记，案号 ${c.number}`);
      navigate(`/cases/${c.id}`);
    } catch (e) {
      setError(applyProblemToForm(form, e, FIELDS).error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open
      title="登记案件"
      size="large"
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            登记
          </Button>
        </Space>
      }
    >
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      {procedures.error && <ProblemAlert error={procedures.error} onRetry={procedures.reload} style={{ marginBottom: 16 }} />}
      <Form<NewCaseInput>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ party: { type: 'organisation', idType: 'credit_code' } }}
      >
        <Form.Item name="procedureId" label="程序" rules={[{ required: true, message: '请选择程序' }]} extra="案件按登记时的程序版本办理到底">
          <Select options={options} loading={procedures.loading} />
        </Form.Item>
        <Form.Item name="title" label="案由（案件名称）" rules={[{ required: true, message: '请填写案由' }]}>
          <Input maxLength={200} placeholder="如：涉嫌经营超过保质期的食品案" />
        </Form.Item>
        <Space wrap size="large" align="start">
          <Form.Item name={['matter', 'category']} label="执法类别" rules={[{ required: true, message: '请填写执法类别' }]}>
            <Input maxLength={100} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name={['matter', 'area']} label="执法区域" rules={[{ required: true, message: '请填写执法区域' }]}>
            <Input maxLength={100} style={{ width: 260 }} placeholder="如：演示市西湖区" />
          </Form.Item>
        </Space>
        <fieldset style={{ border: '1px solid #f0f0f0', padding: '8px 16px', borderRadius: 6 }}>
          <legend style={{ width: 'auto', fontSize: 14, padding: '0 4px' }}>当事人</legend>
          <Space wrap size="large" align="start">
            <Form.Item name={['party', 'type']} label="当事人类型">
              <Select
                style={{ width: 200 }}
                options={[
                  { value: 'organisation', label: '法人或其他组织' },
                  { value: 'citizen', label: '公民' },
                ]}
                onChange={(t) => form.setFieldValue(['party', 'idType'], t === 'citizen' ? 'id_card' : 'credit_code')}
              />
            </Form.Item>
            <Form.Item name={['party', 'name']} label={partyType === 'citizen' ? '当事人姓名' : '当事人名称'} rules={[{ required: true, message: '请填写当事人名称或姓名' }]}>
              <Input maxLength={200} style={{ width: 320 }} />
            </Form.Item>
          </Space>
          <Space wrap size="large" align="start">
            <Form.Item name={['party', 'idType']} label="证件类型">
              <Select
                style={{ width: 200 }}
                options={[
                  { value: 'credit_code', label: '统一社会信用代码' },
                  { value: 'id_card', label: '居民身份证' },
                  { value: 'other', label: '其他证件' },
                ]}
              />
            </Form.Item>
            <Form.Item name={['party', 'idNumber']} label="证件号码">
              <Input maxLength={50} style={{ width: 260 }} />
            </Form.Item>
          </Space>
          <Form.Item name={['party', 'address']} label="住所（住址）">
            <Input maxLength={200} />
          </Form.Item>
        </fieldset>
      </Form>
    </Drawer>
  );
}
