// Foundation figures (issue 2): start to first /healthz on existing data, idle memory, and officer
// search latency at N officers, on PGlite and PostgreSQL. Each figure has a baseline measured in the
// same run on the same machine: a bare Node HTTP server's start, and /healthz latency on the same server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, rssMb, scratchPostgres, startChild, summarize, waitForHealth } from './lib.ts';

const BARE_SERVER = `require('node:http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"status":"ok"}')}).listen(process.env.PORT)`;

async function timeBareStart(port: number): Promise<number> {
  const c = startChild(['-e', BARE_SERVER], {}, port);
  const ms = await waitForHealth(port);
  await c.stop();
  return ms;
}

async function latency(port: number, urls: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const u of urls) {
    const t0 = performance.now();
    const r = await fetch(`http://127.0.0.1:${port}${u}`);
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${u} → ${r.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

async function sampleQueries(port: number, total: number, count: number): Promise<string[]> {
  const names: string[] = [];
  const certs: string[] = [];
  for (let i = 0; i < 10; i++) {
    const page = 1 + Math.floor((Math.random() * total) / 100);
    const r = (await (await fetch(`http://127.0.0.1:${port}/api/v1/public/officers?pageSize=100&page=${page}`)).json()) as { items: { name: string; certificateNumber: string }[] };
    for (const o of r.items) {
      names.push(o.name);
      certs.push(o.certificateNumber);
    }
  }
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const name = names[Math.floor(Math.random() * names.length)]!;
    const cert = certs[Math.floor(Math.random() * certs.length)]!;
    // A full name, a surname alone (many hits: exercises the count), or the first 12 characters of a certificate number.
    const q = kind === 0 ? name : kind === 1 ? name.slice(0, 1) : cert.slice(0, 12);
    urls.push(`/api/v1/public/officers?q=${encodeURIComponent(q)}`);
  }
  return urls;
}

export interface EngineResult {
  engine: string;
  officers: number;
  seedSeconds: number;
  restartMs: number[];
  idleRssMb: number;
  search: ReturnType<typeof summarize>;
  healthz: ReturnType<typeof summarize>;
}

async function runEngine(engine: 'pglite' | 'postgres', officers: number, port: number): Promise<EngineResult | null> {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-'));
    env = { DATA_DIR: dir, DATABASE_URL: undefined };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = await scratchPostgres();
    if (!pg) return null;
    env = { DATABASE_URL: pg.url };
    cleanup = pg.drop;
  }
  try {
    const t0 = performance.now();
    const seed = spawnSync(process.execPath, [BIN, 'seed', '--scale', String(officers)], { env: { ...process.env, ...env, LOG_LEVEL: 'warn', ...(engine === 'pglite' ? { DATABASE_URL: '' } : {}) }, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);
    const seedSeconds = (performance.now() - t0) / 1000;
    const restartMs: number[] = [];
    let child = startChild([BIN, 'serve'], env, port);
    for (let i = 0; i < 3; i++) {
      if (i > 0) child = startChild([BIN, 'serve'], env, port);
      restartMs.push(await waitForHealth(port));
      if (i < 2) await child.stop();
    }
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = rssMb(child.proc.pid!);
    const urls = await sampleQueries(port, officers, 600);
    await latency(port, urls.slice(0, 60)); // warm caches
    const search = summarize(await latency(port, urls));
    const healthz = summarize(await latency(port, Array.from({ length: 300 }, () => '/healthz')));
    await child.stop();
    return { engine, officers, seedSeconds, restartMs, idleRssMb, search, healthz };
  } finally {
    await cleanup();
  }
}

export async function foundationBench(officers: number) {
  const port = 3900;
  const bareStart = [await timeBareStart(port), await timeBareStart(port), await timeBareStart(port)];
  const engines: EngineResult[] = [];
  for (const e of ['pglite', 'postgres'] as const) {
    const r = await runEngine(e, officers, port);
    if (r) engines.push(r);
  }
  return { bareStartMs: bareStart, engines };
}
