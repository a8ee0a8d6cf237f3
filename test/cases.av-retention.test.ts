// R-R10 (issue 16): retention periods from the AV list applied to what the archive keeps. Two entries of
// the agency's list with different periods give the records of their steps two different keep-until
// dates, counted from the archive date; the list version is the one each step ran under, not a later
// one; a record whose step the list does not cover has no period and says so. The dates are fixed at
// archive (append-only), shown on the case file and carried in the archive package's manifest.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAvRules } from '../src/cases/av-rules.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { addAvRecord, caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-av-retention-'));

beforeAll(async () => {
  w = await caseWorld();
}, 300_000);
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Retention {
  recordId: string;
  step: string;
  rule: string | null;
  avList: { id: string; version: number } | null;
  period: string | null;
  years: number | null;
  method: string | null;
  archivedOn: string | null;
  retainUntil: string | null;
  permanent: boolean;
  problem: string | null;
  path?: string | null;
}

describe('R-R10: AV-list retention applied to the archive', () => {
  it('R-R10: two list entries with different periods give two different keep-until dates from the archive date', async () => {
    const agencyId = w.ids.get('city_scjg');
    const d = defaultAvRules();
    const publish = async (effectiveFrom: string, inspectionYears: number, inquiryYears: number) => {
      const r = await w.api.admin('POST', '/api/v1/av-rule-sets', {
        agencyId, effectiveFrom, rules: {
          on_site_inspection: { ...d.on_site_inspection!, retention: { ...d.on_site_inspection!.retention, period: `定期${inspectionYears}年`, years: inspectionYears, method: '证据库按哈希存储，异地双介质备份' } },
          inquiry: { ...d.inquiry!, retention: { ...d.inquiry!.retention, period: `定期${inquiryYears}年`, years: inquiryYears, method: '证据库按哈希存储' } },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; version: number };
    };
    const v1 = await publish('2026-08-01', 50, 15);
    // A later version, in force by the archive date but not when the steps were done: it does not apply.
    await publish('2026-09-05', 5, 5);

    const c = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '保存期限：涉嫌销售过期食品案', matter: MATTER, party: PARTY });
    expect(c.statusCode, c.body).toBe(201);
    const caseId = c.json().id as string;
    const info = caseInfo(c.json(), w.officers);
    const step = async (key: string, on: string, types: string[], extra: Record<string, unknown> = {}) => {
      const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: key, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, on, info), ...extra });
      expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
      return r.json() as { seq: number };
    };
    const approve = async (key: string, on: string) => expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: key, on, opinion: '同意' })).statusCode).toBe(201);
    await step('intake', '2026-09-01', ['case_source_record'], { facts: { partyType: 'legal_person' } });
    await approve('filing', '2026-09-01');
    const filed = await step('filing', '2026-09-01', ['filing_approval']);
    // A photo at filing: the list has no entry for that step, so it has no period.
    const photo = await addAvRecord(w, caseId, 'filing', '2026-09-01', 'photo', filed.seq);
    const inspection = await addAvRecord(w, caseId, 'inspection', '2026-09-02');
    await step('inspection', '2026-09-02', ['inspection_record']);
    const inquiry = await addAvRecord(w, caseId, 'inquiry', '2026-09-03', 'audio');
    await step('inquiry', '2026-09-03', ['inquiry_record']);
    await approve('case_dismissal', '2026-09-04');
    await step('case_dismissal', '2026-09-04', ['case_dismissal_approval']);

    // Before the archive: the periods are known, the dates not yet.
    const before = (await w.api.officer('GET', `/api/v1/cases/${caseId}/file`)).json() as { avRetention: Retention[] };
    expect(before.avRetention.find((x) => x.recordId === inspection.id)).toMatchObject({ years: 50, archivedOn: null, retainUntil: null });

    const archived = await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-09-10' });
    expect(archived.statusCode, archived.body).toBe(200);
    const file = (await w.api.officer('GET', `/api/v1/cases/${caseId}/file`)).json() as { avRetention: Retention[] };
    const of = (id: string) => file.avRetention.find((x) => x.recordId === id)!;
    expect(file.avRetention).toHaveLength(3);
    expect(of(inspection.id)).toMatchObject({
      rule: 'on_site_inspection', avList: { id: v1.id, version: 1 }, period: '定期50年', years: 50, method: '证据库按哈希存储，异地双介质备份', archivedOn: '2026-09-10', retainUntil: '2076-09-10', permanent: false, problem: null,
    });
    expect(of(inquiry.id)).toMatchObject({ rule: 'inquiry', avList: { id: v1.id, version: 1 }, period: '定期15年', years: 15, archivedOn: '2026-09-10', retainUntil: '2041-09-10' });
    expect(of(photo.id)).toMatchObject({ rule: null, period: null, retainUntil: null, problem: expect.stringContaining('未规定保存期限') });

    // Fixed at archive, with its ledger event, and never changed (R-R05).
    const db = w.app.ctx.db;
    const rows = (await db.query<{ record_id: string; retain_until: string | null }>(`SELECT record_id, retain_until::text AS retain_until FROM case_av_retention WHERE case_id = $1`, [caseId])).rows;
    expect(Object.fromEntries(rows.map((r) => [r.record_id, r.retain_until]))).toEqual({ [inspection.id]: '2076-09-10', [inquiry.id]: '2041-09-10', [photo.id]: null });
    await expect(db.query(`UPDATE case_av_retention SET retain_until = '2027-01-01' WHERE case_id = $1`, [caseId])).rejects.toThrow('只允许追加');
    await expect(db.query(`DELETE FROM case_av_retention WHERE case_id = $1`, [caseId])).rejects.toThrow('只允许追加');
    const ev = (await db.query<{ data: { archivedOn: string; records: { recordId: string; retainUntil: string | null }[] } }>(`SELECT data FROM events WHERE kind = 'cases.av_retention_fixed' AND subject_id = $1`, [caseId])).rows;
    expect(ev).toHaveLength(1);
    expect(ev[0]!.data.records.find((r) => r.recordId === inquiry.id)!.retainUntil).toBe('2041-09-10');

    // The archive package's manifest carries the same, next to the files it keeps.
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(30_000);
    await seq.stop();
    const pkg = await w.api.officer('GET', `/api/v1/cases/${caseId}/archive-package?reason=${encodeURIComponent('移交档案室')}`);
    expect(pkg.statusCode, pkg.body.slice(0, 300)).toBe(200);
    const tar = path.join(tmp, 'case.tar');
    fs.writeFileSync(tar, pkg.rawPayload);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', tar, 'manifest.json'], { encoding: 'utf8' })) as { avRetention: Retention[]; files: { path: string; id: string }[] };
    const inPackage = manifest.avRetention.find((x) => x.recordId === inspection.id)!;
    expect(inPackage).toMatchObject({ period: '定期50年', retainUntil: '2076-09-10', avList: { version: 1 } });
    expect(inPackage.path).toBe(manifest.files.find((f) => f.id === inspection.id)!.path);
    expect(manifest.avRetention.find((x) => x.recordId === inquiry.id)!.retainUntil).toBe('2041-09-10');
  }, 300_000);
});
