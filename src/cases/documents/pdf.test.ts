// PDF rendering: every document renders, the bytes are deterministic (the ledger commits to their
// hash), the embedded subset font actually draws the Chinese text (checked on a rasterised page, not
// only by extracting text), the QR code is drawn for final documents, and the wording states what
// the law requires (R-R02, R-R09, R-P09).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { composeDocument, type Block, type ComposedDocument } from './content.ts';
import { clearFontCache, fontCacheStats } from './fonts.ts';
import { renderComposedPdf, renderDocumentPdf } from './pdf.ts';
import { sampleDocument, sampleFields, SAMPLE_ISSUED_ON } from './samples.ts';
import { DOCUMENT_TYPES } from './schema.ts';

const QR_URL = 'https://sanxiang.example.gov.cn/ledger/verify?entry=3f2a9c1d7e5b4a60';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-pdf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const have = (cmd: string) => !spawnSync(cmd, ['-v']).error;
const HAVE_PDFTOPPM = have('pdftoppm');
const HAVE_POPPLER_TEXT = have('pdftotext') && have('pdffonts') && have('pdfinfo');
const HAVE_ZBAR = !spawnSync('zbarimg', ['--version']).error;
// CI installs zbar-tools and poppler-utils (.ci/run): there a missing tool fails the QR test instead of skipping it.
const IN_CI = process.env.CI === 'true';
if (!HAVE_PDFTOPPM) console.warn('pdftoppm 不可用（Debian 软件包 poppler-utils）：跳过栅格化检查。apt-get install poppler-utils 后可运行。');

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function save(name: string, pdf: Buffer): string {
  const file = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

interface Gray {
  width: number;
  height: number;
  data: Buffer;
}

/** Page 1 at 50 dpi as 8-bit grey (pdftoppm -gray writes a binary PGM, which needs no decoder). */
function rasterise(pdf: Buffer, name: string): Gray {
  const file = save(name, pdf);
  const out = path.join(tmp, name);
  run('pdftoppm', ['-r', '50', '-gray', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const pgm = fs.readFileSync(`${out}.pgm`);
  // Header: "P5" width height maxval, separated by whitespace, then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, data: pgm.subarray(header[0].length, header[0].length + width * height) };
}

/** Dark pixels in a region given as fractions of the page. */
function dark(g: Gray, r: { top: number; bottom: number; left?: number; right?: number }): number {
  let n = 0;
  const [y0, y1] = [Math.floor(r.top * g.height), Math.floor(r.bottom * g.height)];
  const [x0, x1] = [Math.floor((r.left ?? 0) * g.width), Math.floor((r.right ?? 1) * g.width)];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (g.data[y * g.width + x]! < 128) n++;
  return n;
}

function differing(a: Gray, b: Gray, r: { top: number; bottom: number }): number {
  let n = 0;
  for (let y = Math.floor(r.top * a.height); y < Math.floor(r.bottom * a.height); y++)
    for (let x = 0; x < a.width; x++) if (Math.abs(a.data[y * a.width + x]! - b.data[y * b.width + x]!) > 64) n++;
  return n;
}

/** The same document with every paragraph's text replaced, keeping each paragraph's length. */
function withBody(c: ComposedDocument, fill: (length: number) => string): ComposedDocument {
  return {
    ...c,
    blocks: c.blocks.map((b): Block => {
      if (b.kind === 'para') return { ...b, text: fill([...b.text].length) };
      // A field prints as `label：value`; as one paragraph of the same length it lays out the same.
      if (b.kind === 'field') return { kind: 'para', text: fill([...`${b.label}：${b.value}`].length) };
      return b;
    }),
  };
}
const cycle = (chars: string) => (n: number) => Array.from({ length: n }, (_, i) => [...chars][i % [...chars].length]).join('');

// The body of page 1 of a letter lies below the heading and 文号 and above the page number.
const BODY = { top: 0.3, bottom: 0.85 };

describe('PDF rendering', () => {
  it('renders every document type as an A4 PDF with the Chinese font embedded as a subset', async () => {
    for (const type of DOCUMENT_TYPES) {
      const pdf = await renderDocumentPdf(sampleDocument(type, QR_URL));
      expect(pdf.subarray(0, 8).toString('latin1'), type).toBe('%PDF-1.7');
      expect(pdf.length, type).toBeLessThan(200_000);
      if (HAVE_POPPLER_TEXT) {
        const file = save(type, pdf);
        expect(run('pdfinfo', [file]), type).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
        const fonts = run('pdffonts', [file]);
        expect(fonts, type).toMatch(/[A-Z]{6}\+NotoSerifSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
        expect(fonts, type).not.toMatch(/Helvetica|Times|SimSun|no\s+no\s+no/);
      }
    }
  });

  it('is deterministic: the same input gives the same bytes, from a fresh or a cached font subset', async () => {
    const input = sampleDocument('penalty_decision', QR_URL);
    clearFontCache();
    const a = await renderDocumentPdf(input);
    const b = await renderDocumentPdf(structuredClone(input));
    expect(fontCacheStats().hits).toBeGreaterThanOrEqual(2);
    clearFontCache();
    const c = await renderDocumentPdf(structuredClone(input));
    expect(sha256(b)).toBe(sha256(a));
    expect(sha256(c)).toBe(sha256(a));
    // Anything that changes the document changes the bytes.
    expect(sha256(await renderDocumentPdf({ ...input, qrUrl: `${QR_URL}0` }))).not.toBe(sha256(a));
    expect(sha256(await renderDocumentPdf({ ...input, issuedOn: '2026-11-24' }))).not.toBe(sha256(a));
  });

  it('fixes the metadata: title, producer, creation date from issuedOn', async () => {
    const pdf = await renderDocumentPdf(sampleDocument('penalty_decision', QR_URL));
    // 2026-11-23 00:00 in Asia/Shanghai, written in UTC (here in the XMP packet).
    expect(pdf.toString('latin1')).toContain('<xmp:CreateDate>2026-11-22T16:00:00Z</xmp:CreateDate>');
    if (!HAVE_POPPLER_TEXT) return;
    const info = run('pdfinfo', ['-isodates', save('meta', pdf)]);
    expect(info).toMatch(/CreationDate:\s+2026-11-22T16:00:00Z/);
    expect(info).toMatch(/ModDate:\s+2026-11-22T16:00:00Z/);
    expect(info).toMatch(/Title:\s+行政处罚决定书/);
    expect(info).toMatch(/Producer:\s+三项 sanxiang/);
    expect(info).toMatch(/Subject:\s+西湖市监处罚〔2026〕12号/);
    expect(info).toMatch(/Author:\s+杭州市西湖区市场监督管理局/);
  });

  it.skipIf(!HAVE_PDFTOPPM)('draws the Chinese text: a rasterised page has ink where the body text is, and different characters draw differently', async () => {
    const composed = composeDocument(sampleDocument('penalty_decision', QR_URL));
    const full = rasterise(await renderComposedPdf(composed), 'full');
    const blank = rasterise(await renderComposedPdf(withBody(composed, (n) => '　'.repeat(n))), 'blank');
    const a = rasterise(await renderComposedPdf(withBody(composed, cycle('行政处罚决定书'))), 'a');
    const b = rasterise(await renderComposedPdf(withBody(composed, cycle('当事人违法事实'))), 'b');
    expect(full.width).toBeGreaterThanOrEqual(413); // A4 at 50 dpi
    expect(full.width).toBeLessThanOrEqual(414);
    const inkFull = dark(full, BODY);
    const inkBlank = dark(blank, BODY);
    const inkA = dark(a, BODY);
    expect(inkBlank).toBe(0);
    expect(inkFull).toBeGreaterThan(4000);
    expect(inkA).toBeGreaterThan(4000);
    // Missing glyphs would all draw as the same empty box (.notdef): two texts of different characters
    // would give the same picture. Real glyphs differ.
    expect(differing(a, b, BODY)).toBeGreaterThan(inkA * 0.3);
    // The heading (agency name, title, 文号) is drawn in both renders, identically.
    const head = { top: 0.12, bottom: 0.26 };
    expect(dark(blank, head)).toBeGreaterThan(800);
    expect(differing(full, blank, head)).toBe(0);
  });

  it.skipIf(!HAVE_PDFTOPPM)('draws the QR code in the top right corner of final documents only', async () => {
    const corner = { top: 0, bottom: 0.12, left: 0.75, right: 1 };
    const final = rasterise(await renderDocumentPdf(sampleDocument('penalty_decision', QR_URL)), 'qr');
    const draft = rasterise(await renderDocumentPdf(sampleDocument('penalty_decision')), 'noqr');
    expect(dark(final, corner)).toBeGreaterThan(500);
    expect(dark(draft, corner)).toBe(0);
  });

  it.skipIf(!IN_CI && (!HAVE_PDFTOPPM || !HAVE_ZBAR))('the QR code decodes to the verify URL (zbarimg from zbar-tools)', async () => {
    const file = save('qr-decode', await renderDocumentPdf(sampleDocument('seizure_decision', QR_URL)));
    const out = path.join(tmp, 'qr-decode');
    run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', file, out]);
    expect(run('zbarimg', ['-q', '--raw', `${out}.png`]).trim()).toBe(QR_URL);
  });

  it.skipIf(!HAVE_POPPLER_TEXT)('the text is extractable and says what the law requires (R-R09, R-P09)', async () => {
    const decision = run('pdftotext', [save('decision-text', await renderDocumentPdf(sampleDocument('penalty_decision', QR_URL))), '-']).replace(/\s+/g, '');
    expect(decision).toContain('行政处罚决定书');
    expect(decision).toContain('西湖市监处罚〔2026〕12号');
    expect(decision).toContain('本机关认为：');
    expect(decision).toContain('罚款人民币伍万元整（¥50,000.00）');
    expect(decision).toContain('六十日内向杭州市西湖区人民政府申请行政复议');
    expect(decision).toContain('六个月内依法向杭州市西湖区人民法院提起行政诉讼');
    expect(decision).toContain('二〇二六年十一月二十三日');
    expect(decision).toContain('扫码核验');
    const notice = run('pdftotext', [save('notice-text', await renderDocumentPdf(sampleDocument('prior_notice'))), '-']).replace(/\s+/g, '');
    expect(notice).toContain('当事人享有陈述、申辩和要求听证的权利');
    expect(notice).toContain('自收到本告知书之日起五个工作日内');
    expect(notice).toContain('应当自收到本告知书之日起五日内向本机关提出');
  });

  it('refuses characters the font cannot draw, naming them', async () => {
    const input = sampleDocument('penalty_decision');
    const fields = sampleFields('penalty_decision');
    fields.party = { ...fields.party, name: '杭州𠀀食品有限公司' };
    const err = await renderDocumentPdf({ ...input, fields }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).detail).toMatch(/^文书中有字体无法显示的字符：“𠀀”（U\+20000）/);
  });

  it('validates the fields before rendering', async () => {
    const err = await renderDocumentPdf({ ...sampleDocument('hearing_notice'), issuedOn: '2026-11-18' }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('validation');
    expect((err as AppError).detail).toMatch(/七日前通知当事人/);
    expect(SAMPLE_ISSUED_ON.hearing_notice).toBe('2026-11-06');
  });
});
