// The built-in laws and violations library (issue 13): the provisions the demo procedures and cases
// cite, quoted from the public texts, and the violations (违法行为) that point at them: the violated
// provision (违则), the penalty provision (罚则) and the statutory range of the fine. Agencies add their
// own by XLSX import (import.ts); imported rows live in assist_provisions / assist_violations.

export type RangeKind = 'fixed' | 'range' | 'multiple' | 'maxOnly';
export const RANGE_KINDS: readonly RangeKind[] = ['fixed', 'range', 'multiple', 'maxOnly'];
export const RANGE_KIND_LABELS: Record<RangeKind, string> = { fixed: '固定数额', range: '数额幅度', multiple: '倍数', maxOnly: '仅规定上限' };
/** The amount a multiple is taken of. */
export const BASES = ['违法所得', '货值金额', '合同价款'] as const;
export type Base = (typeof BASES)[number];

export interface Provision {
  id: string;
  law: string;
  article: number;
  paragraph: number | null;
  item: number | null;
  text: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** The provision this one replaced or amended, where the library holds it. */
  amends: string | null;
}

/** The statutory range of the fine: amounts in yuan, or multiples of `base`. */
export interface LegalRange {
  kind: RangeKind;
  min: number;
  max: number;
  base: Base | null;
}

export interface Violation {
  code: string;
  name: string;
  /** 违则: the provision violated. */
  violated: string;
  /** 罚则: the provision that sets the penalty. */
  penalty: string;
  range: LegalRange;
  /** Words of the facts that point at this violation (the suggestion's dictionary). */
  keywords: string[];
}

const CHN = '〇一二三四五六七八九';
function chineseNumber(n: number): string {
  if (n < 10) return CHN[n]!;
  if (n < 20) return `十${n % 10 ? CHN[n % 10] : ''}`;
  if (n < 100) return `${CHN[Math.floor(n / 10)]}十${n % 10 ? CHN[n % 10] : ''}`;
  const h = Math.floor(n / 100);
  const r = n % 100;
  return `${CHN[h]}百${r === 0 ? '' : r < 10 ? `零${CHN[r]}` : r < 20 ? `一${chineseNumber(r)}` : chineseNumber(r)}`;
}

/** 《法》第N条第M款第（K）项, the way decisions cite. */
export function citation(p: Pick<Provision, 'law' | 'article' | 'paragraph' | 'item'>): string {
  return `《${p.law}》第${chineseNumber(p.article)}条${p.paragraph ? `第${chineseNumber(p.paragraph)}款` : ''}${p.item ? `第（${chineseNumber(p.item)}）项` : ''}`;
}

const PL = '中华人民共和国行政处罚法';
const FSL = '中华人民共和国食品安全法';
const PRICE = '中华人民共和国价格法';

export const PROVISIONS: readonly Provision[] = [
  { id: 'xzcf-32', law: PL, article: 32, paragraph: null, item: null, effectiveFrom: '2021-07-15', effectiveTo: null, amends: null,
    text: '当事人有下列情形之一，应当从轻或者减轻行政处罚：（一）主动消除或者减轻违法行为危害后果的；（二）受他人胁迫或者诱骗实施违法行为的；（三）主动供述行政机关尚未掌握的违法行为的；（四）配合行政机关查处违法行为有立功表现的；（五）法律、法规、规章规定其他应当从轻或者减轻行政处罚的。' },
  { id: 'xzcf-33-1', law: PL, article: 33, paragraph: 1, item: null, effectiveFrom: '2021-07-15', effectiveTo: null, amends: null,
    text: '违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。' },
  { id: 'xzcf-34', law: PL, article: 34, paragraph: null, item: null, effectiveFrom: '2021-07-15', effectiveTo: null, amends: null,
    text: '行政机关可以依法制定行政处罚裁量基准，规范行使行政处罚裁量权。行政处罚裁量基准应当向社会公布。' },
  { id: 'spaq-34-10', law: FSL, article: 34, paragraph: null, item: 10, effectiveFrom: '2021-04-29', effectiveTo: null, amends: null,
    text: '禁止生产经营下列食品、食品添加剂、食品相关产品：……（十）标注虚假生产日期、保质期或者超过保质期的食品、食品添加剂；' },
  { id: 'spaq-35-1', law: FSL, article: 35, paragraph: 1, item: null, effectiveFrom: '2021-04-29', effectiveTo: null, amends: null,
    text: '国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。' },
  { id: 'spaq-122-1', law: FSL, article: 122, paragraph: 1, item: null, effectiveFrom: '2021-04-29', effectiveTo: null, amends: null,
    text: '违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可从事食品添加剂生产活动的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。' },
  { id: 'spaq-124-1-5', law: FSL, article: 124, paragraph: 1, item: 5, effectiveFrom: '2021-04-29', effectiveTo: null, amends: null,
    text: '违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂，并可以没收用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款；情节严重的，吊销许可证：……（五）生产经营标注虚假生产日期、保质期或者超过保质期的食品、食品添加剂；' },
  { id: 'jgf-13-1', law: PRICE, article: 13, paragraph: 1, item: null, effectiveFrom: '1998-05-01', effectiveTo: null, amends: null,
    text: '经营者销售、收购商品和提供服务，应当按照政府价格主管部门的规定明码标价，注明商品的品名、产地、规格、等级、计价单位、价格或者服务的项目、收费标准等有关情况。' },
  { id: 'jgf-14-4', law: PRICE, article: 14, paragraph: null, item: 4, effectiveFrom: '1998-05-01', effectiveTo: null, amends: null,
    text: '经营者不得有下列不正当价格行为：……（四）利用虚假的或者使人误解的价格手段，诱骗消费者或者其他经营者与其进行交易；' },
  { id: 'jgf-40-1', law: PRICE, article: 40, paragraph: 1, item: null, effectiveFrom: '1998-05-01', effectiveTo: null, amends: null,
    text: '经营者有本法第十四条所列行为之一的，责令改正，没收违法所得，可以并处违法所得五倍以下的罚款；没有违法所得的，予以警告，可以并处罚款；情节严重的，责令停业整顿，或者由工商行政管理机关吊销营业执照。' },
  { id: 'jgf-42', law: PRICE, article: 42, paragraph: null, item: null, effectiveFrom: '1998-05-01', effectiveTo: null, amends: null,
    text: '经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。' },
];

const cite = (id: string) => citation(PROVISIONS.find((p) => p.id === id)!);

export const VIOLATIONS: readonly Violation[] = [
  { code: 'SP-124-5A', name: '经营超过保质期的食品（货值金额不足一万元）', violated: cite('spaq-34-10'), penalty: cite('spaq-124-1-5'),
    range: { kind: 'range', min: 50000, max: 100000, base: null }, keywords: ['超过保质期', '过期', '保质期', '食品', '销售', '陈列', '变质'] },
  { code: 'SP-124-5B', name: '经营超过保质期的食品（货值金额一万元以上）', violated: cite('spaq-34-10'), penalty: cite('spaq-124-1-5'),
    range: { kind: 'multiple', min: 10, max: 20, base: '货值金额' }, keywords: ['超过保质期', '过期', '保质期', '食品', '货值', '批量', '仓库'] },
  { code: 'SP-122-A', name: '未取得食品经营许可从事食品经营（货值金额不足一万元）', violated: cite('spaq-35-1'), penalty: cite('spaq-122-1'),
    range: { kind: 'range', min: 50000, max: 100000, base: null }, keywords: ['未取得', '许可', '无证', '食品经营许可证', '餐饮', '经营'] },
  { code: 'JG-42', name: '不按规定明码标价', violated: cite('jgf-13-1'), penalty: cite('jgf-42'),
    range: { kind: 'maxOnly', min: 0, max: 5000, base: null }, keywords: ['明码标价', '标价', '价签', '未标价', '收费标准', '价格'] },
  { code: 'JG-40-4', name: '利用虚假的或者使人误解的价格手段诱骗交易', violated: cite('jgf-14-4'), penalty: cite('jgf-40-1'),
    range: { kind: 'multiple', min: 0, max: 5, base: '违法所得' }, keywords: ['虚假', '原价', '折扣', '误解', '价格手段', '诱骗', '促销'] },
];
