import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { api, toApiError } from '../api.ts';
import type { ApiError, ApiToken, FieldError } from '../api.ts';
import { labelOf, optionsOf, tokenScopeLabels } from '../labels.ts';
import type { TokenScope } from '../labels.ts';
import { formatDateTime } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { applyProblemToForm } from '../components/formErrors.ts';
import { useRemote } from '../components/useRemote.ts';

export default function TokensPage() {
  const { message } = App.useApp();
  const tokens = useRemote(() => api.tokens(), []);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);

  const revoke = async (t: ApiToken) => {
    setRevokeError(null);
    try {
      await api.revokeToken(t.id);
      message.success(`已吊销令牌“${t.name}”`);
      tokens.reload();
    } catch (e) {
      setRevokeError(toApiError(e));
    }
  };

  const columns: TableProps<ApiToken>['columns'] = [
    { title: '名称', dataIndex: 'name' },
    {
      title: '权限范围',
      dataIndex: 'scopes',
      render: (scopes: TokenScope[]) =>
        scopes.map((s) => (
          <Tag key={s} title={s}>
            {labelOf(tokenScopeLabels, s)}
          </Tag>
        )),
    },
    { title: '创建时间', dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v) },
    { title: '最近使用', dataIndex: 'lastUsedAt', width: 180, render: (v: string | null) => (v ? formatDateTime(v) : '从未使用') },
    {
      title: '状态',
      dataIndex: 'revokedAt',
      width: 200,
      render: (v: string | null) => (v ? <Tag color="red">已吊销 {formatDateTime(v)}</Tag> : <Tag color="green">有效</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      render: (_: unknown, t) =>
        t.revokedAt ? null : (
          <Popconfirm
            title="确定吊销该令牌？"
            description="吊销后，使用该令牌的系统将立即无法访问，且不能恢复。"
            okText="吊销"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => revoke(t)}
          >
            <Button type="link" danger size="small" aria-label={`吊销 ${t.name}`}>
              吊销
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="API 令牌"
        subTitle="供其他系统（如上级平台、信用平台）调用本平台接口；令牌按权限范围授权，可随时吊销"
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            新建令牌
          </Button>
        }
      />
      <Card>
        {tokens.error && <ProblemAlert error={tokens.error} onRetry={tokens.reload} style={{ marginBottom: 16 }} />}
        {revokeError && <ProblemAlert error={revokeError} style={{ marginBottom: 16 }} />}
        <Table<ApiToken>
          rowKey="id"
          columns={columns}
          dataSource={tokens.data?.items ?? []}
          loading={tokens.loading}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <TableEmpty error={tokens.error} description="尚未创建 API 令牌" /> }}
        />
      </Card>
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(name, token) => {
            setCreating(false);
            setIssued({ name, token });
            tokens.reload();
          }}
        />
      )}
      {issued && (
        <Modal
          open
          title={`令牌“${issued.name}”已创建`}
          closable={false}
          mask={{ closable: false }}
          footer={
            <Button type="primary" onClick={() => setIssued(null)}>
              我已保存
            </Button>
          }
        >
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="令牌只显示这一次"
            description="关闭此窗口后将无法再次查看，请立即复制并妥善保存；如遗失，请吊销后重新创建。"
          />
          <Typography.Paragraph
            copyable={{ text: issued.token, tooltips: ['复制令牌', '已复制'] }}
            code
            style={{ wordBreak: 'break-all' }}
            aria-label="新令牌"
          >
            <KeyOutlined aria-hidden /> {issued.token}
          </Typography.Paragraph>
          <Typography.Text type="secondary">调用接口时在请求头中携带：Authorization: Bearer &lt;令牌&gt;</Typography.Text>
        </Modal>
      )}
    </>
  );
}

function CreateTokenModal({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string, token: string) => void }) {
  const [form] = Form.useForm<{ name: string; scopes: TokenScope[] }>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);

  const submit = async () => {
    let v: { name: string; scopes: TokenScope[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const res = await api.createToken(v.name.trim(), v.scopes);
      onCreated(v.name.trim(), res.token);
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, ['name', 'scopes']));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title="新建 API 令牌" okText="创建" onOk={() => void submit()} confirmLoading={saving} onCancel={onClose} destroyOnHidden>
      {saveError && <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="token" initialValues={{ scopes: ['registry:read'] }}>
        <Form.Item
          label="令牌名称"
          name="name"
          rules={[
            { required: true, whitespace: true, message: '请输入令牌名称' },
            { max: 100, message: '名称不超过 100 字' },
          ]}
          extra="写明使用方，便于日后识别，如：市一体化政务平台数据同步。"
        >
          <Input />
        </Form.Item>
        <Form.Item label="权限范围" name="scopes" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一项权限' }]}>
          <Checkbox.Group
            options={optionsOf(tokenScopeLabels).map((o) => ({ value: o.value, label: `${o.label}（${o.value}）` }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
