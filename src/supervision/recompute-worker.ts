// A worker thread of the full recomputation (recompute-threads.ts): its own connections, its own
// calendar, and page ranges claimed from a counter shared by all threads until the table's pages run out.
// Each committed batch's counts go back to the calling thread; an error ends the thread, and the caller's pass with it.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../platform/db.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { judgeBatch } from './judge.ts';
import type { ThreadJob } from './recompute-threads.ts';

const job = workerData as ThreadJob;
const next = new Int32Array(job.next);
const db = await openDatabase({ databaseUrl: job.databaseUrl });
try {
  const cal = await getCalendar(db);
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    for (;;) {
      const first = Atomics.add(next, 0, job.span);
      if (first >= job.pages) return;
      const r = await judgeBatch(db, cal, job.pass, { pages: [first, first + job.span] });
      if (r) parentPort!.postMessage({ cases: r.cases, raised: r.raised, closed: r.closed });
    }
  }));
} finally {
  await db.close();
}
