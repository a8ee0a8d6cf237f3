// The device register and custodians (src/devices/routes.ts, R-R05, R-R10). Shapes follow
// src/devices/service.ts; the server validates every call.
import { request } from './api.ts';
import type { DeviceKind, DeviceStatus, CustodyKind } from '../../src/devices/schema.ts';

export type { DeviceKind, DeviceStatus, CustodyKind };

export interface Device {
  id: string;
  agencyId: string;
  agencyName: string;
  kind: DeviceKind;
  kindLabel: string;
  serial: string;
  name: string;
  configuration: string;
  custodian: string;
  status: DeviceStatus;
  statusLabel: string;
  records?: number;
}

export interface Handover {
  endedAt: string;
  uploadedAt: string;
  delaySeconds: number;
  limitHours: number | null;
  late: boolean | null;
}

export interface DeviceRecord {
  id: string;
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  kindLabel: string;
  title: string;
  startedAt: string;
  endedAt: string;
  recorder: string;
  custodian: string;
  handover: Handover | null;
}

export interface Custodian {
  id: number;
  kind: CustodyKind;
  kindLabel: string;
  name: string;
  phone: string;
  storage: string;
  since: string;
}

const id = encodeURIComponent;

export const devicesApi = {
  list: (q: { agencyId?: string; status?: DeviceStatus } = {}) => request<{ items: Device[] }>('/devices', { query: q }),
  get: (deviceId: string) => request<Device & { records: DeviceRecord[] }>(`/devices/${id(deviceId)}`),
  add: (body: { agencyId: string; kind: DeviceKind; serial: string; name: string; configuration?: string; custodian: string }) => request<Device>('/devices', { method: 'POST', body }),
  setStatus: (deviceId: string, body: { status: DeviceStatus; reason: string; custodian?: string }) => request<Device>(`/devices/${id(deviceId)}/status`, { method: 'POST', body }),
  custodians: (agencyId: string) =>
    request<{ agencyId: string; current: { kind: CustodyKind; kindLabel: string; custodian: Custodian | null }[]; history: Custodian[] }>('/custodians', { query: { agencyId } }),
  nameCustodian: (body: { agencyId: string; kind: CustodyKind; name: string; phone?: string; storage?: string; since: string }) => request<unknown>('/custodians', { method: 'POST', body }),
};

/** How long a hand-over took, in words: 2 小时 5 分. */
export function delayText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} 小时 ${m} 分` : `${m} 分`;
}
