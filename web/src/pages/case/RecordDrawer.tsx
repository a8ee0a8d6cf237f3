import { useEffect, useRef, useState } from 'react';
import { App, AutoComplete, Button, Drawer, Form, Input, Progress, Select, Space, Typography } from 'antd';
import { toApiError } from '../../api.ts';
import type { ApiError } from '../../api.ts';
import { beijingInstant, caseApi } from '../../caseApi.ts';
import type { CaseWorkView } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { recordKindLabels, RECORD_KINDS } from '../../labels.ts';
import type { RecordKind } from '../../labels.ts';
import { uploadEvidence } from '../../upload.ts';
import { devicesApi, type Device } from '../../devicesApi.ts';
import { OfficerPicker } from './OfficerPicker.tsx';
import type { PickedOfficer } from './OfficerPicker.tsx';
import { myOfficer, rememberedPartner } from './onsite.ts';

interface RecordForm {
  kind: RecordKind;
  /** "step" for a step still to do, "step#seq" for one already done. */
  stepRef: string;
  title: string;
  description: string;
  content?: string;
  recorderName?: string;
  deviceId?: string;
  startedAt: string;
  endedAt: string;
  place: string;
  officerIds: string[];
  custodian: string;
  correctionReason?: string;
}

const FIELDS = ['kind', 'title', 'description', 'content', 'recorderName', 'deviceId', 'startedAt', 'endedAt', 'place', 'officerIds', 'custodian', 'correctionReason'];
const ACCEPT: Partial<Record<RecordKind, string>> = { video: 'video/*', audio: 'audio/*', photo: 'image/*' };

function nowLocal(at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at);
  return parts.replace(' ', 'T');
}

/** Where the phone is, as words for the record's place (the officer may refine it); null when unknown. */
function phonePlace(): Promise<string | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve(`手机定位：北纬 ${p.coords.latitude.toFixed(5)}°，东经 ${p.coords.longitude.toFixed(5)}°（精度约 ${Math.round(p.coords.accuracy)} 米）`),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60_000 },
    );
  });
}

/**
 * Registering a text or AV record of a step (R-R01, R-R03): the file goes to the evidence store first
 * (resumable, with progress), then the record with the description evidence rules ask for. Records are
 * never changed; a correction is a new record pointing at the old one (R-R05).
 */
export function RecordDrawer({
  view,
  presetStep,
  corrects,
  onClose,
  onDone,
}: {
  view: CaseWorkView;
  presetStep?: string;
  /** The record this one corrects. */
  corrects?: CaseWorkView['records'][number];
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordForm>();
  // R-R10: the agency's registered devices that may make a record (not retired), offered by serial.
  const [devices, setDevices] = useState<Device[] | null>(null);
  useEffect(() => {
    devicesApi.list().then((r) => setDevices(r.items.filter((d) => d.status !== 'retired')), () => setDevices([]));
  }, []);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const abort = useRef<AbortController | null>(null);
  const kind = Form.useWatch('kind', form) ?? corrects?.kind ?? 'video';
  const [preset, setPreset] = useState<PickedOfficer[]>([]);
  const description = useRef<HTMLTextAreaElement | null>(null);

  useEffect(() => {
    if (corrects) return;
    // The officers present: those of the case's last step, or the signed-in officer and today's partner.
    const last = [...view.steps].reverse().find((s) => s.record?.officers?.length)?.record?.officers ?? [];
    if (last.length) {
      setPreset(last);
      form.setFieldValue('officerIds', last.map((o) => o.id));
    }
    let current = true;
    myOfficer().then(
      (m) => {
        if (!current || !m.officer) return;
        // The officer who records keeps the file until it is handed over: the usual custodian.
        if (!form.getFieldValue('custodian')) form.setFieldValue('custodian', m.officer.name);
        if (last.length) return;
        const partner = rememberedPartner();
        setPreset([{ id: m.officer.id, name: m.officer.name, certificateNumber: m.officer.certificateNumber }]);
        form.setFieldValue('officerIds', [m.officer.id, ...(partner && partner !== m.officer.id ? [partner] : [])]);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [corrects, form, view.steps]);

  /**
   * A photo or video taken with the phone's camera: its kind, time and place come from the capture, and
   * the description the evidence rules require is asked for at once (the cursor goes there). R-R05:
   * uploaded right after the activity, described to evidence standards, with a named custodian.
   */
  async function captured(f: File) {
    setFile(f);
    setProgress(null);
    const video = f.type.startsWith('video/');
    const at = nowLocal(new Date(f.lastModified || Date.now()));
    form.setFieldsValue({
      kind: video ? 'video' : 'photo',
      startedAt: at,
      endedAt: at,
      ...(form.getFieldValue('title') ? {} : { title: video ? '现场录像（手机拍摄）' : '现场照片（手机拍摄）' }),
      // The phone is a registered mobile terminal; an agency without a register yet names the phone.
      ...(form.getFieldValue('deviceId') ? {} : { deviceId: devices?.length ? devices.find((d) => d.kind === 'mobile_terminal')?.serial : '执法人员手机' }),
    });
    const where = await phonePlace();
    if (where && !form.getFieldValue('place')) form.setFieldValue('place', where);
    form.scrollToField('description', { block: 'center' });
    description.current?.focus();
  }

  const stepOptions = [
    ...view.steps.map((s) => ({ value: `${s.step}#${s.seq}`, label: `已办：${s.name}（第 ${s.seq} 步，${s.on}）` })),
    ...view.available.steps.map((s) => ({ value: s.key, label: `待办：${s.name}` })),
  ];
  const defaultStep = corrects ? (corrects.stepSeq ? `${corrects.step}#${corrects.stepSeq}` : corrects.step) : presetStep ?? stepOptions.at(-1)?.value;

  async function submit(v: RecordForm) {
    setSaving(true);
    setError(null);
    try {
      let blobSha256: string | undefined;
      if (file) {
        abort.current = new AbortController();
        setProgress({ sent: 0, total: file.size });
        const stored = await uploadEvidence(file, { onProgress: (sent, total) => setProgress({ sent, total }), signal: abort.current.signal });
        blobSha256 = stored.sha256;
      }
      const [step, seq] = v.stepRef.split('#');
      await caseApi.addRecord(view.id, {
        kind: v.kind,
        step: step!,
        ...(seq ? { stepSeq: Number(seq) } : {}),
        title: v.title,
        description: v.description,
        ...(v.content ? { content: v.content } : {}),
        ...(blobSha256 ? { blobSha256 } : {}),
        ...(v.recorderName ? { recorderName: v.recorderName } : {}),
        ...(v.deviceId ? { deviceId: v.deviceId } : {}),
        startedAt: beijingInstant(v.startedAt),
        endedAt: beijingInstant(v.endedAt),
        place: v.place,
        officerIds: v.officerIds ?? [],
        custodian: v.custodian,
        ...(corrects ? { corrects: corrects.id, correctionReason: v.correctionReason } : {}),
      });
      message.success(corrects ? '更正记录已登记' : '记录已登记');
      onDone();
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') {
        setError(toApiError(new Error('上传已取消。再次提交同一文件时从中断处继续。')));
      } else {
        const { error: err } = applyProblemToForm(form, e, FIELDS);
        setError(err);
      }
    } finally {
      setSaving(false);
      abort.current = null;
    }
  }

  const percent = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

  return (
    <Drawer
      open
      title={corrects ? `更正记录：${corrects.title}` : '登记执法记录'}
      size="large"
      onClose={() => {
        abort.current?.abort();
        onClose();
      }}
      destroyOnHidden
      extra={
        <Space>
          {saving && abort.current ? (
            <Button onClick={() => abort.current?.abort()}>取消上传</Button>
          ) : (
            <Button onClick={onClose}>取消</Button>
          )}
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            登记
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        执法记录登记后不得修改或删除；如有错误，请登记更正记录并写明理由。文件的 SHA-256 摘要与记录一并写入账本。
      </Typography.Paragraph>
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      <Form<RecordForm>
        form={form}
        name="record"
        layout="vertical"
        onFinish={submit}
        scrollToFirstError
        initialValues={{
          kind: corrects?.kind ?? 'video',
          stepRef: defaultStep,
          startedAt: nowLocal(),
          endedAt: nowLocal(),
          officerIds: [],
          title: corrects?.title,
          place: corrects?.place,
          deviceId: corrects?.deviceId ?? undefined,
          recorderName: corrects?.recorder ?? undefined,
        }}
      >
        <Space wrap size="large" align="start">
          <Form.Item name="kind" label="记录类型" rules={[{ required: true, message: '请选择记录类型' }]}>
            <Select style={{ width: 160 }} options={RECORD_KINDS.map((k) => ({ value: k, label: recordKindLabels[k] }))} />
          </Form.Item>
          <Form.Item name="stepRef" label="所记录的环节" rules={[{ required: true, message: '请选择所记录的环节' }]}>
            <Select style={{ minWidth: 320 }} options={stepOptions} />
          </Form.Item>
        </Space>
        <Form.Item name="title" label="记录名称" rules={[{ required: true, message: '请填写记录名称' }]}>
          <Input maxLength={200} placeholder="如：现场检查执法记录仪录像" />
        </Form.Item>
        <Form.Item
          name="description"
          label="文字说明"
          extra="写明记录的内容、制作人、时间、地点和方式等（证据规则要求的说明）"
          rules={[{ required: true, message: '请填写文字说明' }]}
        >
          <Input.TextArea
            ref={(t) => {
              description.current = t?.resizableTextArea?.textArea ?? null;
            }}
            autoSize={{ minRows: 3 }}
            maxLength={5000}
            placeholder="如：拍摄当事人经营场所货架，商品未标示价格；拍摄人：执法人员某某"
          />
        </Form.Item>
        {kind === 'text' && (
          <Form.Item name="content" label="记录正文" extra="文字记录填写正文，或上传文件">
            <Input.TextArea autoSize={{ minRows: 4 }} maxLength={50000} />
          </Form.Item>
        )}
        <Form.Item label={kind === 'text' ? '文件（可选）' : '文件'} required={kind !== 'text'}>
          {!corrects && (
            <label className="sx-capture ant-btn ant-btn-primary">
              拍照或录像
              <input
                type="file"
                aria-label="拍照或录像"
                accept="image/*,video/*"
                capture="environment"
                className="sx-visually-hidden"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void captured(f);
                }}
              />
            </label>
          )}
          <input
            type="file"
            aria-label="选择记录文件"
            accept={ACCEPT[kind]}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setProgress(null);
            }}
          />
          {file && (
            <div style={{ marginTop: 8 }}>
              <Typography.Text type="secondary">
                {file.name}（{mb(file.size)} MB）
              </Typography.Text>
              {progress && (
                <Progress
                  percent={percent}
                  aria-label="上传进度"
                  format={() => `${percent}%（${mb(progress.sent)} / ${mb(progress.total)} MB）`}
                />
              )}
            </div>
          )}
        </Form.Item>
        <Space wrap size="large" align="start">
          <Form.Item name="recorderName" label="记录人">
            <Input maxLength={50} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="deviceId" label="记录设备编号" rules={kind !== 'text' ? [{ required: true, message: '音像记录须填写记录设备编号' }] : []}>
            <AutoComplete
              style={{ width: 260 }}
              maxLength={100}
              placeholder="如：执法记录仪 DSJ-2026-001"
              options={(devices ?? []).map((d) => ({ value: d.serial, label: `${d.serial}（${d.kindLabel}${d.status === 'under_repair' ? '，维修中' : ''}）` }))}
              filterOption={(input, o) => String(o?.value ?? '').toLowerCase().includes(input.toLowerCase())}
            />
          </Form.Item>
        </Space>
        <Space wrap size="large" align="start">
          <Form.Item name="startedAt" label="开始时间（北京时间）" rules={[{ required: true, message: '请填写开始时间' }]}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item name="endedAt" label="结束时间（北京时间）" rules={[{ required: true, message: '请填写结束时间' }]}>
            <Input type="datetime-local" />
          </Form.Item>
        </Space>
        <Form.Item name="place" label="地点" rules={[{ required: true, message: '请填写地点' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="officerIds" label="在场执法人员">
          <OfficerPicker agencyId={view.agency.id} preset={preset} />
        </Form.Item>
        <Form.Item name="custodian" label="保管人" rules={[{ required: true, message: '请填写保管人' }]}>
          <Input maxLength={50} style={{ width: 240 }} />
        </Form.Item>
        {corrects && (
          <Form.Item name="correctionReason" label="更正理由" rules={[{ required: true, message: '请写明更正理由' }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
