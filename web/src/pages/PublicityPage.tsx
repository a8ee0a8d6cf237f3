// 执法决定公示 (issue 8): drafts to confirm with their redactions highlighted, published and withdrawn
// decisions, overdue drafts, correction requests and remedies. The server decides who may do what; the
// buttons only follow it.
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Radio, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import { afterTodayInChina } from '../caseApi.ts';
import { request, toApiError } from '../api.ts';
import type { ApiError } from '../api.ts';
import { useSession } from '../auth.tsx';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';

interface Span { start: number; end: number; rule: string; label: string; replacement: string; by: string }
interface Publication {
  id: string; agencyName: string; kind: string; status: string; version: number; documentNumber: string; title: string; party: string;
  decidedOn: string; deadline: string | null; overdue: boolean; publishedOn: string | null; withdrawnOn: string | null; withdrawalReason: string | null;
  exclusion: string | null; ruleSetVersion: number; ruleKey: string; contentSha256: string | null; publicText?: string | null; sourceText?: string; redactions?: Span[];
}
interface Correction { id: string; trackingNumber: string; publicationId: string; documentNumber: string; status: string; dueOn: string; overdue: boolean; request: string; answer: string | null; contact?: string; evidence: { filename: string; mediaType: string; size: number; url: string } | null }

const KIND: Record<string, string> = { penalty: '行政处罚', licensing: '行政许可', coercion: '行政强制', inspection: '行政检查', other: '其他' };
const STATUS: Record<string, [string, string]> = {
  draft: ['待确认', 'gold'], excluded: ['不予公示', 'default'], published: ['公示中', 'green'], withdrawn: ['已撤回', 'red'], expired: ['已到期', 'default'],
};
const CORRECTION: Record<string, string> = { pending: '办理中', corrected: '已更正', refused: '不予更正' };

/** The source text with each redaction marked: what the rule takes out and what replaces it. */
function Highlighted({ text, spans }: { text: string; spans: Span[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, s] of [...spans].sort((a, b) => a.start - b.start).entries()) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start));
    parts.push(
      <mark key={i} title={`${s.label}${s.by === 'rule' ? '（规则隐去，不可取消）' : '（人工隐去）'} → ${s.replacement}`} style={{ background: s.by === 'rule' ? '#ffe58f' : '#ffccc7', padding: '0 2px' }}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }} data-testid="source-text">{parts}</pre>;
}

function Detail({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const { user } = useSession();
  const p = useRemote(() => request<Publication>(`/publications/${id}`), [id]);
  const [added, setAdded] = useState<string[]>([]);
  const [phrase, setPhrase] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [remedy] = Form.useForm();
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await fn();
      message.success(done);
      setAdded([]);
      p.reload();
      onChanged();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const d = p.data;
  const isHead = user.role === 'agency_head';
  return (
    <Drawer open title={d ? `${d.documentNumber}（第 ${d.version} 版）` : '公示信息'} size="large" onClose={onClose}>
      {p.error && <ProblemAlert error={p.error} />}
      {error && <ProblemAlert error={error} />}
      {d && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered items={[
            { key: 's', label: '状态', children: <Tag color={STATUS[d.status]?.[1]}>{STATUS[d.status]?.[0] ?? d.status}</Tag> },
            { key: 'k', label: '类型', children: KIND[d.kind] ?? d.kind },
            { key: 'p', label: '当事人（公示）', children: d.party },
            { key: 'd', label: '决定日期 / 公示期限', children: `${d.decidedOn} / ${d.deadline ?? '—'}${d.overdue ? '（已逾期）' : ''}` },
            { key: 'r', label: '适用规则', children: `${d.ruleKey}（${d.ruleSetVersion === 0 ? '法定默认规则' : `本机关第 ${d.ruleSetVersion} 版`}）` },
            ...(d.exclusion ? [{ key: 'e', label: '不予公示理由', children: d.exclusion }] : []),
            ...(d.withdrawalReason ? [{ key: 'w', label: '撤回', children: `${d.withdrawnOn}：${d.withdrawalReason}` }] : []),
            ...(d.contentSha256 ? [{ key: 'h', label: '公示正文 SHA-256', children: <Typography.Text code copyable>{d.contentSha256}</Typography.Text> }] : []),
          ]} />
          {d.sourceText && d.redactions && (
            <Card size="small" title="决定书原文（黄色：规则隐去，不可取消；红色：人工隐去）">
              <Highlighted text={d.sourceText} spans={[...d.redactions, ...added.flatMap((t) => [...d.sourceText!.matchAll(new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))].map((m) => ({ start: m.index!, end: m.index! + t.length, rule: 'manual', label: '人工隐去', replacement: '［已隐去］', by: 'me' })))]} />
            </Card>
          )}
          {d.status === 'draft' && isHead && (
            <Card size="small" title="确认发布">
              <Space.Compact style={{ width: '100%' }}>
                <Input aria-label="需要另外隐去的文字" placeholder="复制原文中需要另外隐去的文字" value={phrase} onChange={(e) => setPhrase(e.target.value)} />
                <Button onClick={() => { if (phrase) setAdded([...added, phrase]); setPhrase(''); }}>增加隐去</Button>
              </Space.Compact>
              <Space style={{ marginTop: 12 }}>
                <Button type="primary" onClick={() => act(() => request(`/publications/${d.id}/publish`, { method: 'POST', body: { redactions: added.map((text) => ({ text })) } }), '已确认发布')}>确认并发布</Button>
                <Button danger onClick={() => act(() => request(`/publications/${d.id}/exclude`, { method: 'POST', body: { reason: 'privacy', note: '经负责人审查决定不予公开' } }), '已记录不予公开')}>不予公开（涉及隐私）</Button>
              </Space>
            </Card>
          )}
          {d.publicText && d.status !== 'draft' && <Card size="small" title="公示正文"><pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }}>{d.publicText}</pre></Card>}
          {(d.status === 'published' || d.status === 'draft') && (
            <Card size="small" title="登记行政复议、行政诉讼结果">
              <Form form={remedy} layout="vertical" initialValues={{ kind: 'reconsideration', outcome: 'revoked' }} onFinish={(v) => act(() => request(`/publications/${d.id}/remedies`, { method: 'POST', body: { kind: v.kind, outcome: v.outcome, body: v.body, note: v.note ?? '', decidedOn: v.decidedOn.format('YYYY-MM-DD') } }), '已登记')}>
                <Form.Item name="kind" label="救济方式"><Radio.Group options={[{ value: 'reconsideration', label: '行政复议' }, { value: 'litigation', label: '行政诉讼' }]} /></Form.Item>
                <Form.Item name="outcome" label="结果"><Select options={[['upheld', '维持'], ['dismissed', '驳回'], ['revoked', '撤销'], ['annulled', '确认无效'], ['confirmed_illegal', '确认违法']].map(([value, label]) => ({ value, label }))} /></Form.Item>
                <Form.Item name="body" label="复议机关或法院" rules={[{ required: true, message: '请填写复议机关或法院' }]}><Input /></Form.Item>
                <Form.Item name="decidedOn" label="结果日期" rules={[{ required: true, message: '请选择日期' }]}><DatePicker disabledDate={afterTodayInChina} /></Form.Item>
                <Form.Item name="note" label="说明"><Input /></Form.Item>
                <Button htmlType="submit">登记</Button>
              </Form>
            </Card>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function Corrections({ onOpen }: { onOpen: (id: string) => void }) {
  const { message } = App.useApp();
  const list = useRemote(() => request<{ items: Correction[] }>('/publication-corrections'), []);
  const [error, setError] = useState<ApiError | null>(null);
  const answer = async (c: Correction, decision: 'refuse') => {
    try {
      await request(`/publication-corrections/${c.id}/answer`, { method: 'POST', body: { decision, answer: '经核实，公示内容与决定书一致，不予更正。' } });
      message.success('已答复');
      list.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const columns: TableProps<Correction>['columns'] = [
    { title: '查询号', dataIndex: 'trackingNumber' },
    { title: '决定书文号', dataIndex: 'documentNumber', render: (v: string, c) => <Button type="link" onClick={() => onOpen(c.publicationId)}>{v}</Button> },
    { title: '申请内容', dataIndex: 'request' },
    { title: '联系方式', dataIndex: 'contact' },
    // The requester's evidence: read through the correction's own route (audited), never by hash.
    { title: '证据', dataIndex: 'evidence', render: (e: Correction['evidence']) => (e ? <a href={e.url} download={e.filename}>{e.filename}</a> : '—') },
    { title: '办理期限', dataIndex: 'dueOn', render: (v: string, c) => (c.overdue ? <Tag color="red">{v} 已逾期</Tag> : v) },
    { title: '状态', dataIndex: 'status', render: (v: string, c) => (v === 'pending' ? <Button size="small" onClick={() => answer(c, 'refuse')}>核实无误，答复不予更正</Button> : `${CORRECTION[v]}：${c.answer ?? ''}`) },
  ];
  return (
    <>
      {error && <ProblemAlert error={error} />}
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} columns={columns} pagination={false} />
    </>
  );
}

interface Subscriber { id: string; agencyName: string; url: string; active: boolean; pending: number; delivered: number; failed: number }
interface Delivery { id: string; msgId: string; topic: string; status: string; attempts: number; lastStatus: number | null; lastError: string | null; nextAt: string; deliveredAt: string | null }
const TOPIC: Record<string, string> = { 'publicity.published': '发布', 'publicity.withdrawn': '撤回', 'publicity.expired': '到期' };

function DeliveryLog({ id }: { id: string }) {
  const log = useRemote(() => request<{ items: Delivery[] }>(`/webhook-subscribers/${id}/deliveries`), [id]);
  return (
    <Table rowKey="id" size="small" loading={log.loading} dataSource={log.data?.items ?? []} pagination={false} columns={[
      { title: '消息编号', dataIndex: 'msgId' },
      { title: '事件', dataIndex: 'topic', render: (v: string) => TOPIC[v] ?? v },
      { title: '状态', dataIndex: 'status', render: (v: string) => <Tag color={v === 'delivered' ? 'green' : v === 'failed' ? 'red' : 'gold'}>{v === 'delivered' ? '已送达' : v === 'failed' ? '已放弃' : '待重试'}</Tag> },
      { title: '尝试次数', dataIndex: 'attempts' },
      { title: '最近结果', render: (_: unknown, d: Delivery) => d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '—') },
      { title: '下次尝试 / 送达时间', render: (_: unknown, d: Delivery) => (d.deliveredAt ? dayjs(d.deliveredAt).format('YYYY-MM-DD HH:mm:ss') : dayjs(d.nextAt).format('YYYY-MM-DD HH:mm:ss')) },
    ]} />
  );
}

function Subscribers() {
  const { message } = App.useApp();
  const { user } = useSession();
  const list = useRemote(() => request<{ items: Subscriber[] }>('/webhook-subscribers'), []);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const add = async (v: { url: string }) => {
    setError(null);
    try {
      const r = await request<{ secret: string }>('/webhook-subscribers', { method: 'POST', body: { agencyId: user.agencyId, url: v.url } });
      setSecret(r.secret);
      message.success('已登记订阅');
      list.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <ProblemAlert error={error} />}
      {secret && <Alert type="warning" showIcon message="签名密钥只显示这一次，请交给接收系统保存" description={<Typography.Text code copyable>{secret}</Typography.Text>} />}
      {user.role === 'agency_admin' && (
        <Form layout="inline" onFinish={add}>
          <Form.Item name="url" label="接收地址" rules={[{ required: true, message: '请填写接收地址' }]}><Input placeholder="https://…" style={{ width: 360 }} /></Form.Item>
          <Button htmlType="submit">登记订阅</Button>
        </Form>
      )}
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false}
        expandable={{ expandedRowRender: (s) => <DeliveryLog id={s.id} /> }}
        columns={[
          { title: '机关', dataIndex: 'agencyName' },
          { title: '接收地址', dataIndex: 'url' },
          { title: '已送达', dataIndex: 'delivered' },
          { title: '待重试', dataIndex: 'pending' },
          { title: '已放弃', dataIndex: 'failed' },
        ]} />
    </Space>
  );
}

export default function PublicityPage() {
  // The assessment's 公示及时率 drills down here with ?agencyId=&publishedYear=.
  const [params] = useSearchParams();
  const drill = params.get('agencyId') && params.get('publishedYear') ? { agencyId: params.get('agencyId')!, publishedYear: params.get('publishedYear')! } : null;
  const [tab, setTab] = useState(drill ? 'published' : 'draft');
  const [open, setOpen] = useState<string | null>(null);
  const overview = useRemote(() => request<Record<string, number>>('/publications/overview'), [tab]);
  const list = useRemote(() => (tab === 'webhooks' || tab === 'corrections' ? Promise.resolve({ items: [], total: 0 }) : request<{ items: Publication[]; total: number }>('/publications', { query: { ...(drill ?? (tab === 'overdue' ? { overdue: 'true' } : { status: tab })), pageSize: 100 } })), [tab, drill?.agencyId, drill?.publishedYear]);
  const columns: TableProps<Publication>['columns'] = [
    { title: '决定书文号', dataIndex: 'documentNumber', render: (v: string, p) => <Button type="link" onClick={() => setOpen(p.id)}>{v}</Button> },
    { title: '类型', dataIndex: 'kind', width: 90, render: (v: string) => KIND[v] ?? v },
    { title: '当事人', dataIndex: 'party' },
    { title: '机关', dataIndex: 'agencyName' },
    { title: '决定日期', dataIndex: 'decidedOn', width: 110 },
    { title: '公示期限', dataIndex: 'deadline', width: 130, render: (v: string | null, p) => (p.overdue ? <Tag color="red">{v} 已逾期</Tag> : v) },
    { title: '状态', dataIndex: 'status', width: 100, render: (v: string) => <Tag color={STATUS[v]?.[1]}>{STATUS[v]?.[0] ?? v}</Tag> },
  ];
  const o = overview.data;
  return (
    <>
      <PageHeader title="执法决定公示" subTitle="谁执法谁公示：决定送达后自动生成公示草稿，个人信息按规则隐去，负责人确认后发布" />
      {drill && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`年度考核下钻：${drill.publishedYear} 年公示的决定（含已撤回），公示期限内公示的计入公示及时率`} />}
      {o && (
        <Space size="large" style={{ marginBottom: 16 }} wrap>
          <Statistic title="待确认" value={o.drafts} />
          <Statistic title="逾期未公示" value={o.overdue} valueStyle={o.overdue ? { color: '#b71c1c' } : undefined} />
          <Statistic title="公示中" value={o.published} />
          <Statistic title="已撤回" value={o.withdrawn} />
          <Statistic title="待办更正申请" value={o.pendingCorrections} />
        </Space>
      )}
      {o && (o.overdue ?? 0) > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`有 ${o.overdue} 件执法决定已超过公示期限仍未公示`} />}
      <Tabs activeKey={tab} onChange={setTab} items={[
        { key: 'draft', label: '待确认' }, { key: 'overdue', label: '逾期' }, { key: 'published', label: '公示中' }, { key: 'withdrawn', label: '已撤回' },
        { key: 'excluded', label: '不予公示' }, { key: 'corrections', label: '更正申请' }, { key: 'webhooks', label: '推送订阅' },
      ]} />
      {tab === 'webhooks' ? <Subscribers /> : tab === 'corrections' ? <Corrections onOpen={setOpen} /> : (
        <>
          {list.error && <ProblemAlert error={list.error} />}
          <Table rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} columns={columns} pagination={false} />
        </>
      )}
      {open && <Detail id={open} onClose={() => setOpen(null)} onChanged={() => { list.reload(); overview.reload(); }} />}
    </>
  );
}
