// R-P06: the flowchart of a procedure, drawn from the very definition the engine enforces, so the chart
// people see is the procedure the system runs. Pure string output, deterministic (same definition, same
// bytes), black on white so it prints and photocopies; Chinese text in a CJK font stack that names Noto
// Sans CJK SC. `procedureOutline` / `renderProcedureText` give the same content as ordered text for screen
// readers and for the portal's accessible version.
//
// Layout: main steps in layers (longest path from the start over forward transitions), side steps in a
// column on the right grouped by when they may be done. Every edge runs orthogonally through the gaps
// between layers and through lanes outside the boxes, so no line crosses a box; each edge has its own
// channel, and its condition label sits on that channel.
import { ROLE_LABELS, type Role } from '../../platform/actor.ts';
import { limitText } from './clocks.ts';
import { describeCondition } from './conditions.ts';
import { documentName } from './documents.ts';
import { AV_LEVEL_LABELS, CASE_TYPE_LABELS, STAGE_LABELS, type ProcedureDefinition, type StepDef } from './schema.ts';

export const FLOWCHART_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Source Han Sans CN', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

// ---------------------------------------------------------------------------------------------------
// Text of a step: shared by the chart and the outline.

export interface OutlineItem {
  /** 1-based position in reading order. */
  index: number;
  key: string;
  name: string;
  stage: string;
  stageName: string;
  kind: 'main' | 'side';
  /** Main steps: start / end of the procedure. */
  isStart: boolean;
  isEnd: boolean;
  /** Side steps: the main steps during which they may be done. */
  during: { key: string; name: string }[];
  /** Who, what first, what it makes, the clocks: one sentence each. */
  lines: string[];
  next: { key: string; name: string; condition: string | null }[];
  basis: string[];
}

function roleNames(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join('或');
}

const CN = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

export function stepLines(def: ProcedureDefinition, s: StepDef): string[] {
  const lines: string[] = [];
  const clock = (k: string) => def.clocks.find((c) => c.key === k)!;
  const when = (c: Parameters<typeof describeCondition>[1] | undefined) => (c ? `（${describeCondition(def, c)}）` : '');
  let who = `${roleNames(s.roles)}办理`;
  if (s.approval) who += `，须经${roleNames(s.approval.roles)}批准${s.approval.unless ? `（${describeCondition(def, s.approval.unless)}的，事后补办）` : ''}`;
  lines.push(who);
  if (s.onSite) lines.push(`${CN[def.minOnSiteOfficers] ?? def.minOnSiteOfficers}名以上持有效执法证的执法人员现场办理，出示执法证件`);
  if (s.presider) lines.push(`主持人不得为参与${s.presider.notFromStages.map((x) => STAGE_LABELS[x]).join('、')}的人员`);
  if (s.av && s.av.minimum !== 'optional') lines.push(`音像记录：${AV_LEVEL_LABELS[s.av.minimum]}`);
  if (s.requires.length) lines.push(`须先具备：${s.requires.map((r) => documentName(r.document, def.documents) + when(r.when)).join('、')}`);
  if (s.requiresReview) lines.push(`须经法制审核通过：${describeCondition(def, s.requiresReview)}`);
  for (const g of s.guards) lines.push(`限于：${g.label}`);
  for (const w of s.notBefore) lines.push(`须待${clock(w.clock).name}届满后办理`);
  for (const k of s.blockedWhileRunning) lines.push(`须先办结：${clock(k).name}`);
  for (const w of s.within) lines.push(`须在${clock(w.clock).name}内办理${w.onPassed === 'refuse' ? '，逾期不得办理' : ''}`);
  if (s.produces.length) lines.push(`制作：${s.produces.map((r) => documentName(r.document, def.documents) + when(r.when)).join('、')}`);
  for (const c of s.clocks.start) lines.push(`起算：${clock(c.clock).name}（${limitText(clock(c.clock))}）${when(c.when)}`);
  for (const c of s.clocks.pause) lines.push(`中止计算：${clock(c.clock).name}${c.reason ? `（${c.reason}）` : ''}`);
  for (const k of s.clocks.resume) lines.push(`恢复计算：${clock(k).name}`);
  for (const k of s.clocks.stop) lines.push(`办结：${clock(k).name}`);
  return lines;
}

function edgeLabel(def: ProcedureDefinition, t: StepDef['next'][number]): string | null {
  return t.label ?? (t.when ? describeCondition(def, t.when) : null);
}

// ---------------------------------------------------------------------------------------------------
// Layering, shared by chart and outline so both read in the same order.

interface Layout {
  mains: StepDef[];
  layer: Map<string, number>;
  layers: StepDef[][];
  back: Set<string>; // "from>to"
}

function layout(def: ProcedureDefinition): Layout {
  const mains = def.steps.filter((s) => s.kind === 'main');
  const byKey = new Map(mains.map((s) => [s.key, s]));
  const order = new Map(mains.map((s, i) => [s.key, i]));
  // Back edges: those closing a cycle in a depth-first walk from the start, in definition order.
  const back = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const post: string[] = [];
  const dfs = (k: string) => {
    state.set(k, 1);
    for (const t of byKey.get(k)?.next ?? []) {
      const st = state.get(t.to);
      if (st === 1) back.add(`${k}>${t.to}`);
      else if (st === undefined) dfs(t.to);
    }
    state.set(k, 2);
    post.push(k);
  };
  dfs(def.start);
  for (const s of mains) if (!state.has(s.key)) dfs(s.key);
  // Longest path over forward edges, in topological order (reverse post-order).
  const layer = new Map<string, number>(mains.map((s) => [s.key, 0]));
  for (const k of post.reverse()) {
    for (const t of byKey.get(k)!.next) {
      if (back.has(`${k}>${t.to}`)) continue;
      layer.set(t.to, Math.max(layer.get(t.to)!, layer.get(k)! + 1));
    }
  }
  const count = Math.max(...layer.values()) + 1;
  const layers: StepDef[][] = Array.from({ length: count }, () => []);
  for (const s of mains) layers[layer.get(s.key)!]!.push(s);
  // One barycentre pass top-down: a step sits under the steps that lead to it.
  const pos = new Map<string, number>();
  layers.forEach((row, li) => {
    if (li > 0) {
      const bary = (s: StepDef) => {
        const preds = mains.filter((p) => p.next.some((t) => t.to === s.key && !back.has(`${p.key}>${s.key}`)) && pos.has(p.key));
        return preds.length ? preds.reduce((a, p) => a + pos.get(p.key)!, 0) / preds.length : 0.5;
      };
      const keyed = row.map((s) => ({ s, b: bary(s), o: order.get(s.key)! }));
      keyed.sort((a, b) => a.b - b.b || a.o - b.o);
      row.splice(0, row.length, ...keyed.map((x) => x.s));
    }
    row.forEach((s, i) => pos.set(s.key, (i + 0.5) / row.length));
  });
  return { mains, layer, layers, back };
}

/** Side steps grouped by the main steps they may be done during, in order of their first host. */
function sideGroups(def: ProcedureDefinition, lay: Layout): { hosts: StepDef[]; steps: StepDef[] }[] {
  const byKey = new Map(def.steps.map((s) => [s.key, s]));
  const groups = new Map<string, { hosts: StepDef[]; steps: StepDef[] }>();
  for (const s of def.steps) {
    if (s.kind !== 'side') continue;
    const hosts = s.during.map((k) => byKey.get(k)!).sort((a, b) => rank(lay, a) - rank(lay, b));
    const id = hosts.map((h) => h.key).join('|');
    const g = groups.get(id) ?? { hosts, steps: [] };
    g.steps.push(s);
    groups.set(id, g);
  }
  return [...groups.values()].sort((a, b) => rank(lay, a.hosts[0]!) - rank(lay, b.hosts[0]!));
}

function rank(lay: Layout, s: StepDef): number {
  const li = lay.layer.get(s.key)!;
  return li * 1000 + lay.layers[li]!.indexOf(s);
}

// ---------------------------------------------------------------------------------------------------
// Outline: the accessible text version

/** Steps in reading order (layer by layer, side steps after the first step they may follow). */
export function procedureOutline(def: ProcedureDefinition): OutlineItem[] {
  const lay = layout(def);
  const names = new Map(def.steps.map((s) => [s.key, s.name]));
  const groups = sideGroups(def, lay);
  const out: OutlineItem[] = [];
  const item = (s: StepDef): OutlineItem => ({
    index: out.length + 1,
    key: s.key,
    name: s.name,
    stage: s.stage,
    stageName: STAGE_LABELS[s.stage],
    kind: s.kind,
    isStart: s.key === def.start,
    isEnd: s.kind === 'main' && s.next.length === 0,
    during: s.during.map((k) => ({ key: k, name: names.get(k)! })),
    lines: stepLines(def, s),
    next: s.next.map((t) => ({ key: t.to, name: names.get(t.to)!, condition: edgeLabel(def, t) })),
    basis: s.basis,
  });
  for (const row of lay.layers) {
    for (const s of row) {
      out.push(item(s));
      for (const g of groups) if (g.hosts[0]!.key === s.key) for (const x of g.steps) out.push(item(x));
    }
  }
  return out;
}

/** The outline as plain Chinese text (portal's text version, print appendix). */
export function renderProcedureText(def: ProcedureDefinition): string {
  const lines: string[] = [`${def.name}（第${def.version}版，${CASE_TYPE_LABELS[def.caseType]}）`, `依据：${def.legalBasis.join('；')}`];
  if (def.description) lines.push(def.description);
  lines.push('');
  for (const it of procedureOutline(def)) {
    const tag = it.kind === 'side' ? `（可在${it.during.map((d) => `「${d.name}」`).join('、')}期间办理）` : it.isStart ? '（起始）' : it.isEnd ? '（终结）' : '';
    lines.push(`${it.index}. 【${it.stageName}】${it.name}${tag}`);
    for (const l of it.lines) lines.push(`   ${l}`);
    for (const n of it.next) lines.push(`   → ${n.name}${n.condition ? `：${n.condition}` : ''}`);
  }
  if (def.clocks.length) {
    lines.push('', '期限：');
    for (const c of def.clocks) lines.push(`- ${clockLegend(c)}`);
  }
  return lines.join('\n');
}

function clockLegend(c: ProcedureDefinition['clocks'][number]): string {
  const kind = c.kind === 'deadline' ? '办理时限' : '法定期间';
  const pause = c.pause ? `；${c.pause.reasons.join('、')}期间不计入` : '';
  return `${c.name}：${limitText(c)}（${kind}${c.unit === 'calendar' && !c.extendPastRestDay ? '，届满日不顺延' : ''}）${pause}。依据：${c.basis}`;
}

// ---------------------------------------------------------------------------------------------------
// SVG

const BOX_W = 300;
const PAD = 10;
const TITLE_H = 22;
const LINE_H = 16;
const BODY_FONT = 12;
const HGAP = 48;
const LANE = 14;
const CHANNEL = 18;
const GAP_BASE = 26;
const STAGE_COL = 86;
const MARGIN = 24;
const SIDE_W = 280;

export interface FlowchartOptions {
  /** Prefix for element ids, when several charts share a page. Default from the definition id and version. */
  idPrefix?: string;
}

export function renderFlowchartSvg(def: ProcedureDefinition, opts: FlowchartOptions = {}): string {
  const lay = layout(def);
  const prefix = (opts.idPrefix ?? `fc-${def.id}-${def.version}`).replace(/[^A-Za-z0-9_-]/g, '-');
  // Box contents and sizes.
  const inner = BOX_W - 2 * PAD;
  const content = new Map<string, { title: string[]; tag: string; body: string[]; h: number }>();
  for (const s of lay.mains) {
    const title = wrap(s.name, inner - 8, 14);
    const tag = `${STAGE_LABELS[s.stage]}${s.key === def.start ? ' · 开始' : ''}${s.next.length === 0 ? ' · 终结' : ''}`;
    const body = stepLines(def, s).flatMap((l) => wrap(l, inner, BODY_FONT));
    content.set(s.key, { title, tag, body, h: PAD + 14 + title.length * TITLE_H + body.length * LINE_H + PAD });
  }

  // Edges and their routes.
  interface Edge { from: string; to: string; label: string | null; kind: 'adjacent' | 'long' | 'back'; lane?: number; exitCh?: number; entryCh?: number }
  const edges: Edge[] = [];
  for (const s of lay.mains) {
    for (const t of s.next) {
      const lf = lay.layer.get(s.key)!;
      const lt = lay.layer.get(t.to)!;
      const kind = lay.back.has(`${s.key}>${t.to}`) || lt <= lf ? 'back' : lt === lf + 1 ? 'adjacent' : 'long';
      edges.push({ from: s.key, to: t.to, label: edgeLabel(def, t), kind });
    }
  }
  let leftLanes = 0;
  let rightLanes = 0;
  for (const e of edges) if (e.kind === 'back') e.lane = leftLanes++;
  for (const e of edges) if (e.kind === 'long') e.lane = rightLanes++;

  // Horizontal placement.
  const rowWidth = (row: StepDef[]) => row.length * BOX_W + (row.length - 1) * HGAP;
  const regionW = Math.max(...lay.layers.map(rowWidth));
  const x0 = MARGIN + STAGE_COL + (leftLanes ? leftLanes * LANE + 16 : 0);
  const boxX = new Map<string, number>();
  for (const row of lay.layers) {
    let x = x0 + (regionW - rowWidth(row)) / 2;
    for (const s of row) boxX.set(s.key, Math.round(x)), (x += BOX_W + HGAP);
  }
  const leftLaneX = (i: number) => x0 - 16 - i * LANE;
  const xR0 = x0 + regionW + 16;
  const rightLaneX = (i: number) => xR0 + i * LANE;
  const groups = sideGroups(def, lay);
  const xSide = xR0 + (rightLanes ? rightLanes * LANE : 0) + 24;
  const width = Math.round(groups.length ? xSide + SIDE_W + MARGIN : xR0 + (rightLanes ? rightLanes * LANE : 0) + MARGIN);

  // Ports: outgoing along the bottom, incoming along the top, ordered by where the other end lies.
  const centerX = (k: string) => boxX.get(k)! + BOX_W / 2;
  const outPorts = new Map<Edge, number>();
  const inPorts = new Map<Edge, number>();
  for (const s of lay.mains) {
    const outs = edges.filter((e) => e.from === s.key);
    const far = (e: Edge, end: 'to' | 'from') => (e.kind === 'back' ? -1e9 : e.kind === 'long' ? 1e9 : centerX(e[end]));
    outs.sort((a, b) => far(a, 'to') - far(b, 'to') || a.to.localeCompare(b.to));
    outs.forEach((e, i) => outPorts.set(e, Math.round(boxX.get(s.key)! + (BOX_W * (i + 1)) / (outs.length + 1))));
    const ins = edges.filter((e) => e.to === s.key);
    ins.sort((a, b) => far(a, 'from') - far(b, 'from') || a.from.localeCompare(b.from));
    ins.forEach((e, i) => inPorts.set(e, Math.round(boxX.get(s.key)! + (BOX_W * (i + 1)) / (ins.length + 1))));
  }

  // Channels per gap; gap g lies below layer g (g = -1: above the first layer).
  const channels = new Map<number, Edge[]>();
  const use = (g: number, e: Edge) => {
    const list = channels.get(g) ?? [];
    list.push(e);
    channels.set(g, list);
    return list.length - 1;
  };
  const exitOrder = [...edges].sort((a, b) => outPorts.get(a)! - outPorts.get(b)! || a.to.localeCompare(b.to));
  for (const e of exitOrder) e.exitCh = use(lay.layer.get(e.from)!, e);
  for (const e of exitOrder) if (e.kind !== 'adjacent') e.entryCh = use(lay.layer.get(e.to)! - 1, e);

  // Vertical placement.
  const layerH = lay.layers.map((row) => Math.max(...row.map((s) => content.get(s.key)!.h)));
  const gapH = (g: number) => GAP_BASE + (channels.get(g)?.length ?? 0) * CHANNEL;
  const header = MARGIN + 56;
  const layerY: number[] = [];
  const gapY = new Map<number, number>();
  let y = header;
  if (channels.has(-1)) gapY.set(-1, y), (y += gapH(-1));
  lay.layers.forEach((_, li) => {
    layerY[li] = y;
    y += layerH[li]!;
    gapY.set(li, y);
    y += gapH(li);
  });
  const channelY = (g: number, i: number) => Math.round(gapY.get(g)! + GAP_BASE / 2 + i * CHANNEL + CHANNEL / 2);
  let chartBottom = y;

  // Side groups: stacked in their column, each starting level with its first host.
  const sideBoxes: { g: (typeof groups)[number]; y: number; lines: { text: string; bold: boolean }[]; h: number }[] = [];
  let sideY = header;
  for (const g of groups) {
    const lines: { text: string; bold: boolean }[] = [];
    for (const l of wrap(`在${g.hosts.map((h) => `「${h.name}」`).join('')}之后、进入下一环节前，可办理：`, SIDE_W - 2 * PAD, BODY_FONT)) lines.push({ text: l, bold: false });
    for (const s of g.steps) {
      for (const l of wrap(`◆ ${s.name}`, SIDE_W - 2 * PAD, 13)) lines.push({ text: l, bold: true });
      for (const l of stepLines(def, s).flatMap((x) => wrap(x, SIDE_W - 2 * PAD - 12, BODY_FONT - 1))) lines.push({ text: l, bold: false });
    }
    const top = Math.max(sideY, layerY[lay.layer.get(g.hosts[0]!.key)!]!);
    const h = PAD * 2 + lines.length * LINE_H;
    sideBoxes.push({ g, y: top, lines, h });
    sideY = top + h + 16;
  }
  chartBottom = Math.max(chartBottom, sideY);

  // Clock legend.
  const legend = def.clocks.flatMap((c) => wrap(`■ ${clockLegend(c)}`, width - 2 * MARGIN, BODY_FONT));
  const legendY = chartBottom + 10;
  const height = Math.round(legendY + (legend.length ? 28 + legend.length * LINE_H : 0) + MARGIN);

  // Drawing.
  const o: string[] = [];
  const desc = `${def.name}流程图，共${lay.mains.length}个主要环节${groups.length ? `和${def.steps.length - lay.mains.length}个附随环节` : ''}；文字版见程序说明。`;
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" font-family="${esc(FLOWCHART_FONT_FAMILY)}" font-size="${BODY_FONT}" fill="#111">`,
    `<title id="${prefix}-title">${esc(def.name)}（第${def.version}版）流程图</title>`,
    `<desc id="${prefix}-desc">${esc(desc)}</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker></defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    text(MARGIN, MARGIN + 20, `${def.name}流程图`, { size: 20, bold: true }),
    text(MARGIN, MARGIN + 42, clip(`${CASE_TYPE_LABELS[def.caseType]} · 第${def.version}版 · 依据：${def.legalBasis[0]}`, width - 2 * MARGIN, BODY_FONT), { size: BODY_FONT, fill: '#333' }),
  );

  // Stage labels, one per layer.
  lay.layers.forEach((row, li) => {
    const stages = [...new Set(row.map((s) => STAGE_LABELS[s.stage]))].join('／');
    const lines = wrap(stages, STAGE_COL - 14, 13);
    const cy = layerY[li]! + layerH[li]! / 2 - ((lines.length - 1) * 16) / 2;
    o.push(`<rect x="${MARGIN}" y="${layerY[li]}" width="${STAGE_COL - 12}" height="${layerH[li]}" fill="#f2f2f2" stroke="#999" stroke-width="1"/>`);
    lines.forEach((l, i) => o.push(text(MARGIN + (STAGE_COL - 12) / 2, Math.round(cy + i * 16 + 4), l, { size: 13, bold: true, anchor: 'middle' })));
  });

  // Edges first, boxes over them.
  for (const e of edges) {
    const sx = outPorts.get(e)!;
    const sy = layerY[lay.layer.get(e.from)!]! + content.get(e.from)!.h;
    const tx = inPorts.get(e)!;
    const ty = layerY[lay.layer.get(e.to)!]!;
    const c1 = channelY(lay.layer.get(e.from)!, e.exitCh!);
    let d: string;
    if (e.kind === 'adjacent') d = `M${sx},${sy} V${c1} H${tx} V${ty}`;
    else {
      const lx = e.kind === 'back' ? leftLaneX(e.lane!) : rightLaneX(e.lane!);
      const c2 = channelY(lay.layer.get(e.to)! - 1, e.entryCh!);
      d = `M${sx},${sy} V${c1} H${lx} V${c2} H${tx} V${ty}`;
    }
    o.push(`<path d="${d}" fill="none" stroke="#222" stroke-width="1.3"${e.kind === 'back' ? ' stroke-dasharray="6 3"' : ''} marker-end="url(#${prefix}-arrow)"/>`);
    if (e.label) o.push(text(sx + 5, c1 - 4, clip(e.label, 2 * BOX_W, 11), { size: 11, halo: true }));
  }

  for (const s of lay.mains) {
    const c = content.get(s.key)!;
    const x = boxX.get(s.key)!;
    const top = layerY[lay.layer.get(s.key)!]!;
    const end = s.next.length === 0;
    o.push(`<g id="${prefix}-step-${s.key}">`);
    o.push(`<rect x="${x}" y="${top}" width="${BOX_W}" height="${c.h}" rx="6" fill="#fff" stroke="#111" stroke-width="${end || s.key === def.start ? 2.4 : 1.4}"/>`);
    o.push(text(x + PAD, top + PAD + 10, c.tag, { size: 11, fill: '#444' }));
    c.title.forEach((l, i) => o.push(text(x + PAD, top + PAD + 14 + TITLE_H * (i + 1) - 6, l, { size: 14, bold: true })));
    const bodyTop = top + PAD + 14 + c.title.length * TITLE_H;
    c.body.forEach((l, i) => o.push(text(x + PAD, bodyTop + LINE_H * (i + 1) - 4, l, { size: BODY_FONT })));
    o.push(`</g>`);
  }

  for (const b of sideBoxes) {
    o.push(`<g id="${prefix}-side-${b.g.steps.map((s) => s.key).join('-')}">`);
    o.push(`<rect x="${xSide}" y="${b.y}" width="${SIDE_W}" height="${b.h}" rx="6" fill="#fafafa" stroke="#333" stroke-width="1.2" stroke-dasharray="5 3"/>`);
    b.lines.forEach((l, i) => o.push(text(xSide + PAD + (l.bold || i === 0 ? 0 : 12), b.y + PAD + LINE_H * (i + 1) - 4, l.text, { size: l.bold ? 13 : BODY_FONT - 1, bold: l.bold })));
    o.push(`</g>`);
  }

  if (legend.length) {
    o.push(text(MARGIN, legendY + 18, '期限（开始之日不计算在内；“工作日”不含周末和法定节假日，调休上班日计入）', { size: 13, bold: true }));
    legend.forEach((l, i) => o.push(text(MARGIN, legendY + 28 + LINE_H * (i + 1) - 4, l, { size: BODY_FONT })));
  }
  o.push('</svg>');
  return o.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Text helpers

/** Advance width estimate in em: CJK and full-width forms 1, ASCII about 0.56. */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c >= 0x2e80 || (c >= 0x2000 && c <= 0x206f) || (c >= 0x25a0 && c <= 0x25ff)) return 1;
  if (c >= 0x30 && c <= 0x39) return 0.56;
  return c < 0x80 ? 0.56 : 0.8;
}

function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w * size;
}

/** Break a line to fit `width` px; never before closing punctuation. */
export function wrap(s: string, width: number, size: number): string[] {
  const out: string[] = [];
  let line = '';
  let w = 0;
  const noStart = new Set('，。、；：）」』》〕】”’！？.,;:)');
  for (const ch of s) {
    const cw = charWidth(ch) * size;
    if (w + cw > width && line && !noStart.has(ch)) {
      out.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line) out.push(line);
  return out;
}

function clip(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

function text(x: number, y: number, s: string, o: { size?: number; bold?: boolean; anchor?: 'start' | 'middle'; fill?: string; halo?: boolean } = {}): string {
  const attrs = [`x="${Math.round(x)}"`, `y="${Math.round(y)}"`];
  if (o.size) attrs.push(`font-size="${o.size}"`);
  if (o.bold) attrs.push('font-weight="bold"');
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.fill) attrs.push(`fill="${o.fill}"`);
  if (o.halo) attrs.push('stroke="#fff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"');
  return `<text ${attrs.join(' ')}>${esc(s)}</text>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
