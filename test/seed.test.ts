// The data generator makes realistic, form-valid, clearly fake data at any size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { generate } from '../src/seed/generate.ts';
import { OfficerInput } from '../src/registry/schema.ts';
import { isFakeCertificateNumber, isFakeCreditCode, isFakeIdNumber } from '../src/registry/fake.ts';
import { creditCodeError } from '../src/registry/codes.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('seed generator', () => {
  it('generates N officers over a city and its counties, valid and fake, and can run twice', async () => {
    const first = await generate(app.ctx, { officers: 2500, seed: 7 });
    expect(first.officers).toBe(2500);
    await generate(app.ctx, { officers: 1000, seed: 8 });
    const { rows } = await app.ctx.db.query<{ n: number; certs: number; agencies: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT certificate_number)::int AS certs, count(DISTINCT agency_id)::int AS agencies FROM officers`,
    );
    expect(rows[0]!.n).toBe(3500);
    expect(rows[0]!.certs).toBe(3500);
    expect(rows[0]!.agencies).toBeGreaterThan(20);

    const agencies = await app.ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM agencies`);
    expect(agencies.rows.length).toBe(first.agencies);
    for (const a of agencies.rows) {
      expect(creditCodeError(a.credit_code)).toBeNull();
      expect(isFakeCreditCode(a.credit_code)).toBe(true);
    }
    const sample = await app.ctx.db.query<Record<string, string | null>>(
      `SELECT agency_id AS "agencyId", name, gender, id_number AS "idNumber", certificate_number AS "certificateNumber", issuer_type AS "issuerType",
              justice_registration AS "justiceRegistration", category, area, valid_from AS "validFrom", valid_to AS "validTo", status, qualification,
              exam_passed_on AS "examPassedOn" FROM officers ORDER BY random() LIMIT 200`,
    );
    for (const o of sample.rows) {
      const parsed = OfficerInput.safeParse(o);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(isFakeCertificateNumber(o.certificateNumber!)).toBe(true);
      expect(isFakeIdNumber(o.idNumber!)).toBe(true);
    }
  });

  it('commits every generated officer to the ledger queue, each with its own event', async () => {
    const { rows } = await app.ctx.db.query<{ events: number; pending: number; officers: number }>(
      `SELECT (SELECT count(*) FROM events WHERE kind = 'registry.officer_created')::int AS events,
              (SELECT count(*) FROM ledger_pending)::int AS pending, (SELECT count(*) FROM officers)::int AS officers`,
    );
    expect(rows[0]!.events).toBe(rows[0]!.officers);
    expect(rows[0]!.pending).toBeGreaterThanOrEqual(rows[0]!.officers);
  });
});
