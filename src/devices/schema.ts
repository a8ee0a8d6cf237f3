// The device register and named custodians (R-R05, R-R10): one schema per input, used by API and demo.
import { z } from 'zod';
import { isoDate } from '../platform/validation.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const DEVICE_KINDS = ['body_camera', 'recorder', 'camera', 'mobile_terminal', 'interview_room', 'hearing_room'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  body_camera: '执法记录仪',
  recorder: '录音设备',
  camera: '照相、摄像设备',
  mobile_terminal: '移动执法终端',
  interview_room: '询问室固定录音录像',
  hearing_room: '听证室固定录音录像',
};
export const DEVICE_STATUSES = ['in_service', 'under_repair', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const DEVICE_STATUS_LABELS: Record<DeviceStatus, string> = { in_service: '在用', under_repair: '维修中', retired: '已报废停用' };

/** A serial is what the record names: letters, digits, CJK, dash, dot, slash; no spaces or control characters. */
const serial = required('设备编号', 60).regex(/^[\p{L}\p{N}][\p{L}\p{N}\-_./]*$/u, '设备编号只能由文字、字母、数字和 - _ . / 组成');

export const DeviceInput = z.object({
  agencyId: z.uuid('执法主体编号格式不正确'),
  kind: z.enum(DEVICE_KINDS, `设备类型应为 ${DEVICE_KINDS.join('、')} 之一`),
  serial,
  name: required('设备名称和型号', 100),
  /** 配置: resolution, storage, encryption, time sync … (R-R10 equipment standards). */
  configuration: text('配置', 1000).default(''),
  custodian: required('保管人', 50),
});
export type DeviceInput = z.infer<typeof DeviceInput>;

export const DeviceStatusInput = z.object({
  status: z.enum(DEVICE_STATUSES, `状态应为 ${DEVICE_STATUSES.join('、')} 之一`),
  reason: required('变更原因', 500),
  custodian: required('保管人', 50).optional(),
});
export type DeviceStatusInput = z.infer<typeof DeviceStatusInput>;

export const DeviceQuery = z.object({
  agencyId: z.uuid('执法主体编号格式不正确').optional(),
  status: z.enum(DEVICE_STATUSES, `状态应为 ${DEVICE_STATUSES.join('、')} 之一`).optional(),
  kind: z.enum(DEVICE_KINDS, `设备类型应为 ${DEVICE_KINDS.join('、')} 之一`).optional(),
});

export const CUSTODY_KINDS = ['records', 'ledgers', 'documents'] as const;
export type CustodyKind = (typeof CUSTODY_KINDS)[number];
export const CUSTODY_KIND_LABELS: Record<CustodyKind, string> = { records: '执法记录（音像、文字）', ledgers: '执法台账', documents: '执法文书' };

export const CustodianInput = z.object({
  agencyId: z.uuid('执法主体编号格式不正确'),
  kind: z.enum(CUSTODY_KINDS, `保管对象应为 ${CUSTODY_KINDS.join('、')} 之一`),
  name: required('保管人', 50),
  phone: text('联系电话', 30).regex(/^[0-9+\- ]*$/, '联系电话只能包含数字、+、- 和空格').default(''),
  /** Where it is kept: the dedicated storage (R-R05 专用存储设备或系统). */
  storage: text('存放场所或系统', 200).default(''),
  since: isoDate('起始日期'),
});
export type CustodianInput = z.infer<typeof CustodianInput>;
export const AgencyQuery = z.object({ agencyId: z.uuid('执法主体编号格式不正确') });
