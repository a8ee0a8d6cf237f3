// The discretion panel of the case workspace (issue 13): describe the facts and accept a suggested
// violation, tick circumstances, see the proposed level and band with the provision and benchmark
// version, record the amount (a deviation from the band needs a reason and the head's approval), read
// the generated 裁量说明, similar decided cases with their reasons, and the pre-check before archiving.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Descriptions, Divider, Empty, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import { toApiError, type ApiError } from '../../api.ts';
import { todayInChina } from '../../caseApi.ts';
import { assistApi, type Circumstance, type DiscretionRecord, type LibraryViolation, type Proposal, type SimilarCase, type Suggestion } from '../../assistApi.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

const LEVELS = ['不予处罚', '减轻', '从轻', '一般', '从重'];
const yuan = (kind: string, x: number, base: string | null) => (kind === 'multiple' ? `${x} 倍${base ?? ''}` : `${x.toLocaleString('zh-CN')} 元`);

export function DiscretionPanel({ caseId, working, approving }: { caseId: string; working: boolean; approving: boolean }) {
  const { message } = App.useApp();
  const [record, setRecord] = useState<DiscretionRecord | null>(null);
  const [violations, setViolations] = useState<LibraryViolation[]>([]);
  const [circumstanceList, setCircumstanceList] = useState<Circumstance[]>([]);
  const [facts, setFacts] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [accepted, setAccepted] = useState<Suggestion | null>(null);
  const [code, setCode] = useState<string | undefined>();
  const [ticked, setTicked] = useState<string[]>([]);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [level, setLevel] = useState<string | undefined>();
  const [amount, setAmount] = useState<number | null>(null);
  const [base, setBase] = useState<number | null>(null);
  const [ground, setGround] = useState('');
  const [reason, setReason] = useState('');
  const [opinion, setOpinion] = useState('同意调整适用。');
  const [error, setError] = useState<ApiError | null>(null);
  const [similar, setSimilar] = useState<SimilarCase[]>([]);
  const [precheck, setPrecheck] = useState<{ ok: boolean; items: { code: string; reason: string }[] } | null>(null);

  const load = useCallback(async () => {
    try {
      const [d, lib, pub, sim, pre] = await Promise.all([assistApi.discretion(caseId), assistApi.library(), assistApi.benchmarks(), assistApi.similar(caseId), assistApi.precheck(caseId)]);
      setViolations(lib.violations);
      setCircumstanceList(pub.circumstances);
      setSimilar(sim.items);
      setPrecheck(pre);
      setRecord(d.record);
      if (d.record) {
        setCode(d.record.violation.code);
        setTicked(d.record.circumstances);
        setLevel(d.record.level);
        setAmount(d.record.amount);
        setBase(d.record.baseAmount);
        setFacts((f) => f || d.record!.factsText);
        setReason(d.record.deviation?.reason ?? '');
      }
    } catch (e) {
      setError(toApiError(e));
    }
  }, [caseId]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await f();
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    }
  };

  const suggest = () => run(async () => setSuggestions((await assistApi.suggest(caseId, facts)).items));
  const propose = () => code && run(async () => {
    const p = await assistApi.propose(caseId, { violationCode: code, circumstances: ticked });
    setProposal(p);
    setLevel(p.proposal.level);
  });
  const save = () => code && level && amount !== null && run(async () => {
    const r = await assistApi.record(caseId, {
      violationCode: code, circumstances: ticked, level, amount, baseAmount: base, mitigationGround: ground || null, deviationReason: reason || null, factsText: facts,
      firstOffenseClaim: level === '不予处罚' && ticked.includes('F1'), suggestion: accepted && accepted.code === code ? { code: accepted.code, rank: accepted.rank, terms: accepted.terms } : null,
    });
    setRecord(r.record);
    message.success('裁量已记录');
    const sim = await assistApi.similar(caseId);
    setSimilar(sim.items);
  });
  const approve = () => run(async () => {
    const r = await assistApi.approve(caseId, { mode: 'head', opinion, on: todayInChina() });
    setRecord(r.record);
    message.success('已批准调整适用');
  });

  const band = proposal?.proposal ?? (record?.band ? { level: record.level, ...record.band } : null);
  const range = proposal?.legalRange ?? record?.legalRange ?? null;
  const outside = !!(band && range && amount !== null && level === band.level && (() => {
    const v = range.kind === 'multiple' ? (base ? amount / base : NaN) : amount;
    return v < band.min || v > band.max;
  })());
  const needsReason = outside || (record?.outsideBand ?? false);

  return (
    <div aria-label="裁量与辅助办案">
      {error && <ProblemAlert error={error} style={{ marginBottom: 12 }} />}
      <Typography.Title level={5}>违法事实与违法行为建议</Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea aria-label="违法事实" rows={3} value={facts} onChange={(e) => setFacts(e.target.value)} placeholder="描述违法事实，系统据此建议违法行为（须人工确认）" maxLength={5000} disabled={!working} />
        <Button onClick={suggest} disabled={!facts.trim()}>建议违法行为</Button>
        {suggestions && (suggestions.length ? (
          <List size="small" bordered dataSource={suggestions} aria-label="违法行为建议" renderItem={(s) => (
            <List.Item actions={working ? [<Button key="a" size="small" type={accepted?.code === s.code ? 'primary' : 'default'} onClick={() => { setAccepted(s); setCode(s.code); setProposal(null); }}>采纳</Button>] : []}>
              <Space direction="vertical" size={0}>
                <span>{s.rank}. {s.name}</span>
                <Typography.Text type="secondary">命中词语：{s.terms.join('、')}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        ) : <Empty description="未找到相关违法行为" />)}
      </Space>
      <Divider />
      <Typography.Title level={5}>裁量</Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select aria-label="违法行为" style={{ width: '100%' }} placeholder="选择违法行为" value={code} disabled={!working} onChange={(v) => { setCode(v); setProposal(null); }}
          options={violations.map((v) => ({ value: v.code, label: `${v.name}（${v.code}）` }))} />
        <Checkbox.Group aria-label="裁量情形" value={ticked} disabled={!working} onChange={(v) => { setTicked(v as string[]); setProposal(null); }}
          options={circumstanceList.map((c) => ({ value: c.code, label: `${c.label}` }))} style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 4 }} />
        <Button onClick={propose} disabled={!code}>计算建议阶次</Button>
        {proposal && (
          <Alert type="info" showIcon aria-label="建议阶次" message={`建议适用“${proposal.proposal.level}”阶次：${proposal.proposal.level === '不予处罚' ? '不予处罚' : `${yuan(proposal.legalRange.kind, proposal.proposal.min, proposal.legalRange.base)} 至 ${yuan(proposal.legalRange.kind, proposal.proposal.max, proposal.legalRange.base)}`}`}
            description={<>
              <div>罚则：{proposal.violation.penalty}，{proposal.legalRange.text}</div>
              <div>裁量基准：{proposal.benchmark.document}，{proposal.benchmark.issuer}，第 {proposal.benchmark.version} 版（{proposal.benchmark.effectiveFrom} 起施行）</div>
              <div>{proposal.proposal.reasons.join('；')}</div>
              {proposal.firstOffense && !proposal.firstOffense.eligible && <div>当事人二年内有同类违法记录（{proposal.firstOffense.prior?.decidedOn}），不属初次违法。</div>}
            </>} />
        )}
        <Space wrap>
          <Select aria-label="裁量阶次" style={{ width: 140 }} placeholder="阶次" value={level} onChange={setLevel} disabled={!working} options={LEVELS.map((l) => ({ value: l, label: l }))} />
          <InputNumber aria-label="罚款金额（元）" min={0} style={{ width: 180 }} value={amount} onChange={(v) => setAmount(v)} addonAfter="元" disabled={!working} />
          {range?.kind === 'multiple' && <InputNumber aria-label={`${range.base ?? '基数'}（元）`} min={0} style={{ width: 200 }} value={base} onChange={(v) => setBase(v)} addonBefore={range.base ?? '基数'} disabled={!working} />}
        </Space>
        {level === '减轻' && <Input aria-label="减轻处罚事由" value={ground} onChange={(e) => setGround(e.target.value)} placeholder="法定减轻事由（行政处罚法第三十二条）" disabled={!working} />}
        {needsReason && (
          <>
            <Alert type="warning" showIcon message="金额超出该阶次幅度：须说明理由，经主要负责人批准或集体讨论决定后方可调整适用" />
            <Input.TextArea aria-label="调整适用理由" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} disabled={!working} />
          </>
        )}
        {working && <Button type="primary" onClick={save} disabled={!code || !level || amount === null}>记录裁量</Button>}
      </Space>
      {record && (
        <>
          <Divider />
          <Descriptions size="small" bordered column={1} aria-label="裁量记录" styles={{ label: { width: 120, whiteSpace: "nowrap" } }} items={[
            { key: 'v', label: '违法行为', children: `${record.violation.name ?? record.violation.code}` },
            { key: 'b', label: '裁量基准', children: `${record.benchmark.issuer ?? ''} 第 ${record.benchmark.version} 版（${record.benchmark.id}）` },
            { key: 'l', label: '阶次与幅度', children: `${record.level}${record.band && record.legalRange ? `：${yuan(record.legalRange.kind, record.band.min, record.legalRange.base)} 至 ${yuan(record.legalRange.kind, record.band.max, record.legalRange.base)}` : ''}` },
            { key: 'a', label: '罚款金额', children: `${record.amount.toLocaleString('zh-CN')} 元` },
            ...(record.deviation ? [{ key: 'd', label: '调整适用', children: <Space wrap><Tag color={record.deviation.status === 'approved' ? 'green' : 'orange'}>{record.deviation.status === 'approved' ? `已批准（${record.deviation.approvedOn}）` : '待负责人批准'}</Tag>{record.deviation.reason}</Space> }] : []),
            ...(record.suggestion ? [{ key: 's', label: '采纳的建议', children: `第 ${record.suggestion.rank} 项（命中：${record.suggestion.terms.join('、')}）` }] : []),
            { key: 'e', label: '裁量说明', children: <Typography.Paragraph style={{ margin: 0 }} aria-label="裁量说明">{record.explanation}</Typography.Paragraph> },
          ]} />
          {record.deviation?.status === 'pending' && approving && (
            <Space style={{ marginTop: 12 }} wrap>
              <Input aria-label="批准意见" value={opinion} onChange={(e) => setOpinion(e.target.value)} style={{ width: 320 }} />
              <Button type="primary" onClick={approve}>批准调整适用</Button>
            </Space>
          )}
        </>
      )}
      <Divider />
      <Typography.Title level={5}>类案推送</Typography.Title>
      {similar.length ? (
        <List size="small" dataSource={similar} aria-label="类案" renderItem={(s) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>{s.number} {s.title}（{s.agency}，{s.decidedOn}，{s.level}，罚款 {s.amount.toLocaleString('zh-CN')} 元）</span>
              <Typography.Text type="secondary">理由：{[...s.reason.fields, ...(s.reason.terms.length ? [`事实相近：${s.reason.terms.join('、')}`] : [])].join('；')}</Typography.Text>
            </Space>
          </List.Item>
        )} />
      ) : <Empty description="暂无可查阅的类案" />}
      <Divider />
      <Typography.Title level={5}>案卷预检</Typography.Title>
      {precheck && (precheck.ok ? <Alert type="success" message="未发现问题" /> : (
        <List size="small" dataSource={precheck.items} aria-label="案卷预检" renderItem={(i) => <List.Item>{i.reason}</List.Item>} />
      ))}
    </div>
  );
}
