// The desk at scale on PostgreSQL (issue 9): GET /api/v1/me/work for an officer of an agency holding
// 100,000 cases (target p95 < 50 ms), and for that agency's head, through the real HTTP stack with a
// signed-in session. Baseline measured in the same run, same session: GET /api/v1/auth/session (the
// cheapest signed-in route). Runs alone too: `node --import tsx bench/desk.ts` (BENCH_DESK_CASES).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { issueSession, SESSION_COOKIE } from '../src/accounts/service.ts';
import { generate } from '../src/seed/generate.ts';
import { generateCases } from '../src/cases/generate.ts';
import { scratchPostgres, summarize } from './lib.ts';

type Summary = ReturnType<typeof summarize>;

export interface DeskBench {
  cases: number;
  officers: number;
  myOpenCases: number;
  baseline: Summary;
  officer: Summary;
  head: Summary;
  items: { officer: number; head: number };
}

export async function deskBench(n = Number(process.env.BENCH_DESK_CASES ?? 100_000), log: (s: string) => void = () => undefined): Promise<DeskBench | null> {
  const pg = await scratchPostgres();
  if (!pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-desk-'));
  const app = await createApp(loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  const { ctx } = app;
  try {
    await generate(ctx, { officers: 2_000, seed: 1 });
    const agencyId = (await ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE kind = 'enforcement' ORDER BY region_code, name LIMIT 1`)).rows[0]!.id;
    await generateCases(ctx, { cases: n, seed: 3, batch: 5000, agencyIds: [agencyId] });
    // 500 officers with accounts share the agency's cases (about 200 each); the first is the one measured.
    const users: string[] = [];
    for (let i = 0; i < 500; i++) users.push(crypto.randomUUID());
    await ctx.db.query(
      `INSERT INTO users (id, username, display_name, agency_id, role, password_hash)
       SELECT u, 'desk_officer_' || i, '压测执法人员' || i, $2, 'officer', 'x' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, i)`,
      [users, agencyId],
    );
    const head = crypto.randomUUID();
    await ctx.db.query(`INSERT INTO users (id, username, display_name, agency_id, role, password_hash) VALUES ($1, 'desk_head', '压测负责人', $2, 'agency_head', 'x')`, [head, agencyId]);
    await ctx.db.query(
      `UPDATE cases c SET created_by = ($1::uuid[])[1 + (abs(hashtext(c.id::text)) % 500)] WHERE c.agency_id = $2`,
      [users, agencyId],
    );
    await ctx.db.exec('VACUUM ANALYZE');
    const me = users[0]!;
    const { rows: mine } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE created_by = $1 AND status = 'open'`, [me]);
    log(`${n} cases in one agency; the measured officer has ${mine[0]!.n} open cases`);

    const cookie = async (userId: string) => `${SESSION_COOKIE}=${(await issueSession(ctx.db, ctx, userId, true)).sessionToken}`;
    const officerCookie = await cookie(me);
    const headCookie = await cookie(head);
    const get = async (url: string, c: string) => {
      const t0 = performance.now();
      const r = await app.server.inject({ method: 'GET', url, headers: { cookie: c } });
      const ms = performance.now() - t0;
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return { ms, body: r.json() as { items?: unknown[] } };
    };
    for (let i = 0; i < 20; i++) {
      await get('/api/v1/auth/session', officerCookie);
      await get('/api/v1/me/work', officerCookie);
      await get('/api/v1/me/work', headCookie);
    }
    const base: number[] = [];
    const off: number[] = [];
    const hd: number[] = [];
    let items = { officer: 0, head: 0 };
    // Interleaved, so that the baseline and the desk see the same machine load.
    for (let i = 0; i < 300; i++) {
      base.push((await get('/api/v1/auth/session', officerCookie)).ms);
      const o = await get('/api/v1/me/work', officerCookie);
      off.push(o.ms);
      const h = await get('/api/v1/me/work', headCookie);
      hd.push(h.ms);
      items = { officer: o.body.items!.length, head: h.body.items!.length };
    }
    return { cases: n, officers: users.length, myOpenCases: mine[0]!.n, baseline: summarize(base), officer: summarize(off), head: summarize(hd), items };
  } finally {
    await app.close();
    await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function deskMarkdown(b: DeskBench): string[] {
  const f = (x: number) => x.toFixed(1);
  const row = (name: string, s: Summary) => `| ${name} | ${s.n} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.p95 / b.baseline.p95)}× |`;
  return [
    '## Desks: GET /api/v1/me/work (issue 9)',
    '',
    `PostgreSQL, ${b.cases.toLocaleString('en')} cases in one agency shared by ${b.officers} officers; the measured officer has ${b.myOpenCases} open cases (${b.items.officer} desk items), the head ${b.items.head} items. Through the HTTP stack with a session cookie; baseline GET /api/v1/auth/session with the same session, interleaved. Target: officer p95 < 50 ms.`,
    '',
    '| request | n | p50 ms | p95 ms | p99 ms | p95 ÷ baseline p95 |',
    '|---|---|---|---|---|---|',
    row('GET /api/v1/auth/session (baseline)', b.baseline),
    row('GET /api/v1/me/work (officer)', b.officer),
    row('GET /api/v1/me/work (agency head)', b.head),
    '',
    `Officer p95 ${f(b.officer.p95)} ms: ${b.officer.p95 < 50 ? 'meets' : 'MISSES'} the 50 ms target.`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await deskBench(undefined, console.log);
  console.log(r ? deskMarkdown(r).join('\n') : 'Skipped: no PostgreSQL server reachable.');
}
