import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Flex, Form, Input, Modal, Radio, Row, Select, Switch, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../api.ts';
import type { ApiError, FieldError, Reviewer, ReviewerInput, ReviewerRatio } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { labelOf, optionsOf, reviewerRoleLabels } from '../labels.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { AgencySelect } from '../components/AgencySelect.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { applyProblemToForm } from '../components/formErrors.ts';
import { useRemote } from '../components/useRemote.ts';
import { PHONE } from '../validate.ts';

/** The roster as the server lists it: each entry with the account that signs as it. */
type RosterRow = Reviewer & { bound: boolean; userId: string | null; username: string | null };

/** R-L03: reviewers should be at least 5% of the agency's officers. */
const FLOOR_PERCENT = 5;

function percent(r: ReviewerRatio): string {
  if (!r.officers) return '—';
  return `${((r.reviewers / r.officers) * 100).toFixed(1)}%`;
}

export default function ReviewersPage() {
  const { user } = useSession();
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<RosterRow | null>(null);
  const roster = useRemote(() => api.reviewers(agencyId ?? undefined), [agencyId]);
  const ratio = useRemote(() => api.reviewerRatio(), []);

  const ratioRows = useMemo(
    () => [...(ratio.data?.items ?? [])].sort((a, b) => Number(a.meetsFloor) - Number(b.meetsFloor) || a.agencyName.localeCompare(b.agencyName, 'zh')),
    [ratio.data],
  );
  const below = ratioRows.filter((r) => !r.meetsFloor);

  const rosterColumns: TableProps<Reviewer>['columns'] = [
    { title: '姓名', dataIndex: 'name', width: 110 },
    { title: '类别', dataIndex: 'role', width: 130, render: (v: string) => labelOf(reviewerRoleLabels, v) },
    { title: '所属单位', dataIndex: 'agencyName' },
    { title: '资格', dataIndex: 'qualification', render: (v: string) => v || '—' },
    { title: '联系电话', dataIndex: 'phone', width: 150, render: (v: string) => v || '—' },
    {
      // R-L07: an opinion is signed as the entry bound to the signer's account; an unbound entry signs nothing.
      title: '签署账号',
      key: 'username',
      width: 150,
      render: (_: unknown, r) => {
        const row = r as RosterRow;
        return row.bound ? (row.username ?? '已绑定') : <Tag color="orange">未绑定</Tag>;
      },
    },
    {
      title: '跨单位共享',
      dataIndex: 'shared',
      width: 110,
      render: (v: boolean) => (v ? <Tag color="blue">共享</Tag> : '否'),
    },
    {
      title: '状态',
      dataIndex: 'active',
      width: 90,
      render: (v: boolean) => (v ? <Tag color="green">在岗</Tag> : <Tag>停用</Tag>),
    },
    ...(can.writeRegistry(user)
      ? [
          {
            title: '操作',
            key: 'edit',
            width: 90,
            render: (_: unknown, r: Reviewer) => (
              <Button size="small" onClick={() => setEditing(r as RosterRow)} aria-label={`调整 ${r.name} 的签署账号与共享`}>
                调整
              </Button>
            ),
          },
        ]
      : []),
  ];

  const ratioColumns: TableProps<ReviewerRatio>['columns'] = [
    { title: '执法主体', dataIndex: 'agencyName' },
    { title: '执法人员数', dataIndex: 'officers', width: 120, align: 'right' },
    { title: '审核人员数', dataIndex: 'reviewers', width: 120, align: 'right' },
    { title: '配备比例', key: 'ratio', width: 110, align: 'right', render: (_: unknown, r) => percent(r) },
    { title: '应配人数', dataIndex: 'required', width: 110, align: 'right', render: (v: number) => `≥ ${v}` },
    {
      title: `是否达到 ${FLOOR_PERCENT}%`,
      dataIndex: 'meetsFloor',
      width: 150,
      render: (ok: boolean, r) =>
        ok ? <Tag color="green">达标</Tag> : <Tag color="red">未达标，缺 {Math.max(r.required - r.reviewers, 0)} 人</Tag>,
    },
  ];

  return (
    <>
      <PageHeader
        title="法制审核人员"
        subTitle="法制审核人员、法律顾问和公职律师名册，以及各执法主体的审核人员配备比例"
        extra={
          can.writeRegistry(user) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
              新增审核人员
            </Button>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card
            title={`配备比例（不低于执法人员总数的 ${FLOOR_PERCENT}%）`}
            extra={
              <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={ratio.reload}>
                刷新
              </Button>
            }
          >
            {ratio.error && <ProblemAlert error={ratio.error} onRetry={ratio.reload} style={{ marginBottom: 16 }} />}
            {ratio.data && below.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                title={`${below.length} 个执法主体的法制审核人员低于执法人员总数的 ${FLOOR_PERCENT}%`}
                description="请及时配齐法制审核人员，或通过法律顾问、公职律师及共享审核人员补足。"
              />
            )}
            {ratio.data && ratioRows.length > 0 && below.length === 0 && (
              <Alert type="success" showIcon style={{ marginBottom: 16 }} title={`所有执法主体均达到 ${FLOOR_PERCENT}% 的配备比例`} />
            )}
            <Table<ReviewerRatio>
              rowKey="agencyId"
              size="small"
              columns={ratioColumns}
              dataSource={ratioRows}
              loading={ratio.loading}
              onRow={(r) => (r.meetsFloor ? {} : { style: { background: '#fff1f0', color: '#a8071a' }, 'aria-label': `${r.agencyName} 未达标` })}
              pagination={ratioRows.length > 20 ? { pageSize: 20, showTotal: (t) => `共 ${t} 个` } : false}
              locale={{ emptyText: <TableEmpty error={ratio.error} description="暂无配备数据" /> }}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title="审核人员名册">
            <Flex gap={12} wrap style={{ marginBottom: 16 }} role="search">
              <AgencySelect
                aria-label="按所属单位筛选"
                placeholder="全部单位"
                value={agencyId}
                onChange={setAgencyId}
                style={{ width: 300 }}
              />
              <Button icon={<ReloadOutlined aria-hidden />} onClick={roster.reload}>
                刷新
              </Button>
            </Flex>
            {roster.error && <ProblemAlert error={roster.error} onRetry={roster.reload} style={{ marginBottom: 16 }} />}
            <Table<Reviewer>
              rowKey="id"
              columns={rosterColumns}
              dataSource={roster.data?.items ?? []}
              loading={roster.loading}
              scroll={{ x: 900 }}
              pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (t) => `共 ${t} 人`, hideOnSinglePage: true }}
              locale={{ emptyText: <TableEmpty error={roster.error} description={agencyId ? '该单位暂无审核人员' : '暂无审核人员'} /> }}
            />
          </Card>
        </Col>
      </Row>
      <RosterEntryDrawer
        entry={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          roster.reload();
          ratio.reload();
        }}
      />
      {adding && (
        <ReviewerModal
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            roster.reload();
            ratio.reload();
          }}
        />
      )}
    </>
  );
}

const REVIEWER_FIELDS = ['agencyId', 'name', 'role', 'qualification', 'phone', 'shared'] as const;

function ReviewerModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReviewerInput>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);

  const submit = async () => {
    let v: ReviewerInput;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await api.createReviewer({
        ...v,
        name: v.name.trim(),
        qualification: (v.qualification ?? '').trim(),
        phone: (v.phone ?? '').trim(),
      });
      message.success(`已新增审核人员“${saved.name}”`);
      onDone();
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, REVIEWER_FIELDS));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title="新增法制审核人员" okText="保存" onOk={() => void submit()} confirmLoading={saving} onCancel={onClose} destroyOnHidden width={600}>
      {saveError && <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        name="reviewer"
        initialValues={{
          agencyId: can.chooseAgency(user) ? null : user.agencyId,
          role: 'reviewer',
          qualification: '',
          phone: '',
          shared: false,
        }}
      >
        <Form.Item label="所属单位" name="agencyId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <AgencySelect disabled={!can.chooseAgency(user)} allowClear={false} />
        </Form.Item>
        <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item label="类别" name="role" rules={[{ required: true, message: '请选择类别' }]}>
          <Radio.Group options={optionsOf(reviewerRoleLabels)} />
        </Form.Item>
        <Form.Item label="资格" name="qualification" extra="如：法律职业资格证书编号，或执业律师证号。">
          <Input />
        </Form.Item>
        <Form.Item label="联系电话" name="phone" rules={[{ pattern: PHONE, message: '请输入有效的电话号码' }]}>
          <Input />
        </Form.Item>
        <Form.Item label="跨单位共享" name="shared" valuePropName="checked" tooltip="可为本系统其他执法主体承担审核工作">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * R-L03, R-L07: the roster keeper binds an entry to the reviewer account that signs as it, shares it
 * with other units (a shared entry reviews only submissions assigned to it), or takes it out of service.
 * Accounts are listed for administrators; others keep the binding as it is.
 */
function RosterEntryDrawer({ entry, onClose, onDone }: { entry: RosterRow | null; onClose: () => void; onDone: () => void }) {
  return (
    <Drawer open={entry !== null} title={entry ? `调整审核人员：${entry.name}` : ''} onClose={onClose} destroyOnHidden>
      {entry && <RosterEntryForm key={entry.id} entry={entry} onClose={onClose} onDone={onDone} />}
    </Drawer>
  );
}

function RosterEntryForm({ entry, onClose, onDone }: { entry: RosterRow; onClose: () => void; onDone: () => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ userId?: string | null; shared: boolean; active: boolean }>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const mayListAccounts = user.role === 'agency_admin' || user.role === 'system_admin';
  const accounts = useRemote(() => (mayListAccounts ? api.users() : Promise.resolve({ items: [] })), [mayListAccounts]);
  const options = (accounts.data?.items ?? [])
    .filter((a) => a.agencyId === entry.agencyId && a.role === 'reviewer' && !a.disabled)
    .map((a) => ({ value: a.id, label: `${a.displayName}（${a.username}）` }));

  const submit = async (v: { userId?: string | null; shared: boolean; active: boolean }) => {
    setSaving(true);
    setSaveError(null);
    try {
      await api.updateReviewer(entry.id, { ...(mayListAccounts ? { userId: v.userId ?? null } : {}), shared: v.shared, active: v.active });
      message.success(`已更新审核人员“${entry.name}”`);
      onDone();
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, ['userId', 'shared', 'active']).error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {saveError && <ProblemAlert error={saveError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ userId: entry.userId ?? undefined, shared: entry.shared, active: entry.active }}>
        {mayListAccounts ? (
          <Form.Item name="userId" label="签署账号" extra="审核意见以绑定账号的名册身份署名；未绑定的名册人员不能签署（R-L07）">
            <Select allowClear placeholder="不绑定" options={options} loading={accounts.loading} notFoundContent="本单位没有法制审核人员账号" />
          </Form.Item>
        ) : (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={entry.bound ? '已绑定签署账号；账号由单位管理员绑定。' : '未绑定签署账号；请由单位管理员绑定。'} />
        )}
        <Form.Item name="shared" label="跨单位共享" valuePropName="checked" extra="共享后，其他单位报送时可指派其审核；只能查看和审核指派给其的案件（R-L03）">
          <Switch checkedChildren="共享" unCheckedChildren="不共享" />
        </Form.Item>
        <Form.Item name="active" label="在岗" valuePropName="checked">
          <Switch checkedChildren="在岗" unCheckedChildren="停用" />
        </Form.Item>
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存
          </Button>
        </Flex>
      </Form>
    </>
  );
}
