// The draw's hashing on several cores (R-D02, issue 11: 1,000,000 candidates with 10,000 inspectors in
// under 5 s). Object keys and officer rankings are independent per candidate and per selected object,
// so each worker thread gets a fixed contiguous slice and the results are merged in slice order: the
// answer is the same as the sequential computation whatever the scheduling (test/inspections.parallel.test.ts).
// Small draws stay in the calling thread, where starting workers would cost more than it saves.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { compareCodes, compareKeys, keyHex, lowestKeys, objectPrefix, rankGroups } from './draw-kernel.js';
import type { Selected } from './draw.ts';

/** Below this many hashes a draw runs in the calling thread. */
export const PARALLEL_MIN_HASHES = 200_000;

type Job =
  | { kind: 'objects'; prefix: Uint8Array; texts: string[] | string; q: number }
  | { kind: 'officers'; seed: Uint8Array; officerIds: readonly string[]; groups: readonly Int32Array[]; codes: string[]; groupOf: Int32Array; k: number };
type Result = { idx: Int32Array; keys: Int32Array };

function runHere(job: Job): Result {
  return job.kind === 'objects' ? lowestKeys(job.prefix, typeof job.texts === 'string' ? job.texts.split('\n') : job.texts, job.q) : rankGroups(job.seed, job.officerIds, job.groups, job.codes, job.groupOf, job.k);
}

/** Worker threads for one draw; `threads` 1 (or 0) computes everything in the calling thread. */
export class DrawWorkers {
  private workers: Worker[] = [];
  /** Starts the workers at once, so that they boot while the calling thread prepares their first jobs. */
  constructor(readonly threads: number) {
    if (threads > 1) for (let i = 0; i < threads; i++) this.workers.push(new Worker(new URL('./draw-worker.js', import.meta.url)));
  }

  static forWork(hashes: number, opts: { threads?: number; minHashes?: number } = {}): DrawWorkers {
    const threads = opts.threads ?? (Number(process.env.SANXIANG_DRAW_THREADS) || os.availableParallelism());
    return new DrawWorkers(hashes < (opts.minHashes ?? PARALLEL_MIN_HASHES) ? 1 : Math.max(1, Math.min(threads, 8)));
  }

  /** Runs job i on worker i (at most `threads` jobs) and answers the results in job order. */
  async run(jobs: Job[]): Promise<Result[]> {
    if (this.threads <= 1) return jobs.map(runHere);
    return Promise.all(jobs.map((job, i) => new Promise<Result>((resolve, reject) => {
      const w = this.workers[i]!;
      const done = (r: Result) => {
        w.off('error', fail);
        resolve(r);
      };
      const fail = (err: Error) => {
        w.off('message', done);
        reject(err);
      };
      w.once('message', done);
      w.once('error', fail);
      w.postMessage(job);
    })));
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}

function slices(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < parts; p++) {
    const from = Math.floor((n * p) / parts), to = Math.floor((n * (p + 1)) / parts);
    if (to > from) out.push([from, to]);
  }
  return out;
}

/**
 * Objects (docs/DRAW.md §4), the same answer as draw.ts selectObjects: each slice of a class keeps its q
 * lowest keys, and the class's q lowest are among the slices' (merged by key, then code).
 */
export async function selectObjectsFast(workers: DrawWorkers, seed: Uint8Array, classes: readonly { cls: string; quota: number; creditCodes: readonly string[] }[]): Promise<Selected[]> {
  const out: Selected[] = [];
  for (const c of classes) {
    const q = Math.min(c.quota, c.creditCodes.length);
    if (q <= 0) continue;
    const prefix = objectPrefix(seed, c.cls);
    const parts = slices(c.creditCodes.length, workers.threads);
    // One string per slice is copied to a worker several times faster than an array of as many strings.
    const joinable = workers.threads > 1 && !c.creditCodes.some((x) => x.includes('\n'));
    const results = await workers.run(parts.map(([from, to]) => ({ kind: 'objects', prefix, texts: joinable ? c.creditCodes.slice(from, to).join('\n') : c.creditCodes.slice(from, to), q })));
    const found: { code: string; keys: Int32Array; at: number }[] = [];
    results.forEach((r, p) => r.idx.forEach((ix, j) => found.push({ code: c.creditCodes[parts[p]![0] + ix]!, keys: r.keys, at: 8 * j })));
    found.sort((a, b) => compareKeys(a.keys, a.at, b.keys, b.at) || compareCodes(a.code, b.code));
    for (const f of found.slice(0, q)) out.push({ class: c.cls, creditCode: f.code, key: keyHex(f.keys, f.at) });
  }
  return out;
}

/**
 * Officers (docs/DRAW.md §5): for each item (a selected object in one department) the k lowest okeys
 * among its group (officer indices eligible before the per-pair rules), lowest first.
 */
export async function rankGroupsFast(workers: DrawWorkers, seed: Uint8Array, officerIds: readonly string[], groups: readonly Int32Array[], codes: readonly string[], groupOf: Int32Array, k: number): Promise<Result> {
  const parts = slices(codes.length, workers.threads);
  const results = await workers.run(parts.map(([from, to]) => ({ kind: 'officers', seed, officerIds, groups, codes: codes.slice(from, to), groupOf: groupOf.slice(from, to), k })));
  const idx = new Int32Array(codes.length * k).fill(-1);
  const keys = new Int32Array(codes.length * k * 8);
  results.forEach((r, p) => {
    idx.set(r.idx, parts[p]![0] * k);
    keys.set(r.keys, parts[p]![0] * k * 8);
  });
  return { idx, keys };
}
