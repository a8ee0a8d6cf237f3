// PDF generation per case document (issue 4, target < 100 ms per document).
//
// ~200 documents of the fifteen types, round robin. Each gets a different agency and party name made
// of random common characters, so nearly every document has a character set of its own and pays for
// a fresh HarfBuzz subset of the 15 MB face (the worst case; repeated character sets hit the cache).
// Timed: validation, composition, subsetting, layout, QR code and PDF serialisation, i.e. one call of
// renderDocumentPdf, measured with performance.now() around it, one document at a time.
//
// Baseline in the same run: pdfkit rendering the same composed layouts with its built-in Helvetica,
// every non-ASCII character replaced by an ASCII letter (no font embedding, no subsetting).
import { composeDocument, type Block, type ComposedDocument } from '../src/cases/documents/content.ts';
import { clearFontCache, fontCacheStats, preloadFonts } from '../src/cases/documents/fonts.ts';
import { renderComposedPdf, renderDocumentPdf } from '../src/cases/documents/pdf.ts';
import { renderDocumentDocx } from '../src/cases/documents/docx.ts';
import { sampleDocument } from '../src/cases/documents/samples.ts';
import { DOCUMENT_TYPES } from '../src/cases/documents/schema.ts';
import { summarize } from './lib.ts';

// Common characters (from the first level of 通用规范汉字表) used to make names.
const POOL =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤' +
  '明华建国文平志伟东海强晓生光林小军英杰德永新宝春金玉成福荣庆云祥兴利清芳丽敏静秀娟红霞丹玲萍燕桂兰凤洁琳素雪梅莉婷慧颖洋涛磊鑫鹏飞宇浩凯辉超勇健毅峰斌';

function randomName(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += POOL[Math.floor(rand() * POOL.length)];
  return s;
}

/** A small deterministic PRNG, so every run renders the same documents. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function documentInput(i: number, rand: () => number) {
  const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length]!;
  const input = sampleDocument(type, `https://sanxiang.example.gov.cn/ledger/verify?entry=${(i * 2654435761).toString(16).padStart(16, '0')}`);
  input.agencyName = `${randomName(rand, 2)}市${randomName(rand, 2)}区市场监督管理局`;
  const fields = input.fields as { party?: { name: string } | string };
  if (fields.party && typeof fields.party === 'object') fields.party.name = `${randomName(rand, 4)}商贸有限公司`;
  return input;
}

/** The same layout in ASCII: each non-ASCII character becomes a letter, every sixth a space. */
function ascii(c: ComposedDocument): ComposedDocument {
  const a = (s: string) =>
    [...s].map((ch, i) => (ch.charCodeAt(0) < 0x80 ? ch : i % 6 === 5 ? ' ' : String.fromCharCode(65 + (ch.charCodeAt(0) % 26)))).join('');
  const block = (b: Block): Block => {
    switch (b.kind) {
      case 'para':
      case 'heading':
        return { ...b, text: a(b.text) };
      case 'field':
        return { ...b, label: a(b.label), value: a(b.value) };
      case 'grid':
        return { ...b, rows: b.rows.map((r) => r.map((cell) => ({ ...cell, text: a(cell.text), sign: cell.sign && a(cell.sign) }))) };
      case 'table':
        return { ...b, headers: b.headers.map(a), rows: b.rows.map((r) => r.map(a)) };
      case 'qa':
        return { ...b, items: b.items.map((x) => ({ q: a(x.q), a: a(x.a) })) };
      case 'signatures':
        return { ...b, lines: b.lines.map(a) };
      case 'seal':
        return { ...b, agency: a(b.agency), date: a(b.date) };
      default:
        return b;
    }
  };
  return {
    ...c,
    title: a(c.title),
    agencyName: a(c.agencyName),
    headingLines: c.headingLines.map(a),
    numberLine: c.numberLine && { ...c.numberLine, text: a(c.numberLine.text) },
    pageFooter: c.pageFooter && a(c.pageFooter),
    blocks: c.blocks.map(block),
  };
}

export interface DocumentsBench {
  documents: number;
  /** Once per process: reading the two 15 MB faces and making their GB 2312 working faces. */
  fontLoadMs: number;
  /** The first document of the process: HarfBuzz WASM start-up and JIT warm-up included. */
  firstDocumentMs: number;
  /** renderDocumentPdf per document, each with its own character set (fresh subsets): wall time. */
  pdf: ReturnType<typeof summarize>;
  /** The same, CPU time of the process (user + system): what a document costs on a busy machine. */
  pdfCpu: ReturnType<typeof summarize>;
  /** Median wall time per document type (fresh subsets). */
  pdfByType: Record<string, number>;
  /** The same documents again: subsets come from the cache. */
  pdfCached: ReturnType<typeof summarize>;
  /** Baseline: pdfkit, same layouts, built-in Helvetica, ASCII text. */
  helveticaBaseline: ReturnType<typeof summarize>;
  docx: ReturnType<typeof summarize>;
  meanPdfBytes: number;
  cache: ReturnType<typeof fontCacheStats>;
}

export async function documentsBench(n = Number(process.env.BENCH_DOCUMENTS ?? 200)): Promise<DocumentsBench> {
  clearFontCache();
  let t = performance.now();
  await preloadFonts();
  const fontLoadMs = performance.now() - t;

  t = performance.now();
  await renderDocumentPdf(documentInput(10_000, mulberry32(1)));
  const firstDocumentMs = performance.now() - t;
  // Warm both paths on every type before measuring.
  const warm = mulberry32(2);
  for (let i = 0; i < DOCUMENT_TYPES.length; i++) {
    const input = documentInput(20_000 + i, warm);
    await renderDocumentPdf(input);
    await renderComposedPdf(ascii(composeDocument(input)), { fonts: 'standard' });
  }

  const rand = mulberry32(42);
  const inputs = Array.from({ length: n }, (_, i) => documentInput(i, rand));
  const pdf: number[] = [];
  const cpu: number[] = [];
  const byType = new Map<string, number[]>();
  const cached: number[] = [];
  const base: number[] = [];
  const docx: number[] = [];
  let bytes = 0;
  for (const input of inputs) {
    const c0 = process.cpuUsage();
    t = performance.now();
    const out = await renderDocumentPdf(input);
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    pdf.push(ms);
    cpu.push((c.user + c.system) / 1000);
    byType.set(input.type, [...(byType.get(input.type) ?? []), ms]);
    bytes += out.length;
  }
  for (const input of inputs) {
    t = performance.now();
    await renderDocumentPdf(input);
    cached.push(performance.now() - t);
  }
  const asciiDocs = inputs.map((input) => ascii(composeDocument(input)));
  for (const c of asciiDocs) {
    t = performance.now();
    await renderComposedPdf(c, { fonts: 'standard' });
    base.push(performance.now() - t);
  }
  for (const input of inputs) {
    t = performance.now();
    await renderDocumentDocx(input);
    docx.push(performance.now() - t);
  }
  return {
    documents: n,
    fontLoadMs,
    firstDocumentMs,
    pdf: summarize(pdf),
    pdfCpu: summarize(cpu),
    pdfByType: Object.fromEntries([...byType].map(([k, v]) => [k, Math.round(summarize(v).p50 * 10) / 10])),
    pdfCached: summarize(cached),
    helveticaBaseline: summarize(base),
    docx: summarize(docx),
    meanPdfBytes: Math.round(bytes / n),
    cache: fontCacheStats(),
  };
}

// `node --import tsx bench/documents.ts` prints the figures of this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await documentsBench(), null, 2));
}
