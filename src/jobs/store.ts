// Queries of the daily jobs (`job_runs`), imported as a namespace (`repo.x`).
import type { Queryable } from '../platform/db.ts';

/** Minutes after which a run still marked running is taken to be from a dead process and may be re-claimed. */
export const STALE_MINUTES = 60;

/**
 * Claims (job, day): inserts the row, or takes over a failed run or a stale running one. Atomic in one
 * statement, so of two processes exactly one gets `true`.
 */
export async function claim(q: Queryable, job: string, day: string): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO job_runs (job, day, status) VALUES ($1, $2, 'running')
     ON CONFLICT (job, day) DO UPDATE SET status = 'running', attempts = job_runs.attempts + 1, started_at = clock_timestamp(), finished_at = NULL, error = NULL
       WHERE job_runs.status = 'failed' OR (job_runs.status = 'running' AND job_runs.started_at < clock_timestamp() - make_interval(mins => $3))
     RETURNING job`,
    [job, day, STALE_MINUTES],
  );
  return rows.length === 1;
}

export async function finish(q: Queryable, job: string, day: string, result: unknown) {
  await q.query(`UPDATE job_runs SET status = 'done', finished_at = clock_timestamp(), result = $3::jsonb WHERE job = $1 AND day = $2`, [job, day, JSON.stringify(result)]);
}

export async function fail(q: Queryable, job: string, day: string, error: string) {
  await q.query(`UPDATE job_runs SET status = 'failed', finished_at = clock_timestamp(), error = $3 WHERE job = $1 AND day = $2`, [job, day, error.slice(0, 1000)]);
}

/** The latest day the job has a row for (any status): the catch-up starts the day after. */
export async function lastDay(q: Queryable, job: string): Promise<string | null> {
  const { rows } = await q.query<{ day: string | null }>(`SELECT max(day) AS day FROM job_runs WHERE job = $1`, [job]);
  return rows[0]?.day ?? null;
}

/** Days on or after `from` whose run failed (retried on the next pass). */
export async function failedDays(q: Queryable, job: string, from: string): Promise<string[]> {
  const { rows } = await q.query<{ day: string }>(`SELECT day FROM job_runs WHERE job = $1 AND day >= $2 AND status = 'failed' ORDER BY day`, [job, from]);
  return rows.map((r) => r.day);
}

export interface RunRow {
  job: string;
  day: string;
  status: string;
  attempts: number;
  result: unknown;
  error: string | null;
}

export async function runs(q: Queryable, job?: string): Promise<RunRow[]> {
  const { rows } = await q.query<RunRow>(`SELECT job, day, status, attempts, result, error FROM job_runs WHERE ($1::text IS NULL OR job = $1) ORDER BY day, job`, [job ?? null]);
  return rows;
}
