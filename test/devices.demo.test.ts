// The device demo (R-R05, R-R10): registers for the demo agencies, the demo cases' records traced to
// their body camera, custodians named, one hand-over flagged late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { loadCaseDemo } from '../src/cases/demo.ts';
import { loadDeviceDemo } from '../src/devices/demo.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
  await loadCaseDemo(w.app.ctx, w.ids);
  await loadDeviceDemo(w.app.ctx, w.ids);
}, 600_000);
afterAll(async () => {
  await w?.app.close();
});

describe('device demo', () => {
  it('the head sees the register with every status, the demo records on their camera and one late hand-over', async () => {
    const items = (await w.api.head('GET', '/api/v1/devices')).json().items as { id: string; serial: string; status: string; kind: string; records: number }[];
    expect(new Set(items.map((d) => d.status))).toEqual(new Set(['in_service', 'under_repair', 'retired']));
    expect(new Set(items.map((d) => d.kind))).toEqual(new Set(['body_camera', 'recorder', 'camera', 'mobile_terminal', 'interview_room', 'hearing_room']));
    expect(items.find((d) => d.serial === 'DSJ-演示-001')!.records).toBeGreaterThan(0);
    const cam = (await w.api.head('GET', `/api/v1/devices/${items.find((d) => d.serial === 'DSJ-2026-001')!.id}`)).json();
    expect(cam.records.map((r: { handover: { late: boolean } }) => r.handover.late).sort()).toEqual([false, true]);
    const custodians = (await w.api.head('GET', `/api/v1/custodians?agencyId=${w.ids.get('city_scjg')}`)).json();
    expect(custodians.current.every((c: { custodian: unknown }) => c.custodian)).toBe(true);
  });
});
