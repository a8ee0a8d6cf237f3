import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { searchDecisions, DecisionQuery } from '../src/publicity/public.ts';
const ctx = await openContext(loadConfig({ DATABASE_URL: process.env.U!, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/h8-x' }));
const orig = ctx.db.query.bind(ctx.db);
let explain = true;
(ctx.db as any).query = async (sql: string, params?: unknown[]) => {
  if (explain && /SELECT p.id, p.published_on FROM/.test(sql)) {
    const { rows } = await orig(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    console.log(rows.map((r: any) => r['QUERY PLAN']).join('\n'));
  }
  return orig(sql, params as any);
};
for (const q of process.argv.slice(2)) {
  const [words, filt] = q.split('|');
  const f = DecisionQuery.parse({ q: words, ...(filt ? JSON.parse(filt) : {}) });
  const t = performance.now();
  await searchDecisions(ctx.db, f);
  console.log('#', q, (performance.now() - t).toFixed(1), 'ms');
}
await ctx.db.close();
