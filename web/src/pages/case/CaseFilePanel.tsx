import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useSession, can } from '../../auth.tsx';
import type { ApiError } from '../../api.ts';
import { caseApi, todayInChina } from '../../caseApi.ts';
import type { AvRetention, CaseFileItem, CaseWorkView } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { RefusalList } from './RefusalList.tsx';

const RETENTIONS = ['永久', '定期30年', '定期10年'] as const;

/**
 * The case file in statutory order with its completeness check; closing it into the archive and
 * exporting the package that verifies offline (R-R07).
 */
export function CaseFilePanel({ view, onChanged }: { view: CaseWorkView; onChanged: () => void }) {
  const { message } = App.useApp();
  const { user } = useSession();
  const file = useRemote(() => caseApi.file(view.id), [view.id, view.updatedAt]);
  const [archiving, setArchiving] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [form] = Form.useForm<{ on: string; retention: (typeof RETENTIONS)[number] }>();
  const f = file.data;
  const canArchive = view.status !== 'archived' && can.workOnCase(user, view.agency.id) && user.role !== 'reviewer';

  return (
    <>
      {file.error && <ProblemAlert error={file.error} onRetry={file.reload} />}
      {f && (
        <>
          {view.status === 'archived' ? (
            <Alert type="success" showIcon title="案卷已归档" style={{ marginBottom: 12 }} />
          ) : f.complete ? (
            <Alert type="success" showIcon title="案卷完整，可以立卷归档" style={{ marginBottom: 12 }} />
          ) : (
            <Alert type="warning" showIcon title="案卷尚不完整" description={<RefusalList refusals={f.missing} />} style={{ marginBottom: 12 }} />
          )}
          <Space style={{ marginBottom: 12 }} wrap>
            {canArchive && (
              <Button type="primary" disabled={!f.complete} onClick={() => setArchiving(true)}>
                立卷归档
              </Button>
            )}
            {view.status === 'archived' && <Button onClick={() => setExporting(true)}>导出归档包</Button>}
          </Space>
          <Table<CaseFileItem>
            aria-label="卷内文件"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={f.items}
            scroll={{ x: 600 }}
            columns={[
              { title: '序号', dataIndex: 'order', width: 60 },
              { title: '题名', dataIndex: 'title' },
              { title: '文号', dataIndex: 'number', width: 180, render: (v: string | null) => v ?? '—' },
              { title: '日期', dataIndex: 'date', width: 100 },
              { title: '状态', dataIndex: 'status', width: 80, render: (v: string) => <Tag color={v === 'draft' ? 'orange' : 'default'}>{v === 'draft' ? '草稿' : v === 'corrected' ? '已更正' : '定稿'}</Tag> },
            ]}
          />
          {f.avRetention.length > 0 && (
            <>
              <h3 style={{ marginTop: 16 }}>音像记录保存期限</h3>
              <p style={{ color: 'rgba(0,0,0,0.65)' }}>按各环节办理时适用的音像记录事项清单确定保存期限和方式，自归档之日起算；保存期限届满前不得销毁。</p>
              <Table<AvRetention>
                aria-label="音像记录保存期限"
                rowKey="recordId"
                size="small"
                pagination={false}
                dataSource={f.avRetention}
                scroll={{ x: 700 }}
                columns={[
                  { title: '音像记录', dataIndex: 'title', render: (v: string, r) => `${r.kindLabel}：${v}` },
                  { title: '清单版本', dataIndex: 'avList', width: 110, render: (v: AvRetention['avList']) => (v ? `第 ${v.version} 版` : '法定底线') },
                  { title: '保存期限', dataIndex: 'period', width: 160, render: (v: string | null, r) => (v ? `${v}（${r.years === 0 ? '永久' : `${r.years} 年`}）` : <Tag color="red">{r.problem}</Tag>) },
                  { title: '保存方式', dataIndex: 'method' },
                  {
                    title: '保存至',
                    dataIndex: 'retainUntil',
                    width: 110,
                    render: (v: string | null, r) => (r.permanent ? '永久保存' : v ?? (r.period ? '归档后起算' : '—')),
                  },
                ]}
              />
            </>
          )}
        </>
      )}
      {archiving && (
        <Modal open title="立卷归档" okText="归档" cancelText="取消" onOk={() => form.submit()} onCancel={() => setArchiving(false)} destroyOnHidden>
          {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
          {error && error.refusals.length > 0 && <RefusalList refusals={error.refusals} />}
          <Form
            form={form}
            layout="vertical"
            initialValues={{ on: todayInChina(), retention: '定期30年' }}
            onFinish={async (v) => {
              setError(null);
              try {
                await caseApi.archive(view.id, v);
                message.success('已立卷归档，案卷封面和卷内目录已生成');
                setArchiving(false);
                onChanged();
              } catch (e) {
                setError(applyProblemToForm(form, e, ['on', 'retention']).error);
              }
            }}
          >
            <Form.Item name="on" label="归档日期" rules={[{ required: true, message: '请填写归档日期' }]}>
              <Input type="date" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="retention" label="保管期限">
              <Select options={RETENTIONS.map((r) => ({ value: r, label: r }))} style={{ width: 160 }} />
            </Form.Item>
          </Form>
        </Modal>
      )}
      {exporting && (
        <Modal
          open
          title="导出归档包"
          okText="导出"
          cancelText="取消"
          okButtonProps={{ disabled: reason.trim().length < 2 }}
          onOk={() => {
            window.location.assign(caseApi.archivePackageUrl(view.id, reason.trim()));
            setExporting(false);
          }}
          onCancel={() => setExporting(false)}
        >
          <p>归档包含全部文书 PDF、证据文件、清单、账本包含证明和离线核验程序。导出音像记录记入调阅日志，请写明事由。</p>
          <Input aria-label="导出事由" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="如：移交档案室" />
        </Modal>
      )}
    </>
  );
}
