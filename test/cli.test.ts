// The CLI as an operator runs it: real processes on a real data folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeCreditCode } from '../src/registry/codes.ts';

const BIN = path.resolve('bin/sanxiang.js');
const dirs: string[] = [];
// The embedded folder is what these tests are about: never point them at a server.
const env = (extra: Record<string, string>) => {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  delete e.DATABASE_URL;
  return e;
};
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function waitForHealth(port: number, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return (await r.json()) as { status: string };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not come up');
}

describe('embedded data folder', () => {
  it('serves, and refuses a second process on the same folder with a clear error', async () => {
    const dir = tmp();
    const port = 3400 + Math.floor(Math.random() * 500);
    const first = spawn(process.execPath, [BIN, 'serve'], { env: env({ DATA_DIR: dir, PORT: String(port) }), stdio: 'ignore' });
    try {
      expect(await waitForHealth(port)).toEqual({ status: 'ok' });
      const second = spawnSync(process.execPath, [BIN, 'serve'], { env: env({ DATA_DIR: dir, PORT: String(port + 1) }), encoding: 'utf8', timeout: 30_000 });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('同一时间只允许一个进程使用');
    } finally {
      first.kill('SIGTERM');
      await new Promise((r) => first.once('exit', r));
    }
    // After a clean stop the folder opens again.
    const again = spawnSync(process.execPath, [BIN, 'migrate'], { env: env({ DATA_DIR: dir }), encoding: 'utf8', timeout: 60_000 });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('数据库已是最新结构');
  }, 120_000);

  it('init creates one administrator and no demo data; it validates the bureau it registers', async () => {
    const dir = tmp();
    const bad = spawnSync(process.execPath, [BIN, 'init', '--agency', '某市司法局', '--credit-code', '11330100MB0000000A', '--region', '330100'], { env: env({ DATA_DIR: dir }), encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('校验位');
    const code = completeCreditCode('11330100MB0T0009');
    const ok = spawnSync(process.execPath, [BIN, 'init', '--agency', '某市司法局', '--credit-code', code, '--region', '330100'], { env: env({ DATA_DIR: dir }), encoding: 'utf8', timeout: 60_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/初始密码：\S{12,}/);
    const { openDatabase } = await import('../src/platform/db.ts');
    const db = await openDatabase({ dataDir: dir });
    try {
      const { rows } = await db.query<{ users: number; officers: number; agencies: number; demo: number }>(
        `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM officers)::int AS officers, (SELECT count(*) FROM agencies)::int AS agencies,
                (SELECT count(*) FROM settings WHERE key = 'demo')::int AS demo`,
      );
      expect(rows[0]).toEqual({ users: 1, officers: 0, agencies: 1, demo: 0 });
    } finally {
      await db.close();
    }
  }, 120_000);
});
