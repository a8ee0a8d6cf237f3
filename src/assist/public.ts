// Published benchmarks (行政处罚法第三十四条: 裁量基准应当向社会公布): the public API with its exact
// contract and a server-rendered portal page. Only rule data is public here, never a case.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { html, page } from '../portal/html.ts';
import { BENCHMARKS, CIRCUMSTANCES, benchmarkById, violation, type Benchmark } from './benchmarks.ts';
import { RANGE_KIND_LABELS, VIOLATIONS } from './library.ts';
import { BenchmarkParams, BenchmarkQuery } from './schema.ts';

/** The contract of GET /api/v1/public/benchmarks/{id}, key for key. */
export function publicBenchmark(b: Benchmark) {
  const v = violation(b.violationCode)!;
  return {
    id: b.id,
    version: b.version,
    issuer: b.issuer,
    effectiveFrom: b.effectiveFrom,
    violation: { code: v.code, name: v.name, violated: v.violated, penalty: v.penalty },
    legalRange: { kind: v.range.kind, min: v.range.min, max: v.range.max, base: v.range.base },
    levels: b.levels.map((l) => ({ level: l.level, circumstances: [...l.circumstances], min: l.min, max: l.max })),
  };
}

function matches(b: Benchmark, q: string | undefined): boolean {
  if (!q) return true;
  const v = violation(b.violationCode)!;
  return [b.id, b.issuer, b.document, v.code, v.name, v.violated, v.penalty].some((x) => x.includes(q));
}

/** Published benchmarks, newest version first within each violation and issuer. */
export function listPublicBenchmarks(q: string | undefined) {
  const items = BENCHMARKS.filter((b) => b.published && matches(b, q))
    .sort((a, b) => VIOLATIONS.findIndex((v) => v.code === a.violationCode) - VIOLATIONS.findIndex((v) => v.code === b.violationCode) || a.issuer.localeCompare(b.issuer) || b.version - a.version)
    .map((b) => ({ ...publicBenchmark(b), effectiveTo: b.effectiveTo, document: b.document, issuerLevel: b.issuerLevel }));
  return { items, circumstances: CIRCUMSTANCES.map((c) => ({ code: c.code, label: c.label, basis: c.basis })) };
}

export function getPublicBenchmark(id: string) {
  const b = benchmarkById(id);
  if (!b || !b.published) throw new AppError('not_found', { detail: '未找到该裁量基准' });
  return publicBenchmark(b);
}

const amount = (kind: string, x: number, base: string | null) => (kind === 'multiple' ? `${x} 倍${base ?? ''}` : `${x.toLocaleString('zh-CN')} 元`);

export async function registerBenchmarkPages(app: FastifyInstance, ctx: AppContext) {
  app.get('/benchmarks', async (req, reply) => {
    const parsed = BenchmarkQuery.safeParse({ q: (req.query as { q?: unknown }).q || undefined });
    const q = parsed.success ? parsed.data.q : undefined;
    const { items } = listPublicBenchmarks(q);
    const label = new Map(CIRCUMSTANCES.map((c) => [c.code, c.label]));
    reply.type('text/html; charset=utf-8');
    if (!parsed.success) reply.code(400);
    return page({
      title: '行政处罚裁量基准', demo: ctx.demo,
      body: html`<h1>行政处罚裁量基准</h1>
<p class="muted">依据《中华人民共和国行政处罚法》第三十四条，行政处罚裁量基准应当向社会公布。以下为本平台执行的裁量基准（含历史版本）。</p>
<form class="search" method="get" action="/benchmarks"><input name="q" maxlength="100" value="${q ?? ''}" placeholder="违法行为、条文或发布机关" aria-label="检索裁量基准"><button type="submit">检索</button></form>
${items.length ? '' : html`<div class="card">没有符合条件的裁量基准。</div>`}
${items.map((b) => html`<section class="card" id="${b.id}"><h2>${b.violation.name}</h2>
<dl class="kv"><dt>发布机关</dt><dd>${b.issuer}（${b.document}）</dd><dt>版本</dt><dd>第 ${b.version} 版，${b.effectiveFrom} 起施行${b.effectiveTo ? `，${b.effectiveTo} 废止` : ''}</dd>
<dt>违则</dt><dd>${b.violation.violated}</dd><dt>罚则</dt><dd>${b.violation.penalty}</dd>
<dt>法定幅度</dt><dd>${RANGE_KIND_LABELS[b.legalRange.kind]}：${b.legalRange.kind === 'maxOnly' ? '' : `${amount(b.legalRange.kind, b.legalRange.min, b.legalRange.base)} 至 `}${amount(b.legalRange.kind, b.legalRange.max, b.legalRange.base)}</dd></dl>
<table class="responsive"><thead><tr><th>裁量阶次</th><th>幅度</th><th>适用情形</th></tr></thead><tbody>
${b.levels.map((l) => html`<tr><td data-label="阶次">${l.level}</td><td data-label="幅度">${l.level === '不予处罚' ? '不予处罚' : `${amount(b.legalRange.kind, l.min, b.legalRange.base)} 至 ${amount(b.legalRange.kind, l.max, b.legalRange.base)}`}</td><td data-label="情形">${l.circumstances.length ? l.circumstances.map((c) => label.get(c) ?? c).join('；') : '无从轻、从重情形'}</td></tr>`)}
</tbody></table><p class="muted">编号 ${b.id} · <a href="/api/v1/public/benchmarks/${b.id}">JSON</a></p></section>`)}`,
    });
  });
}

export { BenchmarkParams, BenchmarkQuery };
