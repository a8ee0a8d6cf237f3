// Synthetic data at any size for tests and benchmarks: the agencies of a city and its counties, and
// N officers spread over them. Form-valid, clearly fake codes (src/registry/fake.ts). Officers are
// written in batches through one INSERT … SELECT FROM jsonb_to_recordset per batch, with one event and
// one ledger entry per officer written in bulk (recordChanges), as if each had been registered alone.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import { recordChange, recordChanges } from '../platform/changes.ts';
import { fakeAgencies, fakeOfficers, type OfficerAgency } from '../registry/fake.ts';

const BATCH = 2000;

export async function generate(ctx: AppContext, opts: { officers: number; seed: number }): Promise<{ agencies: number; officers: number }> {
  const agencies = fakeAgencies();
  const { rows: existing } = await ctx.db.query<{ id: string; credit_code: string }>(`SELECT id, credit_code FROM agencies WHERE credit_code = ANY($1)`, [agencies.map((a) => a.creditCode)]);
  const idByCode = new Map(existing.map((r) => [r.credit_code, r.id]));
  const idByKey = new Map<string, string>();
  await ctx.db.transaction(async (tx) => {
    for (const a of agencies) {
      let id = idByCode.get(a.creditCode);
      if (!id) {
        id = crypto.randomUUID();
        await tx.query(
          `INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status, fields, duties, legal_basis, parent_id, review_unit, address, phone)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
          [id, a.name, a.creditCode, a.kind, a.level, a.regionCode, a.legalStatus, a.fields, a.duties, a.legalBasis, a.parentKey ? idByKey.get(a.parentKey) ?? null : null, a.reviewUnit, a.address, a.phone],
        );
        await recordChange(tx, { kind: 'registry.agency_created', agencyId: id, subjectType: 'agency', subjectId: id, actorId: null, data: { id, ...a } });
      }
      idByKey.set(a.key, id);
    }
  });

  const targets = agencies.filter((a) => a.kind === 'enforcement').map((a) => ({ id: idByKey.get(a.key)!, regionCode: a.regionCode, category: a.category, weight: a.weight }));
  await generateOfficers(ctx, { count: opts.officers, seed: opts.seed, agencies: targets });
  return { agencies: agencies.length, officers: opts.officers };
}

/** N officers over the given agencies, continuing the serials of those already there. */
export async function generateOfficers(ctx: AppContext, opts: { count: number; seed: number; agencies: (OfficerAgency & { area?: string })[] }): Promise<void> {
  const areaById = new Map(opts.agencies.map((a) => [a.id, a.area]));
  // Continue after the officers already there, so certificate and ID numbers never collide.
  const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM officers`);
  const startSerial = rows[0]!.n;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const payload = JSON.stringify(batch);
    await ctx.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO officers (id, agency_id, name, gender, id_number, certificate_number, issuer_type, justice_registration, category, area, valid_from, valid_to, status, qualification, exam_passed_on)
         SELECT id, agency_id, name, gender, id_number, certificate_number, issuer_type, justice_registration, category, area, valid_from, valid_to, status, qualification, exam_passed_on
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, agency_id uuid, name text, gender text, id_number text, certificate_number text, issuer_type text,
             justice_registration text, category text, area text, valid_from date, valid_to date, status text, qualification text, exam_passed_on date)`,
        [payload],
      );
      await recordChanges(
        tx,
        batch.map((o) => ({ kind: 'registry.officer_created', agencyId: o.agency_id as string, subjectType: 'officer', subjectId: o.id as string, actorId: null, data: o })),
      );
    });
    batch = [];
  };
  for (const o of fakeOfficers({ seed: opts.seed, agencies: opts.agencies, count: opts.count, startSerial })) {
    batch.push({
      id: crypto.randomUUID(), agency_id: o.agencyId, name: o.name, gender: o.gender, id_number: o.idNumber, certificate_number: o.certificateNumber,
      issuer_type: o.issuerType, justice_registration: o.justiceRegistration, category: o.category, area: areaById.get(o.agencyId) ?? o.area, valid_from: o.validFrom, valid_to: o.validTo,
      status: o.status, qualification: o.qualification, exam_passed_on: o.examPassedOn,
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}
