// `sanxiang verify-draw <url> <task>`: downloads a task's published draw and committed candidates from any
// platform and recomputes roots, seed and selection with sanxiang-draw/v1 (docs/DRAW.md), trusting nothing
// the server says about the result (R-D02).
import { ALGORITHM, canonicalCodes, drawSeed, fromHex, merkleRoot, selectObjects, toHex } from './draw.ts';
import { nodeSha256 } from './ceremony.ts';

export interface PublicDraw {
  id: string;
  algorithm: string;
  status: string;
  commitment: { leafHash: string; ledgerIndex: number } | null;
  classes: { class: string; count: number; quota: number; root: string }[];
  randomness: { source: string; value: string }[];
  seed: string | null;
  selected: { class: string; creditCode: string; key: string }[];
}

/** Every discrepancy between the published draw and its recomputation (empty: it matches). */
export function checkDraw(task: PublicDraw, candidates: { classes: { class: string; creditCodes: string[] }[] }): string[] {
  const problems: string[] = [];
  if (task.algorithm !== ALGORITHM) return [`未知算法：${task.algorithm}`];
  if (!task.commitment || !task.seed) return ['该任务尚未抽取'];
  const lists = new Map(candidates.classes.map((c) => [c.class, c.creditCodes]));
  for (const c of task.classes) {
    const codes = lists.get(c.class) ?? [];
    if (canonicalCodes(codes).join('\n') !== codes.join('\n')) problems.push(`${c.class} 类候选名单不是字节序且去重的`);
    if (codes.length !== c.count) problems.push(`${c.class} 类候选数 ${codes.length} 与承诺的 ${c.count} 不符`);
    if (toHex(merkleRoot(nodeSha256, codes)) !== c.root) problems.push(`${c.class} 类候选名单的 Merkle 根与承诺不符`);
  }
  const seed = drawSeed(nodeSha256, fromHex(task.commitment.leafHash), task.randomness.map((r) => fromHex(r.value)));
  if (toHex(seed) !== task.seed) problems.push('种子与公开的随机数计算结果不符');
  const selected = selectObjects(nodeSha256, seed, task.classes.map((c) => ({ cls: c.class, quota: c.quota, creditCodes: lists.get(c.class) ?? [] })));
  const same = selected.length === task.selected.length && selected.every((s, i) => s.class === task.selected[i]!.class && s.creditCode === task.selected[i]!.creditCode && s.key === task.selected[i]!.key);
  if (!same) problems.push('按公开数据重新计算的抽取结果与公布的结果不符');
  return problems;
}

export async function verifyDrawCommand(base: string, taskId: string, opts: { json?: boolean } = {}): Promise<number> {
  const root = base.replace(/\/+$/, '');
  const get = async (path: string) => {
    const r = await fetch(`${root}${path}`, { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`${path}：HTTP ${r.status}`);
    return r.json();
  };
  const url = `/api/v1/public/inspection-tasks/${encodeURIComponent(taskId)}`;
  const task = (await get(url)) as PublicDraw;
  const candidates = (await get(`${url}/candidates`)) as { classes: { class: string; creditCodes: string[] }[] };
  const problems = checkDraw(task, candidates);
  if (opts.json) console.log(JSON.stringify({ task: taskId, match: problems.length === 0, problems, selected: task.selected.length }));
  else if (problems.length) console.log(`不一致：\n- ${problems.join('\n- ')}`);
  else console.log(`一致：候选名单根（${task.classes.map((c) => `${c.class} ${c.count}`).join('，')}）、种子 ${task.seed} 和 ${task.selected.length} 个抽取对象均与公布的相同。`);
  return problems.length ? 1 : 0;
}
