// Alerts (R-R08) filtered by the cockpit's drill-down (?kind=&agency=&status=): each opens in a drawer
// with its rule version and legal basis, a link to its case, the agency's answer, the supervisor's
// resolution, and 立案监督 to open a supervision matter from it.
import { App, Button, Descriptions, Drawer, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../../auth.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { ALERT_LABELS, ALERT_STATUS, SEVERITY, supervisionApi, type AlertItem } from '../../supervisionApi.ts';

export default function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const filter = { kind: params.get('kind') ?? undefined, agency: params.get('agency') ?? undefined, status: params.get('status') ?? undefined };
  const cursor = cursors[cursors.length - 1];
  const list = useRemote(() => supervisionApi.alerts({ ...filter, cursor, limit: 20 }), [params.toString(), cursor]);
  const [open, setOpen] = useState<string | null>(null);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v); else next.delete(k);
    setCursors([]);
    setParams(next);
  };
  return (
    <>
      <PageHeader title="执法监督预警" subTitle={`共 ${list.data?.total ?? '…'} 条`} />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="预警类型" style={{ width: 180 }} value={filter.kind} onChange={(v) => set('kind', v)} options={Object.entries(ALERT_LABELS).map(([value, label]) => ({ value, label }))} aria-label="预警类型" />
        <Select allowClear placeholder="状态" style={{ width: 140 }} value={filter.status} onChange={(v) => set('status', v)} options={Object.entries(ALERT_STATUS).map(([value, label]) => ({ value, label }))} aria-label="状态" />
        {filter.agency && <Tag closable onClose={() => set('agency', undefined)}>已按机关筛选</Tag>}
      </Flex>
      {list.error && <ProblemAlert error={list.error} onRetry={list.reload} />}
      <Table<AlertItem> rowKey="id" loading={list.loading} dataSource={list.data?.items} pagination={false}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '类型', dataIndex: 'kind', render: (k: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>{ALERT_LABELS[k] ?? k}</Button> },
          { title: '严重程度', dataIndex: 'severity', render: (s: string) => <Tag color={SEVERITY[s]?.color}>{SEVERITY[s]?.label}</Tag> },
          { title: '执法机关', render: (_, r) => r.agency.name },
          { title: '发现日期', dataIndex: 'raisedOn' },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={s === 'open' ? 'red' : s === 'answered' ? 'orange' : 'green'}>{ALERT_STATUS[s]}</Tag> },
          { title: '规则', render: (_, r) => `${r.rule.code} v${r.rule.version}` },
        ]} />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>上一页</Button>
        <Button disabled={!list.data?.nextCursor} onClick={() => setCursors([...cursors, list.data!.nextCursor!])}>下一页</Button>
      </Space>
      {open && <AlertDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />}
    </>
  );
}

function AlertDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const a = useRemote(() => supervisionApi.alert(id), [id]);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const supervisor = user.role === 'supervisor' || user.role === 'system_admin';
  const answerer = (user.role === 'agency_head' || user.role === 'agency_admin') && a.data?.agency.id === user.agencyId;
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(ok);
      setText('');
      a.reload();
      onChanged();
    } catch (e) {
      message.error((e as { detail?: string }).detail ?? '操作失败');
    } finally {
      setBusy(false);
    }
  };
  const d = a.data;
  return (
    <Drawer open title={d ? `预警：${ALERT_LABELS[d.kind] ?? d.kind}` : '预警'} size={560} onClose={onClose}>
      {a.error && <ProblemAlert error={a.error} />}
      {d && (
        <>
          <Descriptions column={1} size="small" bordered items={[
            { key: 'a', label: '执法机关', children: d.agency.name },
            { key: 'c', label: '案件', children: d.caseId ? <Link to={`/cases/${d.caseId}`}>{String(d.detail.caseNumber ?? '查看案件')}</Link> : '（机关层面）' },
            ...(d.detail.publicationId ? [{ key: 'p', label: '公示信息', children: <Link to="/publicity">{String(d.detail.documentNumber ?? '查看公示')}</Link> }] : []),
            { key: 'r', label: '发现日期', children: d.raisedOn },
            { key: 's', label: '状态', children: ALERT_STATUS[d.status] },
            { key: 'v', label: '规则版本', children: `${d.rule.code} 第 ${d.rule.version} 版` },
            { key: 'b', label: '法律依据', children: d.basis },
            { key: 'd', label: '具体情况', children: <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(d.detail)}</Typography.Text> },
            ...(d.answer ? [{ key: 'ans', label: '机关答复', children: d.answer }] : []),
            ...(d.resolution ? [{ key: 'res', label: '办结理由', children: d.resolution }] : []),
          ]} />
          {d.status !== 'resolved' && (answerer || supervisor) && (
            <Form layout="vertical" style={{ marginTop: 16 }}>
              <Form.Item label={answerer ? '答复内容' : '办结理由'}>
                <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-label={answerer ? '答复内容' : '办结理由'} />
              </Form.Item>
              <Space wrap>
                {answerer && <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run(() => supervisionApi.answerAlert(id, text), '已答复')}>提交答复</Button>}
                {supervisor && <Button loading={busy} disabled={!text.trim()} onClick={() => void run(() => supervisionApi.resolveAlert(id, text), '预警已办结')}>办结预警</Button>}
                {supervisor && (
                  <Button type="primary" loading={busy} onClick={() => void run(async () => {
                    const m = await supervisionApi.openMatter({ agencyId: d.agency.id, ...(d.caseId ? { caseId: d.caseId } : {}), source: 'alert', sourceId: d.id, mode: 'routine', title: `${ALERT_LABELS[d.kind]}：${String(d.detail.caseNumber ?? d.detail.documentNumber ?? d.agency.name)}`, facts: `预警规则 ${d.rule.code} 第 ${d.rule.version} 版发现：${d.basis}` });
                    navigate(`/supervision/matters?open=${m.id}`);
                  }, '已立案监督')}>立案监督</Button>
                )}
              </Space>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
