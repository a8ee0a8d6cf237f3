// The daily jobs on the real database: a pass runs each job once per day (a second pass, a restart or a
// second process runs nothing again), missed days are caught up in order within the window, a failed
// day is retried on the next pass, and the real jobs (expiry sweep, previous day's recomputation) record
// what they did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { loadDemo } from '../src/seed/demo.ts';
import { DAILY_JOBS, jobRuns, runDueJobs, type DailyJob } from '../src/jobs/service.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await loadDemo(app.ctx);
});
afterAll(async () => {
  await app?.close();
});

/** A job that counts its runs per day (the scheduler's bookkeeping is what is under test). */
function counting(name: string, failOn: string[] = []): DailyJob & { days: string[] } {
  const days: string[] = [];
  return {
    name, label: name, days,
    async run(_ctx, day) {
      if (failOn.includes(day)) {
        failOn.splice(failOn.indexOf(day), 1);
        throw new Error('接收方不可用');
      }
      days.push(day);
      return { day };
    },
  };
}

describe('daily jobs', () => {
  it('the real jobs run once for the day and record their results; a second pass runs nothing', async () => {
    const first = await runDueJobs(app.ctx, { today: '2026-11-25' });
    expect(first.map((r) => `${r.job}@${r.day}:${r.status}`)).toEqual(DAILY_JOBS.map((j) => `${j.name}@2026-11-25:done`));
    const recompute = first.find((r) => r.job === 'supervision.recompute')!.result as { agencies: number };
    // The demo registry has certified officers and no cases: 零执法 is raised by the recomputation.
    expect(recompute.agencies).toBeGreaterThan(0);
    expect(first.find((r) => r.job === 'publicity.expire')!.result).toEqual({ expired: 0 });
    const alerts = (await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_alerts`)).rows[0]!.n;
    expect(await runDueJobs(app.ctx, { today: '2026-11-25' })).toEqual([]);
    expect((await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_alerts`)).rows[0]!.n).toBe(alerts);
    const runs = await jobRuns(app.ctx);
    expect(runs.map((r) => [r.job, r.day, r.status, r.attempts])).toEqual([['publicity.expire', '2026-11-25', 'done', 1], ['supervision.recompute', '2026-11-25', 'done', 1]]);
  });

  it('catches up the missed days in order after the last run, no further back than the window', async () => {
    const job = counting('test.catch-up');
    await runDueJobs(app.ctx, { today: '2026-11-20', jobs: [job] });
    expect(job.days).toEqual(['2026-11-20']);
    await runDueJobs(app.ctx, { today: '2026-11-23', jobs: [job] });
    expect(job.days).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
    // Down for two months: only the window's last days are replayed.
    await runDueJobs(app.ctx, { today: '2027-01-25', jobs: [job], maxCatchUpDays: 3 });
    expect(job.days.slice(4)).toEqual(['2027-01-23', '2027-01-24', '2027-01-25']);
    // A first run ever starts today, not in the past.
    const fresh = counting('test.fresh');
    await runDueJobs(app.ctx, { today: '2026-11-25', jobs: [fresh] });
    expect(fresh.days).toEqual(['2026-11-25']);
  });

  it('two processes passing at once run each day once', async () => {
    const job = counting('test.concurrent');
    await runDueJobs(app.ctx, { today: '2026-11-01', jobs: [job] });
    const [a, b] = await Promise.all([runDueJobs(app.ctx, { today: '2026-11-05', jobs: [job] }), runDueJobs(app.ctx, { today: '2026-11-05', jobs: [job] })]);
    expect(job.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']);
    expect(a.length + b.length).toBe(4);
  });

  it('a failed day is recorded and retried on the next pass, once', async () => {
    const job = counting('test.failing', ['2026-11-11']);
    await runDueJobs(app.ctx, { today: '2026-11-10', jobs: [job] });
    const r = await runDueJobs(app.ctx, { today: '2026-11-12', jobs: [job] });
    expect(r.map((x) => `${x.day}:${x.status}`)).toEqual(['2026-11-11:failed', '2026-11-12:done']);
    expect((await jobRuns(app.ctx, 'test.failing')).find((x) => x.day === '2026-11-11')).toMatchObject({ status: 'failed', error: '接收方不可用' });
    const again = await runDueJobs(app.ctx, { today: '2026-11-12', jobs: [job] });
    expect(again.map((x) => `${x.day}:${x.status}`)).toEqual(['2026-11-11:done']);
    expect((await jobRuns(app.ctx, 'test.failing')).find((x) => x.day === '2026-11-11')).toMatchObject({ status: 'done', attempts: 2 });
    expect(await runDueJobs(app.ctx, { today: '2026-11-12', jobs: [job] })).toEqual([]);
  });
});
