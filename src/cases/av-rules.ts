// The AV-record list (音像记录事项清单, R-R03): per agency and version, for every `av.rule` key of the
// procedure definitions, whether AV recording is mandatory for the whole process, as circumstances
// need, or optional — never below the step's statutory floor (R-R04) — plus who records, with which
// device, in which form, what it must show, its publicity, retention and who may view it (R-R06).
import type { Role } from '../platform/actor.ts';
import type { FieldError } from '../platform/errors.ts';
import { AV_LEVEL_LABELS, AV_LEVELS, listAllDefinitionVersions, type AvLevel, type ProcedureDefinition } from './procedures/index.ts';
import type { AvRule } from './schema.ts';
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

/** What applies when an agency has published no list yet: the statutory floor, recorded on video where mandatory. */
export function defaultAvRule(key: string, minimum: AvLevel): AvRule {
  const mandatory = minimum === 'mandatory';
  return {
    requirement: minimum,
    recorder: '主办执法人员或指定的辅助人员',
    device: '执法记录仪',
    forms: mandatory ? ['video'] : ['video', 'audio', 'photo'],
    requiredElements: mandatory
      ? ['执法人员出示执法证件、表明身份', '告知当事人理由、依据和权利', '现场状况和财物清点全过程', '当事人陈述申辩及签名（拒绝签名的情况）']
      : ['执法人员表明身份', '执法活动的主要过程', '当事人及有关人员的陈述'],
    publicity: 'not_public',
    retention: { period: '与案卷保管期限相同', method: '执法结束后24小时内上传证据库，按哈希存储，双介质备份' },
    viewRoles: VIEW_ROLES,
  };
}

export function defaultAvRules(keys = avRuleKeys()): Record<string, AvRule> {
  return Object.fromEntries([...keys.values()].map((k) => [k.key, defaultAvRule(k.key, k.minimum)]));
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
    if (rule.requirement === 'mandatory' && !rule.forms.some((f) => f === 'video' || f === 'audio')) {
      out.push({ field: `rules.${key}.forms`, message: `「${k.label}」须全程音像记录，记录形式应包括录像或录音` });
    }
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
  if (own) return { key, rule: own, setId: set!.id, setVersion: set!.version };
  return { key, rule: defaultAvRule(key, minimum), setId: set?.id ?? null, setVersion: set?.version ?? null };
}

/** Do the records attached to a step satisfy its rule? Full-process recording needs video or audio. */
export function avPresent(rule: AvRule, kinds: readonly RecordKind[]): boolean {
  const allowed = new Set<string>(rule.requirement === 'mandatory' ? rule.forms.filter((f) => f === 'video' || f === 'audio') : rule.forms);
  return kinds.some((k) => allowed.has(k));
}
