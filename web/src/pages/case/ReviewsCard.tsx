import { useEffect, useState } from 'react';
import { App, Button, Checkbox, Descriptions, Drawer, Empty, Form, Input, List, Radio, Select, Space, Switch, Tag, Typography } from 'antd';
import { useSession, can } from '../../auth.tsx';
import type { ApiError } from '../../api.ts';
import { caseApi, todayInChina } from '../../caseApi.ts';
import type { CaseReview, CaseWorkView, ReviewAssignee, ReviewRounds } from '../../caseApi.ts';
import { applyProblemToForm } from '../../components/formErrors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { REVIEW_MATERIALS, REVIEW_POINTS, reviewMaterialLabels, reviewPointLabels } from '../../labels.ts';
import type { ReviewMaterial } from '../../../../src/cases/labels.ts';
import { RefusalList } from './RefusalList.tsx';

const STATUS: Record<CaseReview['status'], { label: string; color: string }> = {
  pending: { label: '待审核', color: 'blue' },
  passed: { label: '审核通过', color: 'green' },
  problems: { label: '存在问题，退回补正', color: 'orange' },
};

interface SubmitForm {
  on: string;
  summary: string;
  proposedDecision: string;
  materials: ReviewMaterial[];
  notes: Partial<Record<ReviewMaterial, string>>;
  documents: Partial<Record<ReviewMaterial, string[]>>;
  declaration: boolean;
  reviewerId?: string;
  answers?: string[];
}

/** R-L06: the submitting unit lists its materials and answers for their truth and completeness. */
function SubmitDrawer({ view, onClose, onDone }: { view: CaseWorkView; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SubmitForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const chosen = Form.useWatch('materials', form) ?? [];
  const [assignees, setAssignees] = useState<ReviewAssignee[]>([]);
  useEffect(() => {
    caseApi.reviewAssignees(view.id).then((r) => setAssignees(r.items), () => setAssignees([]));
  }, [view.id]);
  // R-L07: after problems, each one is answered point by point.
  const last = view.reviews.at(-1);
  const lastProblems = last?.status === 'problems' ? (last.opinion?.problems ?? []) : [];
  const finals = view.documents.filter((d) => d.status === 'final').map((d) => ({ value: d.id, label: `${d.title}${d.number ? `（${d.number}）` : ''}` }));

  async function submit(v: SubmitForm) {
    setSaving(true);
    setError(null);
    try {
      await caseApi.submitReview(view.id, {
        on: v.on,
        summary: v.summary,
        proposedDecision: v.proposedDecision,
        materials: v.materials.map((kind) => ({ kind, note: v.notes?.[kind] ?? '', documentIds: v.documents?.[kind] ?? [] })),
        declaration: true,
        ...(v.reviewerId ? { reviewerId: v.reviewerId } : {}),
        answers: lastProblems.map((_, i) => ({ problem: i, answer: v.answers?.[i] ?? '' })),
      });
      message.success('已报送法制审核');
      onDone();
    } catch (e) {
      setError(applyProblemToForm(form, e, ['on', 'summary', 'proposedDecision', 'materials', 'reviewerId']).error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer open title="报送法制审核" size="large" onClose={onClose} destroyOnHidden extra={<Space><Button onClick={onClose}>取消</Button><Button type="primary" loading={saving} onClick={() => form.submit()}>报送</Button></Space>}>
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      {error && error.refusals.length > 0 && <RefusalList refusals={error.refusals} title="不能报送的原因" />}
      <Form<SubmitForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ on: todayInChina(), materials: ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'], notes: {}, documents: {} }}
      >
        <Form.Item name="on" label="报送日期" rules={[{ required: true, message: '请填写报送日期' }]}>
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="summary" label="案件情况说明" rules={[{ required: true, message: '请填写案件情况说明' }]}>
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="proposedDecision" label="拟作出的执法决定" rules={[{ required: true, message: '请填写拟作出的执法决定' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={3000} />
        </Form.Item>
        {lastProblems.map((p, i) => (
          <Form.Item key={i} name={['answers', i]} label={`第 ${last!.round} 次审核问题 ${i + 1}：${p}`} rules={[{ required: true, whitespace: true, message: '请逐项说明整改情况' }]}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={2000} placeholder="整改说明" />
          </Form.Item>
        ))}
        <Form.Item name="reviewerId" label="指派审核人员" extra="可不指派，由本机关法制审核人员审核；指派其他单位共享的法律顾问时，该顾问只能查看和审核本案（R-L03）">
          <Select
            allowClear
            placeholder="不指派"
            options={[
              { label: '本机关法制审核人员', options: assignees.filter((a) => a.own).map((a) => ({ value: a.rosterId, label: a.name })) },
              { label: '其他单位共享的审核人员', options: assignees.filter((a) => !a.own).map((a) => ({ value: a.rosterId, label: `${a.name}（${a.agencyName}）` })) },
            ].filter((g) => g.options.length > 0)}
          />
        </Form.Item>
        <Form.Item name="materials" label="报送材料" extra="经过听证的，须附听证笔录">
          <Checkbox.Group options={REVIEW_MATERIALS.map((m) => ({ value: m, label: reviewMaterialLabels[m] }))} />
        </Form.Item>
        {chosen.map((m) => (
          <Space key={m} wrap align="start" style={{ display: 'flex' }}>
            <Form.Item
              name={['notes', m]}
              label={`${reviewMaterialLabels[m]}：说明`}
              style={{ minWidth: 280 }}
              dependencies={[['documents', m]]}
              rules={[
                ({ getFieldValue }) => ({
                  // R-L06: a listed material is described or attached, not just ticked.
                  validator: (_, v: string | undefined) =>
                    v?.trim() || (getFieldValue(['documents', m]) as string[] | undefined)?.length ? Promise.resolve() : Promise.reject(new Error('请说明该材料或选择所附文书')),
                }),
              ]}
            >
              <Input maxLength={2000} />
            </Form.Item>
            <Form.Item name={['documents', m]} label={`${reviewMaterialLabels[m]}：所附文书`} style={{ minWidth: 280 }}>
              <Select mode="multiple" options={finals} allowClear />
            </Form.Item>
          </Space>
        ))}
        <Form.Item name="declaration" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请声明对材料的真实性、完整性负责'))) }]}>
          <Checkbox>本单位对报送材料的真实性、完整性负责</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

interface OpinionForm {
  on: string;
  result: 'passed' | 'problems';
  checklist: Record<string, { ok: boolean; note?: string }>;
  opinion: string;
  problems?: string[];
}

/** R-L05: every review point is answered; R-L07: problems are listed one by one and sent back. */
function OpinionDrawer({ view, review, onClose, onDone }: { view: CaseWorkView; review: CaseReview; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<OpinionForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const result = Form.useWatch('result', form);

  async function submit(v: OpinionForm) {
    setSaving(true);
    setError(null);
    try {
      await caseApi.giveOpinion(view.id, review.id, {
        on: v.on,
        result: v.result,
        checklist: Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: v.checklist[p]?.ok ?? false, note: v.checklist[p]?.note ?? '' }])),
        opinion: v.opinion,
        problems: v.result === 'problems' ? (v.problems ?? []) : [],
      });
      message.success('审核意见已出具');
      onDone();
    } catch (e) {
      setError(applyProblemToForm(form, e, ['on', 'result', 'opinion', 'problems', 'checklist']).error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer open title={`出具审核意见（第 ${review.round} 次报送）`} size="large" onClose={onClose} destroyOnHidden extra={<Space><Button onClick={onClose}>取消</Button><Button type="primary" loading={saving} onClick={() => form.submit()}>出具意见</Button></Space>}>
      {error && <ProblemAlert error={error} style={{ marginBottom: 16 }} />}
      <Descriptions
        size="small"
        column={1}
        bordered
        style={{ marginBottom: 16 }}
        items={[
          { key: 'summary', label: '案件情况', children: review.summary },
          { key: 'decision', label: '拟作决定', children: review.proposedDecision },
          { key: 'materials', label: '报送材料', children: review.materials.map((m) => reviewMaterialLabels[m.kind] + (m.note ? `（${m.note}）` : '')).join('；') },
        ]}
      />
      <Form<OpinionForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ on: todayInChina(), result: 'passed', checklist: Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: true, note: '' }])) }}
      >
        <Form.Item name="on" label="审核日期" rules={[{ required: true, message: '请填写审核日期' }]}>
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        <Typography.Title level={5}>审核要点</Typography.Title>
        {REVIEW_POINTS.map((p) => (
          <Space key={p} align="start" wrap style={{ display: 'flex' }}>
            <Form.Item name={['checklist', p, 'ok']} valuePropName="checked" label={reviewPointLabels[p]} style={{ minWidth: 300 }}>
              <Switch checkedChildren="符合" unCheckedChildren="不符合" aria-label={reviewPointLabels[p]} />
            </Form.Item>
            <Form.Item name={['checklist', p, 'note']} label="说明" style={{ minWidth: 260 }}>
              <Input maxLength={1000} aria-label={`${reviewPointLabels[p]}：说明`} />
            </Form.Item>
          </Space>
        ))}
        <Form.Item name="result" label="审核结论" rules={[{ required: true, message: '请选择审核结论' }]}>
          <Radio.Group options={[{ value: 'passed', label: '同意' }, { value: 'problems', label: '存在问题，退回补正' }]} />
        </Form.Item>
        {result === 'problems' && (
          <Form.Item name="problems" label="存在的问题" extra="逐项写明，回车添加下一项" rules={[{ required: true, type: 'array', min: 1, message: '请逐项写明存在的问题' }]}>
            <Select mode="tags" open={false} placeholder="输入问题后按回车" />
          </Form.Item>
        )}
        <Form.Item name="opinion" label="书面审核意见" rules={[{ required: true, message: '请填写书面审核意见' }]}>
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={5000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

const show = (v: unknown) => (Array.isArray(v) ? v.join('、') || '无' : v === null || v === undefined ? '—' : String(v));

/** R-L07: the rounds side by side, what changed from the round before highlighted, answers beside the problems. */
function RoundsCompare({ caseId, version }: { caseId: string; version: number }) {
  const [data, setData] = useState<ReviewRounds | null>(null);
  useEffect(() => {
    caseApi.reviewRounds(caseId).then(setData, () => setData(null));
  }, [caseId, version]);
  if (!data || data.rounds.length === 0) return null;
  const fields: [string, string][] = [['summary', '案件情况说明'], ['proposedDecision', '拟作出的执法决定'], ['fineAmount', '罚款金额'], ['penaltyKinds', '处罚种类'], ['legalBasis', '法律依据']];
  return (
    <div style={{ overflowX: 'auto', marginTop: 12 }}>
      <Typography.Title level={5}>各轮审核对照</Typography.Title>
      <table aria-label="各轮审核对照" style={{ borderCollapse: 'collapse', minWidth: 480, width: '100%' }}>
        <thead>
          <tr>
            <th style={{ textAlign: 'left', padding: 4 }}>项目</th>
            {data.rounds.map((r) => <th key={r.id} style={{ textAlign: 'left', padding: 4 }}>第 {r.round} 次（{r.on}）</th>)}
          </tr>
        </thead>
        <tbody>
          {fields.map(([k, label]) => (
            <tr key={k}>
              <th scope="row" style={{ textAlign: 'left', padding: 4, fontWeight: 'normal' }}>{label}</th>
              {data.rounds.map((r) => {
                const changed = r.changes.some((c) => c.field === k);
                return <td key={r.id} style={{ padding: 4, verticalAlign: 'top', background: changed ? '#fff1b8' : undefined }}>{show(r.values[k])}{changed && <Tag color="gold" style={{ marginLeft: 4 }}>有变化</Tag>}</td>;
              })}
            </tr>
          ))}
          <tr>
            <th scope="row" style={{ textAlign: 'left', padding: 4, fontWeight: 'normal' }}>审核结论与问题</th>
            {data.rounds.map((r) => (
              <td key={r.id} style={{ padding: 4, verticalAlign: 'top' }}>
                {STATUS[r.result].label}{r.reviewer ? `（${r.reviewer}）` : ''}
                {r.problems.length > 0 && <ol style={{ margin: 0, paddingLeft: 20 }}>{r.problems.map((p, i) => <li key={i}>{p}</li>)}</ol>}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" style={{ textAlign: 'left', padding: 4, fontWeight: 'normal' }}>逐项整改说明</th>
            {data.rounds.map((r) => (
              <td key={r.id} style={{ padding: 4, verticalAlign: 'top' }}>
                {r.answers.length ? <ol style={{ margin: 0, paddingLeft: 20 }}>{r.answers.map((a) => <li key={a.problem}>{a.problemText}：{a.answer}</li>)}</ol> : '—'}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" style={{ textAlign: 'left', padding: 4, fontWeight: 'normal' }}>审核机构与时限</th>
            {data.rounds.map((r) => (
              <td key={r.id} style={{ padding: 4, verticalAlign: 'top' }}>
                {r.route ? `${r.route.bodyAgencyName}${r.route.unitName}（${r.route.routeLabel}）` : '—'}
                {r.clock && <div><Tag color={r.clock.status === 'overdue' || r.clock.status === 'done_late' ? 'red' : r.clock.status === 'warning' ? 'orange' : 'default'}>{r.clock.label}</Tag>期限 {r.clock.dueOn}</div>}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {data.coordinations.map((c) => (
        <Descriptions key={c.id} size="small" column={1} style={{ marginTop: 12 }} title="分歧协调" items={[
          { key: 'r', label: '分歧事项', children: c.reason },
          { key: 'm', label: '协调方式', children: c.methodLabel ?? '待协调' },
          ...(c.participants.length ? [{ key: 'p', label: '参加人员', children: c.participants.join('、') }] : []),
          { key: 'c', label: '协调结论', children: c.conclusion ?? '尚未形成结论' },
        ]} />
      ))}
    </div>
  );
}

/** 法制审核 of the case: every submission with its opinion (R-L01, R-L05 … R-L07). */
export function ReviewsCard({ view, onChanged }: { view: CaseWorkView; onChanged: () => void }) {
  const { user } = useSession();
  const [submitting, setSubmitting] = useState(false);
  const [reviewing, setReviewing] = useState<CaseReview | null>(null);
  const due = view.status === 'open' && view.available.steps.some((s) => s.key === 'legal_review');
  const pending = view.reviews.find((r) => r.status === 'pending');
  const canSubmit = due && !pending && (user.role === 'officer' || user.role === 'agency_head') && user.agencyId === view.agency.id;

  return (
    <>
      {canSubmit && (
        <Button type="primary" onClick={() => setSubmitting(true)} style={{ marginBottom: 12 }}>
          报送法制审核
        </Button>
      )}
      {view.reviews.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={due ? '本案须经法制审核，尚未报送' : '暂无法制审核'} />
      ) : (
        <List<CaseReview>
          aria-label="法制审核"
          dataSource={view.reviews}
          renderItem={(r) => (
            <List.Item
              actions={
                r.status === 'pending' && can.reviewCase(user)
                  ? [
                      <Button key="op" type="primary" size="small" onClick={() => setReviewing(r)}>
                        出具审核意见
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span>第 {r.round} 次报送</span>
                    <Tag color={STATUS[r.status].color}>{STATUS[r.status].label}</Tag>
                    <Typography.Text type="secondary">
                      {r.on} · {r.submittedBy}
                      {r.assignedTo && ` · 指派：${r.assignedTo.name}（${r.assignedTo.agencyName}）`}
                    </Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <div>拟作决定：{r.proposedDecision}</div>
                    {r.opinion && (
                      <div>
                        审核意见（{r.opinion.reviewer}，{r.opinion.on}）：{r.opinion.opinion}
                        {r.opinion.problems.length > 0 && (
                          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                            {r.opinion.problems.map((p, i) => (
                              <li key={i}>{p}</li>
                            ))}
                          </ul>
                        )}
                      </div>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {view.reviews.length > 0 && <RoundsCompare caseId={view.id} version={view.reviews.length + view.reviews.filter((r) => r.status !== 'pending').length} />}
      {submitting && <SubmitDrawer view={view} onClose={() => setSubmitting(false)} onDone={() => { setSubmitting(false); onChanged(); }} />}
      {reviewing && <OpinionDrawer view={view} review={reviewing} onClose={() => setReviewing(null)} onDone={() => { setReviewing(null); onChanged(); }} />}
    </>
  );
}
