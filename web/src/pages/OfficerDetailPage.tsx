import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, EditOutlined, ExportOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { afterTodayInChina } from '../caseApi.ts';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { ApiError, FieldError, Officer, TrainingRecord } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import {
  effectiveStatusLabels,
  genderLabels,
  issuerTypeLabels,
  labelOf,
  optionsOf,
  qualificationLabels,
  settableStatusLabels,
} from '../labels.ts';
import type { OfficerStatus } from '../labels.ts';
import { formatDate, validityRange } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { TableEmpty } from '../components/TableEmpty.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { applyProblemToForm } from '../components/formErrors.ts';
import { useRemote } from '../components/useRemote.ts';

export default function OfficerDetailPage() {
  const { officerId = '' } = useParams();
  const { user } = useSession();
  const navigate = useNavigate();
  const officer = useRemote(() => api.officer(officerId), [officerId]);
  const [statusOpen, setStatusOpen] = useState(false);
  const o = officer.data;
  const editable = o ? can.editOfficer(user, o.agencyId) : false;

  return (
    <>
      <PageHeader
        title={
          <Space>
            {o?.name ?? '执法人员'}
            {o && <StatusTag status={o.effectiveStatus} />}
          </Space>
        }
        subTitle={o ? `${o.agencyName} · 执法证件号 ${o.certificateNumber}` : undefined}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => navigate('/officers')}>
              返回列表
            </Button>
            {o && editable && (
              <>
                <Button icon={<EditOutlined aria-hidden />} onClick={() => navigate(`/officers/${o.id}/edit`)}>
                  编辑
                </Button>
                <Button icon={<SwapOutlined aria-hidden />} type="primary" onClick={() => setStatusOpen(true)}>
                  变更证件状态
                </Button>
              </>
            )}
          </>
        }
      />
      {officer.error && <ProblemAlert error={officer.error} onRetry={officer.reload} style={{ marginBottom: 16 }} />}
      {officer.loading && !o && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {o && (
        <>
          {o.effectiveStatus !== 'valid' && (
            <Alert
              type={o.effectiveStatus === 'expired' ? 'warning' : 'error'}
              showIcon
              style={{ marginBottom: 16 }}
              title={`该执法证当前状态：${labelOf(effectiveStatusLabels, o.effectiveStatus)}`}
              description="持证人不得以此证件从事行政执法活动；公开核验页面同步显示该状态。"
            />
          )}
          {o.issuerType === 'state_council' && !o.justiceRegistration && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title="国务院部门颁发的证件尚未在司法局备案"
              description="备案后方可在本地使用，请在编辑页填写司法局备案号。"
            />
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <Card title="证件信息">
                <Descriptions
                  bordered
                  size="small"
                  column={{ xs: 1, md: 2 }}
                  items={[
                    { key: 'name', label: '姓名', children: o.name },
                    { key: 'gender', label: '性别', children: labelOf(genderLabels, o.gender) },
                    ...(o.idNumber !== undefined ? [{ key: 'idNumber', label: '身份证号', children: o.idNumber || '—' }] : []),
                    { key: 'agency', label: '所属执法主体', children: o.agencyName, span: o.idNumber !== undefined ? 1 : 2 },
                    { key: 'certificateNumber', label: '执法证件号', children: <Typography.Text code>{o.certificateNumber}</Typography.Text> },
                    { key: 'issuerType', label: '发证类型', children: labelOf(issuerTypeLabels, o.issuerType) },
                    ...(o.issuerType === 'state_council'
                      ? [{ key: 'justiceRegistration', label: '司法局备案号', children: o.justiceRegistration ?? '未备案' }]
                      : []),
                    { key: 'category', label: '执法类别', children: o.category },
                    { key: 'area', label: '执法区域', children: o.area },
                    { key: 'validity', label: '有效期', children: validityRange(o.validFrom, o.validTo) },
                    { key: 'status', label: '当前状态', children: <StatusTag status={o.effectiveStatus} /> },
                    { key: 'qualification', label: '资格取得方式', children: labelOf(qualificationLabels, o.qualification) },
                    ...(o.qualification === 'exam'
                      ? [{ key: 'examPassedOn', label: '考试合格日期', children: formatDate(o.examPassedOn) }]
                      : []),
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <QrCard officer={o} />
            </Col>
            <Col span={24}>
              <TrainingCard officerId={o.id} editable={editable} />
            </Col>
          </Row>
          {statusOpen && (
            <StatusModal
              officer={o}
              onClose={() => setStatusOpen(false)}
              onDone={() => {
                setStatusOpen(false);
                officer.reload();
              }}
            />
          )}
        </>
      )}
    </>
  );
}

function QrCard({ officer }: { officer: Officer }) {
  const [failed, setFailed] = useState(false);
  const svg = api.officerQrUrl(officer.id, 'svg');
  const png = api.officerQrUrl(officer.id, 'png');
  const verify = api.verifyUrl(officer.certificateNumber);
  return (
    <Card title="执法证二维码" style={{ height: '100%' }}>
      <Flex vertical align="center" gap={12}>
        {failed ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="二维码加载失败，请刷新页面重试" />
        ) : (
          <img
            src={svg}
            alt={`执法证二维码：${officer.certificateNumber}`}
            width={200}
            height={200}
            style={{ border: '1px solid #f0f0f0', padding: 8, background: '#fff' }}
            onError={() => setFailed(true)}
          />
        )}
        <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 13 }}>
          二维码含公开核验地址和证件数据签名，可印制在执法证上，扫码即可核验证件真伪和当前状态。
        </Typography.Text>
        <Space wrap style={{ justifyContent: 'center' }}>
          <Button icon={<DownloadOutlined aria-hidden />} href={svg} download={`执法证二维码-${officer.certificateNumber}.svg`}>
            下载 SVG
          </Button>
          <Button icon={<DownloadOutlined aria-hidden />} href={png} download={`执法证二维码-${officer.certificateNumber}.png`}>
            下载 PNG
          </Button>
        </Space>
        <Typography.Link href={verify} target="_blank" rel="noopener">
          <ExportOutlined aria-hidden /> 打开公开核验页
        </Typography.Link>
      </Flex>
    </Card>
  );
}

function TrainingCard({ officerId, editable }: { officerId: string; editable: boolean }) {
  const training = useRemote(() => api.training(officerId), [officerId]);
  const [open, setOpen] = useState(false);
  const items = training.data?.items ?? [];
  const totalHours = items.reduce((sum, t) => sum + Number(t.hours || 0), 0);
  return (
    <Card
      title="培训记录"
      extra={
        editable && (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setOpen(true)}>
            登记培训
          </Button>
        )
      }
    >
      {training.error && <ProblemAlert error={training.error} onRetry={training.reload} style={{ marginBottom: 16 }} />}
      <Table<TrainingRecord>
        rowKey="id"
        size="small"
        loading={training.loading}
        dataSource={items}
        pagination={items.length > 10 ? { pageSize: 10 } : false}
        locale={{ emptyText: <TableEmpty simple error={training.error} description="暂无培训记录" /> }}
        columns={[
          { title: '培训名称', dataIndex: 'title' },
          { title: '培训日期', dataIndex: 'heldOn', width: 140, render: (v: string) => formatDate(v) },
          { title: '学时', dataIndex: 'hours', width: 100, align: 'right' },
        ]}
        summary={() =>
          items.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                合计（{items.length} 次）
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {Math.round(totalHours * 10) / 10}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      {open && (
        <TrainingModal
          officerId={officerId}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            training.reload();
          }}
        />
      )}
    </Card>
  );
}

function TrainingModal({ officerId, onClose, onDone }: { officerId: string; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; heldOn: Dayjs; hours: number }>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);

  const submit = async () => {
    let v: { title: string; heldOn: Dayjs; hours: number };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      await api.addTraining(officerId, { title: v.title.trim(), heldOn: v.heldOn.format('YYYY-MM-DD'), hours: v.hours });
      message.success('已登记培训记录');
      onDone();
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, ['title', 'heldOn', 'hours']));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title="登记培训记录" okText="保存" onOk={() => void submit()} confirmLoading={saving} onCancel={onClose} destroyOnHidden>
      {saveError && <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="training">
        <Form.Item label="培训名称" name="title" rules={[{ required: true, whitespace: true, message: '请输入培训名称' }]}>
          <Input placeholder="如：2025 年度行政执法人员公共法律知识培训" />
        </Form.Item>
        <Form.Item label="培训日期" name="heldOn" rules={[{ required: true, message: '请选择培训日期' }]}>
          <DatePicker format="YYYY-MM-DD" disabledDate={afterTodayInChina} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label="学时"
          name="hours"
          rules={[
            { required: true, message: '请输入学时' },
            { type: 'number', min: 0.5, max: 200, message: '学时应在 0.5 至 200 之间' },
          ]}
        >
          <InputNumber min={0.5} max={200} step={0.5} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StatusModal({ officer, onClose, onDone }: { officer: Officer; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: OfficerStatus; reason: string }>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);
  const chosen = Form.useWatch('status', form);

  const submit = async () => {
    let v: { status: OfficerStatus; reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      await api.setOfficerStatus(officer.id, v.status, v.reason.trim());
      message.success(`证件状态已变更为“${labelOf(effectiveStatusLabels, v.status)}”`);
      onDone();
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, ['status', 'reason']));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`变更执法证状态：${officer.name}`}
      okText="确认变更"
      okButtonProps={{ danger: chosen === 'revoked' }}
      onOk={() => void submit()}
      confirmLoading={saving}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        当前登记状态：{labelOf(effectiveStatusLabels, officer.status)}。“已过期”由有效期自动判定，无需手工设置。变更及原因将记入审计日志，并在公开核验页面实时体现。
      </Typography.Paragraph>
      {saveError && <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="officerStatus" initialValues={{ status: officer.status === 'valid' ? 'suspended' : 'valid' }}>
        <Form.Item label="新状态" name="status" rules={[{ required: true, message: '请选择新状态' }]}>
          <Radio.Group
            options={optionsOf(settableStatusLabels).map((opt) => ({ ...opt, disabled: opt.value === officer.status }))}
          />
        </Form.Item>
        {chosen === 'revoked' && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} title="吊销后证件永久失效，持证人须重新申领执法证。" />
        )}
        <Form.Item
          label="变更原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写变更原因' },
            { min: 4, message: '请具体说明变更原因（至少 4 个字）' },
            { max: 500, message: '变更原因不超过 500 字' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} placeholder="如：因涉嫌违法违纪被立案调查，依规暂扣执法证" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
