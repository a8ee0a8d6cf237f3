// Complaints (R-S03): the list with their clocks and a drawer to accept, refuse, transfer, guide to
// 复议/诉讼, extend once and close with the reply the complainant reads on the portal.
import { App, Button, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { supervisionApi, type Complaint } from '../../supervisionApi.ts';

const STATUS = { submitted: '已提交，待受理', accepted: '已受理，办理中', rejected: '不予受理', transferred: '已转办', guided: '已引导复议诉讼', matter: '已立案监督', closed: '已办结' };

export default function ComplaintsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const list = useRemote(() => supervisionApi.complaints({ status, limit: 100 }), [params.toString()]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="投诉举报" subTitle={`共 ${list.data?.total ?? '…'} 件`} />
      <Select allowClear placeholder="状态" style={{ width: 200, marginBottom: 12 }} value={status} aria-label="状态"
        onChange={(v) => { const n = new URLSearchParams(params); if (v) n.set('status', v); else n.delete('status'); setParams(n); }}
        options={Object.entries(STATUS).map(([value, label]) => ({ value, label }))} />
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} />}
      <Table<Complaint> rowKey="id" loading={list.loading} dataSource={list.data?.items} pagination={false}
        columns={[
          { title: '查询码', dataIndex: 'trackingNumber', render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>{v}</Button> },
          { title: '事项', dataIndex: 'summary' },
          { title: '被投诉机关', render: (_, r) => r.subjectAgency.name },
          { title: '来源', dataIndex: 'channelLabel' },
          { title: '承办', render: (_, r) => r.handler.name },
          { title: '状态', render: (_, r) => <Space size={4}>{r.statusLabel}{r.overdue && <Tag color="red">超期</Tag>}</Space> },
          { title: '受理期限', dataIndex: 'acceptBy' },
        ]} />
      {open && <ComplaintDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />}
    </>
  );
}

function ComplaintDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const c = useRemote(() => supervisionApi.complaint(id), [id]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (act: string, body: Record<string, unknown>, ok: string) => {
    setBusy(true);
    try {
      await supervisionApi.complaintAct(id, act, body);
      message.success(ok);
      setText('');
      c.reload();
      onChanged();
    } catch (e) {
      message.error((e as { detail?: string }).detail ?? '操作失败');
    } finally {
      setBusy(false);
    }
  };
  const d = c.data;
  return (
    <Drawer open title={d ? `投诉 ${d.trackingNumber}` : '投诉举报'} size={560} onClose={onClose}>
      {c.error && <ProblemAlert error={c.error} />}
      {d && (
        <>
          <Descriptions column={1} size="small" bordered items={[
            { key: 's', label: '事项', children: d.summary },
            { key: 'c', label: '具体情况', children: d.content },
            { key: 'a', label: '被投诉机关', children: `${d.subjectAgency.name}（${d.subjectKind === 'officer_conduct' ? '执法人员行为' : '机关执法行为'}）` },
            { key: 'r', label: '分办', children: `监督机关：${d.bureau.name}；承办：${d.handler.name}` },
            { key: 'p', label: '投诉人', children: d.realName ? `${d.complainant?.name ?? ''} ${d.complainant?.phone ?? ''}（实名，保密）` : '匿名' },
            { key: 'st', label: '状态', children: <span data-testid="complaint-status">{d.statusLabel}</span> },
            { key: 'd', label: '期限', children: `受理期限 ${d.acceptBy}${d.closeBy ? `；办结期限 ${d.closeBy}${d.extended ? '（已延长）' : ''}` : ''}` },
            ...(d.decisionReason ? [{ key: 'dr', label: '处理意见', children: d.decisionReason }] : []),
            ...(d.reply ? [{ key: 'rp', label: '答复', children: d.reply }] : []),
          ]} />
          {(d.status === 'submitted' || d.status === 'accepted') && (
            <Form layout="vertical" style={{ marginTop: 16 }}>
              <Form.Item label={d.status === 'accepted' ? '答复内容 / 延期理由' : '理由（不予受理、转办、引导复议诉讼时填写）'}>
                <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-label="办理意见" />
              </Form.Item>
              <Space wrap>
                {d.status === 'submitted' && <Button type="primary" loading={busy} onClick={() => void run('decision', { action: 'accept' }, '已受理')}>受理</Button>}
                {d.status === 'submitted' && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('decision', { action: 'reject', reason: text }, '已决定不予受理')}>不予受理</Button>}
                {d.status === 'submitted' && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('decision', { action: 'transfer', reason: text }, '已转办')}>转办</Button>}
                {d.status === 'submitted' && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('decision', { action: 'guide', reason: text }, '已引导复议诉讼')}>引导复议诉讼</Button>}
                {d.status === 'accepted' && <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run('close', { reply: text }, '已办结并答复')}>办结并答复</Button>}
                {d.status === 'accepted' && !d.extended && <Button loading={busy} disabled={!text.trim()} onClick={() => void run('extension', { reason: text }, '已延长办理期限')}>延长期限</Button>}
              </Space>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
