// Time limits of supervision as data, per province (supervision.md §2.4, §4): the 条例 sets none, the
// provincial 行政执法监督条例 do. Keyed by the first two digits of the region code; `default` follows
// 四川 (2021) for matters and the common municipal rule for complaints (受理 5 working days, 办结 30 + 30
// days). COMPLAINT_ACCEPT_WORKING_DAYS overrides the complaint intake limit for an installation.
export interface ClockRule {
  days: number;
  unit: 'working' | 'calendar';
  basis: string;
}

export interface SupervisionClocks {
  complaintAccept: ClockRule;
  complaintClose: ClockRule;
  complaintExtension: ClockRule;
  /** Written notice to the agency after a matter is opened. */
  notice: ClockRule;
  /** The agency's explanation and evidence. */
  explanation: ClockRule;
  /** Correction and written report after a 督办函/意见书/决定书. */
  correction: ClockRule;
  /** Objection (复查) answered by the supervising body, extendable once by as much. */
  objectionReview: ClockRule;
}

const SICHUAN: SupervisionClocks = {
  complaintAccept: { days: 5, unit: 'working', basis: '郑州、隆回等地投诉举报办法：5 个工作日内决定是否受理（可配置）' },
  complaintClose: { days: 30, unit: 'calendar', basis: '郑州等地投诉举报办法：受理之日起 30 日内办结' },
  complaintExtension: { days: 30, unit: 'calendar', basis: '情况复杂的，经批准可延长一次，延长不超过 30 日' },
  notice: { days: 5, unit: 'calendar', basis: '《四川省行政执法监督条例》第三十二条：立案之日起 5 日内书面通知' },
  explanation: { days: 10, unit: 'calendar', basis: '《四川省行政执法监督条例》第三十二条：收到通知之日起 10 日内书面说明并提供证据' },
  correction: { days: 30, unit: 'calendar', basis: '《四川省行政执法监督条例》第三十三条、第三十四条：30 日内自行纠正并书面报告' },
  objectionReview: { days: 15, unit: 'calendar', basis: '《四川省行政执法监督条例》第三十三条：申请复查之日起 15 日内答复（河北第二十一条：可延长 15 日）' },
};

const CHONGQING: SupervisionClocks = {
  ...SICHUAN,
  objectionReview: { days: 15, unit: 'working', basis: '《重庆市行政执法监督条例》第二十一条：15 个工作日内作出复查决定' },
};

export const PROVINCE_CLOCKS: Record<string, SupervisionClocks> = { default: SICHUAN, '51': SICHUAN, '50': CHONGQING };

export function clocksFor(regionCode: string, env: NodeJS.ProcessEnv = process.env): SupervisionClocks {
  const base = PROVINCE_CLOCKS[regionCode.slice(0, 2)] ?? PROVINCE_CLOCKS.default!;
  const n = Number(env.COMPLAINT_ACCEPT_WORKING_DAYS);
  if (Number.isInteger(n) && n >= 1 && n <= 60) return { ...base, complaintAccept: { ...base.complaintAccept, days: n, basis: `${base.complaintAccept.basis}；本平台设置为 ${n} 个工作日` } };
  return base;
}
