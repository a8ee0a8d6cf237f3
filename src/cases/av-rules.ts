// The AV-record list (音像记录事项清单, R-R03): per agency and version, for every `av.rule` key of the
// procedure definitions, whether AV recording is mandatory for the whole process, as circumstances
// need, or optional — never below the step's statutory floor (R-R04) — plus who records, with which
// device, in which form, what it must show, its publicity, retention and who may view it (R-R06).
import type { Role } from '../platform/actor.ts';
import type { FieldError } from '../platform/errors.ts';
import { AV_LEVEL_LABELS, AV_LEVELS, listAllDefinitionVersions, type AvLevel, type ProcedureDefinition } from './procedures/index.ts';
import { AV_FORM_LABELS, type AvRule } from './schema.ts';
import type { RecordKind } from './schema.ts';

export const AV_RULE_LABELS: Record<string, string> = {
  on_site_inspection: '现场检查（勘验）',
  inquiry: '询问',
  evidence_collection: '调查取证（抽样取证等）',
  evidence_preservation: '证据先行登记保存',
  hearing: '听证',
  service: '送达（含留置送达、公告送达）',
  seizure: '查封、扣押',
  seizure_release: '解除查封、扣押',
  on_site_enforcement: '当场执法（简易程序）',
  site_verification: '许可现场核查',
};

export interface AvRuleKey {
  key: string;
  label: string;
  /** The strictest statutory floor of the steps that use the key. */
  minimum: AvLevel;
  steps: { procedure: string; procedureName: string; step: string; stepName: string }[];
}

const rank = (l: AvLevel) => AV_LEVELS.indexOf(l);

/** Every AV rule key of the given definitions (default: every built-in version), with its floor. */
export function avRuleKeys(defs: readonly ProcedureDefinition[] = listAllDefinitionVersions()): Map<string, AvRuleKey> {
  const out = new Map<string, AvRuleKey>();
  for (const d of defs) {
    for (const s of d.steps) {
      if (!s.av) continue;
      let k = out.get(s.av.rule);
      if (!k) out.set(s.av.rule, (k = { key: s.av.rule, label: AV_RULE_LABELS[s.av.rule] ?? s.av.rule, minimum: s.av.minimum, steps: [] }));
      if (rank(s.av.minimum) > rank(k.minimum)) k.minimum = s.av.minimum;
      if (!k.steps.some((x) => x.procedure === d.id && x.step === s.key)) k.steps.push({ procedure: d.id, procedureName: d.name, step: s.key, stepName: s.name });
    }
  }
  return out;
}

const VIEW_ROLES: Role[] = ['officer', 'agency_head', 'reviewer', 'supervisor'];

/** Kind of act, stage and place per key: the list's columns R-R10 names, in the seeds' words. */
const KEY_CONTEXT: Record<string, { actKind: string; stage: string; place: string }> = {
  on_site_inspection: { actKind: '行政检查', stage: '调查取证阶段 · 现场检查（勘验）', place: '当事人生产经营场所或检查现场' },
  inquiry: { actKind: '行政处罚', stage: '调查取证阶段 · 询问', place: '询问室（办案场所）或现场' },
  evidence_collection: { actKind: '行政处罚', stage: '调查取证阶段 · 抽样取证', place: '取证现场' },
  evidence_preservation: { actKind: '行政处罚', stage: '调查取证阶段 · 证据先行登记保存', place: '证据所在现场' },
  hearing: { actKind: '行政处罚', stage: '告知听证阶段 · 听证会', place: '听证室' },
  service: { actKind: '行政处罚、行政强制', stage: '送达阶段 · 文书送达（含留置送达、公告送达）', place: '受送达人住所或经营场所' },
  seizure: { actKind: '行政强制', stage: '强制措施 · 查封、扣押', place: '查封扣押现场' },
  seizure_release: { actKind: '行政强制', stage: '强制措施 · 解除查封、扣押', place: '查封扣押现场或财物保管场所' },
  on_site_enforcement: { actKind: '行政处罚', stage: '简易程序 · 当场处罚', place: '执法现场' },
  site_verification: { actKind: '行政许可', stage: '审查阶段 · 现场核查', place: '申请人生产经营场所' },
};

/** 执法行为用语指引 (R-R10): what the officer says at the steps of a key; the province's guide replaces these. */
const CONDUCT_LANGUAGE: string[] = [
  '您好，我们是××局执法人员×××、×××，这是我们的执法证件，请您查验。',
  '根据《中华人民共和国行政处罚法》的规定，现依法对您进行检查（调查），执法全过程将进行音像记录。',
  '您有权进行陈述和申辩；如认为执法人员与本案有直接利害关系，有权申请回避。',
  '请您如实回答问题、提供有关材料，请在笔录上核对后签名。',
];

/** What applies when an agency has published no list yet: the statutory floor, recorded on video where mandatory. */
export function defaultAvRule(key: string, minimum: AvLevel): AvRule {
  const mandatory = minimum === 'mandatory';
  const ctx = KEY_CONTEXT[key] ?? { actKind: '行政执法', stage: AV_RULE_LABELS[key] ?? key, place: '执法现场' };
  return {
    requirement: minimum,
    ...ctx,
    recorder: '主办执法人员或指定的辅助人员',
    device: '执法记录仪',
    forms: mandatory ? ['video'] : ['video', 'audio', 'photo'],
    requiredElements: mandatory
      ? ['执法人员出示执法证件、表明身份', '告知当事人理由、依据和权利', '现场状况和财物清点全过程', '当事人陈述申辩及签名（拒绝签名的情况）']
      : ['执法人员表明身份', '执法活动的主要过程', '当事人及有关人员的陈述'],
    content: mandatory ? '从执法人员到达现场、表明身份起，至执法活动结束、离开现场止，连续不间断记录。' : '记录执法活动的主要过程和关键环节。',
    keyPoints: ['开始记录时口述日期、时间、地点和执法事项', '画面清晰、声音可辨，不得选择性记录', '中断记录的，恢复后口述中断原因'],
    publicity: 'not_public',
    retention: { period: '与案卷保管期限相同', years: 30, method: '执法结束后24小时内上传证据库，按哈希存储，双介质备份', handoverHours: 24 },
    supervision: '法制审核机构每季度抽查音像记录，记录缺失、不规范的纳入执法评议考核',
    fullProcess: mandatory,
    conductLanguage: CONDUCT_LANGUAGE,
    viewRoles: VIEW_ROLES,
  };
}

export function defaultAvRules(keys = avRuleKeys()): Record<string, AvRule> {
  return Object.fromEntries([...keys.values()].map((k) => [k.key, defaultAvRule(k.key, k.minimum)]));
}

/**
 * 001's stricter set (R-R04): AV recording for 现场检查, 随机抽查 (done as an on-site inspection here),
 * 调查取证, 证据保全, 听证 and 文书送达, the whole process on video — a built-in starting point.
 */
export const STRICT_001_KEYS = ['on_site_inspection', 'inquiry', 'evidence_collection', 'evidence_preservation', 'hearing', 'service'] as const;

export function strict001Rules(keys = avRuleKeys()): Record<string, AvRule> {
  const out = defaultAvRules(keys);
  for (const k of STRICT_001_KEYS) {
    const r = out[k];
    if (!r) continue;
    out[k] = { ...r, requirement: 'mandatory', fullProcess: true, forms: [...new Set([...r.forms, 'video' as const])], content: defaultAvRule(k, 'mandatory').content };
  }
  return out;
}

/** Rows published before the list carried every R-R10 field: the missing fields come from the default. */
export function completeRule(key: string, minimum: AvLevel, r: Partial<AvRule>): AvRule {
  const d = defaultAvRule(key, minimum);
  return { ...d, ...r, retention: { ...d.retention, ...r.retention } };
}

/** R-R04: an agency may only be stricter than the law; mandatory means the whole process on video or audio. */
export function avRuleProblems(rules: Record<string, AvRule>, keys = avRuleKeys()): FieldError[] {
  const out: FieldError[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const k = keys.get(key);
    if (!k) {
      out.push({ field: `rules.${key}`, message: `程序中没有音像记录规则“${key}”（可用：${[...keys.keys()].join('、')}）` });
      continue;
    }
    if (rank(rule.requirement) < rank(k.minimum)) {
      out.push({ field: `rules.${key}.requirement`, message: `「${k.label}」依法应${AV_LEVEL_LABELS[k.minimum]}，清单不得低于此要求（R-R04）` });
    }
    if (rule.requirement === 'mandatory' && !rule.forms.some((f) => f === 'video' || f === 'audio' || f === 'surveillance')) {
      out.push({ field: `rules.${key}.forms`, message: `「${k.label}」须全程音像记录，记录形式应包括录像、录音或视频监控` });
    }
    if (rule.fullProcess && rule.requirement !== 'mandatory') {
      out.push({ field: `rules.${key}.fullProcess`, message: `「${k.label}」要求全过程音像记录的，记录要求应为必须记录` });
    }
  }
  return out;
}

/**
 * R-R10: an agency adopts the province's unified list and may only be stricter. For each entry of the
 * province's list: the requirement not lower, full-process not dropped, every form and required element
 * kept, no longer hand-over time, no shorter retention (0 = permanent), no extra roles allowed to view.
 */
export function weakerThanProvince(rules: Record<string, AvRule>, province: Record<string, AvRule>, keys = avRuleKeys()): FieldError[] {
  const out: FieldError[] = [];
  const years = (y: number) => (y === 0 ? Infinity : y);
  for (const [key, p] of Object.entries(province)) {
    const a = rules[key];
    if (!a) continue;
    const label = keys.get(key)?.label ?? key;
    const f = (field: string, what: string) => out.push({ field: `rules.${key}.${field}`, message: `「${label}」${what}，低于全省统一清单（R-R10）` });
    if (rank(a.requirement) < rank(p.requirement)) f('requirement', `记录要求为“${AV_LEVEL_LABELS[a.requirement]}”，全省清单为“${AV_LEVEL_LABELS[p.requirement]}”`);
    if (p.fullProcess && !a.fullProcess) f('fullProcess', '未要求全过程音像记录');
    const forms = p.forms.filter((x) => !a.forms.includes(x));
    if (forms.length) f('forms', `缺少记录形式 ${forms.map((x) => AV_FORM_LABELS[x]).join('、')}`);
    const elements = p.requiredElements.filter((x) => !a.requiredElements.includes(x));
    if (elements.length) f('requiredElements', `缺少记录要素“${elements.join('”“')}”`);
    if (a.retention.handoverHours > p.retention.handoverHours) f('retention.handoverHours', `移交时限 ${a.retention.handoverHours} 小时，长于全省清单的 ${p.retention.handoverHours} 小时`);
    if (years(a.retention.years) < years(p.retention.years)) f('retention.years', `保存年限 ${a.retention.years} 年，短于全省清单的 ${p.retention.years === 0 ? '永久' : `${p.retention.years} 年`}`);
    const roles = a.viewRoles.filter((x) => !p.viewRoles.includes(x));
    if (roles.length) f('viewRoles', `允许调阅的角色多出 ${roles.join('、')}`);
  }
  return out;
}

export interface EffectiveAvRule {
  key: string;
  rule: AvRule;
  /** The agency's list (id, version) or the statutory default. */
  setId: string | null;
  setVersion: number | null;
}

/** The rule for a key from an agency's list in force, or the default at the statutory floor. */
export function ruleFor(key: string, minimum: AvLevel, set: { id: string; version: number; body: Record<string, AvRule> } | undefined): EffectiveAvRule {
  const own = set?.body[key];
  if (own) return { key, rule: completeRule(key, minimum, own), setId: set!.id, setVersion: set!.version };
  return { key, rule: defaultAvRule(key, minimum), setId: set?.id ?? null, setVersion: set?.version ?? null };
}

/** Do the records attached to a step satisfy its rule? Full-process recording needs video or audio. */
export function avPresent(rule: AvRule, kinds: readonly RecordKind[]): boolean {
  // A fixed camera's footage (视频监控) is a video record.
  const forms = rule.forms.map((f) => (f === 'surveillance' ? 'video' : f));
  const allowed = new Set<string>(rule.requirement === 'mandatory' ? forms.filter((f) => f === 'video' || f === 'audio') : forms);
  return kinds.some((k) => allowed.has(k));
}
