// The one text rule (issue 15) walks every string and key of every request before a route runs. Its
// cost is set against JSON.parse of the same body, measured in the same run: the work every JSON
// request already pays.
import { unsafeTextErrors } from '../src/platform/validation.ts';

export interface InputBenchRow {
  body: string;
  bytes: number;
  strings: number;
  parseUs: number;
  ruleUs: number;
}

/** A step with its inline documents, as the back office sends it: fields of Chinese text, nested lists. */
function stepBody(documents: number): unknown {
  const text = '当事人在经营场所销售未标明价格的商品，执法人员现场检查并制作现场笔录，当事人签字确认。';
  return {
    step: 'inquiry',
    on: '2026-11-20',
    officerIds: ['0b9e7c1e-6d1f-4a57-9f5e-2b7c8f1d3a10', '5c2d8e4f-1a3b-4c5d-8e6f-7a8b9c0d1e2f'],
    documents: Array.from({ length: documents }, (_, i) => ({
      type: 'inquiry_record',
      fields: {
        party: { name: '演示某某食品贸易有限公司', idType: 'credit_code', idNumber: '91330106MA2H3K7Q4Q', address: '演示市西湖区文三路 100 号' },
        facts: text.repeat(4),
        questions: Array.from({ length: 12 }, (_, q) => ({ question: `问题 ${i}-${q}：${text}`, answer: text })),
        basis: ['《中华人民共和国行政处罚法》第五十五条', '《中华人民共和国价格法》第十三条'],
      },
    })),
  };
}

function countStrings(v: unknown): number {
  if (typeof v === 'string') return 1;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + countStrings(x), 0);
  if (v && typeof v === 'object') return Object.entries(v).reduce((n, [, x]) => n + 1 + countStrings(x), 0);
  return 0;
}

function timeUs(fn: () => void, rounds: number): number {
  // Enough warm-up for the JIT to settle: the small body, measured first, read 2–3× slow with 20.
  for (let i = 0; i < Math.min(rounds, 500); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

export function inputBench(): InputBenchRow[] {
  return [
    ['one step, one document', 1, 2000],
    ['one step, 10 documents', 10, 500],
    ['near the 1 MB body limit', 120, 50],
  ].map(([body, documents, rounds]) => {
    const json = JSON.stringify(stepBody(documents as number));
    const parsed = JSON.parse(json);
    if (unsafeTextErrors(parsed).length) throw new Error('the bench body must pass the rule');
    return {
      body: body as string,
      bytes: Buffer.byteLength(json),
      strings: countStrings(parsed),
      parseUs: timeUs(() => JSON.parse(json), rounds as number),
      ruleUs: timeUs(() => unsafeTextErrors(parsed), rounds as number),
    };
  });
}

export function inputMarkdown(rows: InputBenchRow[]): string[] {
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  return [
    '## Hostile-input rule (issue 15)',
    '',
    'Every request body is walked once for NUL, unpaired surrogates, `__proto__` keys and depth before any route runs. Baseline: `JSON.parse` of the same body, which every JSON request pays anyway; medians of repeated runs in one process.',
    '',
    '| body | size | strings and keys | JSON.parse | text rule | ratio to JSON.parse |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.body} | ${(r.bytes / 1024).toFixed(1)} KiB | ${r.strings.toLocaleString('en')} | ${fmt(r.parseUs)} µs | ${fmt(r.ruleUs)} µs | ${(r.ruleUs / r.parseUs).toFixed(2)}× |`),
  ];
}
