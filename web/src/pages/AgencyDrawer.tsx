import { useEffect, useState } from 'react';
import { App, Button, Col, Descriptions, Drawer, Flex, Form, Input, Radio, Row, Select, Skeleton, Tag } from 'antd';
import { api, toApiError } from '../api.ts';
import type { Agency, AgencyInput, ApiError, FieldError, SessionUser } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { agencyKindLabels, agencyLevelLabels, labelOf, legalStatusLabels, optionsOf } from '../labels.ts';
import { AgencySelect } from '../components/AgencySelect.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { applyProblemToForm } from '../components/formErrors.ts';
import { PHONE, checkWith, creditCodeError, regionCodeError } from '../validate.ts';

export type DrawerMode = 'view' | 'edit' | 'create';

const FIELD_NAMES = [
  'name',
  'creditCode',
  'kind',
  'level',
  'regionCode',
  'legalStatus',
  'entrustingAgencyId',
  'fields',
  'duties',
  'legalBasis',
  'parentId',
  'reviewUnit',
  'address',
  'phone',
] as const satisfies readonly (keyof AgencyInput)[];

const EMPTY: Partial<AgencyInput> = {
  kind: 'enforcement',
  level: 'county',
  legalStatus: 'statutory',
  entrustingAgencyId: null,
  parentId: null,
  fields: [],
  duties: '',
  legalBasis: '',
  reviewUnit: '',
  address: '',
  phone: '',
};

function normalise(values: AgencyInput): AgencyInput {
  const text = (s: string | undefined | null) => (s ?? '').trim();
  return {
    name: text(values.name),
    creditCode: text(values.creditCode).toUpperCase(),
    kind: values.kind,
    level: values.level,
    regionCode: text(values.regionCode),
    legalStatus: values.legalStatus,
    entrustingAgencyId: values.legalStatus === 'entrusted' ? (values.entrustingAgencyId ?? null) : null,
    fields: (values.fields ?? []).map((f) => f.trim()).filter(Boolean),
    duties: text(values.duties),
    legalBasis: text(values.legalBasis),
    parentId: values.parentId ?? null,
    reviewUnit: text(values.reviewUnit),
    address: text(values.address),
    phone: text(values.phone),
  };
}

/**
 * Region, level and kind decide jurisdiction: the system administrator, or a justice bureau for an
 * agency other than its own, may change them (the server checks that the agency is below the bureau).
 */
function canPlace(user: SessionUser, mode: DrawerMode, agencyId: string | undefined): boolean {
  if (mode === 'create' || user.role === 'system_admin') return true;
  return user.role === 'supervisor' && agencyId !== user.agencyId;
}

/** Only what changed, so the audit log shows the real change. */
function changes(before: Agency, after: AgencyInput): Partial<AgencyInput> {
  const patch: Record<string, unknown> = {};
  for (const key of FIELD_NAMES) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  }
  return patch as Partial<AgencyInput>;
}

export function AgencyDrawer({
  mode,
  agencyId,
  onModeChange,
  onClose,
  onSaved,
}: {
  mode: DrawerMode;
  agencyId?: string;
  onModeChange: (mode: DrawerMode) => void;
  onClose: () => void;
  onSaved: (agency: Agency) => void;
}) {
  const { user } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<AgencyInput>();
  const [agency, setAgency] = useState<Agency | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloadTick, setReloadTick] = useState(0);
  const legalStatus = Form.useWatch('legalStatus', form);

  useEffect(() => {
    if (!agencyId) return;
    let current = true;
    setLoadError(null);
    api.agency(agencyId).then(
      (a) => current && setAgency(a),
      (e: unknown) => current && setLoadError(toApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [agencyId, reloadTick]);

  useEffect(() => {
    setSaveError(null);
    if (mode === 'create') form.setFieldsValue(EMPTY);
    if (mode === 'edit' && agency) form.setFieldsValue(agency);
  }, [mode, agency, form]);

  const save = async () => {
    let values: AgencyInput;
    try {
      values = normalise(await form.validateFields());
    } catch {
      return; // antd shows each field's message
    }
    setSaving(true);
    setSaveError(null);
    try {
      let saved: Agency;
      if (mode === 'create') {
        saved = await api.createAgency(values);
        message.success(`已新增执法主体“${saved.name}”`);
      } else {
        if (!agency) return;
        const patch = changes(agency, values);
        if (Object.keys(patch).length === 0) {
          message.info('没有需要保存的修改');
          onModeChange('view');
          return;
        }
        saved = await api.updateAgency(agency.id, patch);
        message.success('已保存修改');
      }
      setAgency(saved);
      onSaved(saved);
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, FIELD_NAMES));
    } finally {
      setSaving(false);
    }
  };

  const title = mode === 'create' ? '新增执法主体' : mode === 'edit' ? '编辑执法主体' : (agency?.name ?? '执法主体');
  const editing = mode !== 'view';
  const placeable = canPlace(user, mode, agency?.id);
  const placedBy = placeable ? undefined : '决定监督范围，由系统管理员或上级司法行政机关变更';
  const loading = mode !== 'create' && !agency && !loadError;

  const footer = editing ? (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={() => (mode === 'edit' ? onModeChange('view') : onClose())}>取消</Button>
      <Button type="primary" loading={saving} onClick={() => void save()} disabled={loading}>
        保存
      </Button>
    </Flex>
  ) : (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={onClose}>关闭</Button>
      {agency && can.editAgency(user, agency.id) && (
        <Button type="primary" onClick={() => onModeChange('edit')}>
          编辑
        </Button>
      )}
    </Flex>
  );

  return (
    <Drawer open title={title} size={720} onClose={onClose} footer={footer} destroyOnHidden>
      {loadError && <ProblemAlert error={loadError} onRetry={() => setReloadTick((t) => t + 1)} />}
      {loading && <Skeleton active paragraph={{ rows: 8 }} />}

      {mode === 'view' && agency && (
        <Descriptions
          bordered
          column={1}
          size="small"
          styles={{ label: { width: 150 } }}
          items={[
            { key: 'name', label: '主体名称', children: agency.name },
            { key: 'creditCode', label: '统一社会信用代码', children: agency.creditCode },
            { key: 'kind', label: '主体类型', children: labelOf(agencyKindLabels, agency.kind) },
            { key: 'level', label: '层级', children: labelOf(agencyLevelLabels, agency.level) },
            { key: 'regionCode', label: '行政区划代码', children: agency.regionCode },
            {
              key: 'legalStatus',
              label: '法律地位',
              children: (
                <>
                  {labelOf(legalStatusLabels, agency.legalStatus)}
                  {agency.entrustingAgencyName && `（委托机关：${agency.entrustingAgencyName}）`}
                </>
              ),
            },
            {
              key: 'fields',
              label: '执法领域',
              children: agency.fields.length ? agency.fields.map((f) => <Tag key={f}>{f}</Tag>) : '—',
            },
            { key: 'duties', label: '主要职责', children: <div style={{ whiteSpace: 'pre-wrap' }}>{agency.duties || '—'}</div> },
            { key: 'legalBasis', label: '执法依据', children: <div style={{ whiteSpace: 'pre-wrap' }}>{agency.legalBasis || '—'}</div> },
            { key: 'parent', label: '上级机关', children: agency.parentName ?? '—' },
            { key: 'reviewUnit', label: '法制审核机构', children: agency.reviewUnit || '—' },
            { key: 'address', label: '办公地址', children: agency.address || '—' },
            { key: 'phone', label: '联系电话', children: agency.phone || '—' },
          ]}
        />
      )}

      {editing && !loading && !(mode === 'edit' && !agency) && (
        <>
          {saveError && (
            <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />
          )}
          <Form form={form} layout="vertical" name="agency" initialValues={EMPTY} scrollToFirstError>
            <Form.Item label="主体名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入主体名称' }, { max: 100, message: '名称不超过 100 字' }]}>
              <Input placeholder="如：某某市市场监督管理局" />
            </Form.Item>
            <Row gutter={16}>
              <Col span={14}>
                <Form.Item
                  label="统一社会信用代码"
                  name="creditCode"
                  normalize={(v: string) => v?.toUpperCase().replace(/\s/g, '')}
                  rules={[
                    { required: true, message: '请输入统一社会信用代码' },
                    { validator: checkWith(creditCodeError) },
                  ]}
                >
                  <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item
                  label="行政区划代码"
                  name="regionCode"
                  extra={placedBy}
                  rules={[
                    { required: true, message: '请输入行政区划代码' },
                    { validator: checkWith(regionCodeError) },
                  ]}
                >
                  <Input maxLength={6} placeholder="如：330102" disabled={!placeable} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item label="主体类型" name="kind" rules={[{ required: true, message: '请选择主体类型' }]}>
                  <Select options={optionsOf(agencyKindLabels)} disabled={!placeable} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label="层级" name="level" rules={[{ required: true, message: '请选择层级' }]}>
                  <Select options={optionsOf(agencyLevelLabels)} disabled={!placeable} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label="法律地位" name="legalStatus" rules={[{ required: true, message: '请选择法律地位' }]}>
              <Radio.Group options={optionsOf(legalStatusLabels)} />
            </Form.Item>
            {legalStatus === 'entrusted' && (
              <Form.Item
                label="委托机关"
                name="entrustingAgencyId"
                rules={[{ required: true, message: '受委托组织须填写委托机关' }]}
                extra="受委托组织以委托机关的名义实施行政执法。"
              >
                <AgencySelect excludeId={agency?.id} valueLabel={agency?.entrustingAgencyName} />
              </Form.Item>
            )}
            <Form.Item label="执法领域" name="fields" extra="可输入多个，按回车或用顿号分隔。">
              <Select mode="tags" tokenSeparators={[',', '，', '、']} placeholder="如：市场监管、食品安全" open={false} suffixIcon={null} />
            </Form.Item>
            <Form.Item label="主要职责" name="duties">
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
            <Form.Item label="执法依据" name="legalBasis">
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} placeholder="法律、法规、规章名称及条款" />
            </Form.Item>
            <Form.Item label="上级机关" name="parentId">
              <AgencySelect excludeId={agency?.id} placeholder="无上级机关可不填" valueLabel={agency?.parentName} />
            </Form.Item>
            <Form.Item label="法制审核机构" name="reviewUnit" extra="负责本机关重大执法决定法制审核的机构。">
              <Input />
            </Form.Item>
            <Row gutter={16}>
              <Col span={14}>
                <Form.Item label="办公地址" name="address">
                  <Input />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item label="联系电话" name="phone" rules={[{ pattern: PHONE, message: '请输入有效的电话号码' }]}>
                  <Input />
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </>
      )}
    </Drawer>
  );
}
