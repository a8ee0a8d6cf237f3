import { useEffect, useState } from 'react';
import { App, Button, Drawer, Form, Input, Popconfirm, Select, Skeleton, Space, Typography } from 'antd';
import { api, toApiError } from '../../api.ts';
import type { ApiError, CaseDocument } from '../../api.ts';
import { caseApi, todayInChina } from '../../caseApi.ts';
import type { CaseWorkView } from '../../caseApi.ts';
import { DocumentFieldsForm, applyFieldErrors, pruneEmpty } from '../../components/DocumentForm.tsx';
import type { JsonSchema } from '../../components/DocumentForm.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/** Documents the case's next steps need or make: what an officer drafts ahead. */
export function draftableTypes(view: CaseWorkView): { type: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const s of view.available.steps) for (const d of [...s.produces, ...s.requires]) seen.set(d.type, d.name);
  return [...seen].map(([type, name]) => ({ type, name }));
}

/**
 * Drafting a document outside a step (R-R02): saved as a draft that can be changed, then finalised
 * (numbered, PDF with its verification QR). A step that makes a document of that kind can then use
 * the finalised one instead of writing it again.
 */
export function DraftDrawer({ view, draft, onClose, onDone }: { view: CaseWorkView; draft: CaseDocument | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ type: string; fields: Record<string, unknown>; issuedOn: string }>();
  const [type, setType] = useState<string | undefined>(draft?.type);
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const types = draftableTypes(view);

  useEffect(() => {
    if (!type) return;
    let current = true;
    setSchema(null);
    const fill = draft ? Promise.resolve({ fields: draft.fields ?? {} }) : api.documentPrefill(view.id, { type, on: todayInChina(), officerIds: [] });
    Promise.all([api.documentForm(type), fill]).then(
      ([f, p]) => {
        if (!current) return;
        setSchema(f.schema);
        form.setFieldValue('fields', p.fields);
      },
      (e: unknown) => current && setError(toApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [type, draft, view.id, form]);

  async function save(finalise: boolean) {
    setBusy(true);
    setError(null);
    try {
      const v = await form.validateFields();
      const fields = (pruneEmpty(v.fields) ?? {}) as Record<string, unknown>;
      const saved = draft ? await caseApi.updateDraft(view.id, draft.id, fields) : await caseApi.createDraft(view.id, v.type ?? type!, fields);
      if (finalise) await caseApi.finaliseDocument(view.id, saved.id, v.issuedOn);
      message.success(finalise ? '文书已定稿，文号和 PDF 已生成' : '草稿已保存');
      onDone();
    } catch (e) {
      if (e && typeof e === 'object' && 'errorFields' in e) return;
      const err = toApiError(e);
      applyFieldErrors(form, ['fields'], err.errors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!draft) return;
    try {
      await caseApi.deleteDraft(view.id, draft.id);
      message.success('草稿已删除');
      onDone();
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <Drawer
      open
      title={draft ? `修改草稿：${draft.title}` : '起草文书'}
      size="large"
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          {draft && (
            <Popconfirm title="删除这份草稿？" okText="删除" cancelText="取消" onConfirm={() => void remove()}>
              <Button danger>删除草稿</Button>
            </Popconfirm>
          )}
          <Button loading={busy} disabled={!schema} onClick={() => void save(false)}>
            保存草稿
          </Button>
          <Button type="primary" loading={busy} disabled={!schema} onClick={() => void save(true)}>
            定稿
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">草稿可以修改或删除；定稿后编制文号、生成带核验二维码的 PDF，不得再改。</Typography.Paragraph>
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="draft" layout="vertical" initialValues={{ type: draft?.type, issuedOn: todayInChina() }}>
        <Form.Item name="type" label="文书" rules={[{ required: true, message: '请选择文书' }]}>
          <Select disabled={!!draft} options={types.map((t) => ({ value: t.type, label: t.name }))} onChange={(t: string) => setType(t)} placeholder="可办理环节所需或制作的文书" />
        </Form.Item>
        <Form.Item name="issuedOn" label="成文日期（定稿时使用）">
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        {type && !schema && !error && <Skeleton active />}
        {schema && <DocumentFieldsForm schema={schema} name={['fields']} />}
      </Form>
    </Drawer>
  );
}
