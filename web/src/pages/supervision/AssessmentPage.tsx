// 年度考核 (R-S02): each agency's indicators with numerator and denominator, linked to what they count,
// and the XLSX export.
import { Button, InputNumber, Space, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRemote } from '../../components/useRemote.ts';
import { PageHeader } from '../../layout/PageHeader.tsx';
import { API_BASE, request } from '../../api.ts';

interface Indicator { numerator: number; denominator: number; value: number | null; drill: string | null }
interface Assessment { year: number; scheme: { name: string; version: number; items: { code: string; name: string; weight: number; waiting?: string }[] }; agencies: { agency: { id: string; name: string }; indicators: Record<string, Indicator>; score: number }[] }

export default function AssessmentPage() {
  const [year, setYear] = useState(2026);
  const a = useRemote(() => request<Assessment>(`/supervision/assessment?year=${year}`), [year]);
  const items = a.data?.scheme.items.filter((i) => !i.waiting) ?? [];
  return (
    <>
      <PageHeader title="年度考核" subTitle={a.data ? `${a.data.scheme.name}（第 ${a.data.scheme.version} 版）` : '…'}
        extra={<Space><InputNumber aria-label="年度" value={year} min={2000} max={2099} onChange={(v) => v && setYear(v)} /><Button href={`${API_BASE}/supervision/assessment.xlsx?year=${year}`}>导出 XLSX</Button></Space>} />
      {a.error && <ProblemAlert error={a.error} onRetry={a.reload} />}
      <Table rowKey={(r) => r.agency.id} size="small" loading={a.loading} dataSource={a.data?.agencies} pagination={false} scroll={{ x: true }}
        columns={[
          { title: '执法机关', render: (_, r) => r.agency.name, fixed: 'left' as const },
          ...items.map((i) => ({
            title: `${i.name}（${i.weight}）`,
            render: (_: unknown, r: Assessment['agencies'][number]) => {
              const v = r.indicators[i.code]!;
              const text = v.value === null ? '—' : `${(v.value * 100).toFixed(0)}%（${v.numerator}/${v.denominator}）`;
              return v.drill ? <Link to={v.drill}>{text}</Link> : text;
            },
          })),
          { title: '得分', render: (_, r) => r.score },
        ]} />
    </>
  );
}
