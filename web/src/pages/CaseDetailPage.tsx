import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Modal, Row, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, NodeIndexOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import type { AvailableStep, CaseClock, CaseDocument, CaseRecord, CaseStep, StepRefusal } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { caseApi } from '../caseApi.ts';
import type { CaseWorkView } from '../caseApi.ts';
import {
  caseDocumentStatusColors,
  caseDocumentStatusLabels,
  caseStatusColors,
  clockRunStatusLabels,
  labelOf,
  roleLabels,
} from '../labels.ts';
import { ApproveModal } from './case/ApproveModal.tsx';
import type { ApprovalTarget } from './case/ApproveModal.tsx';
import { AccountabilityPanel } from './case/AccountabilityPanel.tsx';
import { CaseFilePanel } from './case/CaseFilePanel.tsx';
import { DraftDrawer } from './case/DraftDrawer.tsx';
import { RecordDrawer } from './case/RecordDrawer.tsx';
import { RecordsPanel } from './case/RecordsPanel.tsx';
import { ReviewsCard } from './case/ReviewsCard.tsx';
import { DiscretionPanel } from './case/DiscretionPanel.tsx';
import { StepDrawer } from './case/StepDrawer.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useRemote } from '../components/useRemote.ts';

/** A card that is a labelled region, so screen readers can jump between the workspace's parts. */
function Section({ id, title, extra, children }: { id: string; title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Card title={<span id={id}>{title}</span>} extra={extra}>
        {children}
      </Card>
    </section>
  );
}

function unitText(c: CaseClock): string {
  return c.unit === 'working' ? '个工作日' : '日';
}

function ClockItem({ c, onExtend }: { c: CaseClock; onExtend?: (c: CaseClock) => void }) {
  const stopped = c.status === 'stopped';
  let tag: ReactNode = null;
  let remaining = '';
  if (stopped) {
    tag = <Tag color={c.stoppedLate ? 'red' : 'default'}>{c.stoppedLate ? '逾期终止' : '已终止'}</Tag>;
    remaining = `${formatDate(c.stoppedOn)} 终止`;
  } else if (c.overdue) {
    tag = <Tag color="red">已逾期</Tag>;
    remaining = c.remaining !== null ? `已逾期 ${Math.abs(c.remaining)} ${unitText(c)}` : '已逾期';
  } else if (c.warn) {
    tag = <Tag color="orange">即将到期</Tag>;
    remaining = `剩余 ${c.remaining ?? 0} ${unitText(c)}`;
  } else {
    if (c.status === 'paused') tag = <Tag>{labelOf(clockRunStatusLabels, c.status)}</Tag>;
    remaining = c.remaining !== null ? (c.remaining < 0 ? `已过 ${Math.abs(c.remaining)} ${unitText(c)}` : `剩余 ${c.remaining} ${unitText(c)}`) : '';
  }
  const colour = !stopped && c.overdue ? '#cf1322' : !stopped && c.warn ? '#d46b08' : undefined;
  return (
    <List.Item
      aria-label={`${c.name}：${formatDate(c.deadline)} 届满，${remaining}`}
      actions={onExtend && c.canExtend && !stopped ? [<Button key="extend" size="small" onClick={() => onExtend(c)}>延长</Button>] : []}
    >
      <List.Item.Meta
        title={
          <Space wrap size={6}>
            <span>{c.name}</span>
            {tag}
            {c.kind === 'period' && <Tag>期间</Tag>}
          </Space>
        }
        description={
          <>
            <div>
              期限 {c.limitText}，{formatDate(c.startedOn)} 起算，
              <Typography.Text strong style={{ color: colour }}>
                {formatDate(c.deadline)} 届满{c.provisional ? '（暂定）' : ''}
              </Typography.Text>
              {remaining && (
                <>
                  ，<Typography.Text style={{ color: colour }}>{remaining}</Typography.Text>
                </>
              )}
            </div>
            {(c.pausedDays > 0 || c.extensionsUsed > 0) && (
              <div>
                {c.pausedDays > 0 && `中止 ${c.pausedDays} 日`}
                {c.pausedDays > 0 && c.extensionsUsed > 0 && '；'}
                {c.extensionsUsed > 0 && `已延长 ${c.extensionsUsed} 次，共 ${c.extendedDays} 日`}
              </div>
            )}
            <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }} ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}>
              依据：{c.basis}
            </Typography.Paragraph>
          </>
        }
      />
    </List.Item>
  );
}

function ClocksCard({ clocks, onExtend }: { clocks: CaseClock[]; onExtend?: (c: CaseClock) => void }) {
  const running = clocks.filter((c) => c.status !== 'stopped');
  const stopped = clocks.filter((c) => c.status === 'stopped');
  return (
    <Section id="case-clocks" title="期限">
      {running.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有正在计算的期限" />
      ) : (
        <List aria-label="正在计算的期限" dataSource={running} renderItem={(c) => <ClockItem c={c} onExtend={onExtend} />} />
      )}
      {stopped.length > 0 && (
        <details style={{ marginTop: 8 }}>
          <summary style={{ cursor: 'pointer', color: '#666' }}>已终止的期限（{stopped.length}）</summary>
          <List aria-label="已终止的期限" size="small" dataSource={stopped} renderItem={(c) => <ClockItem c={c} />} />
        </details>
      )}
    </Section>
  );
}

function StepsCard({ steps, documents }: { steps: CaseStep[]; documents: CaseDocument[] }) {
  const docs = new Map(documents.map((d) => [d.id, d]));
  return (
    <Section id="case-steps" title="办理环节">
      {steps.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未办理任何环节" />
      ) : (
        <Timeline
          aria-label="已办理的环节"
          items={steps.map((s) => {
            const officers = s.record?.officers ?? [];
            const stepDocs = s.documentIds.map((d) => docs.get(d)).filter((d): d is CaseDocument => Boolean(d));
            // Only a passed deadline makes a step late; other warnings (an AV record advised, not required) are hints.
            const warnings = s.warnings as StepRefusal[];
            const late = warnings.some((w) => w.code === 'deadline_passed');
            const hints = warnings.filter((w) => w.code !== 'deadline_passed');
            return {
              key: s.seq,
              color: late ? 'orange' : 'blue',
              content: (
                <div aria-label={`第 ${s.seq} 环节 ${s.name}`}>
                  <Space wrap size={6}>
                    <Typography.Text strong>{s.name}</Typography.Text>
                    <Typography.Text type="secondary">{formatDate(s.on)}</Typography.Text>
                    {late && <Tag color="orange">逾期办理</Tag>}
                    {hints.length > 0 && <Tag title={hints.map((w) => w.reason).join('；')}>提示：{hints.map((w) => w.reason).join('；')}</Tag>}
                  </Space>
                  <div style={{ color: '#666', fontSize: 13 }}>
                    {officers.length > 0 ? (
                      <>执法人员：{officers.map((o) => `${o.name}（${o.certificateNumber}）`).join('、')}</>
                    ) : (
                      <>办理人：{labelOf(roleLabels, s.actorRole)}</>
                    )}
                    {s.record?.approval && <div>批准：{s.record.approval.name || labelOf(roleLabels, s.record.approval.role)}（{formatDate(s.record.approval.on)}）</div>}
                  </div>
                  {stepDocs.length > 0 && (
                    <div style={{ fontSize: 13 }}>
                      文书：
                      {stepDocs.map((d, i) => (
                        <span key={d.id}>
                          {i > 0 && '、'}
                          {d.title}
                          {d.number ? `（${d.number}）` : ''}
                        </span>
                      ))}
                    </div>
                  )}
                </div>
              ),
            };
          })}
        />
      )}
    </Section>
  );
}

/** Steps done from their own part of the workspace rather than the step form. */
const ELSEWHERE: Record<string, string> = {
  legal_review: '在“法制审核”中报送',
  archive: '在“案卷”中立卷归档',
};

interface StepActions {
  /** Offered on the steps the signed-in role may perform (the engine checks again). */
  role: string;
  perform?: (s: AvailableStep) => void;
  approve?: (s: AvailableStep) => void;
  recordAv?: (s: AvailableStep) => void;
}

function AvailableCard({ view, actions }: { view: CaseWorkView; actions: StepActions }) {
  const { steps, pendingFacts } = view.available;
  // An approval given and not yet used by a step of that kind.
  const approved = new Set(view.approvals.filter((a) => a.purpose === 'step' && a.usedByStep === null).map((a) => a.step));
  return (
    <Section id="case-available" title="可办理环节">
      {pendingFacts.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`尚待确定：${pendingFacts.map((f) => f.label).join('、')}`}
          description="确定这些情形后，才能判断下一步办理哪个环节。"
        />
      )}
      {steps.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={view.status === 'open' ? '当前没有可办理的环节' : '案件已办结'} />
      ) : (
        <List<AvailableStep>
          aria-label="可办理的环节"
          dataSource={steps}
          renderItem={(s) => {
            const blocking = s.blockers.filter((b) => !b.warnOnly);
            const warnings = s.blockers.filter((b) => b.warnOnly);
            return (
              <List.Item
                aria-label={`${s.name}：${blocking.length > 0 ? '尚不能办理' : '可以办理'}`}
                actions={[
                  ...(actions.approve && s.approvalRoles && !approved.has(s.key)
                    ? [<Button key="approve" size="small" onClick={() => actions.approve!(s)} aria-label={`批准办理 ${s.name}`}>批准</Button>]
                    : []),
                  ...(actions.recordAv && s.av && !s.av.recorded
                    ? [<Button key="av" size="small" onClick={() => actions.recordAv!(s)} aria-label={`登记音像：${s.name}`}>登记音像</Button>]
                    : []),
                  ...(actions.perform && !ELSEWHERE[s.key] && s.roles.includes(actions.role)
                    ? [<Button key="do" size="small" type={blocking.length ? 'default' : 'primary'} onClick={() => actions.perform!(s)} aria-label={`办理 ${s.name}`}>办理</Button>]
                    : []),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={6}>
                      <span>{s.name}</span>
                      <Tag>{s.stageName}</Tag>
                      {blocking.length > 0 ? <Tag color="red">尚不能办理</Tag> : <Tag color="green">可以办理</Tag>}
                      {s.onSite && <Tag>现场</Tag>}
                      {s.approvalRoles && <Tag color="purple">{approved.has(s.key) ? '已批准' : '须经批准'}</Tag>}
                      {ELSEWHERE[s.key] && <Tag color="blue">{ELSEWHERE[s.key]}</Tag>}
                    </Space>
                  }
                  description={
                    <>
                      <div>办理角色：{s.roles.map((r) => labelOf(roleLabels, r)).join('、') || '—'}</div>
                      {s.requires.length > 0 && (
                        <div>
                          所需文书：
                          {s.requires.map((r, i) => (
                            <span key={r.type}>
                              {i > 0 && '、'}
                              {r.name}
                              {r.present ? '（已具备）' : '（缺）'}
                            </span>
                          ))}
                        </div>
                      )}
                      {s.av && (
                        <div>
                          音像记录：{s.av.requirementLabel}
                          {s.av.recorded ? '（已记录）' : '（尚未记录）'}
                        </div>
                      )}
                      {(blocking.length > 0 || warnings.length > 0) && (
                        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }} aria-label={`${s.name}的阻碍`}>
                          {blocking.map((b, i) => (
                            <li key={`b${i}`} style={{ color: '#cf1322' }}>
                              {b.reason}
                            </li>
                          ))}
                          {warnings.map((b, i) => (
                            <li key={`w${i}`} style={{ color: '#d46b08' }}>
                              提示：{b.reason}
                            </li>
                          ))}
                        </ul>
                      )}
                    </>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
    </Section>
  );
}

function DocumentsCard({ caseId, documents, onDraft }: { caseId: string; documents: CaseDocument[]; onDraft?: (d: CaseDocument | null) => void }) {
  const [preview, setPreview] = useState<CaseDocument | null>(null);
  const columns: TableProps<CaseDocument>['columns'] = [
    { title: '文书', dataIndex: 'title' },
    { title: '文号', dataIndex: 'number', width: 190, render: (v: string | null) => v ?? '—' },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (v: CaseDocument['status']) => <Tag color={caseDocumentStatusColors[v] ?? 'default'}>{labelOf(caseDocumentStatusLabels, v)}</Tag>,
    },
    { title: '日期', dataIndex: 'issuedOn', width: 100, render: (v: string | null) => formatDate(v) },
    {
      title: '文件',
      key: 'pdf',
      width: 190,
      render: (_: unknown, d) => (
        <Space size={4} wrap>
          {d.status === 'final' && d.pdfSha256 && (
            <>
              <Button size="small" onClick={() => setPreview(d)} aria-label={`预览 ${d.title}`}>
                预览
              </Button>
              <a href={api.caseDocumentPdfUrl(caseId, d.id)} target="_blank" rel="noreferrer" aria-label={`下载 ${d.title} PDF`}>
                <FilePdfOutlined aria-hidden /> PDF
              </a>
            </>
          )}
          {d.status === 'draft' && onDraft && (
            <Button size="small" onClick={() => onDraft(d)} aria-label={`修改 ${d.title} 草稿`}>
              修改
            </Button>
          )}
          <a href={caseApi.documentDocxUrl(caseId, d.id)} aria-label={`下载 ${d.title} DOCX`}>
            DOCX
          </a>
        </Space>
      ),
    },
  ];
  return (
    <Section
      id="case-documents"
      title="执法文书"
      extra={
        onDraft ? (
          <Button size="small" onClick={() => onDraft(null)}>
            起草文书
          </Button>
        ) : undefined
      }
    >
      <Table<CaseDocument>
        aria-label="执法文书"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={documents}
        pagination={false}
        scroll={{ x: 600 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无文书" /> }}
      />
      {preview && (
        <Modal open title={`${preview.title}${preview.number ? `（${preview.number}）` : ''}`} width={900} footer={null} onCancel={() => setPreview(null)} destroyOnHidden>
          <iframe title={`${preview.title} 预览`} src={`${api.caseDocumentPdfUrl(caseId, preview.id)}?disposition=inline`} style={{ width: '100%', height: '75vh', border: 0 }} />
        </Modal>
      )}
    </Section>
  );
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  // Issue 9: desk items open the tab where the work is done (?tab=reviews, documents, records, accountability).
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const remote = useRemote(() => caseApi.view(id), [id]);
  const c = remote.data?.id === id ? remote.data : undefined;
  // The record form can open on top of the step form (mandatory AV first), so each has its own state.
  const [stepKey, setStepKey] = useState<string | null>(null);
  const [record, setRecord] = useState<{ step?: string; corrects?: CaseRecord } | null>(null);
  const [approval, setApproval] = useState<ApprovalTarget | null>(null);
  const [draft, setDraft] = useState<{ doc: CaseDocument | null } | null>(null);
  const stepOpen = c?.available.steps.find((s) => s.key === stepKey);

  const open = c?.status === 'open';
  const working = !!c && c.status !== 'archived' && can.workOnCase(user, c.agency.id);
  const approving = !!c && open && can.approveCase(user, c.agency.id);
  const actions: StepActions = {
    role: user.role,
    ...(working && open ? { perform: (s: AvailableStep) => setStepKey(s.key), recordAv: (s: AvailableStep) => setRecord({ step: s.key }) } : {}),
    ...(approving ? { approve: (s: AvailableStep) => setApproval({ purpose: 'step', step: s.key, name: s.name }) } : {}),
  };
  const extend =
    c && open && working && user.role !== 'reviewer'
      ? (clock: CaseClock) => {
          const given = c.approvals.find((a) => a.purpose === 'extension' && a.clock === clock.key && a.usedByExtension === null);
          setApproval({ purpose: 'extension', clock: clock.key, name: clock.name, canApprove: approving, approvalId: given?.id });
        }
      : undefined;

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {c?.number ?? '案件'}
            {c && <Tag color={caseStatusColors[c.status] ?? 'default'}>{c.statusLabel}</Tag>}
          </Space>
        }
        subTitle={c ? `${c.title} · ${c.procedure.name} · 当前环节：${c.cursorName ?? c.stageLabel}（${c.stageLabel}）` : undefined}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => navigate('/cases')}>
              返回列表
            </Button>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={remote.reload} aria-label="刷新案件">
              刷新
            </Button>
            {c && (
              <Button
                icon={<NodeIndexOutlined aria-hidden />}
                href={api.procedureFlowchartUrl(c.procedure.id)}
                target="_blank"
                rel="noreferrer"
              >
                查看流程图
              </Button>
            )}
          </>
        }
      />
      {remote.error && <ProblemAlert error={remote.error} onRetry={remote.reload} style={{ marginBottom: 16 }} />}
      {remote.loading && !c && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {c && (
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Section id="case-summary" title="案件信息">
              <Descriptions
                bordered
                size="small"
                column={{ xs: 1, md: 2, xl: 3 }}
                items={[
                  { key: 'number', label: '案号', children: c.number },
                  { key: 'title', label: '案件名称', children: c.title },
                  { key: 'procedure', label: '程序', children: `${c.procedure.name}（第 ${c.procedure.version} 版）` },
                  { key: 'stage', label: '当前环节', children: c.cursorName ? `${c.cursorName}（${c.stageLabel}）` : c.stageLabel },
                  { key: 'agency', label: '执法主体', children: c.agency.name },
                  { key: 'party', label: '当事人', children: `${c.party.name}（${c.party.typeLabel}）` },
                  { key: 'matter', label: '执法类别 / 区域', children: [c.matter.category, c.matter.area].filter(Boolean).join(' / ') || '—' },
                  { key: 'major', label: '重大执法决定', children: c.majorDecision.major === null ? '尚未判断' : c.majorDecision.major ? `是（${(c.majorDecision.matched ?? []).map((m) => m.title).join('、')}），须经法制审核` : '否' },
                  { key: 'createdAt', label: '登记时间', children: formatDateTime(c.createdAt) },
                  ...(c.archivedAt ? [{ key: 'archivedAt', label: '归档时间', children: formatDateTime(c.archivedAt) }] : []),
                ]}
              />
            </Section>
          </Col>
          <Col xs={24} xl={12}>
            <AvailableCard view={c} actions={actions} />
          </Col>
          <Col xs={24} xl={12}>
            <ClocksCard clocks={c.clocks} onExtend={extend} />
          </Col>
          <Col span={24}>
            <Card>
              <Tabs
                defaultActiveKey={search.get('tab') ?? 'steps'}
                items={[
                  { key: 'steps', label: `办理环节（${c.steps.length}）`, children: <StepsCard steps={c.steps} documents={c.documents} /> },
                  { key: 'documents', label: `执法文书（${c.documents.length}）`, children: <DocumentsCard caseId={c.id} documents={c.documents} onDraft={working && open ? (d) => setDraft({ doc: d }) : undefined} /> },
                  {
                    key: 'records',
                    label: `记录与调阅（${c.records.length}）`,
                    children: (
                      <Section id="case-records" title="记录">
                        <RecordsPanel view={c} onAdd={() => setRecord({})} onCorrect={(r) => setRecord({ corrects: r })} onChanged={remote.reload} />
                      </Section>
                    ),
                  },
                  {
                    key: 'reviews',
                    label: `法制审核（${c.reviews.length}）`,
                    children: (
                      <Section id="case-reviews" title="法制审核">
                        <ReviewsCard view={c} onChanged={remote.reload} />
                      </Section>
                    ),
                  },
                  { key: 'discretion', label: '裁量与辅助', children: <DiscretionPanel caseId={c.id} working={working && open} approving={approving} /> },
                  {
                    key: 'file',
                    label: '案卷',
                    children: (
                      <Section id="case-file" title="案卷">
                        <CaseFilePanel view={c} onChanged={remote.reload} />
                      </Section>
                    ),
                  },
                  { key: 'accountability', label: '责任追溯', children: <AccountabilityPanel caseId={c.id} /> },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      {c && stepOpen && (
        <StepDrawer
          view={c}
          step={stepOpen}
          onClose={() => setStepKey(null)}
          onDone={() => {
            setStepKey(null);
            remote.reload();
          }}
          onRecordAv={() => setRecord({ step: stepOpen.key })}
        />
      )}
      {c && record && (
        <RecordDrawer
          view={c}
          presetStep={record.step}
          corrects={record.corrects}
          onClose={() => setRecord(null)}
          onDone={() => {
            setRecord(null);
            remote.reload();
          }}
        />
      )}
      {c && draft && (
        <DraftDrawer
          view={c}
          draft={draft.doc}
          onClose={() => setDraft(null)}
          onDone={() => {
            setDraft(null);
            remote.reload();
          }}
        />
      )}
      {c && approval && (
        <ApproveModal
          caseId={c.id}
          target={approval}
          onClose={() => setApproval(null)}
          onDone={() => {
            setApproval(null);
            remote.reload();
          }}
        />
      )}
    </>
  );
}
