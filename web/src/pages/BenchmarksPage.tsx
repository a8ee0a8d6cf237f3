// 裁量基准与法律法规库 (issue 13): the published benchmarks with their levels and bands, and the laws and
// violations library (违则, 罚则, statutory range).
import { useEffect, useState } from 'react';
import { Card, Input, Table, Tabs, Tag, Typography } from 'antd';
import { toApiError, type ApiError } from '../api.ts';
import { assistApi, type Circumstance, type LibraryProvision, type LibraryViolation, type PublicBenchmark } from '../assistApi.ts';
import { ProblemAlert } from '../components/ProblemAlert.tsx';

const unit = (b: PublicBenchmark, x: number) => (b.legalRange.kind === 'multiple' ? `${x} 倍` : `${x.toLocaleString('zh-CN')} 元`);

export default function BenchmarksPage() {
  const [q, setQ] = useState('');
  const [benchmarks, setBenchmarks] = useState<PublicBenchmark[]>([]);
  const [circumstances, setCircumstances] = useState<Circumstance[]>([]);
  const [violations, setViolations] = useState<LibraryViolation[]>([]);
  const [provisions, setProvisions] = useState<LibraryProvision[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    Promise.all([assistApi.benchmarks(q || undefined), assistApi.library(q || undefined)])
      .then(([b, l]) => {
        setBenchmarks(b.items);
        setCircumstances(b.circumstances);
        setViolations(l.violations);
        setProvisions(l.provisions);
      })
      .catch((e) => setError(toApiError(e)));
  }, [q]);
  const label = new Map(circumstances.map((c) => [c.code, c.label]));
  return (
    <div>
      <Typography.Title level={3}>裁量基准与法律法规库</Typography.Title>
      <Typography.Paragraph type="secondary">依据《中华人民共和国行政处罚法》第三十四条，裁量基准应当向社会公布（门户网站 /benchmarks）。</Typography.Paragraph>
      {error && <ProblemAlert error={error} />}
      <Input.Search aria-label="检索" placeholder="违法行为、条文或发布机关" allowClear onSearch={setQ} style={{ maxWidth: 420, marginBottom: 16 }} />
      <Card>
        <Tabs items={[
          {
            key: 'benchmarks', label: `裁量基准（${benchmarks.length}）`,
            children: <Table rowKey="id" size="small" dataSource={benchmarks} pagination={false} columns={[
              { title: '违法行为', render: (_, b) => b.violation.name },
              { title: '发布机关 / 版本', render: (_, b) => <>{b.issuer} 第 {b.version} 版<br /><Typography.Text type="secondary">{b.effectiveFrom} 起{b.effectiveTo ? ` 至 ${b.effectiveTo}` : ''}</Typography.Text></> },
              { title: '阶次与幅度', render: (_, b) => b.levels.map((l) => <div key={l.level}><Tag>{l.level}</Tag>{l.level === '不予处罚' ? '不予处罚' : `${unit(b, l.min)} 至 ${unit(b, l.max)}`}{l.circumstances.length ? `（${l.circumstances.map((c) => label.get(c) ?? c).join('；')}）` : ''}</div>) },
            ]} />,
          },
          {
            key: 'violations', label: `违法行为（${violations.length}）`,
            children: <Table rowKey="code" size="small" dataSource={violations} pagination={false} columns={[
              { title: '编码', dataIndex: 'code' }, { title: '名称', dataIndex: 'name' }, { title: '违则', dataIndex: 'violated' }, { title: '罚则', dataIndex: 'penalty' },
              { title: '法定幅度', render: (_, v) => `${v.rangeKindLabel}：${v.legalRange.kind === 'multiple' ? `${v.legalRange.base ?? ''} ${v.legalRange.min}–${v.legalRange.max} 倍` : `${v.legalRange.min.toLocaleString('zh-CN')}–${v.legalRange.max.toLocaleString('zh-CN')} 元`}` },
            ]} />,
          },
          {
            key: 'provisions', label: `法律条文（${provisions.length}）`,
            children: <Table rowKey="id" size="small" dataSource={provisions} pagination={false} columns={[
              { title: '条文', dataIndex: 'citation', width: 260 }, { title: '内容', dataIndex: 'text' }, { title: '施行日期', dataIndex: 'effectiveFrom', width: 110 },
            ]} />,
          },
        ]} />
      </Card>
    </div>
  );
}
