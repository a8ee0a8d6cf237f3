// The full recomputation's page ranges on several threads (issue 12: a million cases in under 60 s). A
// pass spends most of its time in the rules and in parsing the cases' JSON, on one core; worker threads,
// each with its own connections, share the pages through one atomic counter, so a thread that finishes a
// range early takes the next one. Small passes stay in the calling thread, where starting threads (each
// loads the judging modules) would cost more than it saves.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PassOptions } from './judge.ts';

/** Below this many cases (estimated from the table's pages) a pass runs in the calling thread. */
export const THREADS_MIN_CASES = 100_000;

export interface ThreadJob {
  databaseUrl: string;
  pass: PassOptions;
  pages: number;
  /** Pages per batch. */
  span: number;
  /** Batches a thread runs at once (one connection each): one is read or written while another is judged. */
  concurrency: number;
  /** An Int32Array's buffer: the next page not yet claimed. */
  next: SharedArrayBuffer;
}

/** How many threads a pass over about `cases` cases gets: `requested`, else SANXIANG_RECOMPUTE_THREADS, else one per core (at most 8). */
export function recomputeThreads(cases: number, requested?: number, minCases = THREADS_MIN_CASES): number {
  if (cases < minCases) return 1;
  const n = requested ?? (Number(process.env.SANXIANG_RECOMPUTE_THREADS) || os.availableParallelism());
  return Math.max(1, Math.min(8, Math.floor(n)));
}

/** Runs the pages on `threads` worker threads; `onBatch` gets each committed batch's counts. Rejects with the first thread's error. */
export async function judgePagesOnThreads(job: Omit<ThreadJob, 'next'>, threads: number, onBatch: (r: { cases: number; raised: number; closed: number }) => Promise<void> | void): Promise<void> {
  const next = new SharedArrayBuffer(4);
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./recompute-worker.js', import.meta.url), { workerData: { ...job, next } satisfies ThreadJob, execArgv: [] }));
  let pending = Promise.resolve();
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      // Progress callbacks run one after another, in the order the batches committed.
      w.on('message', (r: { cases: number; raised: number; closed: number }) => { pending = pending.then(() => onBatch(r)); });
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`预警重新计算的工作线程异常退出（${code}）`))));
    })));
  } catch (err) {
    // The other threads' open transactions end with their connections (rolled back, nothing half-written).
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  await pending;
}
