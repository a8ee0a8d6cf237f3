import { useState } from 'react';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import type { ApiError } from '../../api.ts';
import { caseApi, todayInChina } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefusalList } from './RefusalList.tsx';

export type ApprovalTarget =
  | { purpose: 'step'; step: string; name: string }
  | { purpose: 'extension'; clock: string; name: string; canApprove: boolean; approvalId?: string };

interface ApprovalForm {
  on: string;
  opinion: string;
  days?: number;
}

/**
 * The head's approval of a step (R-L09), or an extension of a clock: a head approves and extends in
 * one act; an officer extends on an approval the head already gave.
 */
export function ApproveModal({ caseId, target, onClose, onDone }: { caseId: string; target: ApprovalTarget; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ApprovalForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const extension = target.purpose === 'extension';

  async function submit(v: ApprovalForm) {
    setSaving(true);
    setError(null);
    try {
      if (target.purpose === 'step') {
        await caseApi.approve(caseId, { purpose: 'step', step: target.step, on: v.on, opinion: v.opinion });
        message.success(`已批准「${target.name}」`);
      } else {
        let approvalId = target.approvalId;
        if (target.canApprove && !approvalId) {
          approvalId = (await caseApi.approve(caseId, { purpose: 'extension', clock: target.clock, days: v.days, on: v.on, opinion: v.opinion })).id;
        }
        await caseApi.extend(caseId, { clock: target.clock, days: v.days!, on: v.on, reason: v.opinion, ...(approvalId ? { approvalId } : {}) });
        message.success(`${target.name}已延长 ${v.days} 日`);
      }
      onDone();
    } catch (e) {
      setError(applyProblemToForm(form, e, ['on', 'opinion', 'days']).error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={extension ? `延长期限：${target.name}` : `批准办理：${target.name}`}
      okText={extension ? '延长' : '批准'}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
      {error && error.refusals.length > 0 && <RefusalList refusals={error.refusals} />}
      <Form<ApprovalForm> form={form} layout="vertical" onFinish={submit} initialValues={{ on: todayInChina(), opinion: extension ? '' : '同意。' }}>
        <Form.Item name="on" label={extension ? '延长日期' : '批准日期'} rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        {extension && (
          <Form.Item name="days" label="延长天数" rules={[{ required: true, message: '请填写延长天数' }]}>
            <InputNumber min={1} max={3650} suffix="日" style={{ width: 160 }} />
          </Form.Item>
        )}
        <Form.Item name="opinion" label={extension ? '延长理由' : '批准意见'} rules={[{ required: true, message: extension ? '请写明延长理由' : '请填写批准意见' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
