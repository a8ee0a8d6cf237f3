// Tokens of facts for suggestions and similar cases: jieba (offline, its bundled dictionary) with the
// library's legal terms added, so that "超过保质期" or "明码标价" stay one token.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { VIOLATIONS } from './library.ts';

/** Words that carry no legal meaning in facts. */
const STOP = new Set(['的', '了', '在', '和', '与', '及', '其', '对', '于', '等', '为', '是', '有', '被', '将', '并', '或', '该', '经', '已', '未', '元', '年', '月', '日', '当事人', '本机关', '执法人员', '某某']);

let jieba: Jieba | null = null;
function segmenter(): Jieba {
  if (!jieba) {
    const words = new Set(VIOLATIONS.flatMap((v) => v.keywords).filter((k) => k.length > 1));
    const extra = Buffer.from([...words].map((w) => `${w} 100000 n`).join('\n'));
    jieba = Jieba.withDict(Buffer.concat([Buffer.from(dict), Buffer.from('\n'), extra]));
  }
  return jieba;
}

/** Search-mode tokens of a text, without stop words, punctuation or numbers. */
export function tokenize(text: string): string[] {
  if (!text.trim()) return [];
  return segmenter().cutForSearch(text, true).map((t) => t.trim()).filter((t) => t.length > 0 && !STOP.has(t) && /^[\p{Script=Han}A-Za-z]+$/u.test(t));
}
