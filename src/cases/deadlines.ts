// The case list filters on a stored next deadline (overdue, warning: an index, not a computation per
// row). The workspace computes clocks on the calendar as it stands, so when the calendar changes (the
// State Council's notice replaces a provisional year, an administrator corrects a day) the stored
// deadlines of open cases are recomputed, or the list and the workspace would disagree.
import type { AppContext } from '../platform/context.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { nextDeadline } from './access.ts';
import { definitionOf } from './definitions.ts';
import * as casesRepo from './store.ts';

const BATCH = 500;

/** Recomputes the stored next deadline of every open case with a running one; returns how many moved. */
export async function refreshStoredDeadlines(ctx: AppContext): Promise<number> {
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  let after: string | null = null;
  let moved = 0;
  for (;;) {
    const rows = await casesRepo.openCasesWithDeadline(ctx.db, after, BATCH);
    for (const row of rows) {
      const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
      const next = nextDeadline(def, row.state, cal, today);
      const same = next?.deadline === row.next_deadline && next?.clock === row.next_deadline_clock && next?.warn === row.warn_from;
      if (!same && (await casesRepo.setNextDeadline(ctx.db, row.id, row.seen, next))) moved++;
    }
    if (rows.length < BATCH) break;
    after = rows.at(-1)!.id;
  }
  if (moved) ctx.log.info({ moved }, '工作日历变更：已重算案件的最近期限');
  return moved;
}
