// A real `sanxiang serve --demo` child process for the kill -9 tests: one data directory (and, when
// DATABASE_URL is set, one scratch PostgreSQL database) that outlives every restart of the process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { engine, scratchDatabase, type TestDb } from '../helpers/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sanxiang.js');
const DEMO_PASSWORD = 'Sanxiang@2026';

export interface Session {
  cookie: string;
  csrf: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

export class ServerProcess {
  /** Last 20 kB of the server's stderr, across restarts, for failure messages. */
  stderr = '';
  private child: ChildProcess | null = null;

  private constructor(
    readonly workDir: string,
    readonly port: number,
    private readonly pgScratch: TestDb | null,
  ) {}

  /** Reserves a port, a work directory and, on PostgreSQL, an empty scratch database (the server migrates it). */
  static async create(tmpPrefix: string): Promise<ServerProcess> {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    const port = await freePort();
    const pgScratch = engine === 'postgres' ? await scratchDatabase({ migrate: false }) : null;
    return new ServerProcess(workDir, port, pgScratch);
  }

  get dataDir(): string {
    return path.join(this.workDir, 'data');
  }

  /** The scratch PostgreSQL database, or null on PGlite (where the database lives in dataDir). */
  get databaseUrl(): string | null {
    return this.pgScratch?.url ?? null;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(p: string): string {
    return `${this.baseUrl}${p}`;
  }

  // A process killed by a signal keeps exitCode null, so both codes are needed to tell it is gone.
  private get exited(): boolean {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  start(extraEnv: NodeJS.ProcessEnv = {}): void {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir, PUBLIC_URL: 'http://crash.test', LOG_LEVEL: 'warn', ...extraEnv };
    // The child must use the scratch database, never the caller's DATABASE_URL (the admin one).
    if (this.databaseUrl) env.DATABASE_URL = this.databaseUrl;
    else delete env.DATABASE_URL;
    const c = spawn(process.execPath, [BIN, 'serve', '--demo'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-20_000)));
    this.child = c;
  }

  async waitHealthy(ms = 120_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      if (this.exited) throw new Error(`server exited ${this.child?.exitCode ?? this.child?.signalCode}: ${this.stderr}`);
      try {
        if ((await fetch(this.url('/healthz'))).ok) return;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server not healthy: ${this.stderr}`);
  }

  /** kill -9: no shutdown hooks run, which is the point of these tests. */
  killHard(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** A clean SIGTERM shutdown, so the database can be opened from the test afterwards. */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    if (this.exited) return;
    const c = this.child!;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(sig);
    await gone;
  }

  /** Kills the server if it still runs and removes the scratch database and work directory. */
  async dispose(): Promise<void> {
    await this.killHard();
    await this.pgScratch?.drop();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  async login(): Promise<Session> {
    const res = await fetch(this.url('/api/v1/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'scjg_officer', password: DEMO_PASSWORD }) });
    if (!res.ok) throw new Error(`login failed ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c!.startsWith('sx_session='))!;
    return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }
}
