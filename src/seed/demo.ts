// The demo data set: one city with several counties, agencies of several fields, officers,
// reviewers, and a user for every role (passwords in README.md). Loaded only into an empty database.
// Production installs (`sanxiang init`) get none of it: only an administrator with a generated password.
import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import type { Actor, Role } from '../platform/actor.ts';
import { hashPassword } from '../accounts/passwords.ts';
import * as registry from '../registry/service.ts';
import { createRng, fakeCreditCode, fakeIdNumber, fakeCertificateNumber, fakePersonName } from '../registry/fake.ts';
import { AgencyInput } from '../registry/schema.ts';
import { generateOfficers } from './generate.ts';
import { loadCaseDemo } from '../cases/demo.ts';
import { loadPublicityDemo } from '../publicity/demo.ts';
import { loadSupervisionDemo } from '../supervision/demo.ts';
import { linkDemoOfficerAccounts } from '../registry/officer-accounts.ts';
import { AppError } from '../platform/errors.ts';
import { loadInspectionDemo } from '../inspections/demo.ts';
import { loadAnnualDemo } from '../annual/demo.ts';
import { loadBoardsDemo } from '../boards/demo.ts';
import { loadApplyDemo } from '../guides/apply-demo.ts';
import { loadAssistDemo } from '../assist/demo.ts';
import { loadReviewDemo, loadReviewRegistryDemo } from '../review/demo.ts';
import { loadDeviceDemo } from '../devices/demo.ts';

export const DEMO_PASSWORD = 'Sanxiang@2026';
/** Demo administrators' TOTP secret (base32), printed in README.md so an evaluator can add it to an authenticator app. */
export const DEMO_TOTP_SECRET = 'SANXIANGDEMOTOTPSECRETKEYABCDEFG';

const SYSTEM: Actor = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'system', role: 'system_admin', agencyId: '', jurisdiction: null, scopes: [] };

interface DemoAgency extends Omit<AgencyInput, 'creditCode' | 'entrustingAgencyId' | 'parentId'> {
  key: string;
  parent?: string;
  entrustedBy?: string;
}

const CITY = '330100';
/** Officers added in bulk to the demo agencies, so that lists, search and the ledger have some weight. */
const DEMO_BULK_OFFICERS = 2400;
const areaOf = (a: { level: string; name: string }) => (a.level === 'city' ? '演示市' : a.name.replace(/(区|县).*$/, '$1'));
const base = { duties: '', legalBasis: '', address: '', phone: '', reviewUnit: '法制科' };

// A real region (杭州市 and its districts) with clearly marked demo names: every agency is prefixed 演示.
const AGENCIES: DemoAgency[] = [
  { key: 'city_gov', name: '演示市人民政府', kind: 'government', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: [], ...base, reviewUnit: '市司法局' },
  { key: 'city_sfj', name: '演示市司法局', kind: 'justice_bureau', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: ['行政执法监督'], ...base, parent: 'city_gov', duties: '负责全市行政执法协调监督、执法证件管理。', reviewUnit: '法治督察处' },
  { key: 'city_scjg', name: '演示市市场监督管理局', kind: 'enforcement', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: ['市场监管', '食品安全', '知识产权'], ...base, parent: 'city_gov', duties: '市场综合监督管理，查处违法行为。', legalBasis: '《中华人民共和国行政处罚法》《中华人民共和国食品安全法》', reviewUnit: '法规处', address: '演示市民心路 100 号', phone: '0571-00000001' },
  { key: 'city_sthj', name: '演示市生态环境局', kind: 'enforcement', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: ['生态环境'], ...base, parent: 'city_gov', legalBasis: '《中华人民共和国环境保护法》' },
  { key: 'city_jtys', name: '演示市交通运输局', kind: 'enforcement', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: ['交通运输'], ...base, parent: 'city_gov', legalBasis: '《中华人民共和国道路运输条例》' },
  { key: 'city_yjgl', name: '演示市应急管理局', kind: 'enforcement', level: 'city', regionCode: CITY, legalStatus: 'statutory', fields: ['安全生产'], ...base, parent: 'city_gov', legalBasis: '《中华人民共和国安全生产法》' },
  { key: 'xh_sfj', name: '演示市西湖区司法局', kind: 'justice_bureau', level: 'county', regionCode: '330106', legalStatus: 'statutory', fields: ['行政执法监督'], ...base },
  { key: 'xh_scjg', name: '演示市西湖区市场监督管理局', kind: 'enforcement', level: 'county', regionCode: '330106', legalStatus: 'statutory', fields: ['市场监管', '食品安全'], ...base, parent: 'city_scjg' },
  { key: 'xh_zhzf', name: '演示市西湖区综合行政执法局', kind: 'enforcement', level: 'county', regionCode: '330106', legalStatus: 'statutory', fields: ['综合行政执法', '市容环境'], ...base },
  { key: 'xh_jd', name: '演示市西湖区某街道综合行政执法队', kind: 'enforcement', level: 'township', regionCode: '330106', legalStatus: 'entrusted', entrustedBy: 'xh_zhzf', fields: ['市容环境'], ...base, duties: '受区综合行政执法局委托，在街道范围内实施市容环境类行政处罚。' },
  { key: 'xs_scjg', name: '演示市萧山区市场监督管理局', kind: 'enforcement', level: 'county', regionCode: '330109', legalStatus: 'statutory', fields: ['市场监管'], ...base, parent: 'city_scjg' },
  { key: 'yh_sthj', name: '演示市余杭区生态环境分局', kind: 'enforcement', level: 'county', regionCode: '330110', legalStatus: 'statutory', fields: ['生态环境'], ...base, parent: 'city_sthj' },
  { key: 'tl_zhzf', name: '演示市桐庐县综合行政执法局', kind: 'enforcement', level: 'county', regionCode: '330122', legalStatus: 'statutory', fields: ['综合行政执法'], ...base },
  { key: 'ca_sfj', name: '演示市淳安县司法局', kind: 'justice_bureau', level: 'county', regionCode: '330127', legalStatus: 'statutory', fields: ['行政执法监督'], ...base },
];


export const DEMO_USERS: { username: string; displayName: string; role: Role; agency: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'system_admin', agency: 'city_sfj' },
  { username: 'sfj', displayName: '市司法局 监督员', role: 'supervisor', agency: 'city_sfj' },
  { username: 'xhsfj', displayName: '西湖区司法局 监督员', role: 'supervisor', agency: 'xh_sfj' },
  { username: 'scjg_admin', displayName: '市市场监管局 管理员', role: 'agency_admin', agency: 'city_scjg' },
  { username: 'scjg_head', displayName: '市市场监管局 局长', role: 'agency_head', agency: 'city_scjg' },
  { username: 'scjg_reviewer', displayName: '市市场监管局 法制审核员', role: 'reviewer', agency: 'city_scjg' },
  { username: 'sfj_reviewer', displayName: '市司法局 法律顾问', role: 'reviewer', agency: 'city_sfj' },
  { username: 'scjg_officer', displayName: '市市场监管局 执法人员', role: 'officer', agency: 'city_scjg' },
  { username: 'sthj_officer', displayName: '市生态环境局 执法人员', role: 'officer', agency: 'city_sthj' },
  { username: 'xhzf_admin', displayName: '西湖区综合执法局 管理员', role: 'agency_admin', agency: 'xh_zhzf' },
];

async function isEmpty(ctx: AppContext) {
  const { rows } = await ctx.db.query<{ n: number }>(`SELECT (SELECT count(*) FROM users)::int + (SELECT count(*) FROM agencies)::int AS n`);
  return rows[0]!.n === 0;
}

export async function loadDemoIfEmpty(ctx: AppContext): Promise<boolean> {
  if (!(await isEmpty(ctx))) return false;
  // Cases at every step of every procedure, with real documents: slow (about 30 s on PGlite), so
  // only on a real first start, not in every test that needs the registry demo.
  const ids = await loadDemo(ctx);
  await loadCaseDemo(ctx, ids);
  await loadReviewDemo(ctx);
  await loadInspectionDemo(ctx, ids);
  await loadPublicityDemo(ctx);
  await loadSupervisionDemo(ctx);
  await loadAnnualDemo(ctx, ids);
  await loadAssistDemo(ctx);
  if (ids.get('city_scjg')) await loadBoardsDemo(ctx, ids.get('city_scjg')!);
  if (ids.get('city_scjg')) await loadApplyDemo(ctx, ids.get('city_scjg')!);
  await loadDeviceDemo(ctx, ids);
  return true;
}

export async function loadDemo(ctx: AppContext) {
  const ids = new Map<string, string>();
  let seq = 0;
  for (const a of AGENCIES) {
    const { key, parent, entrustedBy, ...rest } = a;
    const created = await registry.createAgency(ctx, null, SYSTEM, {
      ...rest,
      creditCode: fakeCreditCode(a.regionCode, ++seq),
      parentId: parent ? ids.get(parent)! : null,
      entrustingAgencyId: entrustedBy ? ids.get(entrustedBy)! : null,
    });
    ids.set(key, created.id);
  }

  // Officers: a handful per enforcement agency, one certificate in each non-valid state for the demo.
  let n = 0;
  const officerIds: string[] = [];
  const rng = createRng('sanxiang-demo');
  for (const a of AGENCIES.filter((x) => x.kind === 'enforcement')) {
    const count = a.key === 'city_scjg' ? 24 : 8;
    for (let i = 0; i < count; i++, n++) {
      const person = fakePersonName(rng);
      const stateCouncil = n % 17 === 5;
      const created = await registry.createOfficer(ctx, null, SYSTEM, {
        agencyId: ids.get(a.key)!,
        name: person.name,
        gender: person.gender,
        idNumber: fakeIdNumber(n, person.gender),
        certificateNumber: fakeCertificateNumber(a.regionCode, n),
        issuerType: stateCouncil ? 'state_council' : 'province',
        justiceRegistration: stateCouncil ? `演示备案〔2025〕${n}号` : null,
        category: a.fields[0] ?? '综合行政执法',
        area: areaOf(a),
        validFrom: '2024-01-01',
        validTo: n % 23 === 7 ? '2025-12-31' : n % 11 === 3 ? '2027-01-31' : '2029-12-31',
        status: 'valid',
        qualification: n % 9 === 4 ? 'legal_professional' : 'exam',
        examPassedOn: n % 9 === 4 ? null : '2023-11-18',
      });
      officerIds.push(created.id);
      if (i === 0) await registry.addTraining(ctx, null, SYSTEM, created.id, { title: '2026 年度行政执法人员公共法律知识培训', heldOn: '2026-03-15', hours: 16 });
    }
  }
  await registry.setOfficerStatus(ctx, null, SYSTEM, officerIds[2]!, 'suspended', '演示：涉嫌违规执法，暂扣执法证调查');
  await registry.setOfficerStatus(ctx, null, SYSTEM, officerIds[3]!, 'revoked', '演示：调离执法岗位，收回并注销执法证');

  // The bulk of each agency's staff, registered in bulk: every officer is still its own event and ledger entry.
  await generateOfficers(ctx, {
    count: DEMO_BULK_OFFICERS,
    seed: 2026,
    agencies: AGENCIES.filter((a) => a.kind === 'enforcement').map((a) => ({
      id: ids.get(a.key)!, regionCode: a.regionCode, category: a.fields[0] ?? '综合行政执法', area: areaOf(a), weight: a.key === 'city_scjg' ? 4 : 1,
    })),
  });

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const admin = u.role === 'system_admin' || u.role === 'agency_admin';
    userIds.set(u.username, crypto.randomUUID());
    await ctx.db.query(
      `INSERT INTO users (id, username, display_name, agency_id, role, password_hash, totp_secret, totp_confirmed) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [userIds.get(u.username)!, u.username, u.displayName, ids.get(u.agency)!, u.role, passwordHash, admin ? DEMO_TOTP_SECRET : null, admin],
    );
  }

  // Reviewers: the city market regulator meets the 5% floor, some county agencies do not (R-L03). The
  // first of the regulator's and the justice bureau's shared adviser sign in as scjg_reviewer and sfj_reviewer.
  const signsAs: Record<string, string> = { 孙法审: 'scjg_reviewer', 郑顾问: 'sfj_reviewer' };
  for (const [key, names] of [['city_scjg', ['孙法审', '钱法审']], ['city_sthj', ['周法审']], ['xh_zhzf', ['吴法审']], ['city_sfj', ['郑顾问']]] as const) {
    for (const name of names) {
      await registry.addReviewer(ctx, null, SYSTEM, {
        agencyId: ids.get(key)!, name, role: key === 'city_sfj' ? 'legal_adviser' : 'reviewer', qualification: '法律职业资格', phone: '', shared: key === 'city_sfj',
        userId: signsAs[name] ? userIds.get(signsAs[name])! : null,
      });
    }
  }
  await linkDemoOfficerAccounts(ctx);
  await loadReviewRegistryDemo(ctx, ids, DEMO_PASSWORD);
  await ctx.db.query(`INSERT INTO settings (key, value) VALUES ('demo', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`);
  return ids;
}

/**
 * A production install: the justice bureau that runs the platform and one system administrator with a
 * generated password; no demo data. The bureau is validated like any agency (credit code check character).
 */
export async function initProduction(ctx: AppContext, bureau: { name: string; creditCode: string; regionCode: string }): Promise<{ username: string; password: string } | null> {
  if (!(await isEmpty(ctx))) return null;
  const level = bureau.regionCode.endsWith('0000') ? 'province' : bureau.regionCode.endsWith('00') ? 'city' : 'county';
  const input = AgencyInput.safeParse({ ...bureau, kind: 'justice_bureau', level, legalStatus: 'statutory', fields: ['行政执法监督'] });
  if (!input.success) throw new AppError('validation', { detail: input.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；') });
  const created = await registry.createAgency(ctx, null, SYSTEM, input.data);
  const password = crypto.randomBytes(12).toString('base64url') + 'a1!';
  await ctx.db.query(
    `INSERT INTO users (id, username, display_name, agency_id, role, password_hash, must_change_password) VALUES ($1, 'admin', '系统管理员', $2, 'system_admin', $3, true)`,
    [crypto.randomUUID(), created.id, await hashPassword(password)],
  );
  return { username: 'admin', password };
}
