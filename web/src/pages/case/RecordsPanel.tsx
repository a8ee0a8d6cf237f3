import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useSession, can } from '../../auth.tsx';
import type { ApiError, CaseRecord } from '../../api.ts';
import { caseApi } from '../../caseApi.ts';
import type { CaseAccess, CaseDisclosure, CaseWorkView } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { labelOf, recordKindLabels } from '../../labels.ts';

const ACCESS_LABELS: Record<string, string> = { view: '查看', download: '下载', export: '导出', disclosure: '对外提供' };
const DISCLOSURE_STATUS: Record<CaseDisclosure['status'], { label: string; color: string }> = {
  pending: { label: '待批准', color: 'blue' },
  approved: { label: '已批准', color: 'green' },
  rejected: { label: '不予批准', color: 'red' },
};

/** Asks for the reason before opening a record: every view and download is logged with it (R-R06). */
function AccessModal({ caseId, record, action, onClose }: { caseId: string; record: CaseRecord; action: 'view' | 'download'; onClose: () => void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      open
      title={`${action === 'view' ? '查看' : '下载'}：${record.title}`}
      okText={action === 'view' ? '查看' : '下载'}
      cancelText="取消"
      okButtonProps={{ disabled: reason.trim().length < 2 }}
      onOk={() => {
        window.open(caseApi.recordContentUrl(caseId, record.id, reason.trim(), action), '_blank', 'noopener');
        onClose();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">调阅执法记录须写明事由，调阅情况记入本案的调阅日志。</Typography.Paragraph>
      <Input.TextArea aria-label="调阅事由" placeholder="如：制作调查终结报告，核对现场情况" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} autoSize={{ minRows: 2 }} />
    </Modal>
  );
}

interface DisclosureForm {
  recordIds: string[];
  recipient: string;
  purpose: string;
}

function DisclosureModal({ view, onClose, onDone }: { view: CaseWorkView; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<DisclosureForm>();
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Modal open title="申请对外提供执法记录" okText="提交申请" cancelText="取消" onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">向外部提供音像记录须经机关负责人批准（R-R06）。</Typography.Paragraph>
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
      <Form<DisclosureForm>
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          try {
            await caseApi.requestDisclosure(view.id, v);
            message.success('申请已提交，待负责人批准');
            onDone();
          } catch (e) {
            setError(applyProblemToForm(form, e, ['recordIds', 'recipient', 'purpose']).error);
          }
        }}
      >
        <Form.Item name="recordIds" label="记录" rules={[{ required: true, message: '至少选择一条记录' }]}>
          <Select mode="multiple" options={view.records.map((r) => ({ value: r.id, label: `${r.kindLabel}：${r.title}` }))} />
        </Form.Item>
        <Form.Item name="recipient" label="接收单位或个人" rules={[{ required: true, message: '请填写接收单位或个人' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请填写用途' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecideModal({ caseId, disclosure, onClose, onDone }: { caseId: string; disclosure: CaseDisclosure; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ approved: boolean; opinion: string }>();
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Modal open title={`审批对外提供：${disclosure.recipient}`} okText="提交" cancelText="取消" onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>用途：{disclosure.purpose}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ approved: true, opinion: '同意提供。' }}
        onFinish={async (v) => {
          try {
            await caseApi.decideDisclosure(caseId, disclosure.id, v);
            message.success('已审批');
            onDone();
          } catch (e) {
            setError(applyProblemToForm(form, e, ['approved', 'opinion']).error);
          }
        }}
      >
        <Form.Item name="approved" label="是否批准">
          <Select options={[{ value: true, label: '批准' }, { value: false, label: '不予批准' }]} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="opinion" label="审批意见" rules={[{ required: true, message: '请填写审批意见' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Records with their access, corrections, disclosures and the access log shown on the case (R-R05, R-R06). */
export function RecordsPanel({ view, onAdd, onCorrect, onChanged }: { view: CaseWorkView; onAdd: () => void; onCorrect: (r: CaseRecord) => void; onChanged: () => void }) {
  const { user } = useSession();
  const [access, setAccess] = useState<{ record: CaseRecord; action: 'view' | 'download' } | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [deciding, setDeciding] = useState<CaseDisclosure | null>(null);
  const working = view.status !== 'archived' && can.workOnCase(user, view.agency.id);
  const title = (id: string | null) => view.records.find((r) => r.id === id)?.title ?? '—';

  const columns: TableProps<CaseRecord>['columns'] = [
    { title: '类型', dataIndex: 'kind', width: 90, render: (v: CaseRecord['kind'], r) => <Tag>{r.kindLabel || labelOf(recordKindLabels, v)}</Tag> },
    {
      title: '名称',
      dataIndex: 'title',
      render: (v: string, r) => (
        <>
          {v}
          {r.corrects && <Tag color="orange" style={{ marginInlineStart: 6 }}>更正记录</Tag>}
          <div>
            <Typography.Text type="secondary">{r.description}</Typography.Text>
          </div>
        </>
      ),
    },
    { title: '记录人 / 设备', key: 'recorder', width: 170, render: (_: unknown, r) => [r.recorder, r.deviceId].filter(Boolean).join(' / ') || '—' },
    {
      title: '时间',
      key: 'time',
      width: 190,
      render: (_: unknown, r) => (
        <>
          {formatDateTime(r.startedAt)}
          <br />
          <Typography.Text type="secondary">至 {formatDateTime(r.endedAt)}</Typography.Text>
        </>
      ),
    },
    { title: '地点', dataIndex: 'place', width: 160, ellipsis: true },
    {
      title: '操作',
      key: 'actions',
      width: 170,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Button size="small" onClick={() => setAccess({ record: r, action: 'view' })} aria-label={`查看 ${r.title}`}>
            查看
          </Button>
          {r.size !== null && (
            <Button size="small" onClick={() => setAccess({ record: r, action: 'download' })} aria-label={`下载 ${r.title}`}>
              下载
            </Button>
          )}
          {working && (
            <Button size="small" onClick={() => onCorrect(r)} aria-label={`更正 ${r.title}`}>
              更正
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const accessColumns: TableProps<CaseAccess>['columns'] = [
    { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    { title: '人员', key: 'user', width: 140, render: (_: unknown, a) => a.user },
    { title: '操作', dataIndex: 'action', width: 90, render: (v: string) => ACCESS_LABELS[v] ?? v },
    { title: '记录', dataIndex: 'recordId', render: (v: string | null) => title(v) },
    { title: '事由', dataIndex: 'reason' },
  ];

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        {working && (
          <Button type="primary" onClick={onAdd}>
            登记记录
          </Button>
        )}
        {working && view.records.length > 0 && <Button onClick={() => setRequesting(true)}>申请对外提供</Button>}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        执法记录不得修改或删除；调阅内容须写明事由并留痕。
      </Typography.Paragraph>
      <Table<CaseRecord>
        aria-label="文字和音像记录"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={view.records}
        pagination={view.records.length > 10 ? { pageSize: 10 } : false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" /> }}
      />
      {view.disclosures.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            对外提供
          </Typography.Title>
          <Table<CaseDisclosure>
            aria-label="对外提供申请"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={view.disclosures}
            columns={[
              { title: '接收方', dataIndex: 'recipient' },
              { title: '用途', dataIndex: 'purpose' },
              { title: '申请人', dataIndex: 'requestedBy', width: 110 },
              { title: '状态', dataIndex: 'status', width: 100, render: (v: CaseDisclosure['status']) => <Tag color={DISCLOSURE_STATUS[v].color}>{DISCLOSURE_STATUS[v].label}</Tag> },
              {
                title: '审批',
                key: 'decide',
                width: 160,
                render: (_: unknown, d) =>
                  d.status === 'pending' && can.approveCase(user, view.agency.id) ? (
                    <Button size="small" type="primary" onClick={() => setDeciding(d)}>
                      审批
                    </Button>
                  ) : (
                    d.opinion ?? '—'
                  ),
              },
            ]}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        调阅日志
      </Typography.Title>
      <Table<CaseAccess>
        aria-label="调阅日志"
        rowKey="id"
        size="small"
        columns={accessColumns}
        dataSource={view.accessLog}
        pagination={view.accessLog.length > 10 ? { pageSize: 10 } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无调阅" /> }}
      />
      {access && <AccessModal caseId={view.id} record={access.record} action={access.action} onClose={() => { setAccess(null); onChanged(); }} />}
      {requesting && <DisclosureModal view={view} onClose={() => setRequesting(false)} onDone={() => { setRequesting(false); onChanged(); }} />}
      {deciding && <DecideModal caseId={view.id} disclosure={deciding} onClose={() => setDeciding(null)} onDone={() => { setDeciding(null); onChanged(); }} />}
    </>
  );
}
