import { useMemo, useState } from 'react';
import { App, Alert, Button, Card, Drawer, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { request, toApiError } from '../api.ts';
import type { ApiError, SessionUser } from '../api.ts';
import { useSession } from '../auth.tsx';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';
import { applyProblemToForm } from '../components/formErrors.ts';

/** What src/boards/service.ts answers to staff (GET /api/v1/post-boards). */
interface Board {
  id: string; agency: { id: string; name: string }; window: string; version: number; status: string; publishedOn: string | null; responsible: string | null;
  staffName: string; unit: string; post: string; category: string; duties: string; sampleMaterials: { name: string; sample: string }[]; consultation: string; complaint: string;
}
type BoardForm = Pick<Board, 'window' | 'staffName' | 'unit' | 'post' | 'category' | 'duties' | 'sampleMaterials' | 'consultation' | 'complaint'>;
const FIELD_NAMES = ['window', 'staffName', 'unit', 'post', 'category', 'duties', 'sampleMaterials', 'consultation', 'complaint'];

const STATUS: Record<string, { text: string; color: string }> = {
  draft: { text: '起草中', color: 'default' }, review: { text: '待审核', color: 'orange' }, published: { text: '现行', color: 'green' }, superseded: { text: '已替代', color: 'default' },
};
const statusTag = (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.text ?? s}</Tag>;

/** src/boards/service.ts canDraft / canPublish: the agency's administrator or head drafts; the head publishes. */
const mayDraftBoards = (u: SessionUser) => u.role === 'agency_admin' || u.role === 'agency_head';

/** 岗位信息公示牌 (R-P10) through the publicity workflow (R-P01): draft → review → published by the head. */
export default function BoardsPage() {
  const { user } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<BoardForm>();
  const [editing, setEditing] = useState<Board | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [publishing, setPublishing] = useState<Board | null>(null);
  const [responsible, setResponsible] = useState('');
  const boards = useRemote(() => request<{ items: Board[] }>('/post-boards'), []);
  const isHead = user.role === 'agency_head';
  const mayDraft = mayDraftBoards(user);

  // One row per window (its newest version), every version of the window beneath it.
  const windows = useMemo(() => {
    const by = new Map<string, Board[]>();
    for (const b of boards.data?.items ?? []) by.set(b.window, [...(by.get(b.window) ?? []), b]);
    return [...by.values()].map((versions) => ({ ...versions[0]!, versions, inForce: versions.find((v) => v.status === 'published') ?? null }));
  }, [boards.data]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      boards.reload();
      return true;
    } catch (e) {
      message.error(toApiError(e).detail ?? '操作失败');
      return false;
    }
  };

  const open = (b: Board | 'new') => {
    setFormError(null);
    setEditing(b);
  };
  const save = async () => {
    // A field left empty shows its message beside it (antd); nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    setFormError(null);
    try {
      const { window, ...fields } = v;
      await request('/post-boards', { method: 'POST', body: { agencyId: user.agencyId, window, fields: { ...fields, sampleMaterials: fields.sampleMaterials.map((m) => ({ name: m.name, sample: m.sample ?? '' })) } } });
      message.success('草稿已保存');
      setEditing(null);
      boards.reload();
    } catch (e) {
      setFormError(applyProblemToForm(form, e, FIELD_NAMES).error);
    } finally {
      setSaving(false);
    }
  };

  const links = (b: Board) => (b.status === 'published' || b.status === 'superseded') && (
    <>
      <a href={`/boards/${b.id}`} target="_blank" rel="noreferrer">公示页面</a>
      <a href={`/boards/${b.id}/pdf`} target="_blank" rel="noreferrer">A4 PDF</a>
    </>
  );
  const actions = (b: Board) => (
    <Space wrap>
      {b.status === 'draft' && mayDraft && <Button size="small" onClick={() => open(b)}>编辑草稿</Button>}
      {b.status === 'draft' && mayDraft && <Button size="small" onClick={() => act(() => request(`/post-boards/${b.id}/submit`, { method: 'POST' }), '已提交审核')}>提交审核</Button>}
      {b.status === 'review' && isHead && (
        <Button size="small" type="primary" onClick={() => { setResponsible(user.displayName); setPublishing(b); }}>审核公布</Button>
      )}
      {(b.status === 'published' || b.status === 'superseded') && mayDraft && <Button size="small" onClick={() => open(b)}>起草新版本</Button>}
      {links(b)}
    </Space>
  );

  return (
    <>
      <PageHeader
        title="岗位信息公示牌"
        subTitle="各服务窗口的工作人员、岗位职责、示范材料和咨询投诉渠道；起草 → 提交审核 → 负责人审核公布（谁执法谁公示）"
        extra={<>
          <Button href="/boards" target="_blank">门户公示页</Button>
          {mayDraft && <Button type="primary" onClick={() => open('new')}>新建公示牌</Button>}
        </>}
      />
      {!isHead && mayDraft && <Alert type="info" showIcon style={{ marginBottom: 16 }} message="草稿提交审核后，由本机关负责人审核公布。" />}
      <Card>
        {boards.error && <ProblemAlert error={boards.error} />}
        <Table
          rowKey="window" size="small" loading={boards.loading} dataSource={windows} pagination={false}
          locale={{ emptyText: '本机关尚未编制岗位信息公示牌' }}
          expandable={{
            expandedRowRender: (w) => (
              <section aria-label={`${w.window} 窗口的历次版本`}>
              <Table<Board>
                rowKey="id" size="small" pagination={false} dataSource={w.versions}
                columns={[
                  { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => `第 ${v} 版` },
                  { title: '状态', dataIndex: 'status', width: 80, render: statusTag },
                  { title: '工作人员', dataIndex: 'staffName' },
                  { title: '公布日期', dataIndex: 'publishedOn', render: (v: string | null) => v ?? '—' },
                  { title: '公示责任人', dataIndex: 'responsible', render: (v: string | null) => v ?? '—' },
                  { title: '链接', key: 'links', render: (_: unknown, b) => <Space>{links(b)}</Space> },
                ]}
              />
              </section>
            ),
            expandIcon: ({ expanded, onExpand, record }) => (
              <Button type="link" size="small" onClick={(e) => onExpand(record, e)} aria-expanded={expanded}>{expanded ? '收起' : `历次版本（${record.versions.length}）`}</Button>
            ),
          }}
          columns={[
            { title: '窗口', dataIndex: 'window', width: 90, render: (v: string) => <Typography.Text strong>{v} 窗口</Typography.Text> },
            { title: '最新版本', dataIndex: 'version', width: 90, render: (v: number) => `第 ${v} 版` },
            { title: '状态', dataIndex: 'status', width: 80, render: statusTag },
            { title: '工作人员', key: 'staff', render: (_: unknown, b) => `${b.staffName}（${b.post}）` },
            { title: '现行版本', key: 'inForce', render: (_: unknown, w) => (w.inForce ? `第 ${w.inForce.version} 版 · ${w.inForce.publishedOn} · ${w.inForce.responsible}` : '尚未公布') },
            { title: '操作', key: 'act', render: (_: unknown, b) => actions(b) },
          ]}
        />
      </Card>
      <Drawer
        title={editing === 'new' || editing === null ? '新建岗位信息公示牌' : `编辑 ${editing.window} 窗口公示牌`} open={editing !== null} onClose={() => setEditing(null)} width={560} destroyOnHidden
        extra={<Space><Button onClick={() => setEditing(null)}>取消</Button><Button type="primary" loading={saving} onClick={save}>保存草稿</Button></Space>}
      >
        {formError && <ProblemAlert error={formError} />}
        {/* Mounted afresh each time the drawer opens (destroyOnHidden), so initialValues are the board's. */}
        <Form<BoardForm>
          form={form} layout="vertical" requiredMark
          initialValues={editing === 'new' || editing === null ? { sampleMaterials: [{ name: '', sample: '' }] } : {
            window: editing.window, staffName: editing.staffName, unit: editing.unit, post: editing.post, category: editing.category, duties: editing.duties,
            sampleMaterials: editing.sampleMaterials, consultation: editing.consultation, complaint: editing.complaint,
          }}
        >
          <Form.Item name="window" label="窗口编号" rules={[{ required: true, message: '请填写窗口编号' }]} extra="如 A12；同一窗口再次起草即为新版本">
            <Input maxLength={20} disabled={editing !== 'new' && editing !== null} />
          </Form.Item>
          <Form.Item name="staffName" label="工作人员" rules={[{ required: true, message: '请填写工作人员姓名' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="unit" label="所在单位" rules={[{ required: true, message: '请填写所在单位' }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="post" label="岗位" rules={[{ required: true, message: '请填写岗位' }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="category" label="岗位类别" rules={[{ required: true, message: '请填写岗位类别' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="duties" label="岗位职责" rules={[{ required: true, message: '请填写岗位职责' }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
          <Form.List name="sampleMaterials">
            {(fields, { add, remove }) => (
              <fieldset style={{ border: '1px solid #d9d9d9', borderRadius: 6, padding: '8px 12px', marginBottom: 16 }}>
                <legend style={{ fontSize: 14, width: 'auto', marginBottom: 0 }}>示范材料</legend>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'name']} label={`材料 ${i + 1} 名称`} rules={[{ required: true, message: '请填写示范材料名称' }]}><Input maxLength={200} /></Form.Item>
                    <Form.Item name={[f.name, 'sample']} label="示范内容"><Input maxLength={2000} /></Form.Item>
                    {fields.length > 1 && <Button type="text" aria-label={`删除材料 ${i + 1}`} icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', sample: '' })}>添加示范材料</Button>
              </fieldset>
            )}
          </Form.List>
          <Form.Item name="consultation" label="咨询渠道" rules={[{ required: true, message: '请填写咨询渠道' }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="complaint" label="投诉渠道" rules={[{ required: true, message: '请填写投诉渠道' }]}><Input maxLength={200} /></Form.Item>
        </Form>
      </Drawer>
      <Modal
        title={publishing ? `审核公布 ${publishing.window} 窗口第 ${publishing.version} 版` : ''} open={publishing !== null} okText="公布" cancelText="取消"
        onCancel={() => setPublishing(null)} okButtonProps={{ disabled: !responsible.trim() }}
        onOk={async () => { if (await act(() => request(`/post-boards/${publishing!.id}/publish`, { method: 'POST', body: { responsible } }), '公示牌已公布')) setPublishing(null); }}
      >
        <p>公布后即在门户公示，原现行版本转为“已替代”并保留在公布记录中；公布内容摘要记入存证账本。</p>
        <label htmlFor="board-responsible">公示责任人</label>
        <Input id="board-responsible" value={responsible} onChange={(e) => setResponsible(e.target.value)} maxLength={50} />
      </Modal>
    </>
  );
}
