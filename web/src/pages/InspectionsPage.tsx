// 双随机一公开 in the back office: plans and tasks, the commit / reveal / draw ceremony, results, and
// the two directories. The server decides who may do what; the buttons only follow it.
import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { todayInChina } from '../caseApi.ts';
import { toApiError } from '../api.ts';
import type { ApiError } from '../api.ts';
import { useSession } from '../auth.tsx';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';
import { FOLLOW_UPS, RESULT_CODES, TASK_STATUS, inspectionsApi, newSecret } from '../inspectionsApi.ts';
import type { Plan, Task } from '../inspectionsApi.ts';

const CLASSES = ['A', 'B', 'C', 'D'] as const;
const statusTag = (s: string) => <Tag color={s === 'drawn' ? 'green' : s === 'committed' ? 'blue' : 'default'}>{TASK_STATUS[s] ?? s}</Tag>;

function PlanModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { user } = useSession();
  const [form] = Form.useForm();
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (v: { title: string; year: number; party1: string; party2: string }) => {
    try {
      await inspectionsApi.createPlan({ agencyId: user.agencyId, year: v.year, title: v.title, parties: [v.party1, v.party2] });
      form.resetFields();
      onDone();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <Modal open={open} title="新建抽查计划" onCancel={onClose} onOk={() => form.submit()} okText="保存" cancelText="取消" destroyOnHidden>
      {error && <ProblemAlert error={error} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ year: 2026, party1: '市纪委监委驻局纪检监察组', party2: '演示市公证处' }}>
        <Form.Item name="title" label="计划名称" rules={[{ required: true, message: '请填写计划名称' }]}><Input /></Form.Item>
        <Form.Item name="year" label="年度" rules={[{ required: true }]}><InputNumber min={2000} max={2100} /></Form.Item>
        <Form.Item name="party1" label="随机数提供方一（独立于执法机关）" rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="party2" label="随机数提供方二（独立于执法机关）" rules={[{ required: true }]}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function TaskModal({ plan, onClose, onDone }: { plan: Plan | null; onClose: () => void; onDone: () => void }) {
  const matters = useRemote(() => inspectionsApi.matters(), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (v: Record<string, unknown>) => {
    try {
      const ratios = Object.fromEntries(CLASSES.map((c) => [c, { ratioBp: Math.round(Number(v[`ratio${c}`]) * 100), min: Number(v[`min${c}`] ?? 0), max: null }]));
      await inspectionsApi.createTask(plan!.id, {
        matterId: v.matterId, title: v.title, ratios, rounding: v.rounding, classAsOf: (v.classAsOf as dayjs.Dayjs).format('YYYY-MM-DD'), inspectionDate: (v.inspectionDate as dayjs.Dayjs).format('YYYY-MM-DD'),
        ...(v.regionPrefix ? { scope: { regionPrefix: v.regionPrefix } } : {}),
      });
      form.resetFields();
      onDone();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <Modal open={!!plan} title={`新建抽查任务：${plan?.title ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="保存" cancelText="取消" width={640} destroyOnHidden>
      {error && <ProblemAlert error={error} />}
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ rounding: 'ceil', ratioA: 3, ratioB: 5, ratioC: 15, ratioD: 50, minA: 0, minB: 0, minC: 0, minD: 0, classAsOf: dayjs('2026-06-30'), inspectionDate: dayjs('2026-12-15') }}>
        <Form.Item name="matterId" label="抽查事项（随机抽查事项清单）" rules={[{ required: true, message: '请选择抽查事项' }]}>
          <Select options={(matters.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.code} ${m.name}（${m.agency}）` }))} />
        </Form.Item>
        <Form.Item name="title" label="任务名称" rules={[{ required: true, message: '请填写任务名称' }]}><Input /></Form.Item>
        <Form.Item name="regionPrefix" label="范围：行政区划代码前缀（可空）"><Input placeholder="如 330106" /></Form.Item>
        <Space wrap>
          {CLASSES.map((c) => (
            <Form.Item key={c} name={`ratio${c}`} label={`${c} 类比例（%）`}><InputNumber min={0} max={100} step={0.5} /></Form.Item>
          ))}
        </Space>
        <Space wrap>
          {CLASSES.map((c) => (
            <Form.Item key={c} name={`min${c}`} label={`${c} 类最少`}><InputNumber min={0} /></Form.Item>
          ))}
        </Space>
        <Space wrap>
          <Form.Item name="rounding" label="取整规则"><Select style={{ width: 160 }} options={[{ value: 'ceil', label: '有小数即进一' }, { value: 'floor', label: '舍去小数' }, { value: 'half_up', label: '四舍五入' }]} /></Form.Item>
          <Form.Item name="classAsOf" label="信用分类基准日"><DatePicker /></Form.Item>
          <Form.Item name="inspectionDate" label="检查日期"><DatePicker /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function Ceremony({ task, onClose, onChanged }: { task: Task | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const draw = useRemote(() => (task && task.planStatus === 'published' ? inspectionsApi.publicDraw(task.id) : Promise.resolve(null)), [task?.id, task?.status]);
  const [hashes, setHashes] = useState<Record<string, string>>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      message.success(ok);
      onChanged();
      draw.reload();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  if (!task) return null;
  const revealed = new Set((draw.data?.randomness ?? []).map((r) => r.source));
  return (
    <Drawer open title={`抽取：${task.title}`} size="large" onClose={onClose} destroyOnHidden>
      {error && <ProblemAlert error={error} />}
      <Descriptions column={1} size="small" bordered items={[
        { key: 's', label: '状态', children: statusTag(task.status) },
        { key: 'm', label: '抽查事项', children: task.matter },
        { key: 'd', label: '检查日期', children: task.inspectionDate },
        { key: 'r', label: '比例', children: CLASSES.map((c) => `${c} ${(task.ratios[c]!.ratioBp / 100).toString()}%`).join('，') },
      ]} />
      {task.planStatus !== 'published' && <Alert style={{ marginTop: 16 }} type="warning" showIcon title="计划尚未公布：须先公布计划，才能承诺和抽取。" />}
      {task.status === 'planned' && task.planStatus === 'published' && (
        <Card title="第一步：承诺（随机数产生之前）" style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">各方各自生成秘密值并妥善保管，只把它的 SHA-256 哈希交给平台。承诺写入存证日志后，候选名单、配额和人员库不能再改。</Typography.Paragraph>
          {task.parties.map((p) => (
            <Space key={p} direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
              <Typography.Text strong>{p}</Typography.Text>
              <Space.Compact style={{ width: '100%' }}>
                <Input aria-label={`${p} 秘密值哈希`} placeholder="64 位十六进制 SHA-256" value={hashes[p] ?? ''} onChange={(e) => setHashes({ ...hashes, [p]: e.target.value.trim() })} />
                <Button onClick={async () => { const s = await newSecret(); setSecrets((x) => ({ ...x, [p]: s.secret })); setHashes((x) => ({ ...x, [p]: s.hash })); }}>为该方生成秘密值</Button>
              </Space.Compact>
              {secrets[p] && <Alert type="info" title={<span>请由“{p}”抄存秘密值（揭示时使用）：<Typography.Text code copyable aria-label={`${p} 秘密值`}>{secrets[p]}</Typography.Text></span>} />}
            </Space>
          ))}
          <Button type="primary" loading={busy} onClick={() => run(() => inspectionsApi.commit(task.id, task.parties.map((p) => ({ source: p, hash: hashes[p] ?? '' }))), '已写入抽取承诺')}>提交承诺</Button>
        </Card>
      )}
      {task.status === 'committed' && (
        <Card title="第二步：各方揭示秘密值，然后抽取" style={{ marginTop: 16 }}>
          {task.parties.map((p) => (
            <Space.Compact key={p} style={{ width: '100%', marginBottom: 12 }}>
              <Input aria-label={`${p} 揭示秘密值`} addonBefore={p} disabled={revealed.has(p)} placeholder={revealed.has(p) ? '已揭示' : '秘密值（十六进制）'}
                value={values[p] ?? secrets[p] ?? ''} onChange={(e) => setValues({ ...values, [p]: e.target.value.trim() })} />
              <Button disabled={revealed.has(p)} loading={busy} onClick={() => run(() => inspectionsApi.reveal(task.id, p, values[p] ?? secrets[p] ?? ''), `${p}已揭示`)}>揭示</Button>
            </Space.Compact>
          ))}
          <Button type="primary" disabled={task.parties.some((p) => !revealed.has(p))} loading={busy} onClick={() => run(() => inspectionsApi.draw(task.id), '抽取完成')}>抽取</Button>
        </Card>
      )}
      {draw.data?.seed && (
        <Card title="抽取结果" style={{ marginTop: 16 }} extra={<a href={`/inspections/${task.id}`} target="_blank" rel="noreferrer">公示页（可复算）</a>}>
          <Typography.Paragraph>种子：<Typography.Text code>{draw.data.seed}</Typography.Text></Typography.Paragraph>
          <Table size="small" rowKey="creditCode" pagination={{ pageSize: 10 }} dataSource={draw.data.selected}
            columns={[
              { title: '分类', dataIndex: 'class', width: 60 },
              { title: '统一社会信用代码', dataIndex: 'creditCode' },
              { title: '检查组（执法证号）', key: 'team', render: (_: unknown, s) => (draw.data!.teams.find((t) => t.creditCode === s.creditCode)?.officers ?? []).map((o) => o.certificateNumber).join('、') },
            ]} />
        </Card>
      )}
    </Drawer>
  );
}

function ResultsTab({ tasks }: { tasks: Task[] }) {
  const { message } = App.useApp();
  const drawn = tasks.filter((t) => t.status === 'drawn');
  const [taskId, setTaskId] = useState<string | undefined>(drawn[0]?.id);
  const results = useRemote(() => (taskId ? inspectionsApi.results(taskId) : Promise.resolve({ items: [] })), [taskId]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [form] = Form.useForm();
  const submit = async (v: { resultCodes: string[]; inspectedOn: dayjs.Dayjs; followUp: string; noticeTo?: string; note?: string }) => {
    try {
      const r = await inspectionsApi.recordResult(taskId!, { creditCode: editing, resultCodes: v.resultCodes, inspectedOn: v.inspectedOn.format('YYYY-MM-DD'), followUp: v.followUp, noticeTo: v.noticeTo || undefined, note: v.note ?? '' });
      message.success(`已录入并公示（公示期限 ${r.publishBy}）`);
      setEditing(null);
      results.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select style={{ minWidth: 360 }} aria-label="抽查任务" value={taskId} onChange={setTaskId} options={drawn.map((t) => ({ value: t.id, label: `${t.title}（${t.agency}）` }))} />
        <Button disabled={!taskId} onClick={async () => { try { const r = await inspectionsApi.openCases(taskId!); message.success(`已建立 ${r.created.length} 件检查案件`); results.reload(); } catch (e) { setError(toApiError(e)); } }}>为抽中对象建立检查案件</Button>
      </Space>
      {error && <ProblemAlert error={error} />}
      <Table size="small" rowKey="creditCode" loading={results.loading} dataSource={results.data?.items ?? []}
        columns={[
          { title: '检查对象', dataIndex: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '分类', dataIndex: 'creditClass', width: 60 },
          { title: '检查案件', dataIndex: 'caseId', render: (v: string | null) => (v ? <a href={`/admin/cases/${v}`}>查看</a> : '未建立') },
          { title: '检查结果', dataIndex: 'resultCodes', render: (v: string[]) => (v.length ? v.map((c) => <Tag key={c}>{RESULT_CODES[c] ?? c}</Tag>) : <Tag>待录入</Tag>) },
          { title: '后续处置', dataIndex: 'followUp', render: (v: string | null, r) => (v ? <>{FOLLOW_UPS[v]}{r.penaltyCaseId && <> · <a href={`/admin/cases/${r.penaltyCaseId}`}>处罚案件</a></>}{r.noticeTo && ` · ${r.noticeTo}`}</> : '') },
          { title: '公示期限', dataIndex: 'publishBy' },
          { title: '操作', key: 'a', render: (_: unknown, r) => (r.resultCodes.length ? null : <Button size="small" onClick={() => { setEditing(r.creditCode); setError(null); }}>录入结果</Button>) },
        ]} />
      <Modal open={!!editing} title={`录入检查结果：${editing ?? ''}`} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText="录入并公示" cancelText="取消" destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ followUp: 'none', inspectedOn: dayjs(todayInChina()) }}>
          <Form.Item name="resultCodes" label="检查结果" rules={[{ required: true, message: '请选择检查结果' }]}>
            <Select mode="multiple" options={Object.entries(RESULT_CODES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="inspectedOn" label="检查完成日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="followUp" label="后续处置"><Select options={Object.entries(FOLLOW_UPS).map(([value, label]) => ({ value, label }))} /></Form.Item>
          <Form.Item name="noticeTo" label="抄告部门（抄告时填写）"><Input /></Form.Item>
          <Form.Item name="note" label="备注"><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ObjectsTab() {
  const { message } = App.useApp();
  const { user } = useSession();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<ApiError | null>(null);
  const objects = useRemote(() => inspectionsApi.objects({ q: q || undefined, page, pageSize: 20 }), [q, page]);
  // The whole file or nothing: a refused file lists every bad row (R-D01).
  const importFile = async (file: File) => {
    setError(null);
    try {
      const r = await inspectionsApi.importObjects(user.agencyId, file);
      message.success(`已导入 ${r.imported} 个检查对象`);
      objects.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search allowClear placeholder="名称开头或信用代码开头" style={{ maxWidth: 360 }} onSearch={(v) => { setQ(v); setPage(1); }} />
        <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => { void importFile(f); return Upload.LIST_IGNORE; }}>
          <Button>导入名录（XLSX/CSV）</Button>
        </Upload>
        <Typography.Text type="secondary">列：统一社会信用代码、名称、对象类型、行政区划代码、领域标签、信用风险分类、分类日期</Typography.Text>
      </Space>
      {error && <ProblemAlert error={error} />}
      <Table size="small" rowKey="id" loading={objects.loading} dataSource={objects.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: objects.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 个检查对象` }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '区划', dataIndex: 'regionCode', width: 90 },
          { title: '负责机关', dataIndex: 'agency' },
          { title: '领域标签', dataIndex: 'tags', render: (v: string[]) => v.map((t) => <Tag key={t}>{t}</Tag>) },
          { title: '信用风险分类', dataIndex: 'creditClass', width: 110, render: (v: string, r) => <span title={`分类日期 ${r.classSetOn}`}>{v}</span> },
        ]} />
    </>
  );
}

function InspectorsTab() {
  const inspectors = useRemote(() => inspectionsApi.inspectors(), []);
  return (
    <Table size="small" rowKey="officerId" loading={inspectors.loading} dataSource={inspectors.data?.items ?? []} pagination={{ pageSize: 20 }}
      columns={[
        { title: '姓名', dataIndex: 'name' },
        { title: '执法证号', dataIndex: 'certificateNumber' },
        { title: '机关', dataIndex: 'agency' },
        { title: '执法类别', dataIndex: 'categories', render: (v: string[]) => v.join('、') },
        { title: '区域', dataIndex: 'areas', render: (v: string[]) => v.join('、') },
        { title: '科室（所）', dataIndex: 'unit' },
        { title: '在岗', dataIndex: 'available', render: (v: boolean) => (v ? <Tag color="green">在岗</Tag> : <Tag>不在岗</Tag>) },
        { title: '年度工作量上限', dataIndex: 'workloadCap' },
        { title: '回避登记', dataIndex: 'conflicts' },
      ]} />
  );
}

export default function InspectionsPage() {
  const { message } = App.useApp();
  const plans = useRemote(() => inspectionsApi.plans(), []);
  const tasks = useRemote(() => inspectionsApi.tasks({ pageSize: 200 }), []);
  const [planOpen, setPlanOpen] = useState(false);
  const [taskFor, setTaskFor] = useState<Plan | null>(null);
  const [ceremony, setCeremony] = useState<Task | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    plans.reload();
    tasks.reload();
  };
  const allTasks = tasks.data?.items ?? [];
  return (
    <>
      <PageHeader title="双随机抽查" subTitle="随机抽取检查对象、随机选派执法检查人员，抽查情况及查处结果及时向社会公开；每次抽取先承诺、后揭示，任何人可复算"
        extra={<Button type="primary" onClick={() => setPlanOpen(true)}>新建抽查计划</Button>} />
      {error && <ProblemAlert error={error} />}
      <Tabs items={[
        {
          key: 'plans', label: '计划与抽取',
          children: (
            <Table<Plan> rowKey="id" loading={plans.loading} dataSource={plans.data?.items ?? []} pagination={false}
              expandable={{
                // Every plan shows its tasks: a plan is read with them.
                expandedRowKeys: (plans.data?.items ?? []).map((p) => p.id),
                showExpandColumn: false,
                expandedRowRender: (p) => (
                  <Table<Task> size="small" rowKey="id" pagination={false} dataSource={allTasks.filter((t) => t.planId === p.id)}
                    columns={[
                      { title: '任务', dataIndex: 'title', render: (v: string, t) => <>{v}{t.redoOf && <Tag color="orange" style={{ marginLeft: 8 }}>重新抽取：{t.redoReason}</Tag>}</> },
                      { title: '抽查事项', dataIndex: 'matter' },
                      { title: '检查日期', dataIndex: 'inspectionDate', width: 110 },
                      { title: '状态', dataIndex: 'status', width: 170, render: statusTag },
                      { title: '操作', key: 'a', width: 120, render: (_: unknown, t) => <Button size="small" aria-label={`${t.status === 'drawn' ? '查看结果' : '抽取仪式'}：${t.title}`} onClick={() => setCeremony(t)}>{t.status === 'drawn' ? '查看结果' : '抽取仪式'}</Button> },
                    ]} />
                ),
              }}
              columns={[
                { title: '计划', dataIndex: 'title', render: (v: string, p) => <>{v}{p.joint && <Tag color="purple" style={{ marginLeft: 8 }}>部门联合</Tag>}</> },
                { title: '机关', dataIndex: 'agency' },
                { title: '年度', dataIndex: 'year', width: 70 },
                { title: '随机数提供方', dataIndex: 'parties', render: (v: string[]) => v.join('、') },
                { title: '状态', dataIndex: 'status', width: 150, render: (v: string, p) => (v === 'published' ? <Tag color="green">已公布 {p.publishedOn}</Tag> : <Tag>未公布</Tag>) },
                {
                  title: '操作', key: 'a', width: 200,
                  render: (_: unknown, p) => (
                    <Space>
                      {p.status === 'draft' && <Button size="small" onClick={() => setTaskFor(p)}>新建任务</Button>}
                      {p.status === 'draft' && (
                        <Button size="small" type="primary" aria-label={`公布 ${p.title}`}
                          onClick={async () => { try { await inspectionsApi.publishPlan(p.id); message.success('计划已公布'); reload(); } catch (e) { setError(toApiError(e)); } }}>公布</Button>
                      )}
                    </Space>
                  ),
                },
              ]} />
          ),
        },
        { key: 'results', label: '检查结果', children: tasks.data ? <ResultsTab tasks={allTasks} /> : null },
        { key: 'objects', label: '检查对象名录库', children: <ObjectsTab /> },
        { key: 'inspectors', label: '执法检查人员名录库', children: <InspectorsTab /> },
      ]} />
      <PlanModal open={planOpen} onClose={() => setPlanOpen(false)} onDone={() => { setPlanOpen(false); reload(); }} />
      <TaskModal plan={taskFor} onClose={() => setTaskFor(null)} onDone={() => { setTaskFor(null); reload(); }} />
      <Ceremony task={ceremony ? allTasks.find((t) => t.id === ceremony.id) ?? ceremony : null} onClose={() => setCeremony(null)} onChanged={reload} />
    </>
  );
}
