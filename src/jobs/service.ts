// Daily jobs (issue 12 and 8 follow-up): the publicity expiry sweep (R-P11 公示期限) and the supervision
// alerts' recomputation of the previous day (R-R08: time-driven alerts of cases nobody touched). `serve`
// starts the scheduler; `sanxiang jobs run` runs a pass once. Each (job, day) is claimed by its row in
// job_runs, so a restart or a second process never runs a job twice for a day, and the days since the
// last recorded run (bounded) are caught up in order. A failed day is retried on the next pass. The
// annual-report overdue state is computed when read (src/annual/service.ts), so it needs no job.
import type { AppContext } from '../platform/context.ts';
import { addDays } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { expireDue } from '../publicity/service.ts';
import { recomputeAlerts } from '../supervision/alerts.ts';
import * as repo from './store.ts';

export interface DailyJob {
  name: string;
  label: string;
  /** Runs the job for a day; what it answers is recorded with the run. */
  run(ctx: AppContext, day: string): Promise<object>;
}

export const DAILY_JOBS: readonly DailyJob[] = [
  {
    name: 'publicity.expire', label: '公示期满下线',
    async run(ctx) {
      let expired = 0;
      for (let n = await expireDue(ctx); n > 0; n = await expireDue(ctx)) expired += n;
      return { expired };
    },
  },
  {
    // The cases changed since the day before and those with a legal review past its clock (R-L08: the
    // clock runs out with nobody touching the case), judged as of the day; closes alerts whose problem is gone.
    name: 'supervision.recompute', label: '监督预警重新计算（前一日）',
    run: (ctx, day) => recomputeAlerts(ctx, { from: addDays(day, -1), asOf: day }),
  },
];

export interface RunOutcome {
  job: string;
  day: string;
  status: 'done' | 'failed';
  result?: object;
  error?: string;
}

export interface PassOptions {
  today?: string;
  jobs?: readonly DailyJob[];
  /** How far back a missed day is still caught up (a platform down for a month does not replay it all). */
  maxCatchUpDays?: number;
}

/** The days a job is due for: failed ones in the window, then every day after its last run up to today. */
async function dueDays(ctx: AppContext, job: string, today: string, window: number): Promise<string[]> {
  const earliest = addDays(today, -(window - 1));
  const last = await repo.lastDay(ctx.db, job);
  const days = new Set(await repo.failedDays(ctx.db, job, earliest));
  let d = last && addDays(last, 1) > earliest ? addDays(last, 1) : last ? earliest : today;
  for (; d <= today; d = addDays(d, 1)) days.add(d);
  return [...days].sort();
}

/** One pass: every job for every day it is due, claimed first; answers what this process ran. */
export async function runDueJobs(ctx: AppContext, opts: PassOptions = {}): Promise<RunOutcome[]> {
  const today = opts.today ?? todayInShanghai();
  const out: RunOutcome[] = [];
  for (const job of opts.jobs ?? DAILY_JOBS) {
    for (const day of await dueDays(ctx, job.name, today, opts.maxCatchUpDays ?? 31)) {
      if (!(await repo.claim(ctx.db, job.name, day))) continue;
      try {
        const result = await job.run(ctx, day);
        await repo.finish(ctx.db, job.name, day, result);
        out.push({ job: job.name, day, status: 'done', result });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await repo.fail(ctx.db, job.name, day, error);
        ctx.log.warn({ err, job: job.name, day }, 'daily job failed');
        out.push({ job: job.name, day, status: 'failed', error });
      }
    }
  }
  return out;
}

export const jobRuns = (ctx: AppContext, job?: string) => repo.runs(ctx.db, job);

/** Started by `serve`: a pass at once (catching up), then every `intervalMs`; the claims make extra passes free. */
export function startJobScheduler(ctx: AppContext, opts: PassOptions & { intervalMs?: number } = {}) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        const ran = await runDueJobs(ctx, opts);
        if (ran.length) ctx.log.info({ ran: ran.map((r) => `${r.job}@${r.day}:${r.status}`) }, 'daily jobs');
      } catch (err) {
        ctx.log.warn({ err }, 'daily job pass failed');
      }
    })();
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 15 * 60_000);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
