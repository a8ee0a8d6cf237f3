// When the calendar changes, the case list's stored next deadline follows it, so that the list's
// overdue and warning filters agree with the clocks the workspace computes (REQUIREMENTS appendix on
// time limits: working days skip holidays on the official calendar).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

async function listed(caseNumber: string): Promise<string | null> {
  const r = await w.api.officer('GET', `/api/v1/cases?q=${encodeURIComponent(caseNumber)}`);
  return (r.json() as { items: { nextDeadline: string | null }[] }).items[0]!.nextDeadline;
}

async function shown(caseId: string): Promise<string> {
  const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json() as { clocks: { key: string; deadline: string }[] };
  return view.clocks.find((c) => c.key === 'acceptance_limit')!.deadline;
}

describe('stored deadlines follow the calendar', () => {
  it('moves the listed deadline when a working day inside it becomes a holiday, and back when cleared', async () => {
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'licensing', title: '食品经营许可申请', matter: MATTER, party: PARTY })).json();
    const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'application', on: '2026-11-16', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['licence_application'], '2026-11-16', caseInfo(c, w.officers)) });
    expect(r.statusCode, r.body).toBe(201);
    const before = await listed(c.number);
    expect(before).toBe(await shown(c.id));

    // Wednesday 18 November, inside the five working days, declared a day off.
    const set = await w.api.system('POST', '/api/v1/calendar/days', { day: '2026-11-18', kind: 'holiday', note: '测试：临时放假' });
    expect(set.statusCode, set.body).toBe(200);
    const moved = await shown(c.id);
    expect(moved > before!).toBe(true);
    await expect.poll(() => listed(c.number), { timeout: 20_000 }).toBe(moved);

    expect((await w.api.system('DELETE', '/api/v1/calendar/days/2026-11-18')).statusCode).toBeLessThan(300);
    await expect.poll(() => listed(c.number), { timeout: 20_000 }).toBe(before);
    expect(await shown(c.id)).toBe(before);
  });
});
