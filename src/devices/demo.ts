// Demo device registers and custodians (R-R05, R-R10): every demo enforcement agency has its body
// cameras (including DSJ-演示-001, which the demo cases' records name), a mobile terminal, the interview
// and hearing rooms' fixed recording, one device under repair and one retired; the city market regulator
// gets two more AV records from a registered body camera, one of them handed over late.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { storeEvidence } from '../blobs/service.ts';
import { addRecord } from '../cases/records.ts';
import { addDevice, nameCustodian, setDeviceStatus } from './service.ts';
import type { DeviceKind } from './schema.ts';

const DEVICES: { kind: DeviceKind; serial: string; name: string; configuration: string; custodian: string }[] = [
  { kind: 'body_camera', serial: 'DSJ-演示-001', name: '执法记录仪 DSJ-V9', configuration: '1080P，夜视，GPS，北斗授时，AES 加密存储，续航 10 小时', custodian: '装备管理员 周某' },
  { kind: 'body_camera', serial: 'DSJ-2026-001', name: '执法记录仪 DSJ-V9', configuration: '1080P，夜视，GPS，北斗授时，AES 加密存储，续航 10 小时', custodian: '装备管理员 周某' },
  { kind: 'body_camera', serial: 'DSJ-2026-002', name: '执法记录仪 DSJ-V9', configuration: '1080P，夜视，GPS，AES 加密存储', custodian: '装备管理员 周某' },
  { kind: 'mobile_terminal', serial: 'YDZF-2026-001', name: '移动执法终端（手机）', configuration: '执法 App，拍照、录像即时上传证据库', custodian: '装备管理员 周某' },
  { kind: 'recorder', serial: 'LY-2025-003', name: '录音笔 LY-300', configuration: '双麦克风，32 GB，时间戳', custodian: '装备管理员 周某' },
  { kind: 'interview_room', serial: 'XWS-01', name: '一号询问室同步录音录像系统', configuration: '两路摄像头、拾音器，画面叠加时间，直连证据库', custodian: '办案区管理员 陈某' },
  { kind: 'hearing_room', serial: 'TZS-01', name: '听证室录音录像系统', configuration: '三路摄像头、会议拾音，全程录制', custodian: '法规科 孙某' },
  { kind: 'camera', serial: 'XJ-2024-001', name: '数码相机', configuration: '2400 万像素，GPS 水印', custodian: '装备管理员 周某' },
  { kind: 'body_camera', serial: 'DSJ-2022-009', name: '执法记录仪（旧型号）', configuration: '720P', custodian: '装备管理员 周某' },
];

async function actorOf(ctx: AppContext, agencyId: string, role: 'agency_admin' | 'officer'): Promise<Actor | null> {
  const { rows } = await ctx.db.query<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE agency_id = $1 AND role = $2 AND NOT disabled ORDER BY username LIMIT 1`, [agencyId, role]);
  const u = rows[0];
  return u ? { kind: 'user', id: u.id, name: u.display_name, role, agencyId, jurisdiction: null, scopes: [] } : null;
}

export async function loadDeviceDemo(ctx: AppContext, ids: Map<string, string>) {
  for (const [key, agencyId] of ids) {
    const { rows } = await ctx.db.query<{ kind: string }>(`SELECT kind FROM agencies WHERE id = $1`, [agencyId]);
    if (rows[0]?.kind !== 'enforcement') continue;
    // The demo's administrators may be missing for some agencies: act as the agency's administrator all the same.
    const admin: Actor = (await actorOf(ctx, agencyId, 'agency_admin')) ?? { kind: 'user', id: crypto.randomUUID(), name: '演示管理员', role: 'agency_admin', agencyId, jurisdiction: null, scopes: [] };
    const made = new Map<string, string>();
    for (const d of DEVICES) made.set(d.serial, (await addDevice(ctx, null, admin, { agencyId, ...d })).id);
    await setDeviceStatus(ctx, null, admin, made.get('DSJ-2026-002')!, { status: 'under_repair', reason: '电池鼓包，送厂维修' });
    await setDeviceStatus(ctx, null, admin, made.get('DSJ-2022-009')!, { status: 'retired', reason: '超过使用年限，画质不满足取证要求，报废' });
    for (const [kind, name, storage] of [['records', '证据保管员 周某', '证据库（音像记录专用存储）'], ['ledgers', '档案员 李某', '档案室 3 号柜'], ['documents', '法规科 孙某', '档案室 1 号柜、电子档案系统']] as const) {
      await nameCustodian(ctx, null, admin, { agencyId, kind, name, phone: '0571-00000001', storage, since: '2026-01-01' });
    }
    if (key === 'city_scjg') await demoRecords(ctx, agencyId);
  }
}

/** Two records of an open case from the body camera DSJ-2026-001: one handed over in time, one 30 hours after the recording ended. */
async function demoRecords(ctx: AppContext, agencyId: string) {
  const officer = await actorOf(ctx, agencyId, 'officer');
  const c = (await ctx.db.query<{ id: string }>(`SELECT id FROM cases WHERE agency_id = $1 AND procedure_id = 'penalty-general' AND status <> 'archived' ORDER BY created_at LIMIT 1`, [agencyId])).rows[0];
  if (!officer || !c) return;
  const now = Date.now();
  for (const [hours, title] of [[2, '询问同步录像'], [30, '询问同步录像（补传）']] as const) {
    const bytes = Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), crypto.createHash('sha256').update(`${c.id}:${hours}`).digest(), Buffer.from(`演示录像：${title}`, 'utf8')]);
    const stored = await storeEvidence(ctx, officer, { body: Readable.from([bytes]), mediaType: 'video/mp4', filename: `inquiry-${hours}h.mp4`, declaredLength: bytes.length });
    const endedAt = new Date(now - hours * 3600_000);
    await addRecord(ctx, null, officer, c.id, {
      kind: 'video', step: 'inquiry', title, description: hours > 24 ? '询问全过程同步录像。执法记录仪在外勤途中未能及时上传，次日补传（演示：移交超时）。' : '询问全过程同步录像，画面连续无中断（演示数据）。',
      blobSha256: stored.sha256, deviceId: 'DSJ-2026-001', startedAt: new Date(endedAt.getTime() - 40 * 60_000).toISOString(), endedAt: endedAt.toISOString(),
      place: '一号询问室', officerIds: [], custodian: '证据保管员 周某',
    });
  }
}
