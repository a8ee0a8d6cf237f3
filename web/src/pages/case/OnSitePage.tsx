import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Result, Select, Skeleton, Space, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { Link } from 'react-router-dom';
import { api, toApiError } from '../../api.ts';
import type { ApiError, CaseDocument, FieldError } from '../../api.ts';
import { useSession } from '../../auth.tsx';
import { caseApi, todayInChina } from '../../caseApi.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { OfficerPicker } from './OfficerPicker.tsx';
import { RefusalList } from './RefusalList.tsx';
import { clearDraft, loadDraft, newSubmissionKey, saveDraft, sendWhenOnline } from './deviceDraft.ts';
import { myOfficer, partyFromId, rememberPartner, rememberedPartner, violationsFor } from './onsite.ts';
import type { MyOfficer } from './onsite.ts';

interface OnSiteForm {
  partnerId?: string;
  party: { idNumber?: string; name?: string; address?: string };
  violation?: string;
  title?: string;
  basis?: string;
  penaltyKind: 'fine' | 'warning' | 'warning_and_fine';
  fineAmount?: number;
  factsConfirmed?: boolean;
  paidOnSite?: boolean;
  hardToEnforceLater?: boolean;
  remoteArea?: boolean;
}

/** The decision's fields the officer checks on the phone; the rest of the form comes from the case (R-R02). */
interface TextsForm {
  base: Record<string, unknown>;
  place: string;
  facts: string;
  violatedProvisions: string;
  penaltyBasis: string;
  statementHeard: string;
  reviewBody: string;
  court: string;
}

const REMEDIES = 'onsite-remedies';

/** How far the case has gone on the server: a retry continues from there and never registers it twice. */
interface Progress {
  /** Keys of this case's step submissions: a resend after a lost answer finds the step already made. */
  key?: string;
  caseId?: string;
  caseNumber?: string;
  notified?: boolean;
  decided?: boolean;
  collected?: boolean;
}

const DRAFT = 'onsite-penalty';
const OTHER = 'other';
const FIELD_NAMES: Record<string, (string | number)[]> = {
  'party.idNumber': ['party', 'idNumber'],
  'party.name': ['party', 'name'],
  'party.address': ['party', 'address'],
  title: ['title'],
  'facts.fineAmount': ['fineAmount'],
  'facts.penaltyKind': ['penaltyKind'],
};

/**
 * 当场处罚 (行政处罚法第五十一条、第五十二条) from a phone: one screen of choices, the decision's text written
 * from the case for the officer to check, then the decision and, when paid at once, the receipt issued.
 * Registration, 表明身份并告知, 当场作出行政处罚决定 and 当场收缴罚款 are the ordinary case steps, so the
 * engine checks every condition it checks at the desk (R-R01, R-P08).
 */
export default function OnSitePage() {
  const { message } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm<OnSiteForm>();
  const [texts] = Form.useForm<TextsForm>();
  const [me, setMe] = useState<MyOfficer | null>(null);
  const [procedureId, setProcedureId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgressState] = useState<Progress>(() => loadDraft<Progress>(`${DRAFT}.progress`) ?? {});
  const [stage, setStage] = useState<'form' | 'texts' | 'done'>(() => (loadDraft<TextsForm>(`${DRAFT}.texts`) && progress.notified && !progress.collected ? 'texts' : 'form'));
  const [issued, setIssued] = useState<CaseDocument[]>([]);
  const [waiting, setWaiting] = useState(false);
  const top = useRef<HTMLDivElement>(null);

  const idNumber = Form.useWatch(['party', 'idNumber'], form);
  const violation = Form.useWatch('violation', form);
  const penaltyKind = Form.useWatch('penaltyKind', form);
  const fineAmount = Form.useWatch('fineAmount', form);
  const paidOnSite = Form.useWatch('paidOnSite', form);
  const detected = partyFromId(idNumber ?? '');
  const fined = penaltyKind !== 'warning';
  // 行政处罚法第六十八条第一项: a fine of 100 yuan or less may be collected on the spot whatever else holds,
  // so the other two grounds are asked only above that.
  const askGrounds = fined && paidOnSite === true && (fineAmount ?? 0) > 100;

  const setProgress = (p: Progress) => {
    setProgressState(p);
    saveDraft(`${DRAFT}.progress`, p);
  };

  useEffect(() => {
    let current = true;
    Promise.all([myOfficer(), api.procedures()]).then(
      ([m, procedures]) => {
        if (!current) return;
        setMe(m);
        const summary = procedures.items.filter((p) => p.caseType === 'penalty_summary' && (!p.agency || p.agency.id === user.agencyId));
        setProcedureId((summary.find((p) => p.agency) ?? summary[0])?.id ?? null);
      },
      (e: unknown) => current && setLoadError(toApiError(e)),
    );
    const kept = loadDraft<OnSiteForm>(DRAFT);
    form.setFieldsValue({ penaltyKind: 'fine', ...kept, partnerId: kept?.partnerId ?? rememberedPartner() });
    const keptTexts = loadDraft<TextsForm>(`${DRAFT}.texts`);
    if (keptTexts) texts.setFieldsValue(keptTexts);
    return () => {
      current = false;
    };
  }, [form, texts, user.agencyId]);

  const category = me?.officer?.category ?? '';
  const choices = useMemo(() => violationsFor(category), [category]);
  const officerIds = (v: OnSiteForm) => [me!.officer!.id, ...(v.partnerId ? [v.partnerId] : [])];

  function fail(e: unknown) {
    const err = toApiError(e);
    const unmatched: FieldError[] = [];
    const onForm: { name: (string | number)[]; errors: string[] }[] = [];
    const onTexts: { name: (string | number)[]; errors: string[] }[] = [];
    for (const fe of err.errors) {
      const field = fe.field.replace(/^body\./, '');
      const doc = /^documents\.\d+\.fields\.(\w+)/.exec(field);
      if (doc && stage === 'texts') onTexts.push({ name: [doc[1]!], errors: [fe.message] });
      else if (field.startsWith('officerIds')) onForm.push({ name: ['partnerId'], errors: [fe.message] });
      else if (FIELD_NAMES[field]) onForm.push({ name: FIELD_NAMES[field]!, errors: [fe.message] });
      else unmatched.push(fe);
    }
    (form as FormInstance).setFields(onForm);
    (texts as FormInstance).setFields(onTexts);
    setError(err);
    // The message goes where the eye is: the first field in error, or the reasons above the form.
    const first = onForm[0] ?? onTexts[0];
    if (first) (onForm[0] ? (form as FormInstance) : (texts as FormInstance)).scrollToField(first.name, { block: 'center' });
    else top.current?.scrollIntoView({ block: 'start' });
    return unmatched;
  }

  /** Sends once the network is back: a form filled offline waits on the device, not in the officer's head. */
  const online = <T,>(call: () => Promise<T>) => sendWhenOnline(call, setWaiting);

  async function prepare(v: OnSiteForm) {
    if (!me?.officer || !procedureId || !detected.party) return;
    setBusy(true);
    setError(null);
    if (v.partnerId) rememberPartner(v.partnerId);
    try {
      const on = todayInChina();
      const chosen = choices.find((c) => c.key === v.violation);
      const title = chosen ? `涉嫌${chosen.act}案` : (v.title ?? '').trim();
      const fine = v.penaltyKind === 'warning' ? 0 : (v.fineAmount ?? 0);
      let p = progress;
      if (!p.caseId) {
        const c = await online(() =>
          caseApi.create({
            procedureId,
            title,
            // R-P08: the case's category and area are those the officer's certificate covers.
            matter: { category: me.officer!.category, area: me.officer!.area },
            party: { name: v.party.name!.trim(), type: detected.party!.type, idType: detected.party!.idType, idNumber: v.party.idNumber!.trim().toUpperCase(), address: (v.party.address ?? '').trim() },
          }),
        );
        p = { key: newSubmissionKey(), caseId: c.id, caseNumber: c.number };
        setProgress(p);
      }
      const caseId = p.caseId!;
      if (!p.notified) {
        await online(() =>
          caseApi.performStep(caseId, {
            step: 'onsite_notice',
            on,
            officerIds: officerIds(v),
            facts: { partyType: detected.party!.type === 'citizen' ? 'citizen' : 'legal_person', factsConfirmed: v.factsConfirmed === true, penaltyKind: v.penaltyKind, fineAmount: fine },
            documents: [],
            note: '执法人员出示执法证件，当场告知拟作出的处罚内容及事实、理由、依据和陈述、申辩权。',
            clientKey: `${p.key}-notice`,
          }),
        );
        p = { ...p, notified: true };
        setProgress(p);
      }
      const draft = await online(() => api.documentPrefill(caseId, { type: 'onsite_penalty_decision', on, officerIds: officerIds(v) }));
      const basis = chosen?.basis ?? (v.basis ?? '').trim();
      const remedies = loadDraft<{ reviewBody: string; court: string }>(REMEDIES);
      const generated: TextsForm = {
        base: draft.fields, place: String(draft.fields.place ?? ''), facts: String(draft.fields.facts ?? ''), violatedProvisions: basis, penaltyBasis: basis,
        statementHeard: '当事人未提出陈述、申辩。', reviewBody: remedies?.reviewBody ?? '', court: remedies?.court ?? '',
      };
      texts.setFieldsValue(generated);
      saveDraft(`${DRAFT}.texts`, generated);
      setStage('texts');
      window.scrollTo({ top: 0 });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  /** The structured decision: the case's draft plus what the officer checked; told on the spot at 表明身份并告知 (R-P09). */
  function decisionFields(t: TextsForm, on: string): Record<string, unknown> {
    const kept = (texts.getFieldValue('base') as Record<string, unknown> | undefined) ?? loadDraft<TextsForm>(`${DRAFT}.texts`)?.base ?? {};
    saveDraft(REMEDIES, { reviewBody: t.reviewBody.trim(), court: t.court.trim() });
    const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(11, 16);
    return {
      ...kept, place: t.place.trim(), facts: t.facts.trim(), violatedProvisions: t.violatedProvisions.trim(), penaltyBasis: t.penaltyBasis.trim(), statementHeard: t.statementHeard.trim(),
      remedies: { reviewBody: t.reviewBody.trim(), court: t.court.trim() }, decidedAt: `${on}T${now}`, reasonsTold: true, rightsTold: true, certificateShown: true,
    };
  }

  async function issue(t: TextsForm) {
    const v = form.getFieldsValue(true) as OnSiteForm;
    if (!me?.officer || !progress.caseId) return;
    setBusy(true);
    setError(null);
    const caseId = progress.caseId;
    try {
      const on = todayInChina();
      const fine = v.penaltyKind === 'warning' ? 0 : (v.fineAmount ?? 0);
      let p = progress;
      if (!p.decided) {
        await online(() =>
          caseApi.performStep(caseId, {
            step: 'onsite_decision',
            on,
            officerIds: officerIds(v),
            facts: { penaltyKind: v.penaltyKind, fineAmount: fine },
            documents: [{ type: 'onsite_penalty_decision', fields: decisionFields(t, on) }],
            clientKey: `${p.key}-decision`,
          }),
        );
        p = { ...p, decided: true };
        setProgress(p);
      }
      if (fine > 0 && v.paidOnSite && !p.collected) {
        // The receipt is written after the decision has its number, which it names.
        const receipt = await online(() => api.documentPrefill(caseId, { type: 'fine_receipt', on, officerIds: officerIds(v) }));
        await online(() =>
          caseApi.performStep(caseId, {
            step: 'onsite_collection',
            on,
            officerIds: officerIds(v),
            facts: { hardToEnforceLater: v.hardToEnforceLater === true, remoteArea: v.remoteArea === true },
            documents: [{ type: 'fine_receipt', fields: receipt.fields }],
            clientKey: `${p.key}-collection`,
          }),
        );
        p = { ...p, collected: true };
        setProgress(p);
      }
      const view = await caseApi.view(caseId);
      setIssued(view.documents.filter((d) => d.status === 'final' && ['onsite_penalty_decision', 'fine_receipt'].includes(d.type)));
      for (const k of [DRAFT, `${DRAFT}.texts`, `${DRAFT}.progress`]) clearDraft(k);
      setStage('done');
      message.success(`已当场作出行政处罚决定，案号 ${p.caseNumber ?? ''}`);
      window.scrollTo({ top: 0 });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  function startOver() {
    for (const k of [DRAFT, `${DRAFT}.texts`, `${DRAFT}.progress`]) clearDraft(k);
    setProgress({});
    setIssued([]);
    setError(null);
    form.resetFields();
    form.setFieldsValue({ penaltyKind: 'fine', partnerId: rememberedPartner() });
    texts.resetFields();
    setStage('form');
  }

  if (loadError) return <ProblemAlert error={loadError} />;
  if (!me) return <Skeleton active />;
  if (!me.officer) {
    return <Result status="info" title="当前账号未关联执法人员登记" subTitle="当场处罚须由持有效执法证的执法人员办理。请单位管理员在执法人员登记中关联本账号。" />;
  }
  if (me.officer.effectiveStatus !== 'valid') {
    return <Result status="warning" title="您的执法证当前无效" subTitle="执法证暂扣、注销或过期期间不得从事执法活动（R-P08）。" />;
  }

  const caseLink = progress.caseId ? `/cases/${progress.caseId}` : null;

  return (
    <>
      <PageHeader title="当场处罚" subTitle="行政处罚简易程序（行政处罚法第五十一条）：违法事实确凿、有法定依据，对公民二百元以下、对法人或者其他组织三千元以下罚款或者警告" />
      <div ref={top} />
      {waiting && <Alert type="warning" showIcon role="status" style={{ marginBottom: 12 }} title="网络已断开：已填写的内容保存在本机，恢复网络后自动提交" />}
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} fieldErrors={error.refusals.length ? [] : undefined} />}
      {error && error.refusals.length > 0 && <RefusalList refusals={error.refusals} title="不能办理的原因" />}
      {stage === 'form' && (
        <Form<OnSiteForm>
          form={form}
          layout="vertical"
          name="onsite"
          onFinish={(v) => void prepare(v)}
          onValuesChange={(_, all) => saveDraft(DRAFT, all)}
          scrollToFirstError={{ block: 'center' }}
          disabled={!!progress.notified}
        >
          <Card size="small" title="执法人员" style={{ marginBottom: 12 }}>
            <div style={{ marginBottom: 8 }}>
              <Tag color="blue">本人</Tag>
              {me.officer.name}（{me.officer.certificateNumber}）
              <div>
                <Typography.Text type="secondary">
                  {me.officer.category} · {me.officer.area}
                </Typography.Text>
              </div>
            </div>
            <Form.Item
              name="partnerId"
              label="同行执法人员"
              extra="当场处罚须两名以上执法人员（行政处罚法第四十二条）；当天记住所选人员"
              rules={[{ required: true, message: '请选择同行执法人员' }]}
            >
              <OfficerPicker agencyId={user.agencyId} multiple={false} exclude={me.officer.id} placeholder="输入姓名或执法证号查找" />
            </Form.Item>
          </Card>
          <Card size="small" title="当事人" style={{ marginBottom: 12 }}>
            <Form.Item
              name={['party', 'idNumber']}
              label="身份证号码或统一社会信用代码"
              validateStatus={detected.error ? 'error' : undefined}
              help={detected.error ?? (detected.party ? (detected.party.type === 'citizen' ? '公民（居民身份证）' : '法人或其他组织（统一社会信用代码）') : undefined)}
              rules={[
                { required: true, message: '请填写证件号码' },
                { validator: (_r, v: string | undefined) => (!v || partyFromId(v).party ? Promise.resolve() : Promise.reject(new Error(partyFromId(v).error ?? '应为 18 位身份证号码或统一社会信用代码'))) },
              ]}
            >
              <Input maxLength={18} autoComplete="off" inputMode="text" style={{ textTransform: 'uppercase' }} />
            </Form.Item>
            <Form.Item name={['party', 'name']} label={detected.party?.type === 'organisation' ? '名称' : '姓名'} rules={[{ required: true, message: '请填写当事人姓名或名称' }]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
            <Form.Item name={['party', 'address']} label={detected.party?.type === 'organisation' ? '住所' : '住址'} rules={[{ required: true, message: '请填写住址，决定书载明' }]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Card>
          <Card size="small" title="违法行为与处罚" style={{ marginBottom: 12 }}>
            <Form.Item name="violation" label="违法行为" rules={[{ required: true, message: '请选择违法行为' }]}>
              <Select
                options={[...choices.map((c) => ({ value: c.key, label: c.act })), { value: OTHER, label: '其他（自行填写）' }]}
                placeholder="选择违法行为"
              />
            </Form.Item>
            {violation === OTHER && (
              <>
                <Form.Item name="title" label="案由" rules={[{ required: true, message: '请填写案由' }]}>
                  <Input maxLength={200} placeholder="如：涉嫌……案" />
                </Form.Item>
                <Form.Item name="basis" label="处罚依据" rules={[{ required: true, message: '请填写处罚依据' }]}>
                  <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} />
                </Form.Item>
              </>
            )}
            {violation && violation !== OTHER && (
              <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
                依据：{choices.find((c) => c.key === violation)?.basis}
              </Typography.Paragraph>
            )}
            <Form.Item name="penaltyKind" label="处罚种类">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'fine', label: '罚款' },
                  { value: 'warning', label: '警告' },
                  { value: 'warning_and_fine', label: '警告并罚款' },
                ]}
              />
            </Form.Item>
            {fined && (
              <Form.Item
                name="fineAmount"
                label="罚款金额（元）"
                extra={detected.party?.type === 'organisation' ? '法人或其他组织：三千元以下' : '公民：二百元以下'}
                rules={[{ required: true, message: '请填写罚款金额' }]}
              >
                <InputNumber min={1} max={3000} precision={0} inputMode="numeric" style={{ width: '100%' }} />
              </Form.Item>
            )}
            <Form.Item
              name="factsConfirmed"
              valuePropName="checked"
              rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error('违法事实不确凿或者没有法定依据的，不得当场处罚，应当适用普通程序'))) }]}
            >
              <Checkbox>违法事实确凿并有法定依据，已出示执法证件并告知当事人陈述、申辩权</Checkbox>
            </Form.Item>
            {fined && (
              <Form.Item name="paidOnSite" label="罚款缴纳" rules={[{ required: true, message: '请选择是否当场缴纳' }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: true, label: '当场缴纳' },
                    { value: false, label: '十五日内缴纳' },
                  ]}
                />
              </Form.Item>
            )}
            {askGrounds && (
              <>
                <Form.Item name="hardToEnforceLater" valuePropName="checked">
                  <Checkbox>不当场收缴事后难以执行（第六十八条第二项）</Checkbox>
                </Form.Item>
                <Form.Item name="remoteArea" valuePropName="checked">
                  <Checkbox>边远、水上、交通不便地区，当事人提出当场缴纳（第六十九条）</Checkbox>
                </Form.Item>
              </>
            )}
          </Card>
          <div className="sx-sticky-actions">
            {progress.notified ? (
              <Button type="primary" block loading={busy} onClick={() => void prepare(form.getFieldsValue(true) as OnSiteForm)}>
                继续：生成决定书
              </Button>
            ) : (
              <Button type="primary" htmlType="submit" block loading={busy} disabled={false}>
                下一步：生成决定书
              </Button>
            )}
          </div>
        </Form>
      )}
      {stage === 'texts' && (
        <Form<TextsForm> form={texts} layout="vertical" name="onsite-texts" onFinish={(t) => void issue(t)} onValuesChange={(_, all) => saveDraft(`${DRAFT}.texts`, all)} scrollToFirstError={{ block: 'center' }}>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={`已登记 ${progress.caseNumber ?? ''}，已告知`}
            description="决定书按案件信息生成（当事人、执法人员、处罚内容和缴款方式取自案件），请核对，可以修改。出具后编号、生成带核验二维码的 PDF；当场缴纳的，同时出具罚没款票据（载明决定书文号）。"
          />
          <Form.Item name="base" hidden>
            <Input />
          </Form.Item>
          <Form.Item name="place" label="地点" rules={[{ required: true, whitespace: true, message: '请填写地点' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="facts" label="违法事实" rules={[{ required: true, whitespace: true, message: '请填写违法事实' }]}>
            <Input.TextArea autoSize={{ minRows: 4 }} maxLength={3000} />
          </Form.Item>
          <Form.Item name="violatedProvisions" label="违反的法律条款" rules={[{ required: true, whitespace: true, message: '请填写违反的法律条款' }]}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={1000} />
          </Form.Item>
          <Form.Item name="penaltyBasis" label="处罚依据" rules={[{ required: true, whitespace: true, message: '请填写处罚依据' }]}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={1000} />
          </Form.Item>
          <Form.Item name="statementHeard" label="当事人陈述、申辩及采纳情况" rules={[{ required: true, whitespace: true, message: '请填写当事人陈述、申辩情况' }]}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={2000} />
          </Form.Item>
          <Form.Item name="reviewBody" label="行政复议机关" rules={[{ required: true, whitespace: true, message: '请填写行政复议机关' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="court" label="管辖人民法院" rules={[{ required: true, whitespace: true, message: '请填写管辖人民法院' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <div className="sx-sticky-actions">
            <Button type="primary" htmlType="submit" block loading={busy}>
              {form.getFieldValue('paidOnSite') && form.getFieldValue('penaltyKind') !== 'warning' ? '出具决定书和罚没款票据' : '出具决定书'}
            </Button>
          </div>
        </Form>
      )}
      {stage === 'done' && (
        <Result
          status="success"
          title="已当场作出行政处罚决定"
          subTitle={`案号 ${progress.caseNumber ?? ''}。请将决定书当场交付当事人；当场收缴的罚款应于二日内交至本机关（行政处罚法第七十一条）。`}
          extra={
            <Space direction="vertical" style={{ width: '100%' }}>
              <section aria-label="已出具的文书">
                {issued.map((d) => (
                  <Card key={d.id} size="small" style={{ marginBottom: 8, textAlign: 'start' }}>
                    <div>
                      <strong>{d.title}</strong> {d.number && <Tag>{d.number}</Tag>}
                    </div>
                    <a href={`${api.caseDocumentPdfUrl(progress.caseId!, d.id)}?disposition=inline`} target="_blank" rel="noreferrer">
                      查看 {d.title} PDF
                    </a>
                  </Card>
                ))}
              </section>
              {caseLink && (
                <Link to={caseLink}>
                  <Button block>打开案件</Button>
                </Link>
              )}
              <Button type="primary" block onClick={startOver}>
                再办一件
              </Button>
            </Space>
          }
        />
      )}
      {stage !== 'done' && progress.caseId && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          本次已登记的案件：<Link to={caseLink!}>{progress.caseNumber}</Link>。{' '}
          <Button type="link" size="small" onClick={startOver}>
            放弃并重新开始
          </Button>
        </Typography.Paragraph>
      )}
    </>
  );
}
