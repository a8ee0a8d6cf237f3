// 行政处罚简易程序（当场处罚）, after 行政处罚法（2021）第五十一条至第五十三条 and 第六十八条至第七十一条.
// The amount limits of 第五十一条 are a guard on the decision step: data, so an agency can only narrow them.
import type { ProcedureDefinitionInput } from '../schema.ts';
import { archiveStep, LAW, partyTypeFact } from './common.ts';

const P = LAW.penalty;
const fine = { fact: 'penaltyKind', in: ['fine', 'warning_and_fine'] };

export const penaltySummary: ProcedureDefinitionInput = {
  id: 'penalty-summary',
  version: 1,
  name: '行政处罚简易程序（当场处罚）',
  caseType: 'penalty_summary',
  legalBasis: [`${P}第四十二条、第四十四条、第四十五条、第五十一条至第五十三条、第六十六条、第六十八条至第七十一条、第八十五条`],
  description: '违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的，可以当场作出行政处罚决定。',
  minOnSiteOfficers: 2,
  facts: [
    partyTypeFact,
    { key: 'factsConfirmed', label: '违法事实确凿并有法定依据', type: 'boolean', trueLabel: '违法事实确凿并有法定依据', falseLabel: '违法事实尚不确凿' },
    {
      key: 'penaltyKind',
      label: '处罚种类',
      type: 'enum',
      values: [
        { value: 'warning', label: '警告' },
        { value: 'fine', label: '罚款' },
        { value: 'warning_and_fine', label: '警告并处罚款' },
        { value: 'other', label: '其他处罚' },
      ],
    },
    { key: 'fineAmount', label: '罚款金额', type: 'number', unit: '元', default: 0 },
    { key: 'hardToEnforceLater', label: '不当场收缴事后难以执行', type: 'boolean', default: false },
    { key: 'remoteArea', label: '边远、水上、交通不便地区，当事人提出当场缴纳', type: 'boolean', default: false },
    { key: 'collectedOnSite', label: '罚款已当场收缴', type: 'boolean', default: false },
  ],
  clocks: [
    {
      key: 'payment_period',
      name: '缴纳罚款期限',
      basis: `${P}第六十六条：当事人应当自收到行政处罚决定书之日起十五日内缴纳罚款`,
      kind: 'period',
      unit: 'calendar',
      length: 15,
    },
    {
      key: 'remittance_limit',
      name: '当场收缴罚款交付期限',
      basis: `${P}第七十一条：执法人员当场收缴的罚款，应当自收缴罚款之日起二日内交至行政机关；第八十五条：二日指工作日`,
      kind: 'deadline',
      unit: 'working',
      length: 2,
      warnBeforeDays: 1,
    },
  ],
  start: 'onsite_notice',
  steps: [
    {
      key: 'onsite_notice',
      name: '表明身份并告知',
      stage: 'notify',
      roles: ['officer'],
      onSite: true,
      description: '出示执法证件，当场告知拟作出的处罚内容及事实、理由、依据和陈述、申辩权。',
      basis: [`${P}第四十二条、第四十四条、第五十二条`, 'R-P08', 'R-P09'],
      av: { rule: 'on_site_enforcement', minimum: 'as_needed' },
      sets: ['partyType', 'factsConfirmed', 'penaltyKind', 'fineAmount'],
      needsFacts: ['partyType', 'factsConfirmed', 'penaltyKind'],
      next: [
        { to: 'onsite_decision', label: '符合简易程序条件' },
        { to: 'convert_to_general', label: '不符合简易程序条件或须进一步调查' },
      ],
    },
    {
      key: 'statement_defence',
      name: '听取陈述申辩',
      stage: 'notify',
      kind: 'side',
      during: ['onsite_notice'],
      roles: ['officer'],
      basis: [`${P}第四十五条`],
      produces: [{ document: 'statement_record' }],
    },
    {
      key: 'onsite_decision',
      name: '当场作出行政处罚决定',
      stage: 'decide',
      roles: ['officer'],
      onSite: true,
      description: '填写预定格式、编有号码的行政处罚决定书，载明违法行为、处罚依据、罚款数额、时间、地点、申请复议或诉讼的途径和期限及行政机关名称，执法人员签名或者盖章，当场交付当事人。',
      basis: [`${P}第五十一条、第五十二条`, 'R-R09'],
      av: { rule: 'on_site_enforcement', minimum: 'as_needed' },
      sets: ['penaltyKind', 'fineAmount'],
      needsFacts: ['partyType', 'factsConfirmed', 'penaltyKind'],
      guards: [
        {
          code: 'facts_not_confirmed',
          when: { fact: 'factsConfirmed', eq: true },
          label: '违法事实确凿并有法定依据',
          reason: '违法事实不确凿或者没有法定依据的，不得当场处罚，应当适用普通程序',
          basis: `${P}第五十一条`,
        },
        {
          // R-P06: the flowchart prints this label; the engine enforces the same condition.
          code: 'summary_limit_exceeded',
          when: {
            any: [
              { fact: 'penaltyKind', eq: 'warning' },
              {
                all: [
                  fine,
                  {
                    any: [
                      { all: [{ fact: 'partyType', eq: 'citizen' }, { fact: 'fineAmount', lte: 200 }] },
                      { all: [{ fact: 'partyType', in: ['legal_person', 'other_org'] }, { fact: 'fineAmount', lte: 3000 }] },
                    ],
                  },
                ],
              },
            ],
          },
          label: '警告，或对公民罚款不超过200元、对法人或者其他组织罚款不超过3000元',
          reason: '超出简易程序适用范围：当场处罚仅限警告，或者对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款，应当适用普通程序',
          basis: `${P}第五十一条`,
        },
      ],
      produces: [{ document: 'onsite_penalty_decision' }],
      clocks: { start: [{ clock: 'payment_period', when: { fact: 'fineAmount', gt: 0 } }] },
      next: [
        { to: 'onsite_collection', when: { fact: 'fineAmount', gt: 0 }, label: '符合当场收缴条件的' },
        { to: 'onsite_filing' },
      ],
    },
    {
      key: 'onsite_collection',
      name: '当场收缴罚款',
      stage: 'execute',
      roles: ['officer'],
      basis: [`${P}第六十八条至第七十条`],
      sets: ['hardToEnforceLater', 'remoteArea'],
      guards: [
        {
          code: 'onsite_collection_not_allowed',
          when: { any: [{ fact: 'fineAmount', lte: 100 }, { fact: 'hardToEnforceLater', eq: true }, { fact: 'remoteArea', eq: true }] },
          label: '罚款100元以下，或事后难以执行，或边远地区当事人提出',
          reason: '不符合当场收缴罚款的条件：限于依法给予一百元以下罚款、不当场收缴事后难以执行，或者在边远、水上、交通不便地区当事人提出的情形',
          basis: `${P}第六十八条、第六十九条`,
        },
      ],
      assigns: { collectedOnSite: true },
      produces: [{ document: 'fine_receipt' }],
      clocks: { stop: ['payment_period'], start: [{ clock: 'remittance_limit' }] },
      next: [{ to: 'remittance' }],
    },
    {
      key: 'remittance',
      name: '罚款交至行政机关',
      stage: 'execute',
      roles: ['officer'],
      basis: [`${P}第七十一条`],
      within: [{ clock: 'remittance_limit', onPassed: 'warn' }],
      produces: [{ document: 'fine_remittance_record' }],
      clocks: { stop: ['remittance_limit'] },
      next: [{ to: 'onsite_filing' }],
    },
    {
      key: 'onsite_filing',
      name: '报所属行政机关备案',
      stage: 'close',
      roles: ['officer'],
      basis: [`${P}第五十二条第三款`],
      requires: [{ document: 'onsite_penalty_decision' }],
      produces: [{ document: 'onsite_filing_report' }],
      next: [
        { to: 'performance', when: { all: [{ fact: 'fineAmount', gt: 0 }, { fact: 'collectedOnSite', eq: false }] }, label: '罚款待缴纳' },
        { to: 'archive', when: { any: [{ fact: 'fineAmount', lte: 0 }, { fact: 'collectedOnSite', eq: true }] }, label: '已执行完毕' },
      ],
    },
    {
      key: 'performance',
      name: '执行完毕',
      stage: 'execute',
      roles: ['officer'],
      basis: [`${P}第六十六条、第七十二条`],
      produces: [{ document: 'execution_record' }],
      clocks: { stop: ['payment_period'] },
      next: [{ to: 'archive' }],
    },
    {
      key: 'convert_to_general',
      name: '转为普通程序',
      stage: 'close',
      roles: ['officer'],
      description: '不符合当场处罚条件的，依照普通程序立案办理。',
      basis: [`${P}第五十一条、第五十四条`],
    },
    archiveStep([{ document: 'onsite_filing_report' }]),
  ],
};
