import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Collapse, Drawer, Form, Input, InputNumber, Radio, Select, Skeleton, Space, Typography } from 'antd';
import { api, toApiError } from '../../api.ts';
import type { ApiError, AvailableStep, CaseDocument, FactDef } from '../../api.ts';
import { caseApi, todayInChina } from '../../caseApi.ts';
import type { CaseWorkView } from '../../caseApi.ts';
import { DocumentFieldsForm, applyFieldErrors, pruneEmpty } from '../../components/DocumentForm.tsx';
import type { JsonSchema } from '../../components/DocumentForm.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { OfficerPicker } from './OfficerPicker.tsx';
import type { PickedOfficer } from './OfficerPicker.tsx';
import { clearDraft, loadDraft, newSubmissionKey, saveDraft, sendWhenOnline } from './deviceDraft.ts';
import { myOfficer, rememberPartner, rememberedPartner } from './onsite.ts';
import { RefusalList } from './RefusalList.tsx';

/** A server field name ("facts.fineAmount", "documents.0.fields.body") as the form's name path. */
function fieldPath(field: string): (string | number)[] {
  const parts = field.split('.').filter(Boolean);
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

interface StepForm {
  on: string;
  officerIds: string[];
  presidedBy?: string;
  facts: Record<string, boolean | number | string | undefined>;
  documents: { fields: Record<string, unknown> }[];
  note?: string;
}

function FactInput({ fact }: { fact: FactDef }) {
  const name = ['facts', fact.key];
  switch (fact.type) {
    case 'boolean':
      return (
        <Form.Item name={name} label={fact.label} rules={[{ required: true, message: `请选择${fact.label}` }]}>
          <Radio.Group
            role="radiogroup"
            aria-label={fact.label}
            options={[
              { value: true, label: fact.trueLabel ?? '是' },
              { value: false, label: fact.falseLabel ?? '否' },
            ]}
          />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item name={name} label={fact.label} rules={[{ required: true, message: `请填写${fact.label}` }]}>
          <InputNumber min={0} style={{ width: 220 }} suffix={fact.unit} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item name={name} label={fact.label} rules={[{ required: true, message: `请选择${fact.label}` }]}>
          <Select options={(fact.values ?? []).map((v) => ({ value: v.value, label: v.label }))} style={{ maxWidth: 320 }} />
        </Form.Item>
      );
    case 'text':
      return (
        <Form.Item name={name} label={fact.label}>
          <Input maxLength={200} />
        </Form.Item>
      );
  }
}

/**
 * One document the step produces: its form from the server's definition, filled from the case, or a
 * document of that kind already drafted and finalised for this step.
 */
function StepDocument({ index, type, name, ready, useReady, onUseReady }: { index: number; type: string; name: string; ready?: CaseDocument; useReady: boolean; onUseReady: (use: boolean) => void }) {
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let current = true;
    api.documentForm(type).then(
      (f) => current && setSchema(f.schema),
      (e: unknown) => current && setError(toApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [type]);
  return (
    <Card size="small" title={name} style={{ marginBottom: 12 }}>
      {ready && (
        <Radio.Group
          aria-label={`${name}：使用哪一份`}
          style={{ marginBottom: 12 }}
          value={useReady}
          onChange={(e) => onUseReady(e.target.value as boolean)}
          options={[
            { value: true, label: `使用已定稿的${ready.title}${ready.number ? `（${ready.number}）` : ''}` },
            { value: false, label: '在此填写' },
          ]}
        />
      )}
      {error && <ProblemAlert error={error} />}
      {!useReady && !schema && !error && <Skeleton active />}
      {!useReady && schema && <DocumentFieldsForm schema={schema} name={['documents', index, 'fields']} />}
    </Card>
  );
}

/**
 * Performing one step of a case (R-R01): date, the officers taking part (R-P08), the facts the step
 * states, and the documents it produces, all in one transaction on the server. The engine's refusals
 * come back with their reasons and legal basis and are shown as they are.
 */
export function StepDrawer({
  view,
  step,
  onClose,
  onDone,
  onRecordAv,
}: {
  view: CaseWorkView;
  step: AvailableStep;
  onClose: () => void;
  onDone: () => void;
  /** Opens the record form for this step (mandatory AV must exist before the step, R-R04). */
  onRecordAv: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<StepForm>();
  const [saving, setSaving] = useState(false);
  const [prefilling, setPrefilling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const prefillTicket = useRef(0);
  // Finalised documents of the kinds this step makes that no step has used yet (drafted ahead).
  const used = new Set(view.steps.flatMap((x) => x.documentIds));
  const ready = Object.fromEntries(
    step.produces.map((d) => [d.type, view.documents.find((x) => x.type === d.type && x.status === 'final' && !used.has(x.id))] as const).filter(([, x]) => x),
  ) as Record<string, CaseDocument>;
  const [useReady, setUseReady] = useState<Record<string, boolean>>(() => Object.fromEntries(Object.keys(ready).map((t) => [t, true])));
  const top = useRef<HTMLDivElement>(null);

  async function prefill() {
    // Only the latest request fills the forms: an earlier, slower answer must not overwrite it.
    const ticket = ++prefillTicket.current;
    setPrefilling(true);
    try {
      const on = (form.getFieldValue('on') as string | undefined) ?? todayInChina();
      const officerIds = (form.getFieldValue('officerIds') as string[] | undefined) ?? [];
      const filled = await Promise.all(step.produces.map((d) => api.documentPrefill(view.id, { type: d.type, on, officerIds })));
      if (ticket !== prefillTicket.current) return;
      filled.forEach((f, i) => form.setFieldValue(['documents', i, 'fields'], f.fields));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setPrefilling(false);
    }
  }

  const [preset, setPreset] = useState<PickedOfficer[]>([]);
  const draftKey = `step.${view.id}.${step.key}`;
  // One key per form opened: sent again after a network cut, the server finds the step it already made.
  const submissionKey = useRef(newSubmissionKey());
  const [waiting, setWaiting] = useState(false);
  const keep = () => saveDraft(draftKey, { ...form.getFieldsValue(true), clientKey: submissionKey.current });
  useEffect(() => {
    // Facts the case already knows (e.g. the party type from registration) are shown as they stand.
    const facts = Object.fromEntries(step.sets.map((f) => [f.key, view.facts[f.key]]));
    // The officers of the case's last step carry over (the same pair usually does the next step); on a
    // new case, the signed-in officer (their registry entry) and the partner chosen today.
    const last = [...view.steps].reverse().find((s) => s.record?.officers?.length)?.record?.officers ?? [];
    form.setFieldsValue({ on: todayInChina(), officerIds: last.map((o) => o.id), facts, documents: step.produces.map(() => ({ fields: {} })) });
    setPreset(last);
    // A form typed on this device and not yet taken by the server comes back as it was (network cut, reload).
    const kept = loadDraft<Partial<StepForm> & { clientKey?: string }>(draftKey);
    if (kept) {
      const { clientKey, ...values } = kept;
      if (clientKey) submissionKey.current = clientKey;
      form.setFieldsValue(values);
      return;
    }
    let current = true;
    if (!last.length) {
      myOfficer().then(
        (m) => {
          if (!current || !m.officer || m.officer.effectiveStatus !== 'valid') return;
          const partner = rememberedPartner();
          setPreset([{ id: m.officer.id, name: m.officer.name, certificateNumber: m.officer.certificateNumber }]);
          form.setFieldValue('officerIds', [m.officer.id, ...(partner && partner !== m.officer.id ? [partner] : [])]);
          void prefill();
        },
        () => undefined,
      );
    }
    void prefill();
    return () => {
      current = false;
    };
    // Prefill once when the drawer opens for this step; later on request.
  }, [step.key]);

  // A refusal for missing AV no longer stands once the record is there.
  const avRecorded = step.av?.recorded ?? false;
  useEffect(() => {
    if (avRecorded) setError(null);
  }, [avRecorded]);

  async function submit(values: StepForm) {
    setSaving(true);
    setError(null);
    keep();
    try {
      const facts = Object.fromEntries(Object.entries(values.facts ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Record<string, boolean | number | string>;
      const send = () => caseApi.performStep(view.id, {
        step: step.key,
        on: values.on,
        officerIds: values.officerIds ?? [],
        ...(values.presidedBy ? { presidedBy: values.presidedBy } : {}),
        facts,
        documents: step.produces
          .map((d, i) => ({ type: d.type, fields: (pruneEmpty(values.documents?.[i]?.fields) ?? {}) as Record<string, unknown> }))
          .filter((d) => !useReady[d.type]),
        documentIds: step.produces.filter((d) => useReady[d.type]).map((d) => ready[d.type]!.id),
        ...(values.note ? { note: values.note } : {}),
        clientKey: submissionKey.current,
      });
      // No network: the form stays on the device and goes when the network is back.
      const r = await sendWhenOnline(send, setWaiting);
      clearDraft(draftKey);
      const partner = values.officerIds?.[1];
      if (partner) rememberPartner(partner);
      const warnings = r.warnings.map((w) => w.reason).join('；');
      message.success(warnings ? `「${step.name}」已办理。提示：${warnings}` : `「${step.name}」已办理${r.documents.length ? `，生成文书 ${r.documents.length} 份` : ''}`);
      onDone();
    } catch (e) {
      const err = toApiError(e);
      const unmatched = applyFieldErrors(form, [], err.errors);
      setError(err);
      // A field's message is beside the field: bring the first one into view; otherwise the reasons above the form.
      const first = err.errors.find((fe) => !unmatched.includes(fe));
      if (first) form.scrollToField(fieldPath(first.field), { block: 'center', focus: true });
      else top.current?.scrollIntoView({ block: 'start' });
    } finally {
      setSaving(false);
    }
  }

  // A blocker that only waits for facts this very form asks for is not a reason yet: the officer has not
  // answered. It comes back from the server, on its field, if the answers do not allow the step.
  const ownFacts = new Set(step.sets.map((f) => f.key));
  const blocking = step.blockers.filter((b) => !b.warnOnly && !((b as { facts?: string[] }).facts?.length && (b as { facts?: string[] }).facts!.every((k) => ownFacts.has(k))));
  const avMissing = step.av && !step.av.recorded;
  const avMandatory = step.av?.requirement === 'mandatory';

  return (
    <Drawer
      open
      title={`办理：${step.name}`}
      size="large"
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            确认办理
          </Button>
        </Space>
      }
    >
      <div ref={top} />
      {waiting && (
        <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} title="网络已断开：已填写的内容保存在本机，恢复网络后自动提交（不会重复办理）" />
      )}
      {error && (
        <ProblemAlert error={error} style={{ marginBottom: 16 }} fieldErrors={error.refusals.length ? [] : undefined} />
      )}
      {error && error.refusals.length > 0 && <RefusalList refusals={error.refusals} title="不能办理的原因" />}
      {blocking.length > 0 && !error && (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title="按目前的情况，本环节尚不能办理"
          description={<RefusalList refusals={blocking} />}
        />
      )}
      {step.av && (
        <Alert
          type={avMissing && avMandatory ? 'error' : avMissing ? 'info' : 'success'}
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={`音像记录：${step.av.requirementLabel}${step.av.recorded ? '（已记录）' : avMandatory ? '（尚未记录）' : '（可选）'}`}
          description={
            avMissing
              ? avMandatory
                ? '请先登记本环节的音像记录（录像、录音、照片），再办理本环节。'
                : '本环节不强制音像记录，可以根据现场情况拍照或录像后登记；不登记也可以办理。'
              : undefined
          }
          action={
            avMissing ? (
              <Button size="small" onClick={onRecordAv}>
                登记音像记录
              </Button>
            ) : undefined
          }
        />
      )}
      {step.av && step.av.conductLanguage.length > 0 && (
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'conduct',
              label: `执法行为用语指引和记录重点${step.av.fullProcess ? '（全过程音像记录）' : ''}`,
              children: (
                <div aria-label="执法行为用语指引">
                  <Typography.Text strong>执法用语</Typography.Text>
                  <ol style={{ paddingLeft: 20, margin: '4px 0 8px' }}>
                    {step.av.conductLanguage.map((t) => <li key={t}>{t}</li>)}
                  </ol>
                  <Typography.Text strong>记录重点</Typography.Text>
                  <ul style={{ paddingLeft: 20, margin: '4px 0 0' }}>
                    {[...step.av.requiredElements, ...step.av.keyPoints].map((t) => <li key={t}>{t}</li>)}
                  </ul>
                </div>
              ),
            },
          ]}
        />
      )}
      <Form<StepForm> form={form} name="step" layout="vertical" onFinish={submit} onValuesChange={keep} scrollToFirstError={{ block: 'center' }}>
        <Form.Item name="on" label="办理日期" rules={[{ required: true, message: '请填写办理日期' }]}>
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="officerIds"
          label="执法人员"
          extra={step.onSite ? '现场环节须有两名以上持有效执法证的人员（行政处罚法第四十二条）' : '承办本环节的执法人员'}
          rules={step.onSite ? [{ required: true, type: 'array', min: 2, message: '现场环节至少选择两名执法人员' }] : []}
        >
          <OfficerPicker agencyId={view.agency.id} preset={preset} />
        </Form.Item>
        {step.presider && (
          <Form.Item name="presidedBy" label="主持人" extra={step.presider.basis} rules={[{ required: true, message: '请选择主持人' }]}>
            <OfficerPicker agencyId={view.agency.id} multiple={false} placeholder="非本案调查人员" />
          </Form.Item>
        )}
        {step.sets.map((f) => (
          <FactInput key={f.key} fact={f} />
        ))}
        {step.produces.length > 0 && (
          <>
            <Space style={{ marginBottom: 8 }} wrap>
              <Typography.Title level={5} style={{ margin: 0 }}>
                本环节制作的文书
              </Typography.Title>
              <Button size="small" loading={prefilling} onClick={() => void prefill()}>
                按案件信息和所选人员重新预填
              </Button>
            </Space>
            <Typography.Paragraph type="secondary">
              确认办理后，文书在同一事务中定稿：编制文号、生成带核验二维码的 PDF。
            </Typography.Paragraph>
            {step.produces.map((d, i) => (
              <StepDocument
                key={d.type}
                index={i}
                type={d.type}
                name={d.name}
                ready={ready[d.type]}
                useReady={useReady[d.type] ?? false}
                onUseReady={(use) => setUseReady((prev) => ({ ...prev, [d.type]: use }))}
              />
            ))}
          </>
        )}
        <Form.Item name="note" label="备注">
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
