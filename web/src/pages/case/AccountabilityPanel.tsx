import { Button, Descriptions, Empty, List, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { deskApi } from '../../deskApi.ts';
import type { Accountability } from '../../deskApi.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';

const RESULT: Record<string, { label: string; color: string }> = {
  pending: { label: '待审核', color: 'blue' },
  passed: { label: '审核通过', color: 'green' },
  problems: { label: '存在问题，退回补正', color: 'orange' },
};

const proofText = (p: { ledgerIndex: number | null; eventId: number } | null) => (p ? (p.ledgerIndex !== null ? `账本 #${p.ledgerIndex}` : `事件 ${p.eventId}（待入账）`) : '—');

/** R-L09: who answers for the decision, from GET /api/v1/cases/{id}/accountability, with its PDF. */
export function AccountabilityPanel({ caseId }: { caseId: string }) {
  const remote = useRemote(() => deskApi.accountability(caseId), [caseId]);
  const a: Accountability | undefined = remote.data;
  if (remote.error) return <ProblemAlert error={remote.error} onRetry={remote.reload} />;
  if (!a) return <Skeleton active />;
  return (
    <section aria-label="责任追溯">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<FilePdfOutlined aria-hidden />} href={deskApi.accountabilityPdfUrl(caseId)}>
          下载责任追溯表 PDF
        </Button>
      </Space>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered title="执法决定">
        <Descriptions.Item label="决定">{a.decision ? `${a.decision.name}（${a.decision.on}）` : '尚未作出'}</Descriptions.Item>
        <Descriptions.Item label="批准人">{a.decision?.approvedBy ? `${a.decision.approvedBy.name}（${a.decision.approvedBy.roleLabel}，${a.decision.approvedBy.on}）` : '—'}</Descriptions.Item>
        <Descriptions.Item label="程序">{`${a.ruleVersions.procedure.name} 第 ${a.ruleVersions.procedure.version} 版`}</Descriptions.Item>
        <Descriptions.Item label="重大执法决定目录">
          {a.ruleVersions.catalog.versionsApplied.length ? a.ruleVersions.catalog.versionsApplied.map((c) => `第 ${c.version} 版（${c.effectiveFrom} 起）`).join('、') : '默认目录'}
        </Descriptions.Item>
        <Descriptions.Item label="音像记录事项清单">
          {a.ruleVersions.avRuleSets.length ? a.ruleVersions.avRuleSets.map((s) => `第 ${s.version} 版（${s.effectiveFrom} 起）`).join('、') : '法定底线'}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>各环节承办与批准</Typography.Title>
      <Table
        size="small"
        rowKey="seq"
        pagination={false}
        scroll={{ x: true }}
        dataSource={a.steps}
        aria-label="各环节承办与批准"
        columns={[
          { title: '日期', dataIndex: 'on', width: 110 },
          { title: '环节', dataIndex: 'name' },
          { title: '办理', render: (_: unknown, s: Accountability['steps'][number]) => s.by.name || s.by.roleLabel },
          { title: '执法人员', render: (_: unknown, s: Accountability['steps'][number]) => s.officers.map((o) => o.name).join('、') || '—' },
          { title: '批准', render: (_: unknown, s: Accountability['steps'][number]) => (s.approvedBy ? `${s.approvedBy.name}（${s.approvedBy.roleLabel}，${s.approvedBy.on}）` : '—') },
          { title: '账本', render: (_: unknown, s: Accountability['steps'][number]) => proofText(s.proof) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>法制审核</Typography.Title>
      {a.reviews.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本案未经法制审核" />
      ) : (
        <List
          aria-label="法制审核各轮"
          dataSource={a.reviews}
          renderItem={(r) => (
            <List.Item>
              <Space direction="vertical" size={2}>
                <Space wrap>
                  <Typography.Text strong>第 {r.round} 次报送</Typography.Text>
                  <Tag color={RESULT[r.result]?.color}>{RESULT[r.result]?.label ?? r.result}</Tag>
                </Space>
                <Typography.Text>
                  {r.submittedOn} {r.submittedBy} 报送；审核人员 {r.reviewer ?? r.assignedTo ?? '—'}{r.on ? `，${r.on} 出具意见` : ''}；{proofText(r.proof)}
                </Typography.Text>
                {r.problems.length > 0 && <Typography.Text type="warning">存在的问题：{r.problems.join('；')}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>集体讨论</Typography.Title>
      {a.collectiveDiscussion.length === 0 ? (
        <Typography.Text type="secondary">无</Typography.Text>
      ) : (
        a.collectiveDiscussion.map((d) => (
          <Typography.Paragraph key={d.on}>
            {d.on} 由 {d.by.name || d.by.roleLabel} 主持{d.participants.length ? `，参加人员 ${d.participants.join('、')}` : ''}{d.conclusion ? `；结论：${d.conclusion}` : ''}
          </Typography.Paragraph>
        ))
      )}
    </section>
  );
}
