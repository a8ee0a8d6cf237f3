// The fast draw (draw-kernel.js, parallel.ts; issue 11) against the reference sanxiang-draw/v1 of draw.ts
// (R-D02, docs/DRAW.md): byte-identical keys, selection and teams, in worker threads or not, with the
// per-pair rules (conflict, rotation, workload) pushing teams past the kept spares, joint departments,
// and the refusal naming its reasons.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalCodes, drawSeed, rankOfficers, selectObjects } from '../src/inspections/draw.ts';
import { keyHex, lowestKeys, objectPrefix, rankGroups } from '../src/inspections/draw-kernel.js';
import { DrawWorkers, selectObjectsFast } from '../src/inspections/parallel.ts';
import { computeDraw, conflictDigest, eligibleRanked, type ObjectInfo } from '../src/inspections/ceremony.ts';
import type { CommitmentDocument, PoolDocument } from '../src/inspections/store.ts';
import { fakeCreditCode } from '../src/registry/fake.ts';

const sha = (d: Uint8Array) => crypto.createHash('sha256').update(d).digest();
const te = new TextEncoder();
const seed = drawSeed(sha, sha(te.encode('sanxiang-draw/v1 test vector commitment')), [new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x22)]);

describe('fast sanxiang-draw/v1 kernel (R-D02)', () => {
  it('gives the test vectors of docs/DRAW.md §7', () => {
    const A = canonicalCodes(['91330106MA0000001X', '91330106MA0000002Y', '91330106MA0000003A', '91330106MA0000004B', '91330106MA0000005C']);
    const r = lowestKeys(objectPrefix(seed, 'A'), A, 2);
    expect(Array.from(r.idx, (i) => A[i])).toEqual(['91330106MA0000002Y', '91330106MA0000001X']);
    expect(keyHex(r.keys, 0)).toBe('68a34246cffcbb927bdf9bd6f8a910ca016b8cfcd2797aba7ab3f8cf1cfc48ac');
    expect(keyHex(r.keys, 8)).toBe('aa7e7d65292da571c9c4c563d27695fa507533d8c00ecb5ed05d51eb60b1ae65');
    const ids = ['浙330100900000001', '浙330100900000002', '浙330100900000003', '浙330100900000004'];
    const o = rankGroups(seed, ids, [Int32Array.from([0, 1, 2, 3])], ['91330106MA0000002Y'], Int32Array.from([0]), 4);
    expect(Array.from(o.idx, (i) => ids[i]!.slice(-1))).toEqual(['3', '4', '2', '1']);
    expect(keyHex(o.keys, 0)).toBe('05b9daf1ffacec16a4444b38ce96ee28435f8c8b3d5ebd6b92db9f31791e427a');
  });

  it('equals the reference for every quota, for non-ASCII and multi-block inputs', () => {
    // Lengths up to 200 bytes cross one, two, three and four SHA-256 blocks; '长' is three UTF-8 bytes.
    const texts = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? '长' : '') + fakeCreditCode('330106', i + 1, '91') + 'x'.repeat((i * 37) % 200));
    const codes = canonicalCodes(texts);
    for (const q of [0, 1, 2, 17, 299, 300, 400]) {
      const ref = selectObjects(sha, seed, [{ cls: 'B', quota: q, creditCodes: codes }]);
      const r = lowestKeys(objectPrefix(seed, 'B'), codes, q);
      expect(Array.from(r.idx, (i, j) => ({ class: 'B', creditCode: codes[i]!, key: keyHex(r.keys, 8 * j) }))).toEqual(ref);
    }
    const ids = texts.slice(0, 120).map((t, i) => `浙${i}${t}`);
    const group = Int32Array.from({ length: 120 }, (_, i) => (i * 53) % 120);
    for (const k of [1, 2, 8, 120, 130]) {
      const r = rankGroups(seed, ids, [group], [codes[5]!, codes[250]!], Int32Array.from([0, 0]), k);
      [codes[5]!, codes[250]!].forEach((code, item) => {
        const ref = rankOfficers(sha, seed, code, Array.from(group, (o) => ids[o]!)).slice(0, k).map((x) => `${x.officerId} ${x.key}`);
        const got = Array.from(r.idx.subarray(item * k, item * k + k)).flatMap((o, j) => (o < 0 ? [] : [`${ids[o]} ${keyHex(r.keys, (item * k + j) * 8)}`]));
        expect(got).toEqual(ref);
      });
    }
  });

  it('selects the same objects in worker threads as in one thread', async () => {
    const codes = canonicalCodes(Array.from({ length: 5000 }, (_, i) => fakeCreditCode('330106', i + 1, '91')));
    const classes = [{ cls: 'A', quota: 150, creditCodes: codes.slice(0, 3000) }, { cls: 'D', quota: 1000, creditCodes: codes.slice(3000) }, { cls: 'C', quota: 5, creditCodes: [] }];
    const two = new DrawWorkers(2);
    try {
      const parallel = await selectObjectsFast(two, seed, classes);
      expect(parallel).toEqual(selectObjects(sha, seed, classes));
      expect(await selectObjectsFast(new DrawWorkers(1), seed, classes)).toEqual(parallel);
    } finally {
      await two.close();
    }
  });
});

/** Two departments; tight workload caps, conflicts and rotation so that many teams go past the spares. */
function world(opts: { officersPerArea: number; cap: number }) {
  const regions = ['330102', '330105', '330106', '330108'];
  const codes = Array.from({ length: 2000 }, (_, i) => fakeCreditCode(regions[i % 4]!, i + 1, '91'));
  const regionOf = new Map(codes.map((c, i) => [c, { region: regions[i % 4]! }]));
  const departments = ['d1', 'd2'].map((d, dIx) => ({
    departmentId: d,
    officers: Array.from({ length: regions.length * opts.officersPerArea + 3 }, (_, i) => ({
      officerId: `${d}-o${i}`, certificateNumber: `浙${dIx}${String(330100900000000 + i)}`, categories: i % 11 === 5 ? ['食品'] : ['市场监管'],
      // Some officers cover a city prefix (every region), most one district; a few are on leave.
      areas: i % 9 === 0 ? ['3301'] : [regions[i % regions.length]!], unit: 'u', available: i % 13 !== 7, workloadCap: opts.cap + (i % 3), load: Math.floor(i / 4) % 3,
    })),
  }));
  const pool: PoolDocument = { departments, conflicts: [], recent: {} };
  for (let i = 0; i < codes.length; i += 3) pool.conflicts.push(conflictDigest(`d1-o${i % departments[0]!.officers.length}`, codes[i]!));
  for (let i = 0; i < codes.length; i += 5) (pool.recent[`d2-o${i % departments[1]!.officers.length}`] ??= []).push(codes[i]!);
  pool.conflicts.sort();
  const classes = [{ class: 'A', creditCodes: canonicalCodes(codes.slice(0, 1200)) }, { class: 'B', creditCodes: canonicalCodes(codes.slice(1200)) }];
  const document: CommitmentDocument = {
    algorithm: 'sanxiang-draw/v1', task: 't', classes: [{ class: 'A', count: 1200, quota: 90, root: '' }, { class: 'B', count: 800, quota: 60, root: '' }], sources: [],
    matterCategory: '市场监管', inspectionDate: '2026-06-01', teamSize: 2, rotationDays: 365, pool: '',
  };
  return { c: { document, candidates: classes, pool }, regionOf };
}

/** The draw as written before the fast path: every eligible officer ranked for every selected object. */
function referenceTeams(selected: { creditCode: string }[], objects: Map<string, ObjectInfo>, c: ReturnType<typeof world>['c']) {
  const load = new Map<string, number>();
  const conflicts = new Set(c.pool.conflicts);
  return selected.map((s) => ({
    creditCode: s.creditCode,
    departments: c.pool.departments.map((d) => {
      const { ranked } = eligibleRanked(seed, s.creditCode, objects.get(s.creditCode)!, d, c.pool, c.document, load, conflicts);
      if (ranked.length < c.document.teamSize) throw new Error('too few');
      const team = ranked.slice(0, c.document.teamSize);
      for (const m of team) load.set(m.officer.officerId, (load.get(m.officer.officerId) ?? m.officer.load) + 1);
      return { departmentId: d.departmentId, officers: team.map((m) => ({ officerId: m.officer.officerId, certificateNumber: m.officer.certificateNumber, key: m.key })) };
    }),
  }));
}

describe('the draw in worker threads (R-D02 C–E)', () => {
  it('gives the same selection and teams as one thread and as the reference ranking', async () => {
    const { c, regionOf } = world({ officersPerArea: 20, cap: 6 });
    const regions = async (codes: string[]) => new Map(codes.map((x) => [x, regionOf.get(x)!]));
    const parallel = await computeDraw(seed, c, regions, { threads: 2, minHashes: 0 });
    const single = await computeDraw(seed, c, regions, { threads: 1 });
    expect(parallel).toEqual(single);
    const quotas = new Map(c.document.classes.map((k) => [k.class, k.quota]));
    expect(parallel.selected).toEqual(selectObjects(sha, seed, c.candidates.map((k) => ({ cls: k.class, quota: quotas.get(k.class)!, creditCodes: k.creditCodes }))));
    expect(parallel.teams).toEqual(referenceTeams(parallel.selected, regionOf, c));
    // The caps bind: some officers reached theirs, so later teams were formed from past the first picks.
    const assigned = new Map<string, number>();
    for (const t of parallel.teams) for (const d of t.departments) for (const o of d.officers) assigned.set(o.officerId, (assigned.get(o.officerId) ?? 0) + 1);
    const full = c.pool.departments.flatMap((d) => d.officers).filter((o) => (assigned.get(o.officerId) ?? 0) + o.load >= o.workloadCap);
    expect(full.length).toBeGreaterThan(10);
    for (const o of c.pool.departments.flatMap((d) => d.officers)) expect((assigned.get(o.officerId) ?? 0) + o.load).toBeLessThanOrEqual(Math.max(o.load, o.workloadCap));
  });

  it('refuses with the reasons when an object has fewer than two eligible officers, in worker threads too', async () => {
    const { c, regionOf } = world({ officersPerArea: 2, cap: 2 });
    const regions = async (codes: string[]) => new Map(codes.map((x) => [x, regionOf.get(x)!]));
    const err = await computeDraw(seed, c, regions, { threads: 2, minHashes: 0 }).catch((e: Error & { detail?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { detail?: string }).detail).toMatch(/只有 [01] 名符合条件的执法检查人员（.*达到工作量上限 \d+ 名.*），少于 2 名/);
    const single = await computeDraw(seed, c, regions, { threads: 1 }).catch((e: { detail?: string }) => e);
    expect((single as { detail?: string }).detail).toBe((err as { detail?: string }).detail);
  });
});
