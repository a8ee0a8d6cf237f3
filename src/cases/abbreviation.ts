// The agency's short name in document and case numbers (机关代字), e.g. 演示市西湖区市场监督管理局 → 西湖市监.
// Derived from the name: the county (or else the city) without its suffix, then the department's usual
// abbreviation. The counter is keyed by agency id, so two agencies with the same short name never share numbers.

const DEPARTMENTS: [RegExp, string][] = [
  [/市场监督管理/, '市监'],
  [/生态环境/, '环'],
  [/交通运输/, '交'],
  [/应急管理/, '应急'],
  [/综合行政执法/, '综执'],
  [/城市管理/, '城管'],
  [/自然资源/, '自然资源'],
  [/卫生健康/, '卫健'],
  [/农业农村/, '农'],
  [/文化/, '文'],
  [/公安/, '公'],
  [/税务/, '税'],
  [/司法/, '司'],
];

export function agencyAbbreviation(name: string): string {
  const m = /^(.+?(?:市|自治州|盟|地区))?(.+?(?:区|县|旗))?(.*)$/u.exec(name.trim())!;
  const place = (m[2] ?? m[1] ?? '').replace(/(市|自治州|盟|地区|区|县|旗)$/u, '');
  const dept = m[3] ?? '';
  const short = DEPARTMENTS.find(([re]) => re.test(dept))?.[1] ?? dept.replace(/(局|委员会|委|办公室|厅|队|中心|所)$/u, '').slice(0, 4);
  // 文号 forbid digits, brackets, spaces and 号 in the abbreviation (documents/numbering.ts).
  const out = `${place}${short}`.replace(/[\s〔〕[\]()（）0-9０-９号]/gu, '').slice(0, 20);
  return out || '执法';
}
