// Starts the platform as a user would (`sanxiang serve --demo` on a fresh data folder) and opens
// Debian's Chromium through playwright-core. Screenshots land in test-results/ for a person to look at.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const SHOTS = path.resolve('test-results/screenshots');

export interface Harness {
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-browser-'));
  const port = 4100 + Math.floor(Math.random() * 800);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', PUBLIC_URL: `http://127.0.0.1:${port}` };
  delete env.DATABASE_URL;
  const server: ChildProcess = spawn(process.execPath, ['bin/sanxiang.js', 'serve', '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  // The whole demo loads before /healthz answers (about 140 s seen on the 2-core machine with another run going);
  // a busier machine may need longer still: HARNESS_START_MS.
  const until = Date.now() + Number(process.env.HARNESS_START_MS ?? 300_000);
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > until || server.exitCode !== null) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
