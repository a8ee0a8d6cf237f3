// Supervision matters: the list with their clocks, and a drawer with the record of each act and the
// actions open to the caller at this stage (the bureau: instruments, objection review, closing; the
// supervised agency: explanation, correction report, objection).
import { App, Button, Descriptions, Drawer, Form, Input, Radio, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useSession } from '../../auth.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { supervisionApi, type Clock, type Matter } from '../../supervisionApi.ts';

const STATUS = { notified: '已通知，待说明', explained: '已说明，待处理', instrument_issued: '已发文书，待整改', objected: '异议复查中', corrected: '已报告整改，待审核', closed: '已办结' };
const ACTIONS: Record<string, string> = { opened: '立案并通知', explained: '书面说明', instrument_issued: '制发文书', objected: '提出异议', objection_extended: '延长复查期限', objection_upheld: '异议成立', objection_rejected: '异议不成立', corrected: '报告整改', closed: '办结' };

export const ClockTags = ({ clocks }: { clocks: Clock[] }) => (
  <Space wrap>{clocks.filter((c) => c.running).map((c) => <Tag key={c.label} color={c.overdue ? 'red' : 'blue'}>{c.label}期限 {c.due}{c.overdue ? '（已超期）' : ''}</Tag>)}</Space>
);

export default function MattersPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const list = useRemote(() => supervisionApi.matters({ status, agency: params.get('agency') ?? undefined, limit: 100 }), [params.toString()]);
  const open = params.get('open');
  const setOpen = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('open', id); else next.delete('open');
    setParams(next);
  };
  return (
    <>
      <PageHeader title="监督事项" subTitle={`共 ${list.data?.total ?? '…'} 件`} />
      <Select allowClear placeholder="状态" style={{ width: 200, marginBottom: 12 }} value={status} aria-label="状态"
        onChange={(v) => { const n = new URLSearchParams(params); if (v) n.set('status', v); else n.delete('status'); setParams(n); }}
        options={Object.entries(STATUS).map(([value, label]) => ({ value, label }))} />
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} />}
      <Table<Matter> rowKey="id" loading={list.loading} dataSource={list.data?.items} pagination={false}
        columns={[
          { title: '编号', dataIndex: 'number', render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>{v}</Button> },
          { title: '事项', dataIndex: 'title' },
          { title: '被监督机关', render: (_, r) => r.agency.name },
          { title: '方式', render: (_, r) => <Space size={4}>{r.modeLabel}{r.listed && <Tag color="red">挂牌督办</Tag>}{r.escalated && <Tag>提级监督</Tag>}</Space> },
          { title: '状态', dataIndex: 'statusLabel' },
          { title: '时限', render: (_, r) => <ClockTags clocks={r.clocks} /> },
        ]} />
      {open && <MatterDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />}
    </>
  );
}

function MatterDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const m = useRemote(() => supervisionApi.matter(id), [id]);
  const [text, setText] = useState('');
  const [requirements, setRequirements] = useState('');
  const [kind, setKind] = useState('opinion');
  const [upheld, setUpheld] = useState(false);
  const [busy, setBusy] = useState(false);
  const d = m.data;
  const bureau = user.role === 'supervisor' || user.role === 'system_admin';
  const agency = (user.role === 'agency_head' || user.role === 'agency_admin') && d?.agency.id === user.agencyId;
  const run = async (act: string, body: Record<string, unknown>, ok: string) => {
    setBusy(true);
    try {
      await supervisionApi.matterAct(id, act, body);
      message.success(ok);
      setText('');
      setRequirements('');
      m.reload();
      onChanged();
    } catch (e) {
      message.error((e as { detail?: string }).detail ?? '操作失败');
    } finally {
      setBusy(false);
    }
  };
  const s = d?.status;
  const canIssue = bureau && (s === 'notified' || s === 'explained' || ((s === 'instrument_issued' || s === 'corrected') && kind === 'decision'));
  return (
    <Drawer open title={d ? `${d.number} ${d.title}` : '监督事项'} size={640} onClose={onClose}>
      {m.error && <ProblemAlert error={m.error} />}
      {d && (
        <>
          <Descriptions column={1} size="small" bordered items={[
            { key: 'a', label: '被监督机关', children: d.agency.name },
            { key: 'src', label: '来源 / 方式', children: `${d.sourceLabel} / ${d.modeLabel}${d.listed ? ' / 挂牌督办' : ''}` },
            ...(d.caseId ? [{ key: 'c', label: '所涉案件', children: <Link to={`/cases/${d.caseId}`}>{d.case?.number ?? '查看案件'}</Link> }] : []),
            { key: 'f', label: '发现的问题', children: d.facts },
            { key: 's', label: '状态', children: <span data-testid="matter-status">{d.statusLabel}</span> },
            ...(d.instrumentNumber ? [{ key: 'i', label: '监督文书', children: `${d.instrumentName} ${d.instrumentNumber}` }] : []),
            { key: 't', label: '时限', children: <ClockTags clocks={d.clocks} /> },
            ...(d.conclusion ? [{ key: 'k', label: '办结结论', children: d.conclusion }] : []),
          ]} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>办理记录</Typography.Title>
          <Timeline items={(d.steps ?? []).map((x) => ({ key: x.seq, children: <><strong>{ACTIONS[x.action] ?? x.action}</strong> {x.on} {x.by}{x.documentNumber ? `（${x.documentNumber}）` : ''}<br /><Typography.Text type="secondary">{x.text}</Typography.Text></> }))} />
          {s !== 'closed' && (bureau || agency) && (
            <Form layout="vertical">
              {bureau && (s === 'notified' || s === 'explained' || s === 'instrument_issued' || s === 'corrected') && (
                <Form.Item label="监督文书">
                  <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as string)} options={[{ value: 'urging_letter', label: '督办函' }, { value: 'opinion', label: '监督意见书' }, { value: 'decision', label: '监督决定书' }]} />
                </Form.Item>
              )}
              {bureau && s === 'objected' && (
                <Form.Item label="异议是否成立"><Radio.Group value={upheld} onChange={(e) => setUpheld(e.target.value as boolean)} options={[{ value: true, label: '成立' }, { value: false, label: '不成立' }]} /></Form.Item>
              )}
              <Form.Item label={bureau ? '发现的问题 / 意见' : '内容'}>
                <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-label={bureau ? '发现的问题 / 意见' : '内容'} />
              </Form.Item>
              {canIssue && (
                <Form.Item label="整改要求"><Input.TextArea rows={2} value={requirements} onChange={(e) => setRequirements(e.target.value)} aria-label="整改要求" /></Form.Item>
              )}
              <Space wrap>
                {canIssue && <Button type="primary" loading={busy} disabled={!text.trim() || !requirements.trim()} onClick={() => void run('instruments', { kind, findings: text, requirements }, '已制发监督文书')}>制发文书</Button>}
                {bureau && s === 'objected' && <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run('objection-decision', { upheld, text }, '已作出复查决定')}>作出复查决定</Button>}
                {bureau && s === 'objected' && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('objection-extension', { text }, '已延长复查期限')}>延长复查期限</Button>}
                {bureau && (s === 'notified' || s === 'explained' || s === 'corrected') && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('close', { text }, '监督事项已办结')}>办结</Button>}
                {agency && s === 'notified' && <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run('explanation', { text }, '已提交书面说明')}>提交书面说明</Button>}
                {agency && s === 'instrument_issued' && <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run('correction-report', { text }, '已报告整改情况')}>报告整改情况</Button>}
                {agency && s === 'instrument_issued' && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('objection', { text }, '已提出异议')}>提出异议</Button>}
              </Space>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
