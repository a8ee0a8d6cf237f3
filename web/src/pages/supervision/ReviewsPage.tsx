// 案卷评查 (R-R07): review plans with their reproducible sample, the 评查通报 per agency, and the score
// sheet of one file — the review standard's veto items and deductions, pre-filled by the automatic
// checks for the reviewer to confirm or change; the grade then counts in the yearly assessment.
import { App, Button, Checkbox, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { api, request } from '../../api.ts';

interface Hits { vetoes: string[]; deductions: { code: string; times: number }[] }
interface ReviewFile {
  id: string; caseId: string; case: { number: string; title: string } | null; agency: { id: string; name: string }; reviewer: { id: string; name: string };
  status: string; prefill: Hits & { notes: string[] }; hits: Hits | null; score: number | null; grade: string | null; gradeLabel: string | null; correctionRequired: boolean;
}
interface Standard { code: string; version: number; name: string; vetoItems: { code: string; text: string }[]; sections: { code: string; name: string; maxPoints: number; items: { code: string; text: string; deduction: number; perOccurrence: boolean }[] }[] }
interface Plan {
  id: string; title: string; standard: { code: string; version: number }; period: { from: string; to: string }; samplePerAgency: number; seed: string; files: ReviewFile[];
  results: { agency: { id: string; name: string }; files: number; scored: number; excellentRate: number | null; passRate: number | null }[];
}
interface PlanItem { id: string; title: string; period: { from: string; to: string }; standard: { code: string; version: number }; files: number; scored: number }

const PROCEDURES = [{ value: 'penalty-general', label: '行政处罚普通程序' }, { value: 'penalty-summary', label: '行政处罚简易程序' }, { value: 'coercion-seizure', label: '查封扣押' }];
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);
const GRADE_COLOR: Record<string, string> = { excellent: 'green', pass: 'blue', fail: 'red' };

export default function ReviewsPage() {
  const [params, setParams] = useSearchParams();
  const list = useRemote(() => request<{ items: PlanItem[] }>('/supervision/review-plans'), []);
  const planId = params.get('plan');
  const [creating, setCreating] = useState(false);
  const open = (id: string | null) => {
    const n = new URLSearchParams(params);
    if (id) n.set('plan', id); else n.delete('plan');
    n.delete('file');
    setParams(n);
  };
  return (
    <>
      <PageHeader title="案卷评查" subTitle="按机关随机抽取案卷，对照评查标准打分定等次" extra={<Button type="primary" onClick={() => setCreating(true)}>制定评查方案</Button>} />
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} />}
      <Table<PlanItem> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} pagination={false}
        columns={[
          { title: '评查方案', dataIndex: 'title', render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => open(r.id)}>{v}</Button> },
          { title: '案卷期间', render: (_, r) => `${r.period.from} 至 ${r.period.to}` },
          { title: '评查标准', render: (_, r) => `${r.standard.code} 第 ${r.standard.version} 版` },
          { title: '已评 / 抽取', render: (_, r) => `${r.scored} / ${r.files}` },
        ]} />
      {planId && <PlanView id={planId} onChanged={list.reload} />}
      {creating && <PlanDrawer onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); list.reload(); open(id); }} />}
    </>
  );
}

function PlanView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const [params, setParams] = useSearchParams();
  const plan = useRemote(() => request<Plan>(`/supervision/review-plans/${id}`), [id]);
  const fileId = params.get('file');
  const setFile = (f: string | null) => {
    const n = new URLSearchParams(params);
    if (f) n.set('file', f); else n.delete('file');
    setParams(n);
  };
  const p = plan.data;
  return (
    <section aria-label="评查方案" style={{ marginTop: 24 }}>
      {plan.error && <ProblemAlert error={plan.error} onRetry={plan.reload} />}
      {p && (
        <>
          <Typography.Title level={4}>{p.title}</Typography.Title>
          <Typography.Paragraph type="secondary">案卷期间 {p.period.from} 至 {p.period.to}；每个机关随机抽取 {p.samplePerAgency} 卷（随机种子 {p.seed}，同一种子可复现）；评查标准 {p.standard.code} 第 {p.standard.version} 版</Typography.Paragraph>
          <Table<ReviewFile> rowKey="id" size="small" dataSource={p.files} pagination={false}
            columns={[
              { title: '案卷', render: (_, f) => (f.case ? <Link to={`/cases/${f.caseId}`}>{f.case.number} {f.case.title}</Link> : f.caseId) },
              { title: '执法机关', render: (_, f) => f.agency.name },
              { title: '评查机关', render: (_, f) => f.reviewer.name },
              { title: '自动检查', render: (_, f) => (f.prefill.vetoes.length ? <Tag color="red">否决项 {f.prefill.vetoes.length}</Tag> : f.prefill.deductions.length ? <Tag color="orange">扣分项 {f.prefill.deductions.length}</Tag> : <Tag>未发现问题</Tag>) },
              { title: '得分 / 等次', render: (_, f) => (f.grade ? <Space size={4}>{f.score}<Tag color={GRADE_COLOR[f.grade]}>{f.gradeLabel}</Tag>{f.correctionRequired && <Tag color="red">须整改</Tag>}</Space> : '待评查') },
              { title: '操作', render: (_, f) => <Button size="small" onClick={() => setFile(f.id)} aria-label={`评查 ${f.case?.number ?? f.caseId}`}>{f.grade ? '查看' : '评查'}</Button> },
            ]} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>评查通报（各机关结果）</Typography.Title>
          <Table rowKey={(r) => r.agency.id} size="small" dataSource={p.results} pagination={false}
            columns={[
              { title: '执法机关', render: (_, r) => r.agency.name },
              { title: '已评 / 抽取', render: (_, r) => `${r.scored} / ${r.files}` },
              { title: '优秀率', render: (_, r) => pct(r.excellentRate) },
              { title: '合格率', render: (_, r) => pct(r.passRate) },
            ]} />
        </>
      )}
      {fileId && <ScoreDrawer id={fileId} onClose={() => setFile(null)} onScored={() => { plan.reload(); onChanged(); }} />}
    </section>
  );
}

function ScoreDrawer({ id, onClose, onScored }: { id: string; onClose: () => void; onScored: () => void }) {
  const { message } = App.useApp();
  const file = useRemote(() => request<ReviewFile & { standard: Standard }>(`/supervision/review-files/${id}`), [id]);
  const [hits, setHits] = useState<Hits | null>(null);
  const [busy, setBusy] = useState(false);
  const f = file.data;
  const current: Hits = hits ?? f?.hits ?? { vetoes: f?.prefill.vetoes ?? [], deductions: f?.prefill.deductions ?? [] };
  const times = (code: string) => current.deductions.find((d) => d.code === code)?.times ?? 0;
  const setTimes = (code: string, n: number) => setHits({ ...current, deductions: [...current.deductions.filter((d) => d.code !== code), ...(n > 0 ? [{ code, times: n }] : [])] });
  const submit = async () => {
    setBusy(true);
    try {
      await request(`/supervision/review-files/${id}/score`, { method: 'POST', body: current });
      message.success('评分已保存');
      setHits(null);
      file.reload();
      onScored();
    } catch (e) {
      message.error((e as { detail?: string }).detail ?? '评分失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open title={f?.case ? `评查：${f.case.number}` : '评查案卷'} size={680} onClose={onClose}>
      {file.error && <ProblemAlert error={file.error} />}
      {f && (
        <Form layout="vertical">
          <Descriptions column={1} size="small" bordered items={[
            { key: 'c', label: '案卷', children: <Link to={`/cases/${f.caseId}`}>{f.case ? `${f.case.number} ${f.case.title}` : f.caseId}（查看案卷）</Link> },
            { key: 'a', label: '执法机关', children: f.agency.name },
            { key: 's', label: '评查标准', children: `${f.standard.name}（第 ${f.standard.version} 版）` },
            { key: 'g', label: '得分 / 等次', children: <span data-testid="review-grade">{f.grade ? `${f.score} 分 ${f.gradeLabel}` : '待评查'}</span> },
          ]} />
          {f.prefill.notes.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>自动检查发现（请核实）</Typography.Title>
              <ul>{f.prefill.notes.map((n) => <li key={n}>{n}</li>)}</ul>
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>否决项（任一项即不合格）</Typography.Title>
          <Checkbox.Group value={current.vetoes} onChange={(v) => setHits({ ...current, vetoes: v as string[] })}
            options={f.standard.vetoItems.map((v) => ({ value: v.code, label: v.text }))} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
          {f.standard.sections.map((s) => (
            <div key={s.code}>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{s.name}（{s.maxPoints} 分，扣完为止）</Typography.Title>
              {s.items.map((it) => (
                <Form.Item key={it.code} label={`${it.text}（${it.perOccurrence ? `每处扣 ${it.deduction} 分` : `扣 ${it.deduction} 分`}）`} style={{ marginBottom: 8 }}>
                  <InputNumber aria-label={it.text} min={0} max={it.perOccurrence ? 100 : 1} value={times(it.code)} onChange={(v) => setTimes(it.code, Number(v ?? 0))} addonAfter={it.perOccurrence ? '处' : '项'} />
                </Form.Item>
              ))}
            </div>
          ))}
          <Space>
            <Button type="primary" loading={busy} onClick={() => void submit()}>提交评分</Button>
            {f.grade && <Typography.Text strong>评分结果：{f.score} 分，{f.gradeLabel}{f.correctionRequired ? '（须整改）' : ''}</Typography.Text>}
          </Space>
        </Form>
      )}
    </Drawer>
  );
}

function PlanDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { message } = App.useApp();
  const today = new Date().toISOString().slice(0, 10);
  const agencies = useRemote(() => api.agencies({ kind: 'enforcement', pageSize: 200 }), []);
  const [title, setTitle] = useState('');
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [procedures, setProcedures] = useState<string[]>(PROCEDURES.map((p) => p.value));
  const [sample, setSample] = useState(2);
  const [seed, setSeed] = useState('');
  const [reviewers, setReviewers] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      const p = await request<Plan>('/supervision/review-plans', { method: 'POST', body: { title, from, to, procedures, samplePerAgency: sample, reviewerAgencyIds: reviewers, ...(seed ? { seed } : {}) } });
      message.success(`已抽取 ${p.files.length} 卷`);
      onCreated(p.id);
    } catch (e) {
      message.error((e as { detail?: string }).detail ?? '制定评查方案失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open title="制定评查方案" size={560} onClose={onClose}>
      {agencies.error && <ProblemAlert error={agencies.error} />}
      <Form layout="vertical">
        <Form.Item label="方案名称" required><Input aria-label="方案名称" value={title} onChange={(e) => setTitle(e.target.value)} /></Form.Item>
        <Space>
          <Form.Item label="案卷起始日期"><Input type="date" aria-label="案卷起始日期" value={from} onChange={(e) => setFrom(e.target.value)} /></Form.Item>
          <Form.Item label="案卷截止日期"><Input type="date" aria-label="案卷截止日期" value={to} onChange={(e) => setTo(e.target.value)} /></Form.Item>
        </Space>
        <Form.Item label="程序"><Checkbox.Group options={PROCEDURES} value={procedures} onChange={(v) => setProcedures(v as string[])} /></Form.Item>
        <Form.Item label="每个机关抽取案卷数"><InputNumber aria-label="每个机关抽取案卷数" min={1} max={100} value={sample} onChange={(v) => setSample(Number(v ?? 1))} /></Form.Item>
        <Form.Item label="随机种子（留空则随机生成；同一种子可复现抽取结果）"><Input aria-label="随机种子" value={seed} onChange={(e) => setSeed(e.target.value)} /></Form.Item>
        <Form.Item label="评查机关（不评查本机关案卷）" required>
          <Select mode="multiple" aria-label="评查机关" value={reviewers} onChange={setReviewers} loading={agencies.loading}
            options={(agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))} optionFilterProp="label" />
        </Form.Item>
        <Button type="primary" loading={busy} disabled={!title.trim() || !reviewers.length || !procedures.length} onClick={() => void submit()}>抽取案卷</Button>
      </Form>
    </Drawer>
  );
}
