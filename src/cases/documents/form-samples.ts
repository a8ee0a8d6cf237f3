// One filled-in example of every generic form (forms.ts), built from its field kinds with the sample
// wording of samples.ts: used by the tests, the benchmark and the demo data, never by real cases.
import { FORMS } from './forms.ts';
import { samplePartyOrganization } from './samples.ts';

const ON = '2026-10-20';
const officers = [
  { name: '张明', certificateNumber: '33010601234' },
  { name: '陈静', certificateNumber: '33010605678' },
];

/** Wording for the keys many forms share; any other text field gets a sentence naming what it holds. */
const WORDING: Record<string, unknown> = {
  facts: '2026年10月12日，执法人员在当事人经营场所检查时发现，其货架上陈列销售的某某牌风味酸奶 48 瓶已超过标示的保质期。',
  reasons: '当事人的行为违反《中华人民共和国食品安全法》第三十四条第（十）项的规定，事实清楚、证据确凿。',
  legalBasis: '《中华人民共和国行政处罚法》第五十六条',
  violatedProvisions: '《中华人民共和国食品安全法》第三十四条第（十）项',
  penaltyBasis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
  cause: '涉嫌经营超过保质期的食品案',
  matter: '食品经营许可（新办）',
  evidence: ['2026年10月12日现场检查（勘验）笔录及现场照片 12 张', '对当事人法定代表人王某某的询问笔录'],
  materials: ['食品经营许可申请书', '营业执照复印件', '经营场所平面图'],
  attachments: ['案件调查终结报告', '证据材料清单'],
  attendees: ['赵某某', '钱某某', '孙某某'],
  checklist: ['执法主体：合法', '事实证据：清楚、确凿', '适用依据：正确', '程序：合法', '裁量：适当'],
  remedies: { reviewBody: '杭州市西湖区人民政府', court: '杭州市西湖区人民法院' },
  payment: { deadlineDays: 15, method: '持本决定书到指定银行缴纳或者通过电子支付系统缴纳' },
  penalties: [{ kind: '罚款', amount: 200 }],
  items: [{ name: '某某牌风味酸奶（250ml/瓶）', specification: '250ml', quantity: '48 瓶' }],
  ground: '《中华人民共和国行政处罚法》第六十八条第一项',
  contactPerson: '张明',
  contactPhone: '0571-88000000',
  court: '杭州市西湖区人民法院',
  recipient: '杭州市公安局西湖区分局',
  institution: '杭州市食品药品检验研究院',
};

/** A valid example of the form `type` (dates on 2026-10-20; the demo shifts them to the case's day). */
export function sampleFormFields(type: string): Record<string, unknown> {
  const d = FORMS[type];
  if (!d) throw new Error(`not a generic form: ${type}`);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(d.fields)) {
    if (key in WORDING && spec.kind !== 'enum') {
      out[key] = structuredClone(WORDING[key]);
      continue;
    }
    switch (spec.kind) {
      case 'party':
        out[key] = structuredClone(samplePartyOrganization);
        break;
      case 'officers':
        out[key] = structuredClone(officers);
        break;
      case 'date':
        out[key] = ON;
        break;
      case 'datetime':
        // A hearing is announced at least seven days ahead (行政许可法第四十八条).
        out[key] = key === 'hearingAt' ? '2026-10-30T09:30' : /^(end|reported)/.test(key) ? `${ON}T10:30` : `${ON}T09:00`;
        break;
      case 'boolean':
        out[key] = true;
        break;
      case 'enum':
        out[key] = spec.options![0];
        break;
      case 'integer': {
        const s = spec.schema as unknown as { minValue?: number; maxValue?: number; unwrap?: () => { minValue?: number; maxValue?: number } };
        const inner = s.unwrap ? s.unwrap() : s;
        out[key] = Math.min(inner.maxValue ?? 5, Math.max(inner.minValue ?? 1, 5));
        break;
      }
      case 'money':
        out[key] = 200;
        break;
      case 'strings':
        out[key] = [`${spec.label}（示例）`];
        break;
      case 'items':
        out[key] = structuredClone(WORDING.items);
        break;
      case 'textarea':
      case 'text':
        if (spec.required) out[key] = /(人|员|者)$/.test(spec.label) ? '王某某' : `${spec.label}：按本案情况填写（示例）`;
        break;
      default:
        if (spec.required) throw new Error(`no sample for ${type}.${key} (${spec.kind})`);
    }
  }
  return out;
}
