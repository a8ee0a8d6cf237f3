import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, Radio, Row, Skeleton } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { afterTodayInChina } from '../caseApi.ts';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { ApiError, FieldError, Officer, OfficerInput } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { genderLabels, issuerTypeLabels, optionsOf, qualificationLabels } from '../labels.ts';
import type { Gender, IssuerType, Qualification } from '../labels.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { AgencySelect } from '../components/AgencySelect.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { applyProblemToForm } from '../components/formErrors.ts';
import { useRemote } from '../components/useRemote.ts';
import { checkWith, idNumberError } from '../validate.ts';

interface FormValues {
  agencyId: string | null;
  name: string;
  gender: Gender | null;
  idNumber?: string;
  certificateNumber: string;
  issuerType: IssuerType;
  justiceRegistration?: string;
  category: string;
  area: string;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
  qualification: Qualification;
  examPassedOn: Dayjs | null;
}

const FIELD_NAMES = [
  'agencyId',
  'name',
  'gender',
  'idNumber',
  'certificateNumber',
  'issuerType',
  'justiceRegistration',
  'category',
  'area',
  'validFrom',
  'validTo',
  'qualification',
  'examPassedOn',
] as const;

const DATE = 'YYYY-MM-DD';

function toInput(v: FormValues, withIdNumber: boolean): OfficerInput {
  const text = (s: string | undefined | null) => (s ?? '').trim();
  const input: OfficerInput = {
    agencyId: v.agencyId ?? '',
    name: text(v.name),
    gender: v.gender ?? null,
    certificateNumber: text(v.certificateNumber),
    issuerType: v.issuerType,
    justiceRegistration: v.issuerType === 'state_council' ? text(v.justiceRegistration) || null : null,
    category: text(v.category),
    area: text(v.area),
    validFrom: v.validFrom?.format(DATE) ?? '',
    validTo: v.validTo?.format(DATE) ?? '',
    qualification: v.qualification,
    examPassedOn: v.qualification === 'exam' ? (v.examPassedOn?.format(DATE) ?? null) : null,
  };
  // The ID number is optional; an empty field means "not recorded", which the server stores as null.
  if (withIdNumber) input.idNumber = text(v.idNumber).toUpperCase() || null;
  return input;
}

function toForm(o: Officer): FormValues {
  return {
    agencyId: o.agencyId,
    name: o.name,
    gender: o.gender,
    idNumber: o.idNumber ?? '',
    certificateNumber: o.certificateNumber,
    issuerType: o.issuerType,
    justiceRegistration: o.justiceRegistration ?? '',
    category: o.category,
    area: o.area,
    validFrom: o.validFrom ? dayjs(o.validFrom) : null,
    validTo: o.validTo ? dayjs(o.validTo) : null,
    qualification: o.qualification,
    examPassedOn: o.examPassedOn ? dayjs(o.examPassedOn) : null,
  };
}

function changes(before: Officer, after: Partial<OfficerInput>): Partial<OfficerInput> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    if (JSON.stringify((before as unknown as Record<string, unknown>)[k] ?? null) !== JSON.stringify(v ?? null)) patch[k] = v;
  }
  return patch as Partial<OfficerInput>;
}

/** Create an officer (/officers/new) or edit one (/officers/:officerId/edit). */
export default function OfficerFormPage() {
  const { officerId } = useParams();
  const editing = Boolean(officerId);
  const { user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const inFlight = useRef(false); // Enter in a field and a click on 保存 must not register the officer twice
  const [saveError, setSaveError] = useState<{ error: ApiError; unmatched: FieldError[] } | null>(null);
  const issuerType = Form.useWatch('issuerType', form);
  const qualification = Form.useWatch('qualification', form);

  const existing = useRemote<Officer | null>(() => (officerId ? api.officer(officerId) : Promise.resolve(null)), [officerId]);
  const officer = existing.data ?? null;
  // The ID number is personal data: only administrators receive it, and only they may set it.
  const showIdNumber = editing ? officer?.idNumber !== undefined : can.writeRegistry(user);

  useEffect(() => {
    if (officer) form.setFieldsValue(toForm(officer));
  }, [officer, form]);

  const initialValues: Partial<FormValues> = {
    agencyId: can.chooseAgency(user) ? null : user.agencyId,
    gender: null,
    issuerType: 'province',
    qualification: 'exam',
  };

  const submit = async (values: FormValues) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSaving(true);
    setSaveError(null);
    try {
      const input = toInput(values, showIdNumber);
      let saved: Officer;
      if (officer) {
        // The agency of an officer is not changed by editing (a transfer is its own procedure).
        const { agencyId: _agency, ...editable } = input;
        const patch = changes(officer, editable);
        if (Object.keys(patch).length === 0) {
          message.info('没有需要保存的修改');
          navigate(`/officers/${officer.id}`);
          return;
        }
        saved = await api.updateOfficer(officer.id, patch);
        message.success('已保存修改');
      } else {
        saved = await api.createOfficer(input);
        message.success(`已新增执法人员“${saved.name}”`);
      }
      navigate(`/officers/${saved.id}`);
    } catch (e) {
      setSaveError(applyProblemToForm(form, e, FIELD_NAMES));
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  };

  const title = editing ? `编辑执法人员${officer ? `：${officer.name}` : ''}` : '新增执法人员';

  return (
    <>
      <PageHeader title={title} subTitle="带 * 的为必填项；证件状态（暂扣、吊销）在详情页变更" />
      <Card style={{ maxWidth: 960 }}>
        {existing.error && <ProblemAlert error={existing.error} onRetry={existing.reload} />}
        {editing && existing.loading && <Skeleton active paragraph={{ rows: 10 }} />}
        {(!editing || officer) && (
          <>
            {saveError && <ProblemAlert error={saveError.error} fieldErrors={saveError.unmatched} style={{ marginBottom: 16 }} />}
            <Form<FormValues>
              form={form}
              name="officer"
              layout="vertical"
              initialValues={initialValues}
              onFinish={(v) => void submit(v)}
              scrollToFirstError
            >
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    label="所属执法主体"
                    name="agencyId"
                    rules={[{ required: true, message: '请选择所属执法主体' }]}
                    extra={editing ? '调动所属机关不在此修改。' : can.chooseAgency(user) ? undefined : '单位管理员只能在本单位登记执法人员。'}
                  >
                    <AgencySelect disabled={editing || !can.chooseAgency(user)} allowClear={false} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={7}>
                  <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { max: 50, message: '姓名不超过 50 字' }]}>
                    <Input autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={5}>
                  <Form.Item label="性别" name="gender">
                    <Radio.Group options={optionsOf(genderLabels)} />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    label="执法证件号"
                    name="certificateNumber"
                    rules={[
                      { required: true, whitespace: true, message: '请输入执法证件号' },
                      { pattern: /^[\p{Script=Han}A-Za-z0-9-]{6,32}$/u, message: '执法证件号应为 6–32 位字母、数字、汉字或连字符' },
                    ]}
                    extra="证件号全省唯一，并用于证件二维码和公开核验页面。"
                  >
                    <Input autoComplete="off" style={{ fontFamily: 'monospace' }} />
                  </Form.Item>
                </Col>
                {showIdNumber && (
                  <Col xs={24} md={12}>
                    <Form.Item
                      label="身份证号"
                      name="idNumber"
                      normalize={(v: string) => v?.toUpperCase().replace(/\s/g, '')}
                      rules={[
                        { validator: checkWith((v) => idNumberError(v)) },
                      ]}
                      extra="个人信息，不公开，仅管理员可见。"
                    >
                      <Input maxLength={18} autoComplete="off" style={{ fontFamily: 'monospace' }} />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              <Form.Item label="发证类型" name="issuerType" rules={[{ required: true, message: '请选择发证类型' }]}>
                <Radio.Group options={optionsOf(issuerTypeLabels)} />
              </Form.Item>
              {issuerType === 'state_council' && (
                <Form.Item
                  label="司法局备案号"
                  name="justiceRegistration"
                  rules={[{ required: true, whitespace: true, message: '国务院部门颁发的证件须在当地司法局备案后方可使用，请填写备案号' }]}
                >
                  <Input style={{ maxWidth: 360 }} />
                </Form.Item>
              )}
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label="执法类别" name="category" rules={[{ required: true, whitespace: true, message: '请输入执法类别' }]}>
                    <Input placeholder="如：市场监管综合执法" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item label="执法区域" name="area" rules={[{ required: true, whitespace: true, message: '请输入执法区域' }]}>
                    <Input placeholder="如：某某市某某区" />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label="有效期起" name="validFrom" rules={[{ required: true, message: '请选择有效期起始日期' }]}>
                    <DatePicker format={DATE} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label="有效期止"
                    name="validTo"
                    dependencies={['validFrom']}
                    rules={[
                      { required: true, message: '请选择有效期截止日期' },
                      ({ getFieldValue }) => ({
                        validator: (_, v: Dayjs | null) => {
                          const from = getFieldValue('validFrom') as Dayjs | null;
                          return !v || !from || !v.isBefore(from, 'day')
                            ? Promise.resolve()
                            : Promise.reject(new Error('有效期止不能早于有效期起'));
                        },
                      }),
                    ]}
                  >
                    <DatePicker format={DATE} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label="资格取得方式" name="qualification" rules={[{ required: true, message: '请选择资格取得方式' }]}>
                    <Radio.Group options={optionsOf(qualificationLabels)} />
                  </Form.Item>
                </Col>
                {qualification === 'exam' && (
                  <Col xs={24} md={12}>
                    <Form.Item
                      label="考试合格日期"
                      name="examPassedOn"
                      rules={[{ required: true, message: '经考试取得资格的，请填写考试合格日期' }]}
                    >
                      <DatePicker format={DATE} style={{ width: '100%' }} disabledDate={afterTodayInChina} />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit" loading={saving}>
                  保存
                </Button>
                <Button onClick={() => navigate(officer ? `/officers/${officer.id}` : '/officers')}>取消</Button>
              </Flex>
            </Form>
          </>
        )}
      </Card>
    </>
  );
}
